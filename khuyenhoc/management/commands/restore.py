"""`python manage.py restore DIR [--replace]`: a backup made by `backup DIR`, restored."""

from django.core.management.base import BaseCommand, CommandError

from khuyenhoc.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup DIR` into the configured database and "
        "PRIVATE_MEDIA_ROOT, both empty; then check every table's row count against the "
        "manifest. --replace restores over existing data (the private files there are moved "
        "aside, not deleted)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a database and a private media folder that are not empty.",
        )

    def handle(self, *args, folder, replace=False, **options):
        try:
            manifest, counts, set_aside = restore(folder, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {manifest['made_at']}: {len(counts)} tables, "
            f"{sum(counts.values())} rows, as counted when it was made; "
            f"{manifest['private_media']['files']} private files."
        )
        if set_aside:
            self.stdout.write(f"The private files that were there are in {set_aside}.")
