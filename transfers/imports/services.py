"""Upload -> check -> import: the two steps a person takes, small files inline, large ones as jobs.

`check_upload` stores the file privately and runs the preview; `import_batch` runs the import
the person chose (all rows, or the valid ones). A file larger than IMPORT_INLINE_MAX_BYTES
(settings; 20 kB, about 300 rows of households: well under a second per step in chunks) is
checked and imported by a background job with a progress bar instead of inside the
request.
"""

import contextlib
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs import runner
from lib.errors import DomainError
from transfers.models import ImportBatch, ImportMode, ImportStatus

from ..jobs import APPLY_JOB, CHECK_JOB, run_apply, run_check
from . import engine
from .kinds import KINDS, may_import


def batches_of(user):
    """The batches `user` uploaded (a superuser sees all); anyone else's is a 404."""
    batches = ImportBatch.objects.select_related("unit", "job")
    return batches if user.is_superuser else batches.filter(requested_by=user)


def _runs_inline(batch):
    return batch.size <= settings.IMPORT_INLINE_MAX_BYTES


def _safe_name(name):
    return (Path(name or "").name or "import.xlsx")[-120:]


def check_upload(*, by, kind, unit, upload):
    """Keep the uploaded file (privately) and check every row; nothing else is written.

    Returns the batch: READY with its counts and problems, REFUSED with the reason, or
    CHECKING while a job checks a large file.
    """
    if kind not in KINDS:
        raise DomainError(_("Choose what the file holds."), "kind")
    if unit is None or not may_import(by, unit, kind):
        raise DomainError(_("You may not import into this commune."), "unit")
    batch = ImportBatch(
        kind=kind,
        unit=unit,
        requested_by=by,
        original_name=_safe_name(upload.name),
        size=upload.size or 0,
    )
    batch.file.save(_safe_name(upload.name), upload, save=False)
    batch.save()
    with transaction.atomic():
        _start(batch, ImportStatus.CHECKING, by=by)
    _run_inline(batch)
    batch.refresh_from_db()
    return batch


def import_modes(batch, user):
    """The imports the batch page offers `user`: all the rows when none is invalid, else the
    valid ones when there are any; nothing unless the batch is checked and theirs (or they are
    a superuser), as import_batch requires."""
    if batch.status != ImportStatus.READY or not batch.file:
        return set()
    if batch.requested_by_id != user.pk and not user.is_superuser:
        return set()
    invalid, total = batch.count("invalid"), batch.count("total")
    if not invalid:
        return {ImportMode.ALL}
    return {ImportMode.VALID} if invalid < total else set()


def import_batch(batch, *, by, mode):
    """Import a checked batch: all its rows (only if none is invalid), or the valid ones."""
    if mode not in ImportMode.values:
        raise DomainError(_("Choose which rows to import."), "mode")
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.requested_by_id != by.pk and not by.is_superuser:
            raise DomainError(_("Only the person who uploaded the file can import it."))
        if batch.status != ImportStatus.READY:
            raise DomainError(
                _("This file cannot be imported now: it is %(status)s.")
                % {"status": batch.get_status_display().lower()}
            )
        if not batch.file:
            raise DomainError(
                _(
                    "The uploaded file was deleted after the time files are kept: upload it "
                    "again to import it."
                )
            )
        if mode == ImportMode.ALL and batch.count("invalid"):
            raise DomainError(
                _(
                    "%(count)s rows are invalid: correct them and upload the file again, or "
                    "import only the valid rows."
                )
                % {"count": batch.count("invalid")},
                "mode",
            )
        if mode == ImportMode.VALID and batch.count("invalid") == batch.count("total"):
            raise DomainError(_("No row of this file is valid: nothing to import."), "mode")
        batch.mode = mode
        _start(batch, ImportStatus.IMPORTING, by=by)
    _run_inline(batch)
    batch.refresh_from_db()
    return batch


def _start(batch, status, *, by):
    """Mark `batch` busy with a step (CHECKING or IMPORTING) and, for a large file, queue the
    job that runs it. While a step runs, its end time (`checked_at`, `imported_at`) holds its
    start: the reaper's sweep tells a step cut off by a dead server from one still running."""
    batch.status = status
    if status == ImportStatus.CHECKING:
        batch.checked_at = timezone.now()
    else:
        batch.imported_at = timezone.now()
    batch.job = None
    if not _runs_inline(batch):
        kind, title = (
            (CHECK_JOB, _("Checking %(file)s"))
            if status == ImportStatus.CHECKING
            else (APPLY_JOB, _("Importing %(file)s"))
        )
        batch.job = runner.start_job(
            kind, by=by, title=title % {"file": batch.original_name}, params={"batch": batch.pk}
        )
    batch.save(update_fields=["status", "mode", "checked_at", "imported_at", "job"])


def _run_inline(batch):
    """Run a small file's pending step inside the request; a failure is recorded on the
    batch (whose page says so)."""
    if not _runs_inline(batch):
        return
    with contextlib.suppress(Exception):
        if batch.status == ImportStatus.CHECKING:
            run_check(batch)
        elif batch.status == ImportStatus.IMPORTING:
            run_apply(batch)


def can_retry(batch, user):
    """Whether `user` may run again the step of `batch` that was interrupted: the uploader
    (or a superuser), as for importing."""
    if batch.interrupted_step is None:
        return False
    return batch.requested_by_id == user.pk or user.is_superuser


def retry_batch(batch, *, by):
    """Run the interrupted step of `batch` again from the start: the check, or the import in
    the mode the person chose (idempotent: rows already imported stay unchanged)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.requested_by_id != by.pk and not by.is_superuser:
            raise DomainError(_("Only the person who uploaded the file can start it again."))
        step = batch.interrupted_step
        if step is None:
            raise DomainError(_("Only a check or an import that was interrupted can start again."))
        batch.message = ""
        batch.result = {}
        batch.save(update_fields=["message", "result"])
        _start(
            batch,
            ImportStatus.CHECKING if step == engine.CHECK else ImportStatus.IMPORTING,
            by=by,
        )
    _run_inline(batch)
    batch.refresh_from_db()
    return batch
