"""Reads of units and their figures, always from what the viewer may see."""

import datetime

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from lib import figures_cache, province

from . import lineage
from .models import Level, Unit, UnitYearFigures


def portal_province():
    """The province this portal serves (settings.PORTAL_PROVINCE_CODE), or None before loading."""
    return (
        Unit.objects.filter(level=Level.PROVINCE, admin_code=province.current().code)
        .order_by("valid_to")
        .first()
    )


def reference_day(year):
    """The day a year's figures describe: 31 December. A unit's figures of a year count only
    if the unit existed on that day; a commune that ended during the year (30 June 2025) is
    counted by its successor, whose own figures of that year already hold its people."""
    return datetime.date(year, 12, 31)


def valid_at_year_end(prefix="unit__", year="year"):
    """Q: the unit at `prefix` existed on 31 December of the row's `year` column (see
    `reference_day`); in SQL, for rows of many years at once."""
    starts = Q(**{f"{prefix}valid_from__isnull": True}) | Q(
        **{f"{prefix}valid_from__year__lte": F(year)}
    )
    ends = (
        Q(**{f"{prefix}valid_to__isnull": True})
        | Q(**{f"{prefix}valid_to__year__gt": F(year)})
        | Q(**{f"{prefix}valid_to__year": F(year), f"{prefix}valid_to__month": 12})
        & Q(**{f"{prefix}valid_to__day": 31})
    )
    return starts & ends


def counted_figures(year, prefix="unit__"):
    """Q: yearly figures of `year` that count, those of units that existed on its
    `reference_day` (a plain date, for the queries of one year)."""
    day = reference_day(year)
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def communes_on(unit, days):
    """{day: number of communes under `unit` that existed on it} (one query)."""
    spans = list(
        Unit.objects.filter(path__startswith=unit.path, level=Level.COMMUNE).values_list(
            "valid_from", "valid_to"
        )
    )
    return {
        day: sum(
            1
            for start, end in spans
            if (start is None or start <= day) and (end is None or end >= day)
        )
        for day in days
    }


def cached_province():
    """`portal_province()`, kept in the cache with the public figures (lib.figures_cache)."""
    return figures_cache.cached("province", [province.current().code], portal_province)


def yearly_totals(unit, years=None):
    """Members, population, households, branches, boards and communes per year under `unit`.

    One GROUP BY over the communes' figures: the province's numbers are its communes' sums,
    of the communes that existed on 31 December of the year (`reference_day`); the figures of
    communes that had ended by then are set apart (`set_apart`: how many communes, and their
    members), not added. `communes` is the number of communes that existed on that day,
    whether they entered figures or not (one more query).
    """
    counted = valid_at_year_end()
    sums = {
        f"sum_{name}": Coalesce(Sum(name, filter=counted), 0)
        for name in ("members", "population", "households", "branches", "boards")
    }
    rows = (
        UnitYearFigures.objects.filter(unit__path__startswith=unit.path, unit__level=Level.COMMUNE)
        .values("year")
        .annotate(
            **sums,
            set_apart=Count("unit", filter=~counted, distinct=True),
            set_apart_members=Coalesce(Sum("members", filter=~counted), 0),
        )
        .order_by("-year")
    )
    if years:
        rows = rows.filter(year__in=years)
    result = list(rows)
    existing = communes_on(unit, [reference_day(row["year"]) for row in result]) if result else {}
    for row in result:
        for name in sums:
            row[name.removeprefix("sum_")] = row.pop(name)
        row["communes"] = existing[reference_day(row["year"])]
        row["ratio"] = row["members"] / row["population"] if row["population"] else None
        row["percent"] = row["ratio"] * 100 if row["ratio"] is not None else None
    return result


def headline_figures():
    """The public home's figures: the province's latest year first, then every year before."""
    province = portal_province()
    if province is None:
        return {"province": None, "years": []}
    return {"province": province, "years": yearly_totals(province)}


def lineage_of(unit):
    """Where `unit` came from and what it became, through UnitChange links.

    Returns {"predecessors": [...], "successors": [...]}: lists of UnitChange (with their
    `predecessor` and `successor` loaded and a `generation` number, 1 = direct), the whole
    chain in both directions, nearest first. For a unit page: "formerly …" from the
    predecessors, "merged into … on …" from the successors. Unit names and changes are
    public administrative facts, so the lists are not cut to the viewer's scope.
    """
    return {
        "predecessors": lineage.chain(unit, "predecessor"),
        "successors": lineage.chain(unit, "successor"),
    }
