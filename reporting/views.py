from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from lib import figures_cache
from models_learning import pages as learning_pages
from units.scoping import scope_of
from units.selectors import cached_province

from . import stats
from .dashboard import dashboard_context


@login_not_required
@require_GET
def public_home(request):
    """Headline figures of the province, a search box and the ways into the public sections."""
    province = cached_province()
    figures = figures_cache.cached(
        "home", [_key(province), get_language()], lambda: stats.home_figures(province)
    )
    return render(request, "reporting/public_home.html", {"figures": figures})


def _key(province):
    return province.pk if province is not None else 0


def _stats_years(province):
    """(members per year, the years /stats/ offers, the newest year with recognitions)."""
    members = stats.member_totals(province)
    years = stats.stats_years(province, members)
    default = stats.latest_recognition_year(province) if province is not None else None
    return members, years, default


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
    province = cached_province()
    members, years, default = figures_cache.cached(
        "stats-years", [_key(province)], lambda: _stats_years(province)
    )
    if default not in years:
        default = years[0] if years else None
    context = {"years": years, "views": stats.VIEWS}
    view = request.GET.get("view") or stats.AS_WAS
    if view not in stats.VIEWS:
        context |= {"error": _("Choose how the units are shown from the list.")}
        return render(request, "reporting/stats.html", context, status=400)
    year = _stats_year(request.GET.get("year"), years, default)
    context |= {"view": view, "year": year}
    if year is None:
        if not years:
            return render(request, "reporting/stats.html", context)
        context |= {"error": _("There are no figures for this year: choose a year from the list.")}
        return render(request, "reporting/stats.html", context, status=404)
    context |= figures_cache.cached(
        "stats",
        [_key(province), year, view, get_language()],
        lambda: stats.stats_page(province, year, view, members),
        year=year,
    )
    return render(request, "reporting/stats.html", context)


def portal_home(request):
    """The staff home: this year at a glance (the dashboard), then what waits for this user."""
    scope = scope_of(request.user)
    return render(
        request,
        "reporting/portal_home.html",
        {
            "memberships": scope.memberships,
            **dashboard_context(request),
            **learning_pages.inbox_page(request),
        },
    )
