"""The import's two steps, run inline or by a worker: the check, then the import.

The runners register when this module is imported: jobs.runner finds it by its name
(`<app>.jobs`) in the worker, and transfers.imports.services imports it before starting one.
"""

import logging

from django.utils.translation import gettext as _

from jobs import runner
from transfers.models import ImportBatch, ImportStatus

from .imports import engine

logger = logging.getLogger(__name__)

CHECK_JOB = "imports-check"
APPLY_JOB = "imports-apply"


def _unexpected(batch, step):
    logger.exception("import batch %s: %s failed", batch.pk, step)
    engine.fail(
        batch,
        _(
            "The portal met an unexpected error; nothing was imported. Try again later, and "
            "tell the portal's administrators if it happens again."
        ),
    )


def run_check(batch, progress=None):
    """The preview of `batch`; an unexpected failure is recorded on it, then raised."""
    try:
        engine.check(batch, progress=progress)
    except Exception:
        _unexpected(batch, "check")
        raise


def run_apply(batch, progress=None):
    """The import of `batch`; an unexpected failure is recorded on it, then raised."""
    try:
        engine.apply(batch, progress=progress)
    except Exception:
        _unexpected(batch, "import")
        raise


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
