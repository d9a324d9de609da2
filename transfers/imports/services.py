"""Upload -> check -> import: the two steps a person takes, small files inline, large ones as jobs.

`check_upload` stores the file privately and runs the preview; `import_batch` runs the import
the person chose (all rows, or the valid ones). A file larger than IMPORT_INLINE_MAX_BYTES
(settings; 20 kB, about 300 rows of households: a few seconds per step at 80-90 rows a
second) is checked and imported by a background job with a progress bar instead of inside the
request.
"""

import contextlib
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from jobs import runner
from lib.errors import DomainError
from transfers.models import ImportBatch, ImportMode, ImportStatus

from ..jobs import APPLY_JOB, CHECK_JOB, run_apply, run_check
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
    if unit is None or not may_import(by, unit):
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
    if _runs_inline(batch):
        # A failure is recorded on the batch, whose page says so.
        with contextlib.suppress(Exception):
            run_check(batch)
        batch.refresh_from_db()
        return batch
    with transaction.atomic():
        batch.job = runner.start_job(
            CHECK_JOB,
            by=by,
            title=_("Checking %(file)s") % {"file": batch.original_name},
            params={"batch": batch.pk},
        )
        batch.save(update_fields=["job"])
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
        batch.status = ImportStatus.IMPORTING
        batch.mode = mode
        batch.save(update_fields=["status", "mode"])
        if not _runs_inline(batch):
            batch.job = runner.start_job(
                APPLY_JOB,
                by=by,
                title=_("Importing %(file)s") % {"file": batch.original_name},
                params={"batch": batch.pk},
            )
            batch.save(update_fields=["job"])
    if _runs_inline(batch):
        with contextlib.suppress(Exception):
            run_apply(batch)
    batch.refresh_from_db()
    return batch
