"""`python manage.py purge_old_data [--dry-run]`: delete what the portal no longer needs to keep.

Run daily (README "Running it for real": a cron line or a systemd timer). It deletes expired
sessions, the uploaded sheets of imports older than RETENTION_IMPORT_DAYS and the result files
of jobs older than RETENTION_JOB_DAYS; the import and job rows stay, with their counts, for
history. Running it twice deletes nothing more.
"""

import logging

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from jobs.retention import purge_job_results
from transfers.imports.retention import purge_import_sheets

logger = logging.getLogger("khuyenhoc.retention")
DATABASE_SESSIONS = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
    "khuyenhoc.sessions",
}


def purge_sessions(*, dry_run):
    """Expired sessions kept in the database (cache sessions expire by themselves)."""
    if settings.SESSION_ENGINE not in DATABASE_SESSIONS:
        return 0
    expired = Session.objects.filter(expire_date__lt=timezone.now())
    if dry_run:
        return expired.count()
    deleted, _by_model = expired.delete()
    return deleted


class Command(BaseCommand):
    help = (
        "Delete expired sessions, uploaded import sheets older than RETENTION_IMPORT_DAYS and "
        "job result files older than RETENTION_JOB_DAYS (their rows are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        import_days, job_days = settings.RETENTION_IMPORT_DAYS, settings.RETENTION_JOB_DAYS
        counts = {
            "sessions": purge_sessions(dry_run=dry_run),
            "import_sheets": purge_import_sheets(import_days, dry_run=dry_run),
            "job_results": purge_job_results(job_days, dry_run=dry_run),
        }
        verb = "would delete" if dry_run else "deleted"
        summary = (
            f"purge_old_data {verb}: {counts['sessions']} expired sessions, "
            f"{counts['import_sheets']} import sheets older than {import_days} days, "
            f"{counts['job_results']} job result files older than {job_days} days "
            "(the import and job rows are kept)."
        )
        logger.info(summary, extra={"retention": counts, "dry_run": dry_run})
        self.stdout.write(summary)
