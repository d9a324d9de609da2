"""Rating schemes: province staff list, create and edit them (an edit of a scheme already
used makes its next version, and the page says so)."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lib.dates import this_year
from lib.errors import DomainError

from .. import services, workflow
from ..forms import BandFormSet, CriterionFormSet, NewSchemeForm, SchemeForm, formset_rows
from ..models import RatingScheme
from ._common import role_required


def scheme_list(request):
    role_required(workflow.check_manage_schemes(request.user))
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
    role_required(workflow.check_manage_schemes(request.user))
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
    role_required(workflow.check_manage_schemes(request.user))
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
