from django.core.management.base import BaseCommand

from jobs import reaper


class Command(BaseCommand):
    help = (
        "Mark failed the jobs whose worker died (silent for JOB_STALE_AFTER seconds); every "
        "db_worker also does it by itself"
    )

    def handle(self, **options):
        reaped = reaper.reap()
        for job in reaped:
            self.stdout.write(f"job {job.pk} ({job.kind}): its worker is gone, marked failed")
        self.stdout.write(f"{len(reaped)} job(s) marked failed.")
