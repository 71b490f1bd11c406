"""Tasks for the worker tests."""

from jobs import task


@task()
def always_fails() -> None:
    raise RuntimeError("this job always fails")
