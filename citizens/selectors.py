"""Reads of learning-citizen data, always from what the viewer may see (scoped on the
commune's path, so read through lineage as registrations are), and the shares per unit."""

from django.db.models import Prefetch

from lib.text import normalise
from models_learning.models import Household, HouseholdMember, Organisation
from units.scoping import scoped

from .adults import is_adult
from .models import CitizenResult, SelfAssessment, StaffMember, VillageLink
from .shares import (
    ADULTS,
    SHARE_AGGREGATES,
    STAFF,
    Shares,
    adults_with_results,
    grouped_by_commune,
    staff_with_results,
)
from .targets import citizen_target, staff_target

__all__ = [
    "ADULTS",
    "SHARE_AGGREGATES",
    "STAFF",
    "Shares",
    "adults_with_results",
    "grouped_by_commune",
    "staff_with_results",
]


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


def organisations_visible_to(user):
    return scoped(Organisation.objects.select_related("commune"), user, "commune__path")


def staff_visible_to(user):
    return scoped(
        StaffMember.objects.select_related("organisation__commune"),
        user,
        "organisation__commune__path",
    )


def organisation_staff(organisation, year):
    """[(staff member, result of `year` or None, on the staff that year)] of the organisation's
    whole staff list, by name: two queries."""
    staff = organisation.staff.prefetch_related(
        Prefetch(
            "citizen_results",
            queryset=CitizenResult.objects.filter(year=year),
            to_attr="results_of_year",
        )
    ).order_by("name_normalised", "id")
    return [
        (
            person,
            person.results_of_year[0] if person.results_of_year else None,
            person.first_year <= year and (person.last_year is None or year <= person.last_year),
        )
        for person in staff
    ]


def staff_by_organisation(commune, year):
    """[(organisation, Shares)] of the commune's organisations in `year`: two queries (the
    organisations, one GROUP BY over their staff)."""
    organisations = list(Organisation.objects.filter(commune=commune).order_by("name_normalised"))
    rows = {o.pk: Shares(target=staff_target(year)) for o in organisations}
    grouped = (
        staff_with_results(year)
        .filter(organisation__commune=commune)
        .values("organisation_id")
        .annotate(**SHARE_AGGREGATES)
        .order_by()
    )
    for values in grouped:
        if values["organisation_id"] in rows:
            rows[values["organisation_id"]].add_values(values)
    return [(o, rows[o.pk]) for o in organisations]


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


# --- shares (the machinery is in shares.py) -------------------------------------------------


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
    """(year, adults' Shares, staff's Shares) of the newest year with results under `unit`
    (the public home), or None. Three queries: the year (an ordered LIMIT 1), then one
    aggregate for each group."""
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
    staff = Shares(target=staff_target(year))
    staff.add_values(
        staff_with_results(year)
        .filter(organisation__commune__path__startswith=unit.path)
        .aggregate(**SHARE_AGGREGATES)
    )
    return year, shares_by_year([unit.path], [year])[year], staff


def shares_by_commune(year, unit=None):
    """{commune id: Shares} of the adults of `year` under `unit` (all if None), by the commune
    each household was filed under that year, to be folded onto report units by the caller.
    Use `grouped_by_commune` for both groups in one query."""
    return grouped_by_commune(year, unit)[ADULTS]
