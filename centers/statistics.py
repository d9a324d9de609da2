"""Published figures of the centres: the public directory and the count per band per year.

Only published ratings count. A year is counted "as the units were" (each rating keeps the
commune of its year) or mapped onto today's communes through the units' lineage. Every
count is a GROUP BY; Python only folds the few grouped rows onto units.
"""

from collections import defaultdict

from django.db.models import Case, Count, F, Max, OuterRef, Q, Subquery, Sum, When

from lib.cursor_rows import cursor_rows
from lib.text import name_key
from units import lineage
from units.models import Level, Unit

from .models import (
    CLASS_FIELDS,
    PARTICIPANT_FIELDS,
    CenterRating,
    LearningCenter,
    RatingBand,
    RatingStatus,
)

AS_WAS, TODAY = "as_was", "today"


def published(province=None):
    ratings = CenterRating.objects.filter(status=RatingStatus.PUBLISHED)
    if province is not None:
        ratings = ratings.filter(commune__path__startswith=province.path)
    return ratings


def directory(province=None, *, commune=None, band=None):
    """Current centres with their latest published rating (year, band): one query."""
    latest = CenterRating.objects.filter(
        center=OuterRef("pk"), status=RatingStatus.PUBLISHED
    ).order_by("-year")
    centers = LearningCenter.objects.filter(valid_to__isnull=True)
    if province is not None:
        centers = centers.filter(commune__path__startswith=province.path)
    if commune is not None:
        centers = centers.filter(commune=commune)
    centers = centers.annotate(
        latest_year=Subquery(latest.values("year")[:1]),
        latest_band=Subquery(latest.values("band__name")[:1]),
        latest_band_code=Subquery(latest.values("band__code")[:1]),
    )
    if band:
        centers = centers.filter(latest_band_code=band)
    # Only what a public page may show: contacts are not even read.
    return (
        centers.select_related("commune")
        .only("id", "name", "address", "commune__id", "commune__name")
        .order_by("commune__name", "name", "pk")
    )


def directory_communes(province=None):
    """Today's communes that hold a current centre, for the directory's filter."""
    communes = Unit.objects.filter(
        pk__in=LearningCenter.objects.filter(valid_to__isnull=True).values("commune_id")
    )
    if province is not None:
        communes = communes.filter(path__startswith=province.path)
    return list(communes.order_by("name").only("id", "name"))


def published_years(province=None):
    return list(published(province).values_list("year", flat=True).distinct().order_by("-year"))


def band_choices(published_only=False):
    """(code, name) of the bands the schemes define (or only those published ratings carry),
    highest threshold first: one query."""
    bands = RatingBand.objects.all()
    if published_only:
        bands = bands.filter(scheme__ratings__status=RatingStatus.PUBLISHED)
    seen = {}
    for code, name, _threshold in (
        bands.values_list("code", "name", "min_total").distinct().order_by("-min_total", "code")
    ):
        seen.setdefault(code, name)
    return list(seen.items())


def _year_bands(ratings):
    """The bands of the schemes used by `ratings`, by code, highest threshold first."""
    bands = {}
    for code, name, threshold in (
        RatingBand.objects.filter(scheme__in=ratings.values("scheme_id"))
        .values_list("code", "name", "min_total")
        .order_by("-min_total")
    ):
        bands.setdefault(code, {"code": code, "name": name, "rank": threshold})
    return bands


def band_table(year, province=None):
    """Count and share of the centres per band in `year` (each published rating counts once).

    {"year", "total", "rows": [{"code", "name", "count", "share"}]}, bands highest first,
    bands nobody reached included with 0.
    """
    ratings = published(province).filter(year=year)
    bands = _year_bands(ratings)
    for row in (
        ratings.values("band__code")
        .annotate(count=Count("id"), name=Max("band__name"), rank=Max("band__min_total"))
        .order_by()
    ):
        entry = bands.setdefault(
            row["band__code"], {"code": row["band__code"], "name": row["name"], "rank": row["rank"]}
        )
        entry["count"] = row["count"]
    rows = sorted(bands.values(), key=lambda b: b["rank"] if b["rank"] is not None else -1)
    rows.reverse()
    total = sum(b.get("count", 0) for b in rows)
    for row in rows:
        row.setdefault("count", 0)
        row["share"] = row["count"] * 100 / total if total else None
    return {"year": year, "total": total, "rows": rows}


def unit_groups(commune_ids, view=AS_WAS):
    """{commune id: the unit its figures are shown under}: as the units were, the district of
    the time (or the commune itself where there was no district); or today's commune it became
    (None when its line ended)."""
    if view == TODAY:
        mapping = lineage.current_units(commune_ids)
        units = Unit.objects.in_bulk({pk for pk in mapping.values() if pk is not None})
        return {cid: units.get(mapping.get(cid)) for cid in commune_ids}
    group_of = {}
    for commune in Unit.objects.filter(pk__in=commune_ids).select_related("parent"):
        parent = commune.parent
        keep = parent is not None and parent.level == Level.DISTRICT
        group_of[commune.pk] = parent if keep else commune
    return group_of


def _by_name(rows):
    rows.sort(
        key=lambda row: (row["unit"] is None, name_key(row["unit"].name if row["unit"] else ""))
    )
    return rows


def band_breakdown(year, province=None, view=AS_WAS):
    """Per unit, the count per band in `year`: as the units were (the district of the time,
    or the commune where there was no district) or mapped onto today's communes.

    {"bands": [...], "rows": [{"unit", "counts": [n per band], "total"}]}
    """
    table = band_table(year, province)
    codes = [row["code"] for row in table["rows"]]
    grouped = list(
        published(province)
        .filter(year=year)
        .values_list("commune_id", "band__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    group_of = unit_groups({commune_id for commune_id, _code, _n in grouped}, view)
    counts = defaultdict(lambda: defaultdict(int))
    for commune_id, code, n in grouped:
        counts[group_of.get(commune_id)][code] += n
    rows = [
        {
            "unit": unit,
            "counts": [by_code.get(code, 0) for code in codes],
            "total": sum(by_code.values()),
        }
        for unit, by_code in counts.items()
    ]
    return {"bands": table["rows"], "rows": _by_name(rows), "total": table["total"]}


def activity_breakdown(reports, year, view=AS_WAS):
    """Per unit, the centres reporting, their classes and participant-visits in `year`, from
    `reports` (already scoped): as the units were or mapped onto today's communes, by name.

    Rows are plain tuples (unit id, unit name, centres, classes, participant-visits), unit id
    and name None for "no commune today"; `activity_row` makes the few a page shows into
    dicts. Thousands of communes at country scale: as the units were, the GROUP BY is by the
    row itself (the district of the time, or the commune where there was none), read straight
    from the cursor; no unit is made a model."""
    reports = reports.filter(year=year)
    if view == TODAY:
        return _sorted_rows(_activity_today(reports))
    is_district = Q(commune__parent__level=Level.DISTRICT)
    grouped = (
        reports.annotate(
            row_pk=Case(When(is_district, then=F("commune__parent_id")), default=F("commune_id")),
            row_name=Case(
                When(is_district, then=F("commune__parent__name")), default=F("commune__name")
            ),
        )
        .values_list("row_pk", "row_name")
        .annotate(
            n=Count("id"),
            classes=sum_of(*CLASS_FIELDS),
            participants=sum_of(*PARTICIPANT_FIELDS),
        )
        # The database's order is nearly the readers' one: sorting them again costs little.
        .order_by("row_name")
    )
    return _sorted_rows(
        (pk, name, n, int(classes or 0), int(participants or 0))
        for pk, name, n, classes, participants in cursor_rows(grouped)
    )


def _activity_today(reports):
    """The communes' sums folded onto the commune each became (lineage: not a GROUP BY)."""
    grouped = cursor_rows(
        reports.values_list("commune_id")
        .annotate(
            n=Count("id"),
            classes=sum_of(*CLASS_FIELDS),
            participants=sum_of(*PARTICIPANT_FIELDS),
        )
        .order_by()
    )
    mapping = lineage.current_units({row[0] for row in grouped})
    names = dict(
        Unit.objects.filter(pk__in={pk for pk in mapping.values() if pk is not None})
        .order_by()
        .values_list("pk", "name")
    )
    sums = {}
    for commune_id, n, classes, participants in grouped:
        pk = mapping.get(commune_id)
        row = sums.setdefault(pk, [pk, names.get(pk), 0, 0, 0])
        row[2] += n
        row[3] += int(classes or 0)
        row[4] += int(participants or 0)
    return map(tuple, sums.values())


def _sorted_rows(rows):
    rows = list(rows)
    rows.sort(key=lambda row: (row[0] is None, name_key(row[1] or "")))
    return rows


def activity_row(row):
    """A row of `activity_breakdown` as the page shows it: {"unit": {"pk", "name"} or None,
    "centers", "classes", "participants"}."""
    pk, name, centers, classes, participants = row
    return {
        "unit": None if pk is None else {"pk": pk, "name": name},
        "centers": centers,
        "classes": classes,
        "participants": participants,
    }


def sum_of(*names):
    """SUM(a + b + …) over the given columns, for GROUP BY queries."""
    expression = F(names[0])
    for name in names[1:]:
        expression = expression + F(name)
    return Sum(expression)


def public_ratings(center):
    """A centre's published ratings: year, band and total only (never the scores or notes)."""
    return list(
        center.ratings.filter(status=RatingStatus.PUBLISHED)
        .order_by("-year")
        .values("year", "total", "band__name", "band__code")
    )
