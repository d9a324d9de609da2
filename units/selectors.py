"""Reads of units and their figures, always from what the viewer may see."""

from django.conf import settings
from django.db.models import Count, Sum

from .models import Level, Unit, UnitYearFigures


def portal_province():
    """The province this portal serves (settings.PORTAL_PROVINCE_CODE), or None before loading."""
    return (
        Unit.objects.filter(level=Level.PROVINCE, admin_code=settings.PORTAL_PROVINCE_CODE)
        .order_by("valid_to")
        .first()
    )


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


def headline_figures(limit=6):
    """The public home's figures: the province's latest year first, then the years before."""
    province = portal_province()
    if province is None:
        return {"province": None, "years": []}
    return {"province": province, "years": yearly_totals(province)[:limit]}
