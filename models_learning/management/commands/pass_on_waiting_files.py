"""Files waiting at a level that ended move on to the next level that exists (run daily)."""

from django.core.management.base import BaseCommand

from models_learning.services import pass_on_from_ended_levels


class Command(BaseCommand):
    help = "Move files waiting at an ended unit (a district after 30/06/2025) to the next level."

    def handle(self, *args, **options):
        moved = pass_on_from_ended_levels()
        self.stdout.write(f"{moved}")
