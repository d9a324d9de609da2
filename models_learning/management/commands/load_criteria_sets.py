from django.core.management.base import BaseCommand

from models_learning.services import load_criteria_sets


class Command(BaseCommand):
    help = "Load the seeded criteria sets (QĐ 448 and provisional sets) that are missing."

    def handle(self, *args, **options):
        created = load_criteria_sets(by=None)
        self.stdout.write(f"Criteria sets: {created} created.")
