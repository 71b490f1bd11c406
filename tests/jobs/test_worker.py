"""A real `manage.py worker` process runs jobs enqueued through the database backend; one
killed mid-import loses nothing committed, and resuming the import finishes it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from catalogue.models import Book, OnixImport
from catalogue.onix import jobs
from tests.catalogue.onix.onix_fixtures import isbn, message, product

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


WORKER = ["manage.py", "worker", "--no-reload", "--no-startup-delay", "--backend", "database"]


def worker_env(tmp_path: Path) -> dict[str, str]:
    """The worker process uses the test database, and the test's upload and media folders."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "ONIX_UPLOAD_ROOT": str(tmp_path / "onix"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }


def run_worker(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *WORKER, *args],
        cwd=REPO,
        env=worker_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_worker_process_runs_a_queued_onix_import(tmp_path, settings):
    settings.ONIX_UPLOAD_ROOT = tmp_path / "onix"
    settings.ONIX_UPLOAD_ROOT.mkdir()
    (settings.ONIX_UPLOAD_ROOT / "feed.xml").write_bytes(
        message(*(product(ref=f"rec-{n}", isbn13=isbn(n)) for n in range(1, 4)))
    )
    record = OnixImport.objects.create(file_name="feed.xml", stored_name="feed.xml")
    jobs.run_onix_import.using(backend="database").enqueue(import_id=record.pk)

    worker = run_worker(tmp_path, "--batch")

    assert worker.returncode == 0, worker.stdout + worker.stderr
    record.refresh_from_db()
    assert (record.status, record.created) == ("done", 3)
    assert Book.objects.count() == 3
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_job_that_fails_in_a_worker_is_left_failed_with_its_error(tmp_path, settings):
    from tests.jobs.tasks import always_fails

    always_fails.using(backend="database").enqueue()

    worker = run_worker(tmp_path, "--batch")

    assert worker.returncode == 0, worker.stdout + worker.stderr
    result = DBTaskResult.objects.get()
    assert result.status == "FAILED"
    assert "this job always fails" in result.traceback  # staff see it in admin


def test_a_worker_killed_mid_import_loses_nothing_committed_and_the_import_is_finished(
    tmp_path, settings
):
    import datetime
    import signal
    import time

    from django.utils import timezone

    products = 4000
    settings.ONIX_UPLOAD_ROOT = tmp_path / "onix"
    settings.ONIX_UPLOAD_ROOT.mkdir()
    (settings.ONIX_UPLOAD_ROOT / "big.xml").write_bytes(
        message(*(product(ref=f"rec-{n}", isbn13=isbn(n)) for n in range(1, products + 1)))
    )
    record = OnixImport.objects.create(file_name="big.xml", stored_name="big.xml")
    jobs.run_onix_import.using(backend="database").enqueue(import_id=record.pk)
    worker = subprocess.Popen(
        [sys.executable, *WORKER],
        cwd=REPO,
        env=worker_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            record.refresh_from_db()
            if record.products_read > 0 or record.is_finished:
                break
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()

    record.refresh_from_db()
    assert record.status == OnixImport.Status.RUNNING, "the import ended before the kill"
    committed = Book.objects.count()
    assert 0 < committed < products

    later = timezone.now() + jobs.STALLED_AFTER + datetime.timedelta(seconds=1)
    assert jobs.imports_resume_stalled(now=later) == [record.pk]  # runs at once in tests

    record.refresh_from_db()
    assert (record.status, record.attempts) == ("done", 2)
    assert record.unchanged >= committed
    assert Book.objects.count() == products
