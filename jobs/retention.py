"""How long a job's result file is kept (settings.RETENTION_JOB_DAYS): the job row stays.

Results are documents made on request (a batch of certificates, a list) and can be made
again; keeping them longer only keeps more personal data on the server.
"""

import datetime

from django.utils import timezone

from lib.storage import private_storage

from .models import Job, JobStatus

FINISHED = (JobStatus.DONE, JobStatus.FAILED)


def expired_results(days, *, now=None):
    """Finished jobs older than `days` that still hold a result file."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    return Job.objects.filter(status__in=FINISHED, created_at__lt=cutoff).exclude(result="")


def purge_job_results(days, *, dry_run=False, now=None):
    """Delete the result files of jobs older than `days` and blank the field; returns how many.

    The file goes first, then the field: a crash between the two leaves a row naming a
    missing file (its page says the result is gone), never a file nobody would delete.
    """
    purged = 0
    for pk, name in expired_results(days, now=now).values_list("pk", "result").iterator():
        if not dry_run:
            private_storage().delete(name)
            Job.objects.filter(pk=pk).update(result="")
        purged += 1
    return purged
