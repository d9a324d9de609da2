"""The workflow's steps as pages: scoring, propose, approve, return, reject, withdraw, bulk
approve from the inbox, the decision of a recognition and its revocation.

Each step is a small form: GET shows it (or why it cannot be taken now), POST calls the one
service of that step. A refused step answers 200, the page showing the reason in place of
its form, and nothing changes (the centres' steps answer the same way); another unit's
registration is a 404 before any of this.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from lib.errors import DomainError
from lib.form_views import saved_or_none

from .. import pages, selectors, services, workflow
from ..forms import (
    ApproveForm,
    BulkApproveForm,
    DecisionForm,
    NoteForm,
    ReasonForm,
    ReturnForm,
    ScoreForm,
    WithdrawForm,
)
from ..household_facts import household_facts
from ..workflow import Action, Status
from ._common import posted, registration_or_404, registration_url
from .registrations import report_items


def score(request, pk):
    registration = registration_or_404(request, pk, page=True)
    return_event = pages.last_return(registration)
    rows = pages.score_rows(registration, return_event)
    form = ScoreForm(posted(request), registration=registration, rows=rows)
    done = saved_or_none(
        request,
        form,
        lambda data: services.save_scores(
            registration, by=request.user, points=form.points(), notes=form.notes()
        ),
        _("The scores were saved."),
        reverse("models_learning:registration-score", kwargs={"pk": registration.pk}),
    )
    if done:
        return done
    return render(
        request,
        "models_learning/registration_score.html",
        {
            "registration": registration,
            "criteria_set": registration.criteria_set,
            "form": form,
            "fields": form.field_rows(),
            "rows": rows,
            "assessment": pages.assessment_of(registration),
            "household_facts": household_facts(registration),
            "return_event": return_event,
            "problem": workflow.check_score(request.user, registration),
            "can_propose": workflow.can_propose(request.user, registration),
        },
    )


# Each step: its predicate, its form, the service call and what to say when done.
STEPS = {
    "propose": {
        "action": Action.PROPOSE,
        "form": NoteForm,
        "title": gettext_lazy("Propose for recognition"),
        "button": gettext_lazy("Propose"),
        "call": lambda r, user, data: services.propose_registration(r, by=user, note=data["note"]),
    },
    "approve": {
        "action": Action.APPROVE,
        "form": ApproveForm,
        "title": gettext_lazy("Approve"),
        "button": gettext_lazy("Approve"),
        "call": lambda r, user, data: services.approve_registration(
            r,
            by=user,
            note=data["note"],
            decision_number=data.get("decision_number") or None,
            decision_date=data.get("decision_date"),
        ),
    },
    "return": {
        "action": Action.RETURN,
        "form": ReturnForm,
        "title": gettext_lazy("Return for correction"),
        "button": gettext_lazy("Return to the commune"),
        "call": None,  # needs the form's notes per criterion: see `_call`
    },
    "reject": {
        "action": Action.REJECT,
        "form": ReasonForm,
        "title": gettext_lazy("Do not recognise"),
        "button": gettext_lazy("Do not recognise"),
        "call": lambda r, user, data: services.reject_registration(
            r, by=user, reason=data["reason"]
        ),
    },
    "withdraw": {
        "action": Action.WITHDRAW,
        "form": WithdrawForm,
        "title": gettext_lazy("Withdraw"),
        "button": gettext_lazy("Withdraw the registration"),
        "call": lambda r, user, data: services.withdraw_registration(
            r, by=user, reason=data["reason"]
        ),
    },
}


def _call(step, registration, user, form):
    if step == "return":
        return services.return_registration(
            registration,
            by=user,
            reason=form.cleaned_data["reason"],
            criterion_notes=form.criterion_notes(),
        )
    return STEPS[step]["call"](registration, user, form.cleaned_data)


def _done_message(step, registration):
    if step == "propose":
        return _("Proposed for recognition: it now waits at %(unit)s.") % {
            "unit": registration.awaiting_unit
        }
    if step == "approve" and registration.status == Status.RECOGNIZED:
        recognition = registration.recognition
        return _("Recognised: decision %(number)s, certificate code %(code)s.") % {
            "number": recognition.decision_number,
            "code": recognition.certificate_code,
        }
    if step == "approve":
        return _("Approved and sent on to %(unit)s.") % {"unit": registration.awaiting_unit}
    return {
        "return": _("Returned to the commune for correction."),
        "reject": _("Decided: not recognised."),
        "withdraw": _("The registration was withdrawn."),
    }[step]


def _step_form(step, registration, data):
    form_class = STEPS[step]["form"]
    if form_class is ApproveForm:
        final = pages.is_final_level(registration)
        return form_class(data, registration=registration, final=final)
    return form_class(data, registration=registration)


def step(request, pk, step):
    registration = registration_or_404(request, pk)
    form = _step_form(step, registration, posted(request))
    done = saved_or_none(
        request,
        form,
        lambda data: _call(step, registration, request.user, form),
        lambda result: _done_message(step, result),
        lambda result: registration_url(result),
    )
    if done:
        return done
    if request.method == "POST":
        # Refused: someone may have acted on the file meanwhile (two approvers at once); the
        # page shows it as it is now, not as it was read before the service's lock.
        registration = registration_or_404(request, pk)
    problem = workflow.CHECKS[STEPS[step]["action"]](request.user, registration)
    return render(
        request,
        "models_learning/registration_action.html",
        {
            "registration": registration,
            "form": form,
            "step": step,
            "title": STEPS[step]["title"],
            "button": STEPS[step]["button"],
            "problem": problem,
            "post_url": reverse(f"models_learning:registration-{step}", kwargs={"pk": pk}),
        },
    )


def propose(request, pk):
    return step(request, pk, "propose")


def approve(request, pk):
    return step(request, pk, "approve")


def return_for_correction(request, pk):
    return step(request, pk, "return")


def reject(request, pk):
    return step(request, pk, "reject")


def withdraw(request, pk):
    return step(request, pk, "withdraw")


@require_POST
def bulk_approve(request):
    form = BulkApproveForm(request.POST)
    ids = request.POST.getlist("registration")
    home = reverse("portal-home")
    if not ids:
        messages.error(request, _("Tick at least one proposal to approve."))
        return redirect(home)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(home)
    results = services.bulk_approve(
        ids,
        by=request.user,
        decision_date=form.cleaned_data["decision_date"],
        one_decision=form.cleaned_data["one_decision"],
    )
    report_items(
        request,
        results,
        done=lambda n: (
            ngettext(
                "%(count)s of %(total)s proposal approved.",
                "%(count)s of %(total)s proposals approved.",
                len(results),
            )
            % {"count": n, "total": len(results)}
        ),
    )
    return redirect(home)


# --- recognitions -------------------------------------------------------------------------


def _recognition_or_404(request, pk):
    return get_object_or_404(
        selectors.recognitions_visible_to(request.user).select_related(
            "registration__criteria_set", "registration__awaiting_unit"
        ),
        pk=pk,
    )


def decision(request, pk):
    """Correct the decision number and date until it is issued; issue it. Refused, either
    answers this page again (200) with the reason in place of its forms."""
    recognition = _recognition_or_404(request, pk)
    registration = recognition.registration
    issue = request.method == "POST" and "issue" in request.POST
    form = DecisionForm(
        None if issue else posted(request),
        initial={
            "decision_number": recognition.decision_number,
            "decision_date": recognition.decision_date,
        },
    )
    problem = workflow.check_edit_decision(request.user, registration)
    if issue:
        try:
            services.issue_decision(recognition, by=request.user)
        except DomainError as error:
            problem = error.message
        else:
            messages.success(request, _("The decision was issued: its number and date are fixed."))
            return redirect(registration_url(registration, "recognition"))
    # On "issue" the form is unbound: saving it does nothing.
    done = saved_or_none(
        request,
        form,
        lambda data: services.update_decision(
            recognition,
            by=request.user,
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
        ),
        _("The decision was saved."),
        registration_url(registration, "recognition"),
    )
    return done or render(
        request,
        "models_learning/recognition_decision.html",
        {
            "recognition": recognition,
            "registration": registration,
            "form": form,
            "problem": problem,
        },
    )


def revoke(request, pk):
    recognition = _recognition_or_404(request, pk)
    registration = recognition.registration
    form = ReasonForm(posted(request))
    done = saved_or_none(
        request,
        form,
        lambda data: services.revoke_recognition(
            recognition, by=request.user, reason=data["reason"]
        ),
        _("The recognition was revoked: the verification page now says so."),
        registration_url(registration, "recognition"),
    )
    return done or render(
        request,
        "models_learning/registration_action.html",
        {
            "registration": registration,
            "recognition": recognition,
            "form": form,
            "step": "revoke",
            "title": _("Revoke the recognition"),
            "button": _("Revoke"),
            "problem": workflow.check_revoke(request.user, registration),
            "post_url": reverse("models_learning:recognition-revoke", kwargs={"pk": pk}),
        },
    )
