"""Staff report pages: the yearly report and the recognised list, on screen, in Excel, in PDF.

Read-only (GET). The unit comes from `?unit=` and must be one the user may read (else 404);
a bad year or view gets the page back with a message and status 400.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from lib.text import normalise
from units import lineage
from units.models import Level, Unit, UnitChange
from units.scoping import is_within, units_visible_to

from . import documents, fund_table, layouts, screen
from .folding import AS_WAS, TODAY, VIEWS, year_bounds
from .recognised import communes_with_recognitions, recognised_listing
from .roots import ReportError, default_root, parse_view, parse_year, report_years, unit_root
from .yearly import yearly_report


def unit_param(request):
    """The unit of `?unit=`, None when not given; 404 when not a unit this user may read."""
    raw = request.GET.get("unit", "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise Http404
    unit = units_visible_to(request.user).exclude(level=Level.BRANCH).filter(pk=int(raw)).first()
    if unit is None:
        raise Http404
    return unit


def _root_of(request):
    unit = unit_param(request)
    root = unit_root(unit) if unit is not None else default_root(request.user)
    if root is None:
        raise Http404
    return root


def _year_and_view(request, root):
    """Year and view asked for (ReportError when bad). Without a view, a unit that did not
    exist in the year is shown mapped onto today's communes."""
    year = parse_year(request.GET.get("year"))
    unit = root.unit
    default = AS_WAS
    if unit is not None and unit.is_current and unit.valid_from and unit.valid_from.year > year:
        default = TODAY
    return year, parse_view(request.GET.get("view"), default=default)


def _there_at_year_end(unit, year):
    day = year_bounds(year)[1]  # 31 December, the day yearly figures describe
    return (unit.valid_from is None or unit.valid_from <= day) and (
        unit.valid_to is None or unit.valid_to >= day
    )


def _ended_before(user, unit, year):
    """When `unit` had ended before `year`: the day it ended and the unit holding its place
    on 31 December of that year (followed through its mergers; None when its line ends), with
    whether `user` may open that unit's report. None when the unit was there in the year."""
    if unit is None or unit.valid_to is None or unit.valid_to >= year_bounds(year)[0]:
        return None
    holder = unit
    for _step in range(lineage.MAX_STEPS):
        change = (
            UnitChange.objects.filter(predecessor=holder)
            .select_related("successor")
            .order_by("successor_id")
            .first()
        )
        if change is None:
            holder = None
            break
        holder = change.successor
        if _there_at_year_end(holder, year):
            break
    if holder is not None and not _there_at_year_end(holder, year):
        holder = None
    return {
        "on": unit.valid_to,
        "holder": holder,
        "linked": holder is not None and is_within(user, holder),
    }


def _query(**params):
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _breadcrumbs(user, unit):
    """The visible units above `unit`, top first (one query)."""
    if unit is None:
        return []
    above = Unit.objects.filter(pk__in=unit.ancestor_ids()[:-1]).order_by("depth")
    return [u for u in above if is_within(user, u)]


def _filename(stem, root, year, extension):
    return f"{stem}-{year}-{slugify(normalise(root.name)) or 'bao-cao'}.{extension}"


def _page_context(request, root):
    return {
        "root": root,
        "years": report_years(),
        "views": VIEWS,
        "breadcrumbs": _breadcrumbs(request.user, root.unit),
        "unit_id": root.pk or "",
    }


def _paged_report(request, template, parts=None):
    """A report page: a page of rows (paging.ROWS_PER_PAGE), the totals of every row; the
    Excel and PDF files hold the whole table."""
    root = _root_of(request)
    context = _page_context(request, root)
    try:
        year, view = _year_and_view(request, root)
        page = request.GET.get("page") or 1
        kwargs = {"parts": parts} if parts is not None else {}
        report = yearly_report(request.user, root, year, view, page=page, **kwargs)
    except ReportError as error:
        return render(request, template, {**context, "error": error}, status=400)
    context |= {
        "ended": _ended_before(request.user, root.unit, year),
        "report": screen.prepare(report),
        "rows": report.rows,
        "rows_page": report.rows_page,
        "year_param": str(year),
        "query": _query(year=year, view=view, unit=root.pk),
    }
    return render(request, template, context)


@require_GET
def yearly(request):
    """The yearly report of a unit and its children, per title, against the targets."""
    return _paged_report(request, "reporting/reports/yearly.html")


def _report_or_404(request, parts=None):
    root = _root_of(request)
    kwargs = {"parts": parts} if parts is not None else {}
    try:
        year, view = _year_and_view(request, root)
        return root, yearly_report(request.user, root, year, view, **kwargs)
    except ReportError:
        raise Http404 from None


_CONTENT_TYPES = {"xlsx": documents.XLSX_CONTENT_TYPE, "pdf": documents.PDF_CONTENT_TYPE}


def _download(content, stem, root, year, extension):
    """Every report download alike: an attachment named after the report, year and unit."""
    response = HttpResponse(content, content_type=_CONTENT_TYPES[extension])
    filename = _filename(stem, root, year, extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def yearly_xlsx(request):
    root, report = _report_or_404(request)
    return _download(layouts.yearly_xlsx(report), "bao-cao-nam", root, report.year, "xlsx")


@require_GET
def yearly_pdf(request):
    root, report = _report_or_404(request)
    return _download(layouts.yearly_pdf(report), "bao-cao-nam", root, report.year, "pdf")


# --- recognised list -----------------------------------------------------------------------

COMMUNES_PER_PAGE = 25


@require_GET
def recognised_list(request):
    """A commune's recognised subjects of a year; above a commune, the communes to choose."""
    root = _root_of(request)
    context = _page_context(request, root)
    try:
        year = parse_year(request.GET.get("year"))
    except ReportError as error:
        return render(
            request,
            "reporting/reports/recognised_list.html",
            {**context, "error": error},
            status=400,
        )
    context |= {"year": year, "query": _query(year=year, unit=root.pk)}
    if root.unit is not None and root.unit.level == Level.COMMUNE:
        context["listing"] = recognised_listing(request.user, root.unit, year)
    elif root.unit is not None:
        communes = communes_with_recognitions(request.user, root.unit, year)
        # A province has a thousand communes: a page of them, the totals on every page.
        context["communes"] = Paginator(communes, COMMUNES_PER_PAGE).get_page(
            request.GET.get("page")
        )
        context["recognised_total"] = sum(commune["count"] for commune in communes)
    else:
        context["tops"] = root.tops
    return render(request, "reporting/reports/recognised_list.html", context)


def _listing_or_404(request):
    root = _root_of(request)
    if root.unit is None or root.unit.level != Level.COMMUNE:
        raise Http404
    try:
        year = parse_year(request.GET.get("year"))
    except ReportError:
        raise Http404 from None
    return root, recognised_listing(request.user, root.unit, year)


@require_GET
def recognised_list_xlsx(request):
    root, listing = _listing_or_404(request)
    return _download(
        layouts.recognised_xlsx(listing), "danh-sach-cong-nhan", root, listing["year"], "xlsx"
    )


@require_GET
def recognised_list_pdf(request):
    root, listing = _listing_or_404(request)
    return _download(
        layouts.recognised_pdf(listing), "danh-sach-cong-nhan", root, listing["year"], "pdf"
    )


# --- the funds alone (the yearly report's funds part: fund_table.py) ----------------------


@require_GET
def funds_report(request):
    """The study-promotion funds of a unit and its children in a year."""
    return _paged_report(request, "reporting/reports/funds.html", parts=fund_table.PARTS)


@require_GET
def funds_report_xlsx(request):
    root, report = _report_or_404(request, fund_table.PARTS)
    return _download(layouts.funds_xlsx(report), "bao-cao-quy", root, report.year, "xlsx")


@require_GET
def funds_report_pdf(request):
    root, report = _report_or_404(request, fund_table.PARTS)
    return _download(layouts.funds_pdf(report), "bao-cao-quy", root, report.year, "pdf")
