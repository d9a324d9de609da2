"""Staff pages of learning citizens (under /portal/citizens/): thin views over the scoped
selectors and the services. Another commune's household, person, link or sheet is a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lib.dates import this_year
from lib.errors import DomainError
from lib.text import normalise
from models_learning import workflow as learning_workflow
from units.models import Level, Unit, Village
from units.scoping import scope_of, scoped, units_visible_to

from . import selectors, services
from .adults import is_adult
from .forms import AssessmentForm, ConfirmForm
from .models import SelfAssessment
from .qr import link_url, qr_svg
from .targets import BASIS, citizen_target, digital_target, staff_target


def _year(request):
    """(year, problem): the asked year, or this year and the reason the asked one is refused."""
    raw = request.POST.get("year") or request.GET.get("year")
    if not raw:
        return this_year(), None
    try:
        return services.check_year(raw), None
    except DomainError as error:
        return this_year(), error.message


def _criteria(year):
    try:
        return services.criteria_set_for(year), None
    except DomainError as error:
        return None, error.message


def _communes(user):
    """Today's communes of the user's units, for the links to the commune pages."""
    scope = scope_of(user)
    units = Unit.objects.none()
    if scope.is_superuser or scope.memberships:
        units = units_visible_to(user).filter(level=Level.COMMUNE, valid_to__isnull=True)
    return units.order_by("name", "pk")[:200]


def index(request):
    year, problem = _year(request)
    q = request.GET.get("q", "")[:100]
    households = selectors.households_visible_to(request.user).order_by(
        "head_name_normalised", "id"
    )
    if normalise(q):
        households = households.filter(head_name_normalised__contains=normalise(q))
    page = Paginator(households, 50).get_page(request.GET.get("page"))
    pending = (
        selectors.sheets_visible_to(request.user)
        .filter(status=SelfAssessment.Status.RECEIVED)
        .count()
    )
    return render(
        request,
        "citizens/index.html",
        {
            "year": year,
            "problem": problem,
            "q": q,
            "page_obj": page,
            "querystring": f"q={q}&year={year}" if q else f"year={year}",
            "pending": pending,
            "communes": _communes(request.user),
        },
    )


def commune(request, pk):
    unit = get_object_or_404(units_visible_to(request.user), pk=pk, level=Level.COMMUNE)
    year, problem = _year(request)
    links = {
        link.village_id: link
        for link in selectors.links_visible_to(request.user).filter(
            commune=unit, year=year, closed_at__isnull=True
        )
    }
    rows = [
        {"village": village, "shares": shares, "link": links.get(village.pk)}
        for village, shares in selectors.shares_by_village(unit, year)
    ]
    total = selectors.Shares(target=citizen_target(year))
    for row in rows:
        total.add(row["shares"])
    sheets = selectors.sheets_visible_to(request.user).filter(
        commune=unit, status=SelfAssessment.Status.RECEIVED
    )
    organisations = selectors.staff_by_organisation(unit, year)
    staff_total = selectors.Shares(target=staff_target(year))
    for _organisation, shares in organisations:
        staff_total.add(shares)
    return render(
        request,
        "citizens/commune.html",
        {
            "unit": unit,
            "year": year,
            "problem": problem,
            "rows": rows,
            "total": total,
            "basis": BASIS,
            "digital_target": digital_target(year),
            "sheets": sheets,
            "organisations": organisations,
            "staff_total": staff_total,
            "can_assess": learning_workflow.can_register(request.user, unit) and unit.is_current,
        },
    )


def household(request, pk):
    found = get_object_or_404(selectors.households_visible_to(request.user), pk=pk)
    year, problem = _year(request)
    criteria_set, missing = _criteria(year)
    adults = selectors.household_adults(found, year)
    refusal = learning_workflow.check_register(request.user, found.commune)
    can_assess = refusal is None
    if request.method == "POST" and refusal:
        problem = problem or refusal
    rows = []
    if criteria_set is not None:
        criteria = list(criteria_set.criteria.all())
        data = request.POST if request.method == "POST" else None
        rows = [
            {
                "member": member,
                "result": result,
                "form": AssessmentForm(
                    data, criteria=criteria, result=result, prefix=f"m{member.pk}"
                ),
            }
            for member, result in adults
        ]
    if (
        request.method == "POST"
        and can_assess
        and criteria_set is not None
        and not problem
        and all(row["form"].is_valid() for row in rows)
    ):
        problem = save_assessment(request, services.assess_household, found, year, rows, "member")
        if not problem:
            return redirect(f"{reverse('citizens:household', args=[found.pk])}?year={year}")
    return render(
        request,
        "citizens/household.html",
        {
            "household": found,
            "year": year,
            "problem": problem or missing,
            "rows": rows,
            "adults": adults,
            "criteria_set": criteria_set,
            "can_assess": can_assess,
        },
    )


def person(request, pk):
    member = get_object_or_404(selectors.members_visible_to(request.user), pk=pk)
    year, problem = _year(request)
    criteria_set, missing = _criteria(year)
    results = list(member.citizen_results.select_related("assessed_by").order_by("-year"))
    result = next((r for r in results if r.year == year), None)
    refusal = learning_workflow.check_register(request.user, member.household.commune)
    can_assess = refusal is None
    if request.method == "POST" and refusal:
        problem = problem or refusal
    adult = is_adult(member, year)
    form = None
    if criteria_set is not None and adult:
        form = AssessmentForm(
            request.POST if request.method == "POST" else None,
            criteria=criteria_set.criteria.all(),
            result=result,
        )
        del form.fields["assess"]
    if (
        request.method == "POST"
        and can_assess
        and form is not None
        and not problem
        and form.is_valid()
    ):
        try:
            services.record_result(
                member,
                by=request.user,
                year=year,
                answers=form.answers(),
                digital_skills=form.cleaned_data["digital"],
            )
        except DomainError as error:
            problem = error.message
        else:
            messages.success(request, _("Saved the result of %(name)s.") % {"name": member})
            return redirect(f"{reverse('citizens:person', args=[member.pk])}?year={year}")
    if not adult:
        problem = problem or _(
            "%(name)s is not an adult in %(year)s: only adults are assessed."
        ) % {
            "name": member.name,
            "year": year,
        }
    return render(
        request,
        "citizens/person.html",
        {
            "member": member,
            "year": year,
            "problem": problem or missing,
            "results": results,
            "result": result,
            "form": form,
            "criteria_set": criteria_set,
            "can_assess": can_assess and adult,
        },
    )


@require_POST
def link_open(request, pk):
    village = get_object_or_404(
        scoped(Village.objects.select_related("commune"), request.user, "commune__path"), pk=pk
    )
    year, problem = _year(request)
    try:
        if problem:
            raise DomainError(problem)
        link = services.open_village_link(village, by=request.user, year=year)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(f"{reverse('citizens:commune', args=[village.commune_id])}?year={year}")
    return redirect("citizens:link", pk=link.pk)


def link(request, pk):
    found = get_object_or_404(selectors.links_visible_to(request.user), pk=pk)
    url = link_url(found)
    return render(
        request,
        "citizens/link.html",
        {"link": found, "url": url, "qr": qr_svg(url) if found.closed_at is None else ""},
    )


@require_POST
def link_close(request, pk):
    found = get_object_or_404(selectors.links_visible_to(request.user), pk=pk)
    try:
        services.close_village_link(found, by=request.user)
        messages.success(request, _("The link is closed: its QR code takes no more sheets."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("citizens:link", pk=found.pk)


def sheet(request, pk):
    found = get_object_or_404(selectors.sheets_visible_to(request.user), pk=pk)
    members = selectors.ranked_members(found, services.likely_members(found))
    form = ConfirmForm(request.POST if request.method == "POST" else None, members=members)
    problem = None
    if request.method == "POST":
        try:
            if "set_aside" in request.POST:
                services.set_aside_self_assessment(found, by=request.user)
                messages.success(request, _("The sheet is set aside."))
                return redirect("citizens:commune", pk=found.commune_id)
            if form.is_valid():
                result = services.confirm_self_assessment(
                    found, by=request.user, member=form.chosen_member()
                )
                messages.success(
                    request,
                    _("Confirmed: the result of %(name)s is saved.") % {"name": result.member.name},
                )
                return redirect(
                    f"{reverse('citizens:person', args=[result.member_id])}?year={result.year}"
                )
        except DomainError as error:
            problem = error.message
    criteria_set, _missing = _criteria(found.link.year)
    return render(
        request,
        "citizens/sheet.html",
        {
            "sheet": found,
            "form": form,
            "problem": problem,
            "criteria": list(criteria_set.criteria.all()) if criteria_set else [],
            "can_decide": found.status == SelfAssessment.Status.RECEIVED
            and learning_workflow.can_register(request.user, found.commune),
        },
    )


def save_assessment(request, assess, owner, year, rows, key):
    """Save the POSTed assessment `rows` of `owner`'s people (each row's person under `key`)
    through `assess`, all or none: the problem to show, or None when saved (and said so)."""
    try:
        saved = assess(
            owner,
            by=request.user,
            year=year,
            rows=[
                {
                    key: row[key],
                    "skip": not row["form"].cleaned_data["assess"],
                    "answers": row["form"].answers(),
                    "digital_skills": row["form"].cleaned_data["digital"],
                }
                for row in rows
            ],
        )
    except DomainError as error:
        return error.message
    count = len(saved)
    messages.success(
        request,
        ngettext(
            "Saved the result of %(count)s person.",
            "Saved the results of %(count)s people.",
            count,
        )
        % {"count": count},
    )
    return None
