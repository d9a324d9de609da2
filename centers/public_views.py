"""Public centre pages (no login): published bands and yearly figures, never contacts,
evidence, scores per criterion or reviewers' notes."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from units.selectors import portal_province

from . import statistics
from .forms import PublicFilterForm
from .models import CenterChange, LearningCenter

PAGE_SIZE = 50


@login_not_required
@require_GET
def directory(request):
    province = portal_province()
    years = statistics.published_years(province)
    filters = PublicFilterForm(
        request.GET or None,
        communes=statistics.directory_communes(province),
        bands=statistics.band_choices(published_only=True),
        years=years,
    )
    year = filters.value("year")
    context = {"filters": filters, "years": years, "province": province}
    if year is not None:
        view = statistics.TODAY if filters.value("view") == "today" else statistics.AS_WAS
        context |= {
            "year": year,
            "view": view,
            "summary": statistics.band_breakdown(year, province, view),
        }
        return render(request, "centers/public/center_year.html", context)
    centers = statistics.directory(
        province,
        commune=filters.communes.get(filters.value("commune")),
        band=filters.value("band"),
    )
    page = Paginator(centers, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context |= {"page_obj": page, "querystring": query.urlencode()}
    return render(request, "centers/public/center_directory.html", context)


@login_not_required
@require_GET
def center_detail(request, pk):
    center = get_object_or_404(
        LearningCenter.objects.select_related("commune").only(
            "id",
            "name",
            "address",
            "premises",
            "founded_on",
            "valid_from",
            "valid_to",
            "full_time_staff",
            "seconded_teachers",
            "volunteers",
            "commune__id",
            "commune__name",
        ),
        pk=pk,
    )
    return render(
        request,
        "centers/public/center_detail.html",
        {
            "center": center,
            "ratings": statistics.public_ratings(center),
            "reports": center.reports.order_by("-year"),
            "merged_into": CenterChange.objects.filter(predecessor=center)
            .select_related("successor")
            .only("date", "successor__id", "successor__name")
            .first(),
            "merged_from": CenterChange.objects.filter(successor=center)
            .select_related("predecessor")
            .only("date", "predecessor__id", "predecessor__name"),
        },
    )
