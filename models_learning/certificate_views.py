"""Staff pages for certificates: one certificate as PDF, and batches run as background jobs."""

from django import forms
from django.db import models
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from jobs import runner
from lib.dates import this_year
from units.choice import UnitSearchChoiceField, register_scope

from . import certificates
from .models import ModelKind
from .selectors import recognitions_visible_to


@require_GET
@cache_control(private=True, no_store=True)
def certificate_pdf(request, code):
    recognition = get_object_or_404(
        certificates.with_related(recognitions_visible_to(request.user)),
        certificate_code=code.upper(),
    )
    if recognition.is_revoked:
        # A revoked title must not be printed again: the verify page says it is revoked.
        template = "models_learning/certificates/certificate_revoked.html"
        return render(request, template, {"recognition": recognition}, status=410)
    response = HttpResponse(
        certificates.render_certificate(recognition), content_type="application/pdf"
    )
    filename = f"giay-cong-nhan-{recognition.certificate_code}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


class Output(models.TextChoices):
    CERTIFICATES = "certificates", gettext_lazy("All certificates (PDF, one page each)")
    LIST_PDF = "list-pdf", gettext_lazy("List attached to the decision (PDF)")
    LIST_XLSX = "list-xlsx", gettext_lazy("List attached to the decision (Excel)")


def _commune_label(unit):
    if unit.valid_to:
        until = unit.valid_to.strftime("%d/%m/%Y")
        return _("%(name)s (until %(date)s)") % {"name": unit.name, "date": until}
    return unit.name


# The communes offered are a short list and a search box (thousands at country scale).
register_scope("certificates", certificates.batch_units)


class BatchForm(forms.Form):
    unit = UnitSearchChoiceField(
        label=gettext_lazy("Commune"),
        queryset=None,
        scope="certificates",
        label_from_instance=_commune_label,
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1990, max_value=2100)
    kind = forms.ChoiceField(
        label=gettext_lazy("Title"),
        choices=[("", gettext_lazy("Every title")), *ModelKind.choices],
        required=False,
    )
    decision_number = forms.CharField(
        label=gettext_lazy("Decision number"),
        max_length=50,
        required=False,
        help_text=gettext_lazy("Leave empty for every decision of the year."),
    )
    output = forms.ChoiceField(
        label=gettext_lazy("Make"),
        choices=Output.choices,
        initial=Output.CERTIFICATES,
        widget=forms.RadioSelect,
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = certificates.batch_units(user)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.recognitions = certificates.batch_recognitions(
            self.user,
            unit=data["unit"],
            year=data["year"],
            kind=data["kind"],
            decision_number=data["decision_number"],
        )
        if not self.recognitions.exists():
            raise forms.ValidationError(
                _("No recognition of that commune and year matches (revoked ones are left out).")
            )
        return data


def _job_title(data):
    facts = {"unit": data["unit"].name, "year": data["year"]}
    if data["output"] == Output.CERTIFICATES:
        return _("Certificates of %(unit)s, %(year)s") % facts
    if data["output"] == Output.LIST_XLSX:
        return _("Decision list of %(unit)s, %(year)s (Excel)") % facts
    return _("Decision list of %(unit)s, %(year)s (PDF)") % facts


def batch(request):
    form = BatchForm(
        request.user,
        request.POST or None,
        initial={"year": this_year(), "output": Output.CERTIFICATES},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        params = {
            "unit": data["unit"].pk,
            "year": data["year"],
            "kind": data["kind"],
            "decision_number": data["decision_number"].strip(),
        }
        if data["output"] == Output.CERTIFICATES:
            kind = "certificates-batch"
        else:
            kind = "decision-list"
            params["format"] = "xlsx" if data["output"] == Output.LIST_XLSX else "pdf"
        job = runner.start_job(kind, by=request.user, title=_job_title(data), params=params)
        return redirect("jobs:job-detail", pk=job.pk)
    return render(request, "models_learning/certificates/batch_form.html", {"form": form})
