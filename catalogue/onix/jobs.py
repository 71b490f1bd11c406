"""ONIX uploads imported off the request. `onix_upload_store` keeps the uploaded file in
settings.ONIX_UPLOAD_ROOT (private), records an `OnixImport` and enqueues `run_onix_import`
once that commits; the job imports the file with `import_onix`, saving its progress with
each batch (in the batch's own transaction, so the counts never claim more than was
committed) and then its report.

Faults: a refused file fails at once (no retry can help). Anything else fails the attempt
and it is retried later (jobs.retry), up to MAX_ATTEMPTS; then it stays failed, with its
error, on the import's page and in the "ONIX imports" list. A worker that dies mid-import
leaves its committed batches in place and the import "running" with an old heartbeat:
`resume_stalled_imports` (on the housekeeping schedule) enqueues it again, and importing the
file again from the start finishes it, as books are matched by ISBN (what was committed
is then "unchanged").
"""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from catalogue.models import OnixImport
from catalogue.onix.importer import ImportReport, import_onix
from catalogue.onix.reader import OnixRefused
from jobs import task
from jobs.retry import retry_later

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
STALLED_AFTER = datetime.timedelta(minutes=2)  # a running import's heartbeat is older
LOST_AFTER = datetime.timedelta(hours=1)  # queued, never started: its job was lost
PROGRESS_EVERY = 0.5  # seconds between progress saves


def upload_root() -> Path:
    return Path(settings.ONIX_UPLOAD_ROOT)


def onix_upload_store(*, upload: UploadedFile, uploaded_by) -> OnixImport:
    """Keep an (already checked) upload privately and queue its import; return its record."""
    root = upload_root()
    root.mkdir(parents=True, exist_ok=True)
    stored_name = f"{uuid.uuid4().hex}.xml"
    with open(root / stored_name, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    with transaction.atomic():
        record = OnixImport.objects.create(
            uploaded_by=uploaded_by,
            file_name=Path(upload.name or "upload.xml").name[:255],
            stored_name=stored_name,
            size=upload.size or 0,
        )
        transaction.on_commit(lambda: run_onix_import.enqueue(import_id=record.pk))
    return record


class _Progress:
    """The import's progress callback: saves the counts so far, twice a second at most."""

    def __init__(self, record: OnixImport, report: ImportReport) -> None:
        self.record = record
        self.report = report
        self.last = time.monotonic()

    def __call__(self, done: int, fraction: float | None) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        self.save(done, fraction)

    def save(self, done: int, fraction: float | None) -> None:
        report = self.report
        OnixImport.objects.filter(pk=self.record.pk).update(
            products_read=done,
            fraction_read=fraction,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            hidden=report.hidden,
            skipped=report.skipped,
            heartbeat_at=timezone.now(),
        )


BUSY = "busy"
WAIT_WHEN_BUSY = datetime.timedelta(seconds=5)


def _start(import_id: int) -> OnixImport | str | None:
    """Mark the import running for this attempt, or None when there is nothing to do (it
    is gone, finished, or another worker is importing it: its heartbeat is recent), or
    BUSY while another import runs. Imports run one at a time, so that two uploads of the
    same new books never race to create them: every unfinished import's row is locked, in
    id order, so two workers starting imports at once take turns here."""
    with transaction.atomic():
        unfinished = OnixImport.objects.select_for_update().filter(
            status__in=[OnixImport.Status.QUEUED, OnixImport.Status.RUNNING]
        )
        rows = {row.pk: row for row in unfinished.order_by("pk")}
        record = rows.get(import_id)
        if record is None:
            return None
        now = timezone.now()
        running = {
            pk
            for pk, row in rows.items()
            if row.status == OnixImport.Status.RUNNING
            and row.heartbeat_at
            and row.heartbeat_at > now - STALLED_AFTER
        }
        if import_id in running:
            return None
        if running:
            return BUSY
        record.status = OnixImport.Status.RUNNING
        record.attempts += 1
        record.started_at = record.heartbeat_at = now
        record.error = ""
        record.save()
    return record


def _finish(record: OnixImport, report: ImportReport, *, status: str, error: str = "") -> None:
    record.status = status
    record.error = error
    record.finished_at = record.heartbeat_at = timezone.now()
    record.products_read = report.products
    for count in ("created", "updated", "unchanged", "hidden", "skipped"):
        setattr(record, count, getattr(report, count))
    record.problems = [
        {"record": p.record, "field": p.field, "reason": p.reason} for p in report.problems
    ]
    record.problems_not_kept = report.problems_not_kept
    if status == OnixImport.Status.DONE:
        record.fraction_read = 1.0
    record.save()


@task()
def run_onix_import(*, import_id: int, attempt: int = 1) -> str:
    """The job: import the uploaded file of OnixImport `import_id`."""
    record = _start(import_id)
    if record is None:
        return "nothing to do"
    if record == BUSY:
        # Try again shortly; without a deferring backend (tests) the import stays queued
        # until housekeeping finds it.
        if run_onix_import.get_backend().supports_defer:
            later = run_onix_import.using(run_after=timezone.now() + WAIT_WHEN_BUSY)
            later.enqueue(import_id=import_id, attempt=attempt)
        return "waiting for another import"
    path = upload_root() / record.stored_name
    report = ImportReport(name=record.file_name)
    try:
        import_onix(path, name=record.file_name, progress=_Progress(record, report), report=report)
    except OnixRefused as refusal:
        _finish(record, report, status=OnixImport.Status.FAILED, error=str(refusal))
        path.unlink(missing_ok=True)
        return "refused"
    except FileNotFoundError:
        message = "The uploaded file is no longer there; upload it again."
        _finish(record, report, status=OnixImport.Status.FAILED, error=message)
        return "file missing"
    except Exception as error:
        last = record.attempts >= MAX_ATTEMPTS
        status = OnixImport.Status.FAILED if last else OnixImport.Status.QUEUED
        again = "" if last else " It will be tried again shortly."
        message = f"Attempt {record.attempts} of {MAX_ATTEMPTS} failed: {error!r}.{again}"
        _finish(record, report, status=status, error=message)
        retry_later(
            run_onix_import,
            attempt=record.attempts,
            max_attempts=MAX_ATTEMPTS,
            kwargs={"import_id": import_id},
        )
        raise
    _finish(record, report, status=OnixImport.Status.DONE)
    path.unlink(missing_ok=True)
    return "done"


def imports_resume_stalled(*, now: datetime.datetime | None = None) -> list[int]:
    """Enqueue again the imports whose worker stopped (running, no heartbeat for
    STALLED_AFTER) and those queued long ago and never started (their job was lost); fail
    those that have had every attempt. Return the ids enqueued."""
    now = now or timezone.now()
    stalled = Q(status=OnixImport.Status.RUNNING, heartbeat_at__lt=now - STALLED_AFTER)
    lost = Q(status=OnixImport.Status.QUEUED, attempts=0, uploaded_at__lt=now - LOST_AFTER)
    enqueued = []
    with transaction.atomic():
        for record in OnixImport.objects.select_for_update(skip_locked=True).filter(stalled | lost):
            if record.attempts >= MAX_ATTEMPTS:
                record.status = OnixImport.Status.FAILED
                record.error = (
                    f"The worker importing it stopped {record.attempts} times; upload it again."
                )
                record.finished_at = now
                record.save(update_fields=["status", "error", "finished_at"])
                continue
            record.status = OnixImport.Status.QUEUED
            record.save(update_fields=["status"])
            enqueued.append(record.pk)
    for import_id in enqueued:
        logger.warning("Enqueuing ONIX import %s again: its worker stopped", import_id)
        _fail_abandoned_results(import_id)
        run_onix_import.enqueue(import_id=import_id)
    return enqueued


def _fail_abandoned_results(import_id: int) -> None:
    """The dead worker's job is left "running" in the database queue: mark it failed, with
    why, so that "Task results" in admin tells the truth."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(
        status="RUNNING",
        task_path=f"{__name__}.run_onix_import",
        args_kwargs__kwargs__import_id=import_id,
    ).update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="catalogue.onix.jobs.WorkerStopped",
        traceback="The worker running this import stopped; the import was enqueued again.",
    )


@task()
def resume_stalled_imports() -> list[int]:
    return imports_resume_stalled()
