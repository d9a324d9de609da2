"""Staff pages about the staff of organisations (under /portal/citizens/): an organisation's
staff with their results of a year, assessed on one page, and a staff member added or
corrected. Another commune's organisation or person is a 404."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lib.dates import this_year
from lib.errors import DomainError
from models_learning import workflow as learning_workflow

from . import selectors
from . import staff as staff_services
from .forms import AssessmentForm, StaffForm
from .shares import Shares
from .targets import staff_target
from .views import _criteria, _year, save_assessment


def _page_of(organisation, year):
    return f"{reverse('citizens:organisation', args=[organisation.pk])}?year={year}"


def _assessment_rows(staff, criteria, data):
    return [
        {
            "staff": person,
            "result": result,
            "form": AssessmentForm(data, criteria=criteria, result=result, prefix=f"s{person.pk}"),
        }
        for person, result, present in staff
        if present
    ]


def organisation(request, pk):
    found = get_object_or_404(selectors.organisations_visible_to(request.user), pk=pk)
    year, problem = _year(request)
    criteria_set, missing = _criteria(year)
    staff = selectors.organisation_staff(found, year)
    refusal = learning_workflow.check_register(request.user, found.commune)
    if request.method == "POST" and refusal:
        problem = problem or refusal
    rows = []
    if criteria_set is not None:
        data = request.POST if request.method == "POST" else None
        rows = _assessment_rows(staff, list(criteria_set.criteria.all()), data)
    if (
        request.method == "POST"
        and refusal is None
        and criteria_set is not None
        and not problem
        and all(row["form"].is_valid() for row in rows)
    ):
        problem = save_assessment(
            request, staff_services.assess_organisation, found, year, rows, "staff"
        )
        if not problem:
            return redirect(_page_of(found, year))
    shares = Shares(target=staff_target(year))
    for _person, result, present in staff:
        if present:
            shares.adults += 1
            shares.assessed += result is not None
            shares.achieved += bool(result and result.achieved)
            shares.digital += bool(result and result.achieved and result.digital_skills)
    return render(
        request,
        "citizens/organisation.html",
        {
            "organisation": found,
            "year": year,
            "problem": problem or missing,
            "staff": staff,
            "rows": rows,
            "shares": shares,
            "criteria_set": criteria_set,
            "can_assess": refusal is None,
        },
    )


def _staff_form(request, organisation, person):
    """The add and edit pages: the form, the service on POST, the page again on a refusal."""
    initial = (
        {"first_year": this_year()}
        if person is None
        else {
            "name": person.name,
            "birth_year": person.birth_year or "",
            "position": person.position,
            "first_year": person.first_year,
            "last_year": person.last_year or "",
        }
    )
    form = StaffForm(request.POST if request.method == "POST" else None, initial=initial)
    refusal = learning_workflow.check_register(request.user, organisation.commune)
    problem = refusal
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            if person is None:
                saved = staff_services.add_staff_member(
                    organisation, by=request.user, **form.values()
                )
            else:
                saved = staff_services.update_staff_member(person, by=request.user, **form.values())
        except DomainError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                problem = error.message
        else:
            messages.success(request, _("Saved: %(name)s.") % {"name": saved.name})
            return redirect(_page_of(organisation, this_year()))
    return render(
        request,
        "citizens/staff_form.html",
        {
            "organisation": organisation,
            "person": person,
            "form": form,
            "problem": problem,
            "can_edit": refusal is None,
            "cancel_url": _page_of(organisation, this_year()),
        },
    )


def staff_add(request, pk):
    found = get_object_or_404(selectors.organisations_visible_to(request.user), pk=pk)
    return _staff_form(request, found, None)


def staff_edit(request, pk):
    person = get_object_or_404(selectors.staff_visible_to(request.user), pk=pk)
    return _staff_form(request, person.organisation, person)
