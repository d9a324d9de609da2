from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from khuyenhoc.storage import private_file_response
from models_learning import pages as learning_pages
from units.scoping import scope_of
from units.selectors import portal_province

from . import stats
from .dashboard import dashboard_context
from .models import Job


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """For load balancers: ok only after a real query reached the database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
@require_GET
def public_home(request):
    """Headline figures of the province, a search box and the ways into the public sections."""
    figures = stats.home_figures(portal_province())
    return render(request, "khuyenhoc/public_home.html", {"figures": figures})


def _stats_year(raw, years, default):
    """The year asked for, if /stats/ has it; `default` when none was asked; else None."""
    if raw is None or raw == "":
        return default
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) != 4:
        return None
    year = int(raw)
    return year if year in years else None


@login_not_required
@require_GET
def public_stats(request):
    """Province figures of one year: titles against the targets, by unit (as the units were or
    mapped onto today's communes), members, centres by band. Constant query count."""
    province = portal_province()
    members = stats.member_totals(province)
    years = stats.stats_years(province, members)
    default = stats.latest_recognition_year(province) if province is not None else None
    if default not in years:
        default = years[0] if years else None
    context = {"years": years, "views": stats.VIEWS}
    view = request.GET.get("view") or stats.AS_WAS
    if view not in stats.VIEWS:
        context |= {"error": _("Choose how the units are shown from the list.")}
        return render(request, "khuyenhoc/stats.html", context, status=400)
    year = _stats_year(request.GET.get("year"), years, default)
    context |= {"view": view, "year": year}
    if year is None:
        if not years:
            return render(request, "khuyenhoc/stats.html", context)
        context |= {"error": _("There are no figures for this year: choose a year from the list.")}
        return render(request, "khuyenhoc/stats.html", context, status=404)
    context |= stats.stats_page(province, year, view, members)
    return render(request, "khuyenhoc/stats.html", context)


ROBOTS = """User-agent: *
Disallow: /portal/
Disallow: /admin/
Disallow: /accounts/
Disallow: /i18n/
Disallow: /verify/
Disallow: /recognitions/?
Disallow: /centers/?
Disallow: /stats/?
Sitemap: {sitemap}
"""


@login_not_required
@require_GET
def robots_txt(request):
    """Crawlers may read the public sections, not the staff pages, the certificate checks or
    endless combinations of search filters."""
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse(ROBOTS.format(sitemap=sitemap), content_type="text/plain; charset=utf-8")


def portal_home(request):
    """The staff home: this year at a glance (the dashboard), then what waits for this user."""
    scope = scope_of(request.user)
    return render(
        request,
        "khuyenhoc/portal_home.html",
        {
            "memberships": scope.memberships,
            **dashboard_context(request),
            **learning_pages.inbox_page(request),
        },
    )


def _jobs_of(user):
    return Job.objects.all() if user.is_superuser else Job.objects.filter(requested_by=user)


def job_detail(request, pk):
    job = get_object_or_404(_jobs_of(request.user), pk=pk)
    template = (
        "khuyenhoc/partials/job_progress.html" if request.htmx else "khuyenhoc/job_detail.html"
    )
    return render(request, template, {"job": job})


def job_download(request, pk):
    job = get_object_or_404(_jobs_of(request.user), pk=pk)
    if not job.result:
        raise Http404
    return private_file_response(job.result, filename=job.result_name)
