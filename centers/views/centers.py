"""The centres' registry pages: the list, a centre, register, edit, merge, carry over."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.dates import local_today, this_year
from lib.errors import DomainError
from lib.form_views import saved_or_none

from .. import selectors, services, workflow
from ..forms import CenterForm, MergeForm, NewCenterForm, filtered_centers
from ..models import CenterChange, RatingStatus
from ._common import center_or_404, center_url, role_required

PAGE_SIZE = 30
_PLACEHOLDER = "987654321"


def _url_of(name):
    """pk -> the URL `name` of that pk, reversed once for all the rows of a page."""
    head, tail = reverse(name, args=[_PLACEHOLDER]).split(_PLACEHOLDER)
    return lambda pk: f"{head}{pk}{tail}"


def center_list(request):
    filters, year, centers = filtered_centers(request.user, request.GET)
    page = Paginator(centers, PAGE_SIZE).get_page(request.GET.get("page"))
    per_commune = selectors.centers_per_commune({c.commune_id for c in page})
    detail_url, rating_url = _url_of("centers:center-detail"), _url_of("centers:rating-detail")
    for center in page:
        center.detail_url = detail_url(center.pk)
        center.rating_url = rating_url(center.rating_id) if center.rating_id else ""
        center.legacy_count = per_commune.get(center.commune_id, 0)
        center.rating_status_label = (
            RatingStatus(center.rating_status).label if center.rating_status else ""
        )
    query = request.GET.copy()
    query.pop("page", None)
    can_carry = (
        workflow.check_carry_over(request.user) is None
        and selectors.centers_waiting_carry_over(request.user).exists()
    )
    return render(
        request,
        "centers/center_list.html",
        {
            "filters": filters,
            "year": year,
            "page_obj": page,
            "querystring": query.urlencode(),
            "can_carry_over": can_carry,
            "can_manage_schemes": workflow.can_manage_schemes(request.user),
        },
    )


def center_detail(request, pk):
    center = center_or_404(request, pk)
    ratings = list(center.ratings.select_related("band").order_by("-year"))
    siblings = list(
        center.commune.learning_centers.filter(valid_to__isnull=True).exclude(pk=center.pk)
    )
    return render(
        request,
        "centers/center_detail.html",
        {
            "center": center,
            "reports": center.reports.order_by("-year"),
            "ratings": ratings,
            "year": this_year(),
            "merged_into": CenterChange.objects.filter(predecessor=center)
            .select_related("successor")
            .first(),
            "merged_from": CenterChange.objects.filter(successor=center).select_related(
                "predecessor"
            ),
            "siblings": siblings,
            "can_edit": workflow.can_edit_center(request.user, center),
            "can_file_report": workflow.can_file_report(request.user, center),
            "can_self_assess": workflow.can_self_assess(request.user, center),
            "can_merge": bool(siblings) and workflow.can_merge_centers(request.user, center),
        },
    )


def center_create(request):
    communes = selectors.communes_for_new_center(request.user)
    role_required(
        None if communes.exists() else _("Only commune officers and province staff do this.")
    )
    form = NewCenterForm(request.POST or None, communes=communes)
    done = saved_or_none(
        request,
        form,
        lambda data: services.create_center(by=request.user, **data),
        _("The centre is registered."),
        center_url,
    )
    return done or render(
        request,
        "centers/center_form.html",
        {
            "form": form,
            "title": _("Register a learning centre"),
            "cancel_url": reverse("centers:center-list"),
        },
    )


def center_edit(request, pk):
    center = center_or_404(request, pk)
    form = CenterForm(request.POST or None, instance=center)
    done = saved_or_none(
        request,
        form,
        lambda data: services.update_center(center, by=request.user, **data),
        _("The centre is saved."),
        center_url(center),
    )
    return done or render(
        request,
        "centers/center_form.html",
        {
            "form": form,
            "center": center,
            "title": _("Edit %(center)s") % {"center": center.name},
            "cancel_url": center_url(center),
            "problem": workflow.check_edit_center(request.user, center),
        },
    )


def center_merge(request, pk):
    center = center_or_404(request, pk)
    candidates = center.commune.learning_centers.filter(valid_to__isnull=True).exclude(pk=center.pk)
    form = MergeForm(request.POST or None, candidates=candidates, initial={"date": local_today()})
    done = saved_or_none(
        request,
        form,
        lambda data: services.merge_centers(
            center,
            list(data["predecessors"]),
            by=request.user,
            date=data["date"],
            legal_basis=data["legal_basis"],
            note=data["note"],
        ),
        _("The merger is recorded."),
        center_url(center),
    )
    return done or render(
        request,
        "centers/center_merge.html",
        {
            "form": form,
            "center": center,
            "problem": workflow.check_merge_centers(request.user, center),
        },
    )


@require_POST
def carry_over(request):
    role_required(workflow.check_carry_over(request.user))
    try:
        moved, stuck = services.carry_centers_over(by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(moved)s centres attached to their new commune; %(stuck)s without one.")
            % {"moved": len(moved), "stuck": len(stuck)},
        )
    return redirect("centers:center-list")
