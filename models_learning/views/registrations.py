"""The registration list, a new registration, the page of one registration, carry-over."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lib.dates import this_year
from lib.errors import DomainError
from lib.params import whole_number

from .. import pages, selectors, services
from ..forms import (
    CarryOverForm,
    ClanForm,
    CommuneChoiceForm,
    CommunityForm,
    ExistingHouseholdForm,
    HouseholdForm,
    MemberFormSet,
    OrganisationForm,
    StartForm,
    members_of,
)
from ..models import ModelKind
from ._common import posted, registration_or_404, registration_url

# Per-item messages after a bulk action; the rest are summed up in one line.
MAX_ITEM_MESSAGES = 30


def registration_list(request):
    form, search, queryset = pages.filtered_registrations(request.user, request.GET)
    return render(
        request,
        "models_learning/registration_list.html",
        {
            "form": form,
            "page_obj": pages.paginate(request, queryset),
            "querystring": pages.querystring(request.GET),
            "sort": pages.sort_links(request.GET, search.get("ordering") or "-year"),
            "can_register": pages.registering_communes(request.user).exists(),
            # The sort field always sends a value: only another order than the default counts.
            "filtered": any(
                request.GET.get(k) for k in ("year", "kind", "status", "unit", "unit_q")
            )
            or (request.GET.get("sort") or selectors.DEFAULT_ORDERING)
            != selectors.DEFAULT_ORDERING,
        },
    )


def registration_detail(request, pk):
    registration = registration_or_404(request, pk, page=True)
    return render(
        request,
        "models_learning/registration_detail.html",
        pages.registration_page(request.user, registration),
    )


# --- a new registration ---------------------------------------------------------------------


def _chosen_commune(request, communes):
    """(the commune the new registration is for, the form that chose it or None).

    With one commune, that one. A user of several communes (a province's staff, a superuser)
    chooses it first, from a short list and a search box: the village, clan and organisation
    lists then hold that commune's only. The choice travels as `commune` in the query string,
    then in the posted form; one outside the user's communes is refused by the form."""
    if len(communes) == 1:
        return communes[0], None
    params = request.POST if request.method == "POST" else request.GET
    bound = "commune" in params or "commune_q" in params
    chooser = CommuneChoiceForm(
        params if bound else None, communes=pages.registering_communes(request.user)
    )
    commune = chooser.cleaned_data["commune"] if bound and chooser.is_valid() else None
    return commune, chooser


def _villages(user, commune):
    return pages.registering_villages(user).filter(commune=commune)


def _subject_forms(request, kind, commune):
    """The form(s) that name the subject of a new registration of `kind` in `commune`."""
    data = posted(request)
    if kind == ModelKind.FAMILY:
        return {
            "form": HouseholdForm(data, villages=_villages(request.user, commune)),
            "members": MemberFormSet(data, prefix="members"),
        }
    if kind == ModelKind.CLAN:
        clans = pages.clans_of(request.user).filter(commune=commune)
        return {"form": ClanForm(data, clans=clans)}
    if kind == ModelKind.COMMUNITY:
        return {"form": CommunityForm(data, villages=_villages(request.user, commune))}
    organisations = pages.organisations_of(request.user).filter(commune=commune)
    return {"form": OrganisationForm(data, organisations=organisations)}


def _register(user, kind, year, forms, confirm, commune):
    """Create the subject if it is new and register it (all in the services)."""
    data = forms["form"].cleaned_data
    if kind == ModelKind.FAMILY:
        new = {k: data[k] for k in ("village", "head_name", "head_birth_year", "address", "phone")}
        new["members"] = members_of(forms["members"])
        return services.register_household(
            by=user, year=year, new_household=new, confirm_duplicate=confirm
        )
    if kind == ModelKind.CLAN:
        subject = data["clan"] or services.create_clan(
            by=user,
            commune=commune,
            surname=data["surname"],
            branch=data["branch"],
            representative=data["representative"],
        )
    elif kind == ModelKind.COMMUNITY:
        subject = data["village"]
    else:
        subject = data["organisation"] or services.create_organisation(
            by=user, commune=commune, name=data["name"], kind=data["kind"]
        )
    return services.register_subject(by=user, year=year, subject=subject)


def _criteria_set_preview(kind, year, commune):
    try:
        return services.criteria_set_for(kind, year, commune), ""
    except DomainError as error:
        return None, error.message


def registration_create(request):
    # Whether the user registers anywhere, where first, and in more than one commune: two rows
    # answer all three (a user of several chooses the commune next: a superuser has thousands).
    communes = list(pages.registering_communes(request.user)[:2])
    if not communes:
        raise PermissionDenied(_("Only a commune's officer registers and carries files over."))
    start = StartForm(
        request.GET if "kind" in request.GET else None,
        initial={"kind": ModelKind.FAMILY, "year": this_year()},
    )
    context = {"start": start}
    if not start.is_bound or not start.is_valid():
        return render(request, "models_learning/registration_start.html", context)
    kind, year = start.cleaned_data["kind"], start.cleaned_data["year"]
    context.update(kind=kind, kind_label=ModelKind(kind).label, year=year)
    commune, chooser = _chosen_commune(request, communes)
    if commune is None:
        context["form"] = chooser
        return render(request, "models_learning/registration_commune.html", context)
    forms = _subject_forms(request, kind, commune)
    context.update(forms, commune=commune, chooser=chooser, duplicates=[])
    context["criteria_set"], context["no_set"] = _criteria_set_preview(kind, year, commune)
    if request.method == "POST" and kind == ModelKind.FAMILY and "household" in request.POST:
        return _register_existing(request, context, year)
    if request.method == "POST" and "add_members" in request.POST:
        # Only more rows asked for: show what was typed, without errors.
        typed = {name: request.POST.get(name) for name in forms["form"].fields}
        context["form"] = HouseholdForm(initial=typed, villages=_villages(request.user, commune))
        context["members"] = _more_member_rows(request)
    elif request.method == "POST" and all(f.is_valid() for f in forms.values()):
        try:
            # A new clan or organisation is kept only if its registration succeeds too.
            with transaction.atomic():
                registration = _register(
                    request.user,
                    kind,
                    year,
                    forms,
                    confirm="confirm_duplicate" in request.POST,
                    commune=commune,
                )
        except services.DuplicateWarning as warning:
            warning.add_to_form(forms["form"])
            context["duplicates"] = pages.duplicate_rows(request.user, warning.matches)
        except DomainError as error:
            error.add_to_form(forms["form"])
        else:
            messages.success(request, _("Registered: %(name)s.") % {"name": registration})
            return redirect(registration_url(registration))
    return render(request, "models_learning/registration_form.html", context)


def _more_member_rows(request):
    """The members typed so far, with three more empty rows (no JS needed)."""
    total = min(whole_number(request.POST.get("members-TOTAL_FORMS"), digits=3) or 0, 30)
    keys = ("name", "birth_year", "relationship", "schooling")
    rows = [{k: request.POST.get(f"members-{i}-{k}", "") for k in keys} for i in range(total)]
    return MemberFormSet(initial=[row for row in rows if row["name"]], prefix="members")


def _register_existing(request, context, year):
    """Register a household already entered (the duplicate warning offers it)."""
    form = ExistingHouseholdForm(request.POST, households=pages.households_of(request.user))
    if form.is_valid():
        try:
            registration = services.register_household(
                by=request.user, year=year, household=form.cleaned_data["household"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Registered: %(name)s.") % {"name": registration})
            return redirect(registration_url(registration))
    else:
        messages.error(request, _("Choose a household of your commune."))
    return render(request, "models_learning/registration_form.html", context)


# --- carry-over --------------------------------------------------------------------------


def carry_over(request):
    communes = pages.registering_communes(request.user)
    first = communes.first()
    if first is None:
        raise PermissionDenied(_("Only a commune's officer registers and carries files over."))
    params = request.POST if request.method == "POST" else request.GET
    if "year" not in params:
        params = {"unit": first.pk, "year": this_year()}
    form = CarryOverForm(params, communes=communes)
    context = {"form": form, "page_obj": None}
    if form.is_valid():
        unit, year = form.cleaned_data["unit"], form.cleaned_data["year"]
        if request.method == "POST":
            return _carry_over(request, unit, year)
        page = pages.paginate(request, pages.carry_over_sources(request.user, unit, year), 100)
        taken = pages.already_registered(page.object_list, year)
        rows = [
            {
                "registration": r,
                "already": (r.kind, getattr(r, f"{pages.subject_field(r.kind)}_id")) in taken,
            }
            for r in page.object_list
        ]
        context.update(
            unit=unit,
            year=year,
            page_obj=page,
            rows=rows,
            querystring=pages.querystring(request.GET),
        )
    return render(request, "models_learning/carry_over.html", context)


def _carry_over(request, unit, year):
    everything = "all" in request.POST
    picked = (whole_number(raw) for raw in request.POST.getlist("registration"))
    ids = None if everything else [pk for pk in picked if pk is not None]
    back = f"{reverse('models_learning:carry-over')}?unit={unit.pk}&year={year}"
    if not everything and not ids:
        messages.error(request, _("Tick at least one registration, or carry over all of them."))
        return redirect(back)
    try:
        results = services.carry_over_registrations(
            by=request.user, unit=unit, year=year, registration_ids=ids
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    report_items(
        request,
        results,
        done=lambda n: (
            ngettext(
                "%(count)s registration carried over to %(year)s.",
                "%(count)s registrations carried over to %(year)s.",
                n,
            )
            % {"count": n, "year": year}
        ),
    )
    return redirect(back)


def report_items(request, results, *, done):
    """One message per item (capped), named by its registration, then a tally."""
    ok = [r for r in results if r.ok]
    unnamed = [r.source_id for r in results[:MAX_ITEM_MESSAGES] if r.registration is None]
    names = dict(
        selectors.registrations_visible_to(request.user)
        .filter(pk__in=unnamed)
        .values_list("pk", "subject_name")
    )
    for result in results[:MAX_ITEM_MESSAGES]:
        if result.registration is not None:
            name = result.registration.subject_name
        else:
            name = names.get(result.source_id, f"#{result.source_id}")
        level = messages.SUCCESS if result.ok else messages.ERROR
        messages.add_message(request, level, f"{name}: {result.message}")
    if len(results) > MAX_ITEM_MESSAGES:
        failed = len([r for r in results[MAX_ITEM_MESSAGES:] if not r.ok])
        messages.info(
            request,
            ngettext(
                "%(count)s more item not listed, %(failed)s of them refused.",
                "%(count)s more items not listed, %(failed)s of them refused.",
                len(results) - MAX_ITEM_MESSAGES,
            )
            % {"count": len(results) - MAX_ITEM_MESSAGES, "failed": failed},
        )
    messages.info(request, done(len(ok)))
