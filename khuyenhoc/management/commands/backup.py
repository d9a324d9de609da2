"""`python manage.py backup DIR`: the PostgreSQL database and the private files, with a manifest."""

from django.core.management.base import BaseCommand, CommandError

from khuyenhoc.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump --format=custom) and PRIVATE_MEDIA_ROOT (a tar) into "
        "DIR, a new or empty folder, with a manifest of their checksums and row counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR")

    def handle(self, *args, folder, **options):
        try:
            manifest = backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"Backed up {len(tables)} tables ({sum(tables.values())} rows) and "
            f"{manifest['private_media']['files']} private files into {folder}."
        )
