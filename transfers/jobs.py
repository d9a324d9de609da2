"""The import's two steps, run inline or by a worker: the check, then the import.

The runners register when this module is imported: jobs.runner finds it by its name
(`<app>.jobs`) in the worker, and transfers.imports.services imports it before starting one.

A step cut off before it finished (its worker killed, the database gone) is recorded on its
batch as interrupted, which offers to run it again from the start: by the reaper for a job
whose worker died, by the sweep below for a step that ran inside a request that died.
"""

import logging

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from jobs import runner
from jobs.models import JobStatus
from lib.errors import DATABASE_OUTAGE
from transfers.models import ImportBatch, ImportMode, ImportStatus

from .imports import engine

logger = logging.getLogger(__name__)

CHECK_JOB = "imports-check"
APPLY_JOB = "imports-apply"


def _unexpected(batch, step, error):
    logger.exception("import batch %s: %s failed", batch.pk, step)
    if isinstance(error, DATABASE_OUTAGE):
        # Not the file's fault: the same step can simply run again once the database is back.
        engine.interrupt(ImportBatch.objects.filter(pk=batch.pk))
        return
    if step == "import" and batch.mode == ImportMode.VALID:
        # The valid rows are committed chunk by chunk: those before the error stay.
        message = _(
            "The portal met an unexpected error and the import stopped. The rows imported "
            "before it were kept. Import the file again later to finish it (rows already in "
            "the portal stay unchanged), and tell the portal's administrators if it happens "
            "again."
        )
    else:
        message = _(
            "The portal met an unexpected error; nothing was imported. Try again later, and "
            "tell the portal's administrators if it happens again."
        )
    engine.fail(batch, message)


def run_check(batch, progress=None):
    """The preview of `batch`; an unexpected failure is recorded on it, then raised."""
    try:
        engine.check(batch, progress=progress)
    except Exception as error:
        _unexpected(batch, "check", error)
        raise


def run_apply(batch, progress=None):
    """The import of `batch`; an unexpected failure is recorded on it, then raised."""
    try:
        engine.apply(batch, progress=progress)
    except Exception as error:
        _unexpected(batch, "import", error)
        raise


@runner.when_interrupted(CHECK_JOB, APPLY_JOB)
def interrupted(job):
    """The job's worker died: its batch can be checked or imported again from the start."""
    engine.interrupt(ImportBatch.objects.filter(pk=job.params.get("batch")))


@runner.sweep
def interrupted_in_requests(stale_before):
    """Busy batches that nothing runs any more: a step run inside a request (a small file)
    whose server died, or a job that ended without finishing its batch. A step's start is
    `checked_at` / `imported_at` while it runs (the step overwrites it when it ends)."""
    busy = [ImportStatus.CHECKING, ImportStatus.IMPORTING]
    lost = ImportBatch.objects.alias(
        started_check=Coalesce("checked_at", "created_at"),
        started_import=Coalesce("imported_at", "checked_at", "created_at"),
    ).filter(
        Q(job__isnull=True, status=ImportStatus.CHECKING, started_check__lt=stale_before)
        | Q(job__isnull=True, status=ImportStatus.IMPORTING, started_import__lt=stale_before)
        | Q(
            job__status__in=[JobStatus.DONE, JobStatus.FAILED],
            job__finished_at__lt=stale_before,
            status__in=busy,
        )
    )
    if engine.interrupt(lost):
        logger.warning("Import batches whose step was cut off were marked interrupted.")


def _summary(batch):
    return {"batch": batch.pk, "status": batch.status, **batch.counts, **batch.result}


@runner.register(CHECK_JOB)
def check(job, progress):
    """Check every row of a large upload (the preview), reporting progress."""
    batch = ImportBatch.objects.select_related("unit", "requested_by").get(pk=job.params["batch"])
    run_check(batch, progress)
    batch.refresh_from_db()
    job.message = _("Checked: %(total)s rows, %(invalid)s invalid.") % {
        "total": batch.count("total"),
        "invalid": batch.count("invalid"),
    }
    job.save(update_fields=["message"])
    return _summary(batch)


@runner.register(APPLY_JOB)
def apply(job, progress):
    """Import a large checked upload in one transaction, reporting progress."""
    batch = ImportBatch.objects.select_related("unit", "requested_by").get(pk=job.params["batch"])
    with engine.job_progress(job, progress) as report:
        run_apply(batch, report)
    batch.refresh_from_db()
    if batch.status != ImportStatus.IMPORTED:
        job.message = batch.message or _("Nothing was imported.")
    else:
        job.message = _("Imported: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.") % {
            "new": batch.result.get("new", 0),
            "updated": batch.result.get("updated", 0),
            "unchanged": batch.result.get("unchanged", 0),
        }
    job.save(update_fields=["message"])
    return _summary(batch)
