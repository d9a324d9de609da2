"""Province figures for the public pages (/ and /stats/): learning-model titles registered and
recognised against the year's targets, members and their share of the population, centres
by band.

Every figure is a GROUP BY; Python only folds the few grouped rows onto units, so a page makes
the same handful of queries at a hundred registrations as at a million. A year is shown "as
the units were" (the district of the time, or the commune where there was no district) or
mapped onto today's communes through UnitChange lineage (every old commune merged whole into
one new commune).
"""

from collections import defaultdict

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from centers import statistics as centre_statistics
from citizens import selectors as citizen_selectors
from citizens.models import CitizenResult
from citizens.targets import citizen_target, staff_target
from lib.text import name_key
from models_learning.models import ModelKind, Registration, RegistrationTally
from models_learning.tally import files_sum
from models_learning.workflow import Status
from reporting.reports.targets import is_mountain, targets_for
from units.models import Level, Unit, UnitYearFigures, bare_name
from units.selectors import counted_figures, yearly_totals

AS_WAS, TODAY = centre_statistics.AS_WAS, centre_statistics.TODAY
VIEWS = {AS_WAS: _("As the units were"), TODAY: _("Mapped onto today's communes")}


# Files that count as registered: all but those withdrawn. Recognised: holding the title now
# (a revoked title no longer counts).
COUNTED = ~Q(status=Status.WITHDRAWN)
HOLDING = Q(status=Status.RECOGNIZED)


def short_name(name, limit=20):
    """A unit's name without its division word, for chart labels ("Huyện Mường Ảng" ->
    "Mường Ảng"): the chart's label column is narrow."""
    name = bare_name(name)
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _percent(part, whole):
    return part * 100 / whole if whole else None


def _in_province(model, province):
    """Rows of `model` (registrations, or their tally: models_learning.tally, a few rows per
    commune, title and step) of the province's communes. `unit IN (subquery)` rather than a
    join, so that the registrations' edge years read the (year, unit, kind, status) index
    alone (migration 0004)."""
    rows = model.objects.all()
    if province is not None:
        rows = rows.filter(unit__in=Unit.objects.filter(path__startswith=province.path))
    return rows


def _edge_year(rows, newest):
    """The newest (or oldest) year of `rows`: an ordered LIMIT 1 that an index on the year
    answers from its end (an aggregate over the province's rows would read them all)."""
    order = "-year" if newest else "year"
    return rows.order_by(order).values_list("year", flat=True).first()


def title_years(province):
    """Years with registrations, newest first (from the first to the last): two queries that
    read the ends of the year index."""
    rows = _in_province(Registration, province)
    last = _edge_year(rows, newest=True)
    if last is None:
        return []
    first = _edge_year(rows, newest=False)
    return list(range(last, first - 1, -1))


def latest_recognition_year(province):
    """The newest year in which something was recognised (None when nothing was)."""
    rows = _in_province(Registration, province).filter(
        status__in=[Status.RECOGNIZED, Status.REVOKED]
    )
    return _edge_year(rows, newest=True)


def targets_of(year, province):
    """The targets of `year` as the yearly report applies them (reporting.reports.targets):
    QĐ 281 until 2020, with the lower figures when the province is a mountain area, then QĐ
    387; None outside 2014–2030."""
    mountain = province is not None and is_mountain(province.admin_code)
    return targets_for(year, mountain=mountain)


def _title_row(kind, registered, recognised, target):
    rate = _percent(recognised, registered)
    return {
        "kind": kind.value,
        "label": kind.label,
        "registered": registered,
        "recognised": recognised,
        "rate": rate,
        "target": target,
        "meets": rate is not None and target is not None and rate >= target,
    }


def title_figures(year, province):
    """Per title in `year`: registered, recognised, rate (recognised / registered, in %) and
    the target of the year. One GROUP BY; every title appears, with zeros if nobody registered."""
    counts = {
        row["kind"]: row
        for row in _in_province(RegistrationTally, province)
        .filter(COUNTED, year=year)
        .values("kind")
        .annotate(registered=files_sum(), recognised=files_sum(HOLDING))
        .order_by()
    }
    targets = targets_of(year, province)
    rows = []
    for kind in ModelKind:
        row = counts.get(kind.value, {})
        target = targets.of(kind) if targets else None
        rows.append(_title_row(kind, row.get("registered", 0), row.get("recognised", 0), target))
    return rows


def _targets_basis(year, province):
    targets = targets_of(year, province) if year else None
    return targets.description if targets else None


def unit_figures(year, province, view=AS_WAS):
    """Per unit in `year`: registered and recognised per title, the rate, and the members and
    their share of the population. Three GROUP BYs and the folding onto units (one query as
    the units were; one per step of lineage mapped onto today).

    Returns {"titles": [labels], "rows": [{"unit", "label", "cells": [{"registered",
    "recognised", "rate"} per title], "registered", "recognised", "rate", "members",
    "population", "percent"}]}, rows by unit name.
    """
    registrations = list(
        _in_province(RegistrationTally, province)
        .filter(COUNTED, year=year)
        .values_list("unit_id", "kind")
        .annotate(registered=files_sum(), recognised=files_sum(HOLDING))
        .filter(registered__gt=0)
        .order_by()
    )
    figures = UnitYearFigures.objects.filter(
        counted_figures(year), year=year, unit__level=Level.COMMUNE
    )
    if province is not None:
        figures = figures.filter(unit__path__startswith=province.path)
    members = list(
        figures.values_list("unit_id")
        .annotate(members=Sum("members"), population=Sum("population"))
        .order_by()
    )
    grouped = citizen_selectors.grouped_by_commune(year, province)  # adults and staff: one query
    citizens, staff = grouped[citizen_selectors.ADULTS], grouped[citizen_selectors.STAFF]
    commune_ids = (
        {row[0] for row in registrations} | {row[0] for row in members} | set(citizens) | set(staff)
    )
    group_of = centre_statistics.unit_groups(commune_ids, view) if commune_ids else {}
    kinds = list(ModelKind)
    table = defaultdict(
        lambda: {
            "by_kind": defaultdict(lambda: [0, 0]),
            "members": 0,
            "population": 0,
            "has_figures": False,
            "citizens": citizen_selectors.Shares(target=citizen_target(year)),
            "staff": citizen_selectors.Shares(target=staff_target(year)),
        }
    )
    for unit_id, kind, registered, recognised in registrations:
        cell = table[group_of.get(unit_id)]["by_kind"][kind]
        cell[0] += registered
        cell[1] += recognised
    for unit_id, member_count, population in members:
        entry = table[group_of.get(unit_id)]
        entry["members"] += member_count or 0
        entry["population"] += population or 0
        entry["has_figures"] = True
    for unit_id, shares in citizens.items():
        table[group_of.get(unit_id)]["citizens"].add(shares)
    for unit_id, shares in staff.items():
        table[group_of.get(unit_id)]["staff"].add(shares)
    rows = []
    for unit, entry in table.items():
        cells = []
        for kind in kinds:
            registered, recognised = entry["by_kind"].get(kind.value, (0, 0))
            cells.append(
                {
                    "registered": registered,
                    "recognised": recognised,
                    "rate": _percent(recognised, registered),
                }
            )
        registered = sum(c["registered"] for c in cells)
        recognised = sum(c["recognised"] for c in cells)
        name = unit.name if unit is not None else str(_("Not mapped"))
        rows.append(
            {
                "unit": unit,
                "name": name,
                "label": short_name(name),
                "cells": cells,
                "registered": registered,
                "recognised": recognised,
                "rate": _percent(recognised, registered),
                "members": entry["members"] if entry["has_figures"] else None,
                "population": entry["population"] if entry["has_figures"] else None,
                "percent": _percent(entry["members"], entry["population"]),
                "citizens": entry["citizens"],
                "staff": entry["staff"],
            }
        )
    # Vietnamese alphabetical order ("Đ" after "D"), as the centres' table beside it.
    rows.sort(key=lambda row: (row["unit"] is None, name_key(row["name"])))
    return {"titles": [kind.label for kind in kinds], "rows": rows}


def centre_figures(year, province, view=AS_WAS):
    """Centres by band in `year` (published ratings), province-wide and per unit."""
    breakdown = centre_statistics.band_breakdown(year, province, view)
    for row in breakdown["rows"]:
        name = row["unit"].name if row["unit"] is not None else str(_("Not mapped"))
        row["name"] = name
    chart = [{"label": band["name"], "count": band.get("count", 0)} for band in breakdown["bands"]]
    return {**breakdown, "chart": chart}


def home_figures(province):
    """The public home's headline figures: titles of the newest year with recognitions,
    members by year, and centres by band in the newest year with published ratings."""
    members = member_totals(province)
    title_year = latest_recognition_year(province) if province is not None else None
    centre_years = centre_statistics.published_years(province) if province is not None else []
    centre_year = centre_years[0] if centre_years else None
    return {
        "province": province,
        "years": members,
        "title_year": title_year,
        "titles": title_figures(title_year, province) if title_year else [],
        "centre_year": centre_year,
        "centres": centre_statistics.band_table(centre_year, province) if centre_year else None,
        "targets_basis": _targets_basis(title_year, province),
        "citizens": citizen_selectors.latest_shares(province),
    }


def member_totals(province):
    """Members, population and their ratio per year in the province (one GROUP BY)."""
    return yearly_totals(province) if province is not None else []


def citizen_years(province):
    """Years with learning-citizen results in the province (one DISTINCT over the results)."""
    results = CitizenResult.objects.all()
    if province is not None:
        results = results.filter(commune__path__startswith=province.path)
    return set(results.values_list("year", flat=True).distinct().order_by())


def stats_years(province, members):
    """The years /stats/ offers, newest first: those with registrations, member figures or
    learning-citizen results."""
    years = set(title_years(province)) | {row["year"] for row in members}
    return sorted(years | citizen_years(province), reverse=True)


def stats_page(province, year, view, members):
    """Everything /stats/ shows for `year` and `view` (`members`: member_totals)."""
    member_year = next((row for row in members if row["year"] == year), None)
    units = unit_figures(year, province, view)
    titles = title_figures(year, province)
    return {
        "titles": titles,
        "title_chart": [{"label": row["label"], "rate": row["rate"] or 0} for row in titles],
        "units": units,
        "unit_chart": [
            {"label": row["label"], "rate": row["rate"] or 0}
            for row in units["rows"]
            if row["registered"]
        ],
        "member_chart": [
            {"label": row["label"], "percent": row["percent"] or 0}
            for row in units["rows"]
            if row["percent"] is not None
        ],
        "member_year": member_year,
        "citizens": _citizen_total(units["rows"], year),
        "staff": _citizen_total(units["rows"], year, "staff"),
        "centres": centre_figures(year, province, view),
        "targets_basis": _targets_basis(year, province),
    }


def _citizen_total(rows, year, group="citizens"):
    """The province's learning citizens of `year` among the adults ("citizens") or the staff
    of organisations ("staff"), from the units' rows (no query)."""
    target = staff_target(year) if group == "staff" else citizen_target(year)
    total = citizen_selectors.Shares(target=target)
    for row in rows:
        total.add(row[group])
    return total
