"""The public accounts of the study-promotion funds (công khai tài chính), no login."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from units.models import Level, Unit
from units.selectors import portal_province

from . import public


def _year(raw, years):
    if raw in (None, ""):
        return years[0] if years else None
    if not (str(raw).isascii() and str(raw).isdigit()) or len(str(raw)) != 4:
        raise Http404
    return int(raw)


@login_not_required
@require_GET
def accounts(request):
    years = public.years_with_entries()
    year = _year(request.GET.get("year"), years)
    province = portal_province()
    rows = public.province_year(province, year) if year else []
    return render(
        request,
        "funds/public/accounts.html",
        {"years": years, "year": year, "rows": rows, "province": province},
    )


@login_not_required
@require_GET
def unit_accounts(request, pk, year):
    unit = get_object_or_404(Unit, pk=pk, level__in=[Level.PROVINCE, Level.COMMUNE])
    if not 2000 <= year <= 2100:
        raise Http404
    return render(
        request,
        "funds/public/unit_year.html",
        {"unit": unit, "year": year, **public.unit_year(unit, year)},
    )
