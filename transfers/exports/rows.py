"""The rows of each export: the list's own scoped queryset and filters, read in chunks.

Each function returns `(spec, rows, filename)`; `rows` is a generator over
`queryset.values(...).iterator(chunk_size=CHUNK)`, so that 100,000 rows never sit in memory
(a server-side cursor on PostgreSQL) and the number of queries does not grow with the rows.
"""

from decimal import Decimal

from django.db.models import F, FilteredRelation, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from centers import selectors as center_selectors
from centers.forms import filtered_centers, report_year
from centers.models import FIGURE_FIELDS, CenterRating, CenterScore, CenterYearReport, RatingStatus
from centers.services import CENTER_FIELDS, scheme_for_year
from lib.dates import local_today
from models_learning.models import ModelKind
from models_learning.pages import filtered_registrations
from models_learning.workflow import Status
from transfers.imports import specs as import_specs
from units.forms import TreeDateForm
from units.models import Level, Unit
from units.scoping import scoped

from . import specs

CHUNK = 2000


def _stamp():
    return local_today().strftime("%Y-%m-%d")


def _labels(choices):
    return {value: str(label) for value, label in choices}


# --- registrations and recognitions -----------------------------------------------------------


def _registrations(request):
    """The registration list's queryset, with its filter form's values applied."""
    _form, search, queryset = filtered_registrations(request.user, request.GET)
    return queryset, search


# The lookups of the columns every registration import ends with (year, commune, status).
_REGISTRATION_FIELDS = {"year": "year", "commune": "unit__name", "status": "status"}


def _households(queryset, statuses):
    fields = {
        "head_name": "household__head_name",
        "head_birth_year": "household__head_birth_year",
        "village": "household__village__name",
        "address": "household__address",
        "phone": "household__phone",
        **_REGISTRATION_FIELDS,
    }
    return _rows(queryset, fields, statuses)


def _clans(queryset, statuses):
    fields = {
        "surname": "clan__surname",
        "branch": "clan__branch",
        "representative": "clan__representative",
        **_REGISTRATION_FIELDS,
    }
    return _rows(queryset, fields, statuses)


def _communities(queryset, statuses):
    fields = {"village": "village__name", **_REGISTRATION_FIELDS}
    return _rows(queryset, fields, statuses)


def _rows(queryset, fields, statuses):
    """Rows keyed by column from `fields` (column key -> lookup); statuses shown as labels."""
    for row in queryset.values(*fields.values()).iterator(chunk_size=CHUNK):
        values = {key: row[lookup] for key, lookup in fields.items()}
        if "status" in values:
            values["status"] = statuses.get(values["status"], values["status"])
        yield values


# A filter on one of these titles exports the import's own columns (export -> import).
BY_KIND = {
    ModelKind.FAMILY: (import_specs.HOUSEHOLDS, _households, "gia-dinh-hoc-tap"),
    ModelKind.CLAN: (import_specs.CLANS, _clans, "dong-ho-hoc-tap"),
    ModelKind.COMMUNITY: (import_specs.COMMUNITIES, _communities, "cong-dong-hoc-tap"),
}


def registrations(request):
    queryset, search = _registrations(request)
    statuses = _labels(Status.choices)
    kind = search.get("kind")
    if kind in BY_KIND:
        spec, rows, name = BY_KIND[kind]
        return spec, rows(queryset, statuses), f"{name}-{_stamp()}"
    return specs.REGISTRATIONS, _all_registrations(queryset), f"ho-so-dang-ky-{_stamp()}"


def _all_registrations(queryset):
    yes = _("Yes")
    lookups = (
        "subject_name",
        "kind",
        "year",
        "unit__name",
        "household__village__name",
        "village__name",
        "household__head_birth_year",
        "status",
        "is_returned",
        "total_score",
        "recognition__decision_number",
        "recognition__certificate_code",
    )
    for row in queryset.values(*lookups).iterator(chunk_size=CHUNK):
        yield {
            "subject_name": row["subject_name"],
            "kind": row["kind"],
            "year": row["year"],
            "unit": row["unit__name"],
            "village": row["household__village__name"] or row["village__name"],
            "head_birth_year": row["household__head_birth_year"],
            "status": row["status"],
            "returned": yes if row["is_returned"] else "",
            "total_score": row["total_score"],
            "decision_number": row["recognition__decision_number"],
            "certificate_code": row["recognition__certificate_code"],
        }


def recognitions(request):
    """Recognitions of the registrations the list shows (same filters, same scope)."""
    queryset, _search = _registrations(request)
    queryset = queryset.filter(recognition__isnull=False)
    fields = {
        "certificate_code": "recognition__certificate_code",
        "subject_name": "subject_name",
        "kind": "kind",
        "year": "year",
        "unit": "unit__name",
        "issuing_unit": "recognition__issuing_unit__name",
        "decision_number": "recognition__decision_number",
        "decision_date": "recognition__decision_date",
        "valid_from": "recognition__valid_from",
        "valid_to": "recognition__valid_to",
        "revoked_at": "recognition__revoked_at",
        "revoke_reason": "recognition__revoke_reason",
    }
    return specs.RECOGNITIONS, _rows(queryset, fields, {}), f"cong-nhan-{_stamp()}"


# --- centres ----------------------------------------------------------------------------------


def _centers(request):
    """The centre list's queryset and year, with its filter form's values applied."""
    _filters, year, centers = filtered_centers(request.user, request.GET)
    return centers, year


def centers(request):
    queryset, year = _centers(request)
    yes = _("Yes")
    # The registry fields the export shows (all but valid_from), then the list's own columns.
    registry = [name for name in CENTER_FIELDS if name in specs.CENTERS.keys]
    lookups = (
        *registry,
        "commune__name",
        "valid_to",
        "report_id",
        "rating_status",
        "rating_total",
        "band_name",
    )

    def rows():
        for row in queryset.values(*lookups).iterator(chunk_size=CHUNK):
            yield {
                **{key: row[key] for key in lookups if key in specs.CENTERS.keys},
                "commune": row["commune__name"],
                "year": year,
                "report": yes if row["report_id"] else "",
                "band": row["band_name"],
            }

    return specs.CENTERS, rows(), f"tthtcd-{year}-{_stamp()}"


def center_reports(request):
    """The reports of the year the report totals page shows (the newest with reports unless
    one is asked for), of the centres the centre list shows, in the import's columns."""
    years = (
        center_selectors.reports_visible_to(request.user)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    year = report_year(request.GET.get("year"), list(years))
    params = request.GET.copy()
    if year is not None:
        params["year"] = year
    _filters, _year, centers_shown = filtered_centers(request.user, params)
    reports = CenterYearReport.objects.filter(
        center__in=centers_shown.values("pk"), year=year
    ).order_by("center__commune__name", "center__name", "pk")
    fields = {
        "center": "center__name",
        "year": "year",
        **{name: name for name in FIGURE_FIELDS},
        "note": "note",
        "commune": "center__commune__name",
    }
    return (
        import_specs.CENTER_REPORTS,
        _rows(reports, fields, {}),
        f"bao-cao-tthtcd-{year}-{_stamp()}",
    )


def ratings(request):
    """The ratings of the listed centres for the year, in the self-assessment's columns: the
    commune's own points per criterion, then the current total, band and status."""
    centers_shown, year = _centers(request)
    scheme = scheme_for_year(year)
    spec = import_specs.center_scores_spec(scheme)
    criteria = list(scheme.criteria.order_by("number")) if scheme is not None else []
    points = {
        import_specs.criterion_key(c.number): Subquery(
            CenterScore.objects.filter(rating=OuterRef("pk"), criterion__number=c.number).values(
                "self_points"
            )[:1]
        )
        for c in criteria
    }
    ratings_shown = (
        CenterRating.objects.filter(center__in=centers_shown.values("pk"), year=year)
        .annotate(**points)
        .order_by("center__commune__name", "center__name", "pk")
    )
    fields = {
        "center": "center__name",
        "year": "year",
        **{key: key for key in points},
        "total": "total",
        "band": "band__name",
        "status": "status",
        "commune": "center__commune__name",
    }
    rows = _rows(ratings_shown, fields, _labels(RatingStatus.choices))
    return spec, _plain_totals(rows), f"xep-loai-tthtcd-{year}-{_stamp()}"


def _plain_totals(rows):
    for row in rows:
        if isinstance(row["total"], Decimal):
            row["total"] = f"{row['total'].normalize():f}".replace(".", ",")
        yield row


# --- units ------------------------------------------------------------------------------------


def _year(raw, default):
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return default
    return year if 1990 <= year <= 2100 else default


FIGURES = ("members", "population", "households", "branches", "boards")


def units(request):
    """The units of the tree page (the day it shows), with each one's figures of a year."""
    day = TreeDateForm(request.GET or None).day()
    year = _year(request.GET.get("year"), day.year)
    queryset = (
        scoped(Unit.objects.valid_on(day), request.user)
        .exclude(level=Level.BRANCH)
        .annotate(year_figures=FilteredRelation("figures", condition=Q(figures__year=year)))
        .annotate(**{f"figure_{name}": F(f"year_figures__{name}") for name in FIGURES})
        .order_by("path")
    )
    lookups = (
        "admin_code",
        "name",
        "level",
        "parent__name",
        "valid_from",
        "valid_to",
        *(f"figure_{name}" for name in FIGURES),
    )

    def rows():
        for row in queryset.values(*lookups).iterator(chunk_size=CHUNK):
            figures = {name: row[f"figure_{name}"] for name in FIGURES}
            ratio = None
            if figures["members"] is not None and figures["population"]:
                ratio = Decimal(figures["members"] * 100) / figures["population"]
                ratio = ratio.quantize(Decimal("0.1"))
            yield {**row, **figures, "parent": row["parent__name"], "year": year, "ratio": ratio}

    return specs.UNITS, rows(), f"don-vi-{year}-{_stamp()}"
