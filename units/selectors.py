"""Reads of units and their figures, always from what the viewer may see."""

from django.db.models import Count, Sum

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


def cached_province():
    """`portal_province()`, kept in the cache with the public figures (lib.figures_cache)."""
    return figures_cache.cached("province", [province.current().code], portal_province)


def yearly_totals(unit, years=None):
    """Members, population, households, branches, boards and communes per year under `unit`.

    One GROUP BY over the communes' figures: the province's numbers are its communes' sums.
    """
    rows = (
        UnitYearFigures.objects.filter(unit__path__startswith=unit.path, unit__level=Level.COMMUNE)
        .values("year")
        .annotate(
            members=Sum("members"),
            population=Sum("population"),
            households=Sum("households"),
            branches=Sum("branches"),
            boards=Sum("boards"),
            communes=Count("unit", distinct=True),
        )
        .order_by("-year")
    )
    if years:
        rows = rows.filter(year__in=years)
    result = list(rows)
    for row in result:
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
