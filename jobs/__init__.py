"""The job queue's plumbing, shared by the catalogue and the shop: sending email after a
commit (`jobs.email`), bounded retries (`jobs.retry`), the housekeeping schedule
(`jobs.schedule`), the production worker (`manage.py worker`) and the local launcher that
serves the shop with one worker beside it (`manage.py run_local`, used by `make run`).

It imports neither app: scheduled jobs are named by dotted path in settings.JOBS_SCHEDULE.
"""

try:
    from django.tasks import task  # Django 6: the queue moves into Django
except ImportError:  # pragma: no cover - Django 5.2 uses the backport
    from django_tasks import task

__all__ = ["task"]
