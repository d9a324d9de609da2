"""Criteria sets: every staff user reads them; province staff create and edit them (an
edit of a set already used makes a new version, and the page says so)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lib.errors import DomainError
from lib.params import whole_number

from .. import selectors, services, workflow
from ..forms import CriteriaSetForm, CriterionForm, CriterionFormSet, criteria_of
from ..models import CriteriaKind, CriteriaSet, Criterion
from ._common import posted


def _sets():
    return CriteriaSet.objects.prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("number"))
    )


def criteria_list(request):
    show_all = request.GET.get("all") == "1"
    kind = request.GET.get("kind") if request.GET.get("kind") in CriteriaKind.values else None
    sets = selectors.criteria_sets(kind=kind, current_only=not show_all).select_related(
        "previous_version"
    )
    return render(
        request,
        "models_learning/criteriaset_list.html",
        {
            "sets": sets,
            "show_all": show_all,
            "kind": kind,
            "kinds": CriteriaKind.choices,
            "can_manage": workflow.can_manage_criteria(request.user),
            "counted_up_to": selectors.REGISTRATIONS_COUNTED,
        },
    )


def _save(request, form, formset, save):
    """Run `save` on valid input; a broken rule goes next to its field (or on top)."""
    if request.method != "POST" or "add_rows" in request.POST:
        return None
    if not (form.is_valid() and formset.is_valid()):
        return None
    try:
        return save(form.set_fields(), criteria_of(formset))
    except DomainError as error:
        error.add_to_form(form)
        return None


def _more_rows(request):
    """The criteria typed so far and two empty rows more (no JS needed)."""
    typed = request.POST.get("criteria-TOTAL_FORMS")
    total = whole_number(typed, digits=3) or 0
    keys = list(CriterionForm.base_fields)
    rows = [
        {k: request.POST.get(f"criteria-{i}-{k}", "") for k in keys} for i in range(min(total, 50))
    ]
    return CriterionFormSet(initial=[r for r in rows if r["title"]], prefix="criteria")


def criteria_create(request):
    if not workflow.can_manage_criteria(request.user):
        raise PermissionDenied(_("Only province staff manage criteria sets."))
    source = None
    copy = whole_number(request.GET.get("copy"))
    if copy is not None:
        source = get_object_or_404(_sets(), pk=copy)
    initial = (
        CriteriaSetForm.initial_from(source) if source else {"approval_levels": "commune,province"}
    )
    if source:
        initial.update(kind=source.kind, name=_("%(name)s (copy)") % {"name": source.name})
    form = CriteriaSetForm(posted(request), initial=initial)
    criteria = [CriterionForm.initial_from(c) for c in source.criteria.all()] if source else []
    formset = CriterionFormSet(posted(request), prefix="criteria", initial=criteria)
    created = _save(
        request,
        form,
        formset,
        lambda fields, rows: services.create_criteria_set(
            by=request.user,
            code=form.cleaned_data["code"],
            kind=form.cleaned_data["kind"],
            criteria=rows,
            **fields,
        ),
    )
    if created:
        messages.success(request, _("The criteria set was created."))
        return redirect("models_learning:criteria-edit", pk=created.pk)
    if "add_rows" in request.POST:
        formset = _more_rows(request)
    return render(
        request,
        "models_learning/criteriaset_form.html",
        {"form": form, "formset": formset, "criteria_set": None, "source": source},
    )


def criteria_edit(request, pk):
    criteria_set = get_object_or_404(_sets().select_related("previous_version"), pk=pk)
    can_edit = workflow.can_manage_criteria(request.user) and criteria_set.is_current
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Only province staff edit the current version of a criteria set."))
    context = {
        "criteria_set": criteria_set,
        "criteria": list(criteria_set.criteria.all()),
        "can_edit": can_edit,
        "used_by": criteria_set.registrations.count(),
        "current": None
        if criteria_set.is_current
        else CriteriaSet.objects.filter(code=criteria_set.code, is_current=True).first(),
    }
    if not can_edit:
        return render(request, "models_learning/criteriaset_detail.html", context)
    form = CriteriaSetForm(
        posted(request),
        criteria_set=criteria_set,
        initial=CriteriaSetForm.initial_from(criteria_set),
    )
    formset = CriterionFormSet(
        posted(request),
        prefix="criteria",
        initial=[CriterionForm.initial_from(c) for c in context["criteria"]],
    )
    saved = _save(
        request,
        form,
        formset,
        lambda fields, rows: services.update_criteria_set(
            criteria_set, by=request.user, criteria=rows, **fields
        ),
    )
    if saved and saved.pk != criteria_set.pk:
        messages.success(
            request,
            _(
                "This set is used by registrations, so your changes were saved as version "
                "%(new)s. Registrations already made keep version %(old)s; new ones take "
                "version %(new)s."
            )
            % {"new": saved.version, "old": criteria_set.version},
        )
    elif saved:
        messages.success(request, _("The criteria set was saved."))
    if saved:
        return redirect(reverse("models_learning:criteria-edit", kwargs={"pk": saved.pk}))
    if "add_rows" in request.POST:
        formset = _more_rows(request)
    context.update(form=form, formset=formset)
    return render(request, "models_learning/criteriaset_form.html", context)
