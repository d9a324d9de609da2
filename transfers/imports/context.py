"""The commune an import writes into, and the lists its columns offer, read once per file."""

from functools import cached_property

from centers.models import LearningCenter
from lib.dates import local_today
from units.models import Village

# Registrations: last year's late entries, this year, next year's early ones.
REGISTRATION_YEARS_BACK = 2
REGISTRATION_YEARS_AHEAD = 1
# Centre reports and self-assessments: a few past years, never a future one.
REPORT_YEARS_BACK = 4


class ImportContext:
    """`unit` is the commune; `user` the person importing (None when only a template is built).

    Column choices are callables given this object (lib.sheets passes it through as
    `choices_context`); an export passes None and the callables answer with no list.
    """

    def __init__(self, unit, user=None, today=None):
        self.unit = unit
        self.user = user
        self.today = today or local_today()

    # --- villages ---

    @cached_property
    def villages(self):
        return list(
            Village.objects.filter(commune=self.unit, valid_to__isnull=True)
            .select_related("commune")
            .order_by("name", "pk")
        )

    @cached_property
    def village_by_pk(self):
        return {village.pk: village for village in self.villages}

    def village_choices(self):
        return [(village.pk, village.name) for village in self.villages]

    # --- centres ---

    @cached_property
    def centers(self):
        return list(
            LearningCenter.objects.filter(commune=self.unit, valid_to__isnull=True)
            .select_related("commune")
            .order_by("name", "pk")
        )

    @cached_property
    def center_by_pk(self):
        return {center.pk: center for center in self.centers}

    def center_choices(self):
        """(pk, name); two centres of one name are told apart by their number."""
        names = [center.name for center in self.centers]
        return [
            (c.pk, c.name if names.count(c.name) == 1 else f"{c.name} [{c.pk}]")
            for c in self.centers
        ]

    # --- years ---

    def _bounded(self, first, last):
        if self.unit.valid_from:
            first = max(first, self.unit.valid_from.year)
        if self.unit.valid_to:
            last = min(last, self.unit.valid_to.year)
        return list(range(max(first, 1990), min(last, 2100) + 1))

    @property
    def registration_years(self):
        year = self.today.year
        return self._bounded(year - REGISTRATION_YEARS_BACK, year + REGISTRATION_YEARS_AHEAD)

    @property
    def report_years(self):
        year = self.today.year
        return self._bounded(year - REPORT_YEARS_BACK, year)

    @cached_property
    def scheme(self):
        """The rating scheme of this year: its criteria are the self-assessment's columns."""
        from centers.services import scheme_for_year

        return scheme_for_year(self.today.year)
