"""Keep the registrations' tally small, check it, or recount it (models_learning/tally.py).

manage.py tally_registrations            # fold the deltas (every few minutes: README)
manage.py tally_registrations --check    # compare with a live count; exit 1 if it differs
manage.py tally_registrations --rebuild  # recount from the registrations (writers wait)
"""

from django.core.management.base import BaseCommand, CommandError

from models_learning import tally


class Command(BaseCommand):
    help = "Fold, check or recount the registrations' tally (counts per commune, title, step)."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--check", action="store_true", help="Compare with a live count; exit 1 if it differs."
        )
        action.add_argument(
            "--rebuild", action="store_true", help="Recount from the registrations."
        )

    def handle(self, *args, check=False, rebuild=False, **options):
        if tally.ensure():
            self.stdout.write("The tally's triggers were missing: put back, tally recounted.")
        if check:
            wrong = tally.differences()
            for key, live, tallied in wrong[:20]:
                self.stderr.write(f"{key}: {live} files, tallied {tallied}")
            if wrong:
                raise CommandError(
                    f"The tally differs from the registrations on {len(wrong)} keys: "
                    "run `tally_registrations --rebuild`."
                )
            self.stdout.write("The tally matches the registrations.")
        elif rebuild:
            tally.rebuild()
            self.stdout.write("Tally recounted from the registrations.")
        else:
            before, after = tally.merge()
            self.stdout.write(f"Tally merged: {before:,} rows -> {after:,}.")
