"""How long an uploaded sheet is kept (settings.RETENTION_IMPORT_DAYS): the batch row stays.

The sheets hold households' names, birth years and phones. Once checked and imported (or
abandoned) the portal's own rows are the record; the batch keeps its counts, problems and
result for history, and its page says that the file is gone.
"""

import datetime

from django.utils import timezone

from lib.storage import private_storage
from transfers.models import ImportBatch, ImportStatus

# A batch being checked or imported is reading its file right now.
BUSY = (ImportStatus.CHECKING, ImportStatus.IMPORTING)


def expired_sheets(days, *, now=None):
    """Batches uploaded more than `days` ago that still hold their file and are not busy."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    return (
        ImportBatch.objects.filter(created_at__lt=cutoff).exclude(file="").exclude(status__in=BUSY)
    )


def purge_import_sheets(days, *, dry_run=False, now=None):
    """Delete the sheets of batches older than `days` and blank the field; returns how many."""
    purged = 0
    for pk, name in expired_sheets(days, now=now).values_list("pk", "file").iterator():
        if not dry_run:
            private_storage().delete(name)
            ImportBatch.objects.filter(pk=pk).update(file="")
        purged += 1
    return purged
