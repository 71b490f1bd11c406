"""`python manage.py worker`: run jobs from the queue (django_tasks_db's `db_worker`, every
option the same), and enqueue the housekeeping schedule's due jobs once a minute beside it
(jobs.schedule). Run as many as you like, on as many machines: two workers never run the
same job, and a scheduled job is enqueued once however many workers look.
"""

import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from jobs.schedule import ScheduleThread


class ScheduledWorker(db_worker.Worker):
    """django_tasks_db's worker with the schedule's thread beside its loop."""

    def run(self) -> None:
        schedule = ScheduleThread()
        schedule.start()
        try:
            super().run()
        finally:
            schedule.stop()


class Command(db_worker.Command):
    help = "Run jobs from the queue, and enqueue the housekeeping schedule's due jobs"

    def handle(self, *, verbosity: int, reload: bool, batch: bool, **options: Any) -> None:
        self.configure_logging(verbosity)
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker_class = db_worker.Worker if batch else ScheduledWorker
        worker = worker_class(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
