"""The citizen's self-assessment through a village's link or QR code: no login, nothing
shown back but "received" (not even whether the person was found), rate-limited."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from lib.errors import DomainError

from . import services, throttle
from .forms import SelfAssessmentForm


def _limited(request):
    response = render(request, "citizens/public/limited.html", status=429)
    response["Retry-After"] = str(throttle.window())
    return response


@login_not_required
def self_assessment(request, token):
    if throttle.is_limited(request):
        return _limited(request)
    link = services.open_link_by_token(token)
    criteria_set = None
    if link is not None:
        try:
            criteria_set = services.criteria_set_for(link.year)
        except DomainError:
            link = None
    if link is None:
        throttle.count(request)
        return render(request, "citizens/public/unknown.html", status=404)
    form = SelfAssessmentForm(
        request.POST if request.method == "POST" else None,
        criteria=list(criteria_set.criteria.all()),
    )
    if request.method == "POST" and form.is_valid():
        throttle.count(request)
        if not form.cleaned_data["website"]:
            try:
                services.receive_self_assessment(
                    link,
                    name=form.cleaned_data["name"],
                    birth_year=form.cleaned_data["birth_year"],
                    head_name=form.cleaned_data["head_name"],
                    answers=form.answers(),
                    digital_skills=form.cleaned_data["digital"],
                )
            except DomainError as error:
                error.add_to_form(form)
        if not form.errors:
            return render(request, "citizens/public/received.html")
    return render(
        request,
        "citizens/public/form.html",
        {"form": form, "link": link, "title": _("Learning citizen self-assessment")},
    )
