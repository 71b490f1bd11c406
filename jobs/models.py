"""`ScheduledJob`: when each job of settings.JOBS_SCHEDULE is next due (see jobs.schedule)."""

from django.db import models


class ScheduledJob(models.Model):
    """One periodic job, named by the dotted path of its task. Workers enqueue it when
    `next_run_at` has passed, moving `next_run_at` on in the same locked transaction, so it
    is enqueued once however many workers look."""

    path = models.CharField(max_length=200, unique=True, help_text="The task's dotted path.")
    next_run_at = models.DateTimeField(help_text="When a worker next enqueues it.")
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.path
