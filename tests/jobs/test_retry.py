"""jobs.retry: the next attempt is deferred by a growing delay, and there is a last one."""

import datetime

from jobs.retry import retry_delay, retry_later


class FakeTask:
    name = "fake"

    def __init__(self, supports_defer=True):
        self.enqueued = []
        self.run_after = None
        self._defer = supports_defer

    def get_backend(self):
        return type("Backend", (), {"supports_defer": self._defer})()

    def using(self, *, run_after):
        self.run_after = run_after
        return self

    def enqueue(self, *args, **kwargs):
        self.enqueued.append((args, kwargs))


def test_the_delay_grows_with_each_attempt():
    assert [retry_delay(n) for n in (1, 2, 3)] == [
        datetime.timedelta(seconds=30),
        datetime.timedelta(minutes=2),
        datetime.timedelta(minutes=8),
    ]


def test_a_failed_attempt_enqueues_the_next_one_later():
    task = FakeTask()

    assert retry_later(task, attempt=1, max_attempts=3, kwargs={"x": 1})

    assert task.enqueued == [((), {"x": 1, "attempt": 2})]
    assert task.run_after is not None


def test_the_last_attempt_enqueues_nothing():
    task = FakeTask()

    assert not retry_later(task, attempt=3, max_attempts=3)

    assert task.enqueued == []


def test_a_backend_that_cannot_defer_gets_the_next_attempt_at_once():
    task = FakeTask(supports_defer=False)

    retry_later(task, attempt=1, max_attempts=3)

    assert task.run_after is None
    assert len(task.enqueued) == 1
