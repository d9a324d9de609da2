"""A centre's yearly rating: self-assessment, its page with the history, the steps
(submit, rate, return, publish) and its evidence files.

A step the user may not take now answers 200: a form step shows the predicate's reason in
place of its form; a button step (submit, publish) shows the rating's page again with the
reason next to its buttons. Nothing changes; another unit's rating is a 404 before this.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.dates import this_year
from lib.errors import DomainError
from lib.form_views import saved_or_none
from lib.storage import private_file_response

from .. import history, selectors, services, workflow
from ..forms import EvidenceForm, RateForm, ReturnForm, SelfAssessmentForm
from ..models import RatingStatus
from ..workflow import Action
from ._common import center_or_404, rating_or_404, rating_url


def rating_self_assess(request, pk):
    center = center_or_404(request, pk)
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
        rating_url,
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
            "problem": workflow.check_self_assess(request.user, center, rating),
        },
    )


def _rating_page(request, rating, problem=None):
    events = list(rating.events.select_related("actor"))
    return render(
        request,
        "centers/rating_detail.html",
        {
            "rating": rating,
            "center": rating.center,
            "scores": rating.scores.select_related("criterion"),
            "events": events,
            "timeline": history.timeline(events),
            "evidence": rating.evidence.all(),
            "actions": workflow.rating_actions(request.user, rating),
            "problem": problem,
            "returned": next((e for e in reversed(events) if e.action == Action.RETURN), None)
            if rating.status == RatingStatus.RETURNED
            else None,
            "bands": rating.scheme.bands.all(),
            "return_form": ReturnForm(),
            "evidence_form": EvidenceForm(),
        },
    )


def rating_detail(request, pk):
    return _rating_page(request, rating_or_404(request, pk))


def _button_step(request, pk, service, success):
    """A step taken by a button of the rating's page: done, a message and back to the page;
    refused, the page again with the reason next to the buttons (200), nothing changed."""
    rating = rating_or_404(request, pk)
    try:
        service(rating, by=request.user)
    except DomainError as error:
        # As it is now: someone may have taken a step meanwhile (read before the lock).
        return _rating_page(request, rating_or_404(request, pk), problem=error.message)
    messages.success(request, success)
    return redirect(rating_url(rating))


@require_POST
def rating_submit(request, pk):
    return _button_step(request, pk, services.submit_rating, _("Submitted to province staff."))


@require_POST
def rating_publish(request, pk):
    return _button_step(request, pk, services.publish_rating, _("The rating is published."))


def rating_rate(request, pk):
    rating = rating_or_404(request, pk)
    scores = list(rating.scores.select_related("criterion").order_by("criterion__number"))
    form = RateForm(request.POST or None, scores=scores)
    done = saved_or_none(
        request,
        form,
        lambda data: services.rate_center(
            rating, by=request.user, scores=form.scores(), reasons=form.reasons(), note=data["note"]
        ),
        _("The rating is saved. Publish it when it is final."),
        rating_url(rating),
    )
    return done or render(
        request,
        "centers/rating_rate.html",
        {
            "form": form,
            "rating": rating,
            "center": rating.center,
            "bands": rating.scheme.bands.all(),
            "problem": workflow.check_rate(request.user, rating),
        },
    )


def rating_return(request, pk):
    rating = rating_or_404(request, pk)
    form = ReturnForm(request.POST or None)
    done = saved_or_none(
        request,
        form,
        lambda data: services.return_rating(rating, by=request.user, reason=data["reason"]),
        _("The rating is returned to the commune."),
        rating_url(rating),
    )
    return done or render(
        request,
        "centers/rating_return.html",
        {
            "form": form,
            "rating": rating,
            "center": rating.center,
            "problem": workflow.check_return(request.user, rating),
        },
    )


def evidence_add(request, pk):
    rating = rating_or_404(request, pk)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    done = saved_or_none(
        request,
        form,
        lambda data: services.add_evidence(
            rating, data["file"], by=request.user, description=data["description"]
        ),
        _("The file is attached."),
        rating_url(rating),
    )
    return done or render(
        request,
        "centers/evidence_form.html",
        {
            "form": form,
            "rating": rating,
            "center": rating.center,
            "problem": workflow.check_add_evidence(request.user, rating),
        },
    )


def evidence_download(request, pk):
    evidence = get_object_or_404(selectors.evidence_visible_to(request.user), pk=pk)
    return private_file_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )
