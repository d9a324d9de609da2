"""Background runners of large imports: the check, then the import (khuyenhoc.jobs).

Imported by khuyenhoc.imports.views (hence whenever the URLconf loads, as in the worker's
start-up checks) so that `khuyenhoc.jobs` finds them by kind.
"""

from django.utils.translation import gettext as _

from khuyenhoc import jobs
from khuyenhoc.models import ImportBatch, ImportStatus

from . import engine, services


def _summary(batch):
    return {"batch": batch.pk, "status": batch.status, **batch.counts, **batch.result}


@jobs.runner(services.CHECK_JOB)
def check(job, progress):
    """Check every row of a large upload (the preview), reporting progress."""
    batch = ImportBatch.objects.select_related("unit", "requested_by").get(pk=job.params["batch"])
    services.run_check(batch, progress)
    batch.refresh_from_db()
    job.message = _("Checked: %(total)s rows, %(invalid)s invalid.") % {
        "total": batch.count("total"),
        "invalid": batch.count("invalid"),
    }
    job.save(update_fields=["message"])
    return _summary(batch)


@jobs.runner(services.APPLY_JOB)
def apply(job, progress):
    """Import a large checked upload in one transaction, reporting progress."""
    batch = ImportBatch.objects.select_related("unit", "requested_by").get(pk=job.params["batch"])
    with engine.job_progress(job, progress) as report:
        services.run_apply(batch, report)
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
