"""ONIX uploads imported by a job (catalogue.onix.jobs): stored privately, imported once,
retried a bounded number of times, resumed after a worker dies, idempotent."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalogue.models import Book, OnixImport
from catalogue.onix import importer as onix_importer
from catalogue.onix import jobs
from tests.catalogue.onix.onix_fixtures import fixture, isbn, message, product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.ONIX_UPLOAD_ROOT = tmp_path / "private-onix"
    return settings.ONIX_UPLOAD_ROOT


def three_books() -> bytes:
    return message(*(product(ref=f"rec-{n}", isbn13=isbn(n)) for n in range(1, 4)))


def store(data: bytes, name: str = "feed.xml", *, capture) -> OnixImport:
    user = User.objects.get_or_create(username="staffer")[0]
    with capture(execute=True):
        record = jobs.onix_upload_store(
            upload=SimpleUploadedFile(name, data, content_type="text/xml"), uploaded_by=user
        )
    record.refresh_from_db()
    return record


def test_an_upload_is_kept_outside_the_media_root_and_imported_once_committed(
    django_capture_on_commit_callbacks, upload_root, settings
):
    with django_capture_on_commit_callbacks() as callbacks:
        record = jobs.onix_upload_store(
            upload=SimpleUploadedFile("feed.xml", three_books()), uploaded_by=None
        )
        stored = upload_root / record.stored_name
        assert stored.exists()
        assert not stored.resolve().is_relative_to(settings.MEDIA_ROOT)
        assert record.status == OnixImport.Status.QUEUED
        assert not Book.objects.exists()  # nothing runs before the commit

    assert len(callbacks) == 1
    for callback in callbacks:
        callback()
    record.refresh_from_db()
    assert record.status == OnixImport.Status.DONE
    assert (record.products_read, record.created) == (3, 3)
    assert record.file_name == "feed.xml"
    assert Book.objects.count() == 3
    assert not stored.exists()  # the file goes once it is imported


def test_the_report_keeps_each_skipped_products_problem(django_capture_on_commit_callbacks):
    record = store(
        fixture("bad_record_in_middle.xml").read_bytes(), capture=django_capture_on_commit_callbacks
    )

    assert record.summary() == "6 products: 3 created, 0 updated, 0 unchanged, 0 hidden, 3 skipped"
    assert {"record", "field", "reason"} <= set(record.problems[0])
    assert any(p["record"] == "fixture.bad-date" for p in record.problems)


def test_importing_the_same_file_twice_gives_two_reports_and_changes_nothing(
    django_capture_on_commit_callbacks,
):
    first = store(three_books(), capture=django_capture_on_commit_callbacks)
    stamps = dict(Book.objects.values_list("isbn", "updated_at"))

    second = store(three_books(), capture=django_capture_on_commit_callbacks)

    assert first.created == 3
    assert (second.status, second.created, second.updated, second.unchanged) == ("done", 0, 0, 3)
    assert dict(Book.objects.values_list("isbn", "updated_at")) == stamps


def test_a_file_the_job_refuses_fails_at_once_with_its_message(django_capture_on_commit_callbacks):
    record = store(
        fixture("truncated.xml").read_bytes(), capture=django_capture_on_commit_callbacks
    )

    assert record.status == OnixImport.Status.FAILED
    assert record.attempts == 1  # no retry can mend the file
    assert "truncated" in record.error
    assert not Book.objects.exists()


def test_a_failing_import_is_retried_a_bounded_number_of_times_then_left_failed(
    django_capture_on_commit_callbacks, monkeypatch
):
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(jobs, "import_onix", broken)

    record = store(three_books(), capture=django_capture_on_commit_callbacks)

    assert len(calls) == jobs.MAX_ATTEMPTS
    assert record.status == OnixImport.Status.FAILED
    assert record.attempts == jobs.MAX_ATTEMPTS
    assert "disk on fire" in record.error
    assert "tried again" not in record.error


def test_an_attempt_that_fails_once_is_finished_by_the_next(
    django_capture_on_commit_callbacks, monkeypatch
):
    real = jobs.import_onix
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(jobs, "import_onix", flaky)

    record = store(three_books(), capture=django_capture_on_commit_callbacks)

    assert (record.status, record.attempts, record.created) == ("done", 2, 3)
    assert record.error == ""


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: nothing in the job catches it."""


def test_a_worker_killed_mid_import_loses_nothing_committed_and_a_resume_finishes_it(
    django_capture_on_commit_callbacks, monkeypatch
):
    real_batch = onix_importer._import_batch
    batches = []

    def dies_after_the_first_batch(*args, **kwargs):
        if batches:
            raise WorkerKilled
        batches.append(1)
        return real_batch(*args, **kwargs)

    monkeypatch.setattr(jobs, "import_onix", _with_batch_size(jobs.import_onix, 2))
    monkeypatch.setattr(onix_importer, "_import_batch", dies_after_the_first_batch)

    record = store(three_books(), capture=django_capture_on_commit_callbacks)

    assert record.status == OnixImport.Status.RUNNING  # the dead worker never said otherwise
    assert Book.objects.count() == 2  # the first batch was committed and stays
    monkeypatch.setattr(onix_importer, "_import_batch", real_batch)
    assert jobs.imports_resume_stalled() == []  # its heartbeat is still recent

    later = timezone.now() + jobs.STALLED_AFTER + datetime.timedelta(seconds=1)
    assert jobs.imports_resume_stalled(now=later) == [record.pk]

    record.refresh_from_db()
    assert (record.status, record.attempts) == ("done", 2)
    assert (record.created, record.unchanged) == (1, 2)
    assert Book.objects.count() == 3


def _with_batch_size(function, size):
    def call(*args, **kwargs):
        return function(*args, batch_size=size, **kwargs)

    return call


def test_an_import_whose_worker_keeps_dying_is_failed_after_its_last_attempt():
    record = OnixImport.objects.create(
        file_name="feed.xml",
        stored_name="gone.xml",
        status=OnixImport.Status.RUNNING,
        attempts=jobs.MAX_ATTEMPTS,
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
    )

    assert jobs.imports_resume_stalled() == []

    record.refresh_from_db()
    assert record.status == OnixImport.Status.FAILED
    assert "stopped 3 times" in record.error


def test_a_second_job_for_a_finished_import_does_nothing(django_capture_on_commit_callbacks):
    record = store(three_books(), capture=django_capture_on_commit_callbacks)

    result = jobs.run_onix_import.enqueue(import_id=record.pk)

    assert result.return_value == "nothing to do"
    record.refresh_from_db()
    assert record.attempts == 1


def test_a_job_whose_file_has_gone_fails_with_a_message(
    django_capture_on_commit_callbacks, upload_root
):
    with django_capture_on_commit_callbacks() as callbacks:
        record = jobs.onix_upload_store(
            upload=SimpleUploadedFile("f.xml", three_books()), uploaded_by=None
        )
    (upload_root / record.stored_name).unlink()
    callbacks[0]()

    record.refresh_from_db()
    assert record.status == OnixImport.Status.FAILED
    assert "upload it again" in record.error


def test_resuming_an_import_marks_the_dead_workers_job_failed():
    from django_tasks_db.models import DBTaskResult

    record = OnixImport.objects.create(
        file_name="feed.xml",
        stored_name="gone.xml",
        status=OnixImport.Status.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
    )
    queued = jobs.run_onix_import.using(backend="database").enqueue(import_id=record.pk)
    DBTaskResult.objects.filter(pk=queued.id).update(status="RUNNING")

    assert jobs.imports_resume_stalled() == [record.pk]

    dead = DBTaskResult.objects.get(pk=queued.id)
    assert dead.status == "FAILED"
    assert "worker running this import stopped" in dead.traceback


def test_an_import_waits_while_another_is_running(django_capture_on_commit_callbacks):
    OnixImport.objects.create(
        file_name="other.xml",
        stored_name="other.xml",
        status=OnixImport.Status.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now(),
    )

    record = store(three_books(), capture=django_capture_on_commit_callbacks)

    assert (record.status, record.attempts) == ("queued", 0)
    assert not Book.objects.exists()


def test_a_waiting_import_is_enqueued_again_later_on_a_deferring_backend(settings):
    from django_tasks_db.models import DBTaskResult

    OnixImport.objects.create(
        file_name="other.xml",
        stored_name="other.xml",
        status=OnixImport.Status.RUNNING,
        heartbeat_at=timezone.now(),
    )
    record = OnixImport.objects.create(file_name="feed.xml", stored_name="feed.xml")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    assert jobs.run_onix_import.call(import_id=record.pk) == "waiting for another import"

    again = DBTaskResult.objects.get()
    assert again.args_kwargs["kwargs"]["import_id"] == record.pk
    assert again.run_after > timezone.now()
