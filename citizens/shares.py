"""The learning-citizen shares: who is counted in a year, where, and the aggregates the reports
GROUP BY (QĐ 677/QĐ-TTg counts two groups: the adults of families and communities against 40%
by 2025, the staff of organisations against 60%).

Where a person is counted in a year is where their household (or organisation) was filed that
year: households and organisations have no history of their own, but their registrations do
(carrying a file over into a 2025 commune moves the household there, while last year's
registration stays with the commune it was filed under). So the place of a year is the unit
of the subject's registration of the latest year up to it, else of its first registration
(it was there before it was first registered), else the subject's commune now; a subject whose
commune already existed that year and took in no other commune after it was there (no
lookup). Each figure is an annotation (`ct_unit`, `ct_path`), so that the reports still GROUP
BY once.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from models_learning.models import HouseholdMember, Registration
from units.models import UnitChange

from .adults import adult_condition
from .models import StaffMember
from .targets import citizen_target, staff_target

ADULTS, STAFF = "adults", "staff"  # the two groups (the `ct_group` of a grouped row)


@dataclass
class Shares:
    """People, assessed, learning citizens and those with digital skills, against the target
    (`adults` counts the people of the group: adults of households, or staff)."""

    adults: int = 0
    assessed: int = 0
    achieved: int = 0
    digital: int = 0
    target: int | None = None

    @property
    def share(self):
        return self.achieved * 100 / self.adults if self.adults else None

    @property
    def digital_share(self):
        """Of the learning citizens, the share with digital skills (QĐ 677: 70%)."""
        return self.digital * 100 / self.achieved if self.achieved else None

    @property
    def meets(self):
        share = self.share
        return None if share is None or self.target is None else share >= self.target

    def add(self, other):
        self.adults += other.adults
        self.assessed += other.assessed
        self.achieved += other.achieved
        self.digital += other.digital

    def add_values(self, values):
        self.adults += values["ct_adults"] or 0
        self.assessed += values["ct_assessed"] or 0
        self.achieved += values["ct_achieved"] or 0
        self.digital += values["ct_digital"] or 0


def _place_of_year(subject, year, now):
    """(unit id, unit path) annotations: where the `subject` ("household" or "organisation")
    of the row was filed in `year` (see the module's docstring); `now` the subject's commune
    field path, for a subject never registered."""
    registrations = Registration.objects.filter(**{subject: OuterRef(f"{subject}_id")}).order_by(
        # The latest year up to `year` first, then the years after it, the earliest first.
        Case(
            When(year__lte=year, then=Value(year) - F("year")),
            default=F("year") - Value(year) + Value(1000),
            output_field=IntegerField(),
        ),
        "id",
    )
    # Carrying over moves a subject only from the communes its commune was formed from or took
    # in, so a subject whose commune existed by the end of `year` and took in no other after it
    # was there: no lookup (this year's report, the dashboard's, reads none); only the others
    # read their registrations. The communes that took others in later are one uncorrelated
    # subquery (a handful of rows: the mergers after `year`), hashed once by the database.
    end = datetime.date(year, 12, 31)
    took_in_later = UnitChange.objects.filter(date__gt=end).values("successor_id")
    formed_later = Q(**{f"{now}__valid_from__gt": end}) | Q(**{f"{now}_id__in": took_in_later})

    def place(field, now_field, output_field):
        return Case(
            When(
                formed_later,
                then=Coalesce(
                    Subquery(registrations.values(field)[:1]),
                    F(now_field),
                    output_field=output_field,
                ),
            ),
            default=F(now_field),
            output_field=output_field,
        )

    return {
        "ct_unit": place("unit_id", f"{now}_id", BigIntegerField()),
        "ct_path": place("unit__path", f"{now}__path", CharField()),
    }


def adults_with_results(year):
    """Every adult household member of `year`, joined to their (one) result of that year, with
    the unit their household was filed under that year (`ct_unit`, `ct_path`): the queryset
    the shares GROUP BY. Use with `SHARE_AGGREGATES`."""
    return (
        HouseholdMember.objects.annotate(
            result_of_year=FilteredRelation(
                "citizen_results", condition=Q(citizen_results__year=year)
            )
        )
        .filter(adult_condition(year))
        .annotate(**_place_of_year("household", year, "household__commune"))
    )


def staff_with_results(year):
    """Every member of an organisation's staff in `year`, joined to their result of that year,
    with the unit the organisation was filed under that year. Use with `SHARE_AGGREGATES`."""
    return (
        StaffMember.objects.annotate(
            result_of_year=FilteredRelation(
                "citizen_results", condition=Q(citizen_results__year=year)
            )
        )
        .filter(Q(first_year__lte=year) & (Q(last_year__isnull=True) | Q(last_year__gte=year)))
        .annotate(**_place_of_year("organisation", year, "organisation__commune"))
    )


SHARE_AGGREGATES = {
    "ct_adults": Count("id"),
    "ct_assessed": Count("result_of_year__id"),
    "ct_achieved": Count("result_of_year__id", filter=Q(result_of_year__achieved=True)),
    "ct_digital": Count(
        "result_of_year__id",
        filter=Q(result_of_year__achieved=True, result_of_year__digital_skills=True),
    ),
}


def both_groups(year):
    """[(group, queryset)]: the adults of households and the staff of organisations of `year`,
    each marked with its group (`ct_group`), to be grouped alike and joined by a UNION ALL."""
    return [
        (ADULTS, adults_with_results(year).annotate(ct_group=Value(ADULTS))),
        (STAFF, staff_with_results(year).annotate(ct_group=Value(STAFF))),
    ]


def target_of(group, year):
    return staff_target(year) if group == STAFF else citizen_target(year)


def grouped_by_commune(year, unit=None):
    """{group: {commune id (as the units were that year): Shares}} of `year` under `unit`
    (all if None): one query, the two groups' GROUP BYs joined by a UNION ALL."""
    parts = []
    for _group, rows in both_groups(year):
        if unit is not None:
            rows = rows.filter(ct_path__startswith=unit.path)
        parts.append(rows.values("ct_group", "ct_unit").annotate(**SHARE_AGGREGATES).order_by())
    result = {ADULTS: {}, STAFF: {}}
    for values in parts[0].union(parts[1], all=True):
        group = values["ct_group"]
        shares = result[group].setdefault(values["ct_unit"], Shares(target=target_of(group, year)))
        shares.add_values(values)
    return result
