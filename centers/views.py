"""Staff pages of the learning centres: scoped fetch → form → service → message → redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.dates import local_today, this_year
from lib.errors import DomainError
from lib.form_views import saved_or_none
from lib.storage import private_file_response

from . import selectors, services, statistics, workflow
from .forms import (
    BandFormSet,
    CenterForm,
    CriterionFormSet,
    EvidenceForm,
    MergeForm,
    NewCenterForm,
    NewSchemeForm,
    RateForm,
    ReportForm,
    ReturnForm,
    SchemeForm,
    SelfAssessmentForm,
    filtered_centers,
    formset_rows,
    report_year,
)
from .models import CenterChange, RatingScheme, RatingStatus

PAGE_SIZE = 30


def _center(request, pk):
    return get_object_or_404(
        selectors.centers_visible_to(request.user).select_related("commune"), pk=pk
    )


def _rating(request, pk):
    return get_object_or_404(
        selectors.ratings_visible_to(request.user).select_related(
            "center__commune", "scheme", "band", "commune"
        ),
        pk=pk,
    )


def _center_url(center):
    return reverse("centers:center-detail", kwargs={"pk": center.pk})


def _rating_url(rating):
    return reverse("centers:rating-detail", kwargs={"pk": rating.pk})


def _deny_unless(allowed):
    if not allowed:
        raise PermissionDenied


def center_list(request):
    filters, year, centers = filtered_centers(request.user, request.GET)
    page = Paginator(centers, PAGE_SIZE).get_page(request.GET.get("page"))
    per_commune = selectors.centers_per_commune({c.commune_id for c in page})
    for center in page:
        center.legacy_count = per_commune.get(center.commune_id, 0)
        center.rating_status_label = (
            RatingStatus(center.rating_status).label if center.rating_status else ""
        )
    query = request.GET.copy()
    query.pop("page", None)
    can_carry = (
        workflow.is_province_staff(request.user)
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
    center = _center(request, pk)
    year = this_year()
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
            "year": year,
            "merged_into": CenterChange.objects.filter(predecessor=center)
            .select_related("successor")
            .first(),
            "merged_from": CenterChange.objects.filter(successor=center).select_related(
                "predecessor"
            ),
            "siblings": siblings,
            "can_edit": workflow.can_edit_center(request.user, center),
            "can_file_report": workflow.can_file_report(request.user, center),
            "can_self_assess": workflow.is_commune_officer(request.user, center)
            and center.is_current,
            "can_merge": bool(siblings)
            and center.is_current
            and workflow.can_merge_centers(request.user, center.commune),
        },
    )


def center_create(request):
    communes = selectors.communes_for_new_center(request.user)
    _deny_unless(communes)
    form = NewCenterForm(request.POST or None, communes=communes)
    done = saved_or_none(
        request,
        form,
        lambda data: services.create_center(by=request.user, **data),
        _("The centre is registered."),
        _center_url,
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
    center = _center(request, pk)
    _deny_unless(workflow.can_edit_center(request.user, center))
    form = CenterForm(request.POST or None, instance=center)
    done = saved_or_none(
        request,
        form,
        lambda data: services.update_center(center, by=request.user, **data),
        _("The centre is saved."),
        _center_url(center),
    )
    return done or render(
        request,
        "centers/center_form.html",
        {
            "form": form,
            "center": center,
            "title": _("Edit %(center)s") % {"center": center.name},
            "cancel_url": reverse("centers:center-detail", args=[center.pk]),
        },
    )


def center_merge(request, pk):
    center = _center(request, pk)
    _deny_unless(center.is_current and workflow.can_merge_centers(request.user, center.commune))
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
        _center_url(center),
    )
    return done or render(request, "centers/center_merge.html", {"form": form, "center": center})


@require_POST
def carry_over(request):
    _deny_unless(workflow.is_province_staff(request.user))
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


def report_create(request, pk):
    center = _center(request, pk)
    _deny_unless(workflow.can_file_report(request.user, center))
    form = ReportForm(request.POST or None, initial={"year": this_year()})
    done = saved_or_none(
        request,
        form,
        lambda data: services.file_year_report(
            center, by=request.user, year=data["year"], note=data["note"], **form.figures()
        ),
        _("The yearly report is filed."),
        _center_url(center),
    )
    return done or render(request, "centers/report_form.html", {"form": form, "center": center})


def report_edit(request, pk):
    report = get_object_or_404(
        selectors.reports_visible_to(request.user).select_related("center__commune"), pk=pk
    )
    center = report.center
    _deny_unless(workflow.can_file_report(request.user, center))
    initial = {name: getattr(report, name) for name in ReportForm(with_year=False).fields}
    form = ReportForm(request.POST or None, with_year=False, initial=initial)
    done = saved_or_none(
        request,
        form,
        lambda data: services.update_year_report(
            report, by=request.user, note=data["note"], **form.figures()
        ),
        _("The yearly report is saved."),
        _center_url(center),
    )
    return done or render(
        request, "centers/report_form.html", {"form": form, "center": center, "report": report}
    )


def report_totals(request):
    reports = selectors.reports_visible_to(request.user)
    rows = selectors.yearly_totals(reports)
    year = report_year(request.GET.get("year"), [row["year"] for row in rows])
    view = statistics.TODAY if request.GET.get("view") == "today" else statistics.AS_WAS
    units = statistics.activity_breakdown(reports, year, view) if year else []
    return render(
        request,
        "centers/report_totals.html",
        {"rows": rows, "year": year, "view": view, "units": units},
    )


def rating_self_assess(request, pk):
    center = _center(request, pk)
    _deny_unless(center.is_current and workflow.is_commune_officer(request.user, center))
    source = request.POST if request.method == "POST" else request.GET
    try:
        year = int(source.get("year") or this_year())
    except ValueError:
        year = this_year()
    rating = center.ratings.select_related("scheme").filter(year=year).first()
    scheme = rating.scheme if rating else services.scheme_for_year(year)
    criteria = list(scheme.criteria.all()) if scheme else []
    initial = {"year": year}
    if rating is not None:
        initial |= {
            f"c{s.criterion.number}": s.self_points
            for s in rating.scores.select_related("criterion")
        }
    form = SelfAssessmentForm(request.POST or None, criteria=criteria, initial=initial)
    done = saved_or_none(
        request,
        form,
        lambda data: services.save_self_assessment(
            center, by=request.user, year=data["year"], scores=form.scores(), note=data["note"]
        ),
        _("The self-assessment is saved. Submit it when it is complete."),
        _rating_url,
    )
    return done or render(
        request,
        "centers/rating_form.html",
        {
            "form": form,
            "center": center,
            "rating": rating,
            "scheme": scheme,
            "year": year,
            "editable": rating is None or workflow.allowed("self_assess", rating.status),
        },
    )


def rating_detail(request, pk):
    rating = _rating(request, pk)
    return render(
        request,
        "centers/rating_detail.html",
        {
            "rating": rating,
            "center": rating.center,
            "scores": rating.scores.select_related("criterion"),
            "events": rating.events.select_related("actor"),
            "evidence": rating.evidence.all(),
            "actions": workflow.rating_actions(request.user, rating),
            "returned": rating.events.filter(action="return").last()
            if rating.status == RatingStatus.RETURNED
            else None,
            "bands": rating.scheme.bands.all(),
            "return_form": ReturnForm(),
            "evidence_form": EvidenceForm(),
        },
    )


def _transition(request, rating, service, success, **kwargs):
    try:
        service(rating, by=request.user, **kwargs)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("centers:rating-detail", pk=rating.pk)


@require_POST
def rating_submit(request, pk):
    rating = _rating(request, pk)
    _deny_unless(workflow.is_commune_officer(request.user, rating.center))
    return _transition(request, rating, services.submit_rating, _("Submitted to province staff."))


@require_POST
def rating_publish(request, pk):
    rating = _rating(request, pk)
    _deny_unless(workflow.is_province_approver(request.user, rating))
    return _transition(request, rating, services.publish_rating, _("The rating is published."))


def rating_rate(request, pk):
    rating = _rating(request, pk)
    _deny_unless(workflow.can_rate(request.user, rating))
    scores = list(rating.scores.select_related("criterion").order_by("criterion__number"))
    form = RateForm(request.POST or None, scores=scores)
    done = saved_or_none(
        request,
        form,
        lambda data: services.rate_center(
            rating, by=request.user, scores=form.scores(), reasons=form.reasons(), note=data["note"]
        ),
        _("The rating is saved. Publish it when it is final."),
        _rating_url(rating),
    )
    return done or render(
        request,
        "centers/rating_rate.html",
        {
            "form": form,
            "rating": rating,
            "center": rating.center,
            "bands": rating.scheme.bands.all(),
        },
    )


def rating_return(request, pk):
    rating = _rating(request, pk)
    _deny_unless(workflow.can_return(request.user, rating))
    form = ReturnForm(request.POST or None)
    done = saved_or_none(
        request,
        form,
        lambda data: services.return_rating(rating, by=request.user, reason=data["reason"]),
        _("The rating is returned to the commune."),
        _rating_url(rating),
    )
    return done or render(
        request,
        "centers/rating_return.html",
        {"form": form, "rating": rating, "center": rating.center},
    )


def evidence_add(request, pk):
    rating = _rating(request, pk)
    _deny_unless(workflow.can_add_evidence(request.user, rating))
    form = EvidenceForm(request.POST or None, request.FILES or None)
    done = saved_or_none(
        request,
        form,
        lambda data: services.add_evidence(
            rating, data["file"], by=request.user, description=data["description"]
        ),
        _("The file is attached."),
        _rating_url(rating),
    )
    return done or render(
        request,
        "centers/evidence_form.html",
        {"form": form, "rating": rating, "center": rating.center},
    )


def evidence_download(request, pk):
    evidence = get_object_or_404(selectors.evidence_visible_to(request.user), pk=pk)
    return private_file_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )


def scheme_list(request):
    _deny_unless(workflow.can_manage_schemes(request.user))
    schemes = RatingScheme.objects.prefetch_related(
        "criteria", Prefetch("bands"), "replaced_by"
    ).order_by("key", "-version")
    return render(request, "centers/scheme_list.html", {"schemes": schemes})


def _scheme_page(request, form, criteria, bands, scheme=None):
    return render(
        request,
        "centers/scheme_form.html",
        {"form": form, "criteria": criteria, "bands": bands, "scheme": scheme},
    )


def scheme_create(request):
    _deny_unless(workflow.can_manage_schemes(request.user))
    data = request.POST or None
    form = NewSchemeForm(data, initial={"year_from": this_year(), "provisional": True})
    criteria = CriterionFormSet(data, prefix="criteria")
    bands = BandFormSet(data, prefix="bands")
    if request.method == "POST" and all([form.is_valid(), criteria.is_valid(), bands.is_valid()]):
        try:
            scheme = services.create_scheme(
                by=request.user,
                criteria=formset_rows(criteria),
                bands=formset_rows(bands),
                **form.cleaned_data,
            )
        except DomainError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("The scheme is created."))
            return redirect(f"{reverse('centers:scheme-list')}#scheme-{scheme.pk}")
    return _scheme_page(request, form, criteria, bands)


def scheme_edit(request, pk):
    _deny_unless(workflow.can_manage_schemes(request.user))
    scheme = get_object_or_404(RatingScheme, pk=pk)
    data = request.POST or None
    form = SchemeForm(
        data,
        initial={
            n: getattr(scheme, n)
            for n in ("name", "legal_basis", "year_from", "year_to", "provisional")
        },
    )
    criteria = CriterionFormSet(
        data,
        prefix="criteria",
        initial=list(scheme.criteria.values("number", "title", "guidance", "max_points")),
    )
    bands = BandFormSet(
        data, prefix="bands", initial=list(scheme.bands.values("code", "name", "min_total"))
    )
    if request.method == "POST" and all([form.is_valid(), criteria.is_valid(), bands.is_valid()]):
        try:
            saved = services.edit_scheme(
                scheme,
                by=request.user,
                criteria=formset_rows(criteria),
                bands=formset_rows(bands),
                **form.cleaned_data,
            )
        except DomainError as error:
            error.add_to_form(form)
        else:
            if saved.pk != scheme.pk:
                messages.success(
                    request,
                    _("The scheme was already in use: the change is saved as version %(v)s.")
                    % {"v": saved.version},
                )
            else:
                messages.success(request, _("The scheme is saved."))
            return redirect(f"{reverse('centers:scheme-list')}#scheme-{saved.pk}")
    return _scheme_page(request, form, criteria, bands, scheme)
