"""jobs.schedule: a due job is enqueued once however many workers look."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from jobs import schedule, task
from jobs.models import ScheduledJob

pytestmark = pytest.mark.django_db

RUNS = []


@task()
def count_a_run() -> None:
    RUNS.append(1)


PATH = f"{__name__}.count_a_run"


@pytest.fixture(autouse=True)
def one_job(settings):
    RUNS.clear()
    settings.JOBS_SCHEDULE = {PATH: 3600}


def test_a_job_new_to_the_schedule_runs_at_once_and_then_once_an_interval():
    now = timezone.now()

    assert schedule.enqueue_due(now=now) == [PATH]
    assert schedule.enqueue_due(now=now) == []  # a second worker looking at once
    assert schedule.enqueue_due(now=now + datetime.timedelta(minutes=59)) == []
    assert schedule.enqueue_due(now=now + datetime.timedelta(minutes=61)) == [PATH]

    assert len(RUNS) == 2
    job = ScheduledJob.objects.get()
    assert job.next_run_at == now + datetime.timedelta(minutes=61, hours=1)


def test_jobs_not_in_the_schedule_are_left_alone(settings):
    ScheduledJob.objects.create(path="gone.task", next_run_at=timezone.now())

    assert schedule.enqueue_due() == [PATH]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_a_job_locked_by_another_worker_is_not_enqueued_twice():
    """While one worker holds the job's row, another enqueues nothing."""
    schedule.enqueue_due()
    ScheduledJob.objects.update(next_run_at=timezone.now() - datetime.timedelta(seconds=1))
    RUNS.clear()
    locked, release, seen = threading.Event(), threading.Event(), []

    def other_worker():
        from django.db import connections, transaction

        with transaction.atomic():
            list(ScheduledJob.objects.select_for_update())
            locked.set()
            release.wait(10)
        connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    locked.wait(10)
    seen.append(schedule.enqueue_due())
    release.set()
    thread.join()

    assert seen == [[]]
    assert RUNS == []


def test_the_schedule_thread_keeps_going_after_a_failure(monkeypatch):
    calls = []

    def fails_once():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database restarting")
        thread.stop()

    monkeypatch.setattr(schedule, "enqueue_due", fails_once)
    thread = schedule.ScheduleThread(every=0.01)
    thread.run()

    assert len(calls) == 2
