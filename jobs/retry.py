"""Bounded retries for a job: `retry_later` enqueues the next attempt after a growing delay
(when the backend can defer; at once otherwise) until `max_attempts` is reached.

A job that takes an `attempt` keyword calls it from its `except` block and then re-raises,
so each failed attempt is recorded with its traceback (django_tasks_db's "Task results" in
admin); after the last attempt nothing is enqueued again and the failure stays there.
"""

import datetime
import logging
from typing import Any

from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
BASE_DELAY = datetime.timedelta(seconds=30)


def retry_delay(attempt: int) -> datetime.timedelta:
    """30 s after the first failure, 2 min after the second, 8 min after the third..."""
    return BASE_DELAY * (4 ** (attempt - 1))


def retry_later(
    task: Any,
    *,
    attempt: int,
    max_attempts: int = MAX_ATTEMPTS,
    args: tuple = (),
    kwargs: dict | None = None,
) -> bool:
    """Enqueue attempt `attempt + 1` of `task` unless `attempt` was the last; return whether
    another attempt was enqueued."""
    if attempt >= max_attempts:
        logger.error("%s failed on attempt %d of %d; giving up", task.name, attempt, max_attempts)
        return False
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + retry_delay(attempt))
    task.enqueue(*args, **{**(kwargs or {}), "attempt": attempt + 1})
    logger.warning("%s failed on attempt %d of %d; retrying", task.name, attempt, max_attempts)
    return True
