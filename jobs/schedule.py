"""The housekeeping schedule: settings.JOBS_SCHEDULE maps a task's dotted path to its
interval in seconds. Every worker (`manage.py worker`) calls `enqueue_due` once a minute.

Each due job's `ScheduledJob` row is locked (`select_for_update(skip_locked=True)` on
PostgreSQL; SQLite's writers take the database lock when the transaction starts), moved
on by one interval and its task enqueued in the same transaction. So however many workers
on however many machines look at once, a due job is enqueued once, and the queue gives it
to one worker.
"""

import datetime
import logging
import threading

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from jobs.models import ScheduledJob

logger = logging.getLogger(__name__)

CHECK_EVERY = 60.0  # seconds between a worker's looks at the schedule


def enqueue_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every scheduled job that is due; return their paths. A job new to the
    schedule is due at once."""
    now = now or timezone.now()
    schedule: dict[str, int] = getattr(settings, "JOBS_SCHEDULE", {})
    known = set(ScheduledJob.objects.filter(path__in=schedule).values_list("path", flat=True))
    for path in schedule.keys() - known:
        ScheduledJob.objects.get_or_create(path=path, defaults={"next_run_at": now})
    enqueued = []
    with transaction.atomic():
        due = ScheduledJob.objects.select_for_update(skip_locked=True).filter(
            path__in=schedule, next_run_at__lte=now
        )
        for job in due:
            job.next_run_at = now + datetime.timedelta(seconds=schedule[job.path])
            job.last_enqueued_at = now
            job.save(update_fields=["next_run_at", "last_enqueued_at"])
            import_string(job.path).enqueue()
            enqueued.append(job.path)
    for path in enqueued:
        logger.info("Enqueued scheduled job %s", path)
    return enqueued


class ScheduleThread(threading.Thread):
    """Calls `enqueue_due` every CHECK_EVERY seconds beside a worker, until stopped. A
    failure is logged and tried again at the next look."""

    def __init__(self, every: float = CHECK_EVERY) -> None:
        super().__init__(name="job-schedule", daemon=True)
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                enqueue_due()
            except Exception:
                logger.exception("Could not enqueue the scheduled jobs; trying again later")
            finally:
                connections.close_all()  # this thread's own connections
            self.stopped.wait(self.every)

    def stop(self) -> None:
        self.stopped.set()
