"""Reads of learning-citizen data, always from what the viewer may see (scoped on the
commune's path, so read through lineage as registrations are), and the shares per unit."""

from dataclasses import dataclass

from django.db.models import Count, FilteredRelation, Prefetch, Q

from lib.text import normalise
from models_learning.models import Household, HouseholdMember
from units.scoping import scoped

from .adults import adult_condition, is_adult
from .models import CitizenResult, SelfAssessment, VillageLink
from .targets import citizen_target


def households_visible_to(user):
    return scoped(Household.objects.select_related("commune", "village"), user, "commune__path")


def members_visible_to(user):
    return scoped(
        HouseholdMember.objects.select_related("household__commune", "household__village"),
        user,
        "household__commune__path",
    )


def results_visible_to(user):
    return scoped(
        CitizenResult.objects.select_related("member__household", "commune", "village"),
        user,
        "commune__path",
    )


def links_visible_to(user):
    return scoped(VillageLink.objects.select_related("village", "commune"), user, "commune__path")


def sheets_visible_to(user):
    return scoped(
        SelfAssessment.objects.select_related("link__village", "commune", "member__household"),
        user,
        "commune__path",
    )


def household_adults(household, year):
    """[(member, result or None)] of the household's adults in `year`: two queries."""
    members = household.members.prefetch_related(
        Prefetch(
            "citizen_results",
            queryset=CitizenResult.objects.filter(year=year),
            to_attr="results_of_year",
        )
    ).order_by("position", "id")
    return [
        (member, member.results_of_year[0] if member.results_of_year else None)
        for member in members
        if is_adult(member, year)
    ]


def ranked_members(sheet, members):
    """`members` with those whose folded name is the sheet's first."""
    return sorted(members, key=lambda m: (normalise(m.name) != sheet.name_normalised, m.name))


# --- shares ---------------------------------------------------------------------------------


@dataclass
class Shares:
    """Adults, assessed, learning citizens and those with digital skills, against the target."""

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


def adults_with_results(year):
    """Every adult member of `year`, joined to their (one) result of that year: the queryset
    the shares GROUP BY. Use with `SHARE_AGGREGATES`."""
    return HouseholdMember.objects.annotate(
        result_of_year=FilteredRelation("citizen_results", condition=Q(citizen_results__year=year))
    ).filter(adult_condition(year))


SHARE_AGGREGATES = {
    "ct_adults": Count("id"),
    "ct_assessed": Count("result_of_year__id"),
    "ct_achieved": Count("result_of_year__id", filter=Q(result_of_year__achieved=True)),
    "ct_digital": Count(
        "result_of_year__id",
        filter=Q(result_of_year__achieved=True, result_of_year__digital_skills=True),
    ),
}


def shares_by_year(paths, years):
    """{year: Shares} for the households under `paths` (a list of unit paths): one GROUP BY
    per year asked (the public pages ask for a handful)."""
    from units.scoping import under_paths

    result = {}
    for year in years:
        values = (
            adults_with_results(year)
            .filter(under_paths(paths, "household__commune__path"))
            .aggregate(**SHARE_AGGREGATES)
        )
        shares = Shares(target=citizen_target(year))
        shares.add_values(values)
        result[year] = shares
    return result


def shares_by_village(commune, year):
    """[(village, Shares)] of the commune's villages in `year`: one GROUP BY."""
    from units.models import Village

    villages = {v.pk: v for v in Village.objects.filter(commune=commune).order_by("name", "pk")}
    rows = {pk: Shares(target=citizen_target(year)) for pk in villages}
    grouped = (
        adults_with_results(year)
        .filter(household__commune=commune)
        .values("household__village_id")
        .annotate(**SHARE_AGGREGATES)
        .order_by()
    )
    for values in grouped:
        rows.setdefault(values["household__village_id"], Shares()).add_values(values)
    return [(villages[pk], shares) for pk, shares in rows.items() if pk in villages]


def latest_shares(unit):
    """(year, Shares) of the newest year with results under `unit` (the public home), or
    None. Two queries: the year (an ordered LIMIT 1), then one aggregate."""
    if unit is None:
        return None
    year = (
        CitizenResult.objects.filter(commune__path__startswith=unit.path)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if year is None:
        return None
    return year, shares_by_year([unit.path], [year])[year]


def shares_by_commune(year, unit=None):
    """{commune id: Shares} of `year` for the communes under `unit` (all if None): one
    GROUP BY, to be folded onto report units by the caller."""
    rows = adults_with_results(year)
    if unit is not None:
        rows = rows.filter(household__commune__path__startswith=unit.path)
    result = {}
    for values in rows.values("household__commune_id").annotate(**SHARE_AGGREGATES).order_by():
        shares = Shares(target=citizen_target(year))
        shares.add_values(values)
        result[values["household__commune_id"]] = shares
    return result
