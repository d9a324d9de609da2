"""A centre's yearly activity reports: file one, correct one, the yearly totals."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from lib.dates import this_year
from lib.form_views import saved_or_none

from .. import selectors, services, statistics, workflow
from ..forms import ReportForm, report_year
from ._common import center_or_404, center_url

UNITS_PER_PAGE = 25


def report_create(request, pk):
    center = center_or_404(request, pk)
    form = ReportForm(request.POST or None, initial={"year": this_year()})
    done = saved_or_none(
        request,
        form,
        lambda data: services.file_year_report(
            center, by=request.user, year=data["year"], note=data["note"], **form.figures()
        ),
        _("The yearly report is filed."),
        center_url(center),
    )
    return done or render(
        request,
        "centers/report_form.html",
        {
            "form": form,
            "center": center,
            "problem": workflow.check_file_report(request.user, center),
        },
    )


def report_edit(request, pk):
    report = get_object_or_404(
        selectors.reports_visible_to(request.user).select_related("center__commune"), pk=pk
    )
    center = report.center
    initial = {name: getattr(report, name) for name in ReportForm(with_year=False).fields}
    form = ReportForm(request.POST or None, with_year=False, initial=initial)
    done = saved_or_none(
        request,
        form,
        lambda data: services.update_year_report(
            report, by=request.user, note=data["note"], **form.figures()
        ),
        _("The yearly report is saved."),
        center_url(center),
    )
    return done or render(
        request,
        "centers/report_form.html",
        {
            "form": form,
            "center": center,
            "report": report,
            "problem": workflow.check_file_report(request.user, center),
        },
    )


def report_totals(request):
    reports = selectors.reports_visible_to(request.user)
    rows = selectors.yearly_totals(reports)
    year = report_year(request.GET.get("year"), [row["year"] for row in rows])
    view = statistics.TODAY if request.GET.get("view") == "today" else statistics.AS_WAS
    units = statistics.activity_breakdown(reports, year, view) if year else []
    # Thousands of communes at country scale: a page of them, the year's totals on each page.
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = [statistics.activity_row(row) for row in page.object_list]
    query = {"year": year, "view": "today"} if view == statistics.TODAY else {"year": year}
    return render(
        request,
        "centers/report_totals.html",
        {
            "rows": rows,
            "year": year,
            "view": view,
            "page_obj": page,
            "querystring": urlencode(query),
            "year_total": next((row for row in rows if row["year"] == year), None),
        },
    )
