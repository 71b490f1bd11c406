"""Tasks for the worker tests."""

try:
    from django.tasks import task
except ImportError:
    from django_tasks import task


@task()
def always_fails() -> None:
    raise RuntimeError("this job always fails")
