"""Forms of the workflow's steps: scores, notes and reasons, decisions, evidence."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.errors import DomainError

from ..scoring import parse_points
from ._common import CRITERION_KEY, DATE_INPUT_FORMATS, NOTE_KEY, DateInput

# --- scores ---------------------------------------------------------------------------------


def _points_text(value):
    return f"{value.normalize():f}" if value is not None else ""


class ScoreForm(forms.Form):
    """One points field (`criterion_<id>`, the name the service's errors use) and one note
    per criterion of the registration's set. Keys for other criteria are passed on to the
    service, which refuses them."""

    def __init__(self, *args, registration, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria_set = registration.criteria_set
        self.rows = rows
        self.criteria = [row["criterion"] for row in rows]
        step = "0.5" if self.criteria_set.half_points else "1"
        for row in rows:
            criterion = row["criterion"]
            self.fields[f"criterion_{criterion.pk}"] = forms.CharField(
                label=_("Points"),
                required=False,
                initial=_points_text(row["points"]),
                widget=forms.NumberInput(
                    attrs={
                        "min": "0",
                        "max": _points_text(criterion.max_points),
                        "step": step,
                        "inputmode": "decimal",
                        "data-score": "",
                        "data-required": "1" if criterion.required else "",
                        "data-meet": _points_text(criterion.points_to_meet),
                    }
                ),
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Note"), required=False, max_length=500, initial=row["note"]
            )

    def clean(self):
        data = super().clean()
        for criterion in self.criteria:
            name = f"criterion_{criterion.pk}"
            try:
                parse_points(data.get(name), criterion, self.criteria_set.half_points, name)
            except DomainError as error:
                error.add_to_form(self)
        return data

    def _extra(self, pattern):
        return {
            match.group(1): value
            for key, value in (self.data or {}).items()
            if (match := pattern.match(key)) and key not in self.fields
        }

    def points(self):
        """{criterion id: typed points}, with any key for another criterion left in."""
        own = {c.pk: self.cleaned_data.get(f"criterion_{c.pk}") for c in self.criteria}
        return {**self._extra(CRITERION_KEY), **own}

    def notes(self):
        own = {c.pk: self.cleaned_data.get(f"note_{c.pk}", "") for c in self.criteria}
        return {**self._extra(NOTE_KEY), **own}

    def field_rows(self):
        """Per criterion: the criterion, what to fix, its points field and its note field."""
        return [
            {
                "criterion": row["criterion"],
                "to_fix": row.get("to_fix", ""),
                "points": self[f"criterion_{row['criterion'].pk}"],
                "note": self[f"note_{row['criterion'].pk}"],
            }
            for row in self.rows
        ]


# --- workflow actions ---------------------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, registration=None, **kwargs):
        super().__init__(*args, **kwargs)


class ApproveForm(NoteForm):
    """Approve; at the last level the decision number and date may be given (else numbered)."""

    decision_number = forms.CharField(
        label=_("Decision number"),
        required=False,
        max_length=50,
        help_text=_("Leave empty to number the decision automatically."),
    )
    decision_date = forms.DateField(
        label=_("Decision date"),
        required=False,
        widget=DateInput,
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("Leave empty for today."),
    )

    def __init__(self, *args, final=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not final:
            del self.fields["decision_number"]
            del self.fields["decision_date"]


class ReasonForm(forms.Form):
    """A reason, required by the service (its message lands next to the field)."""

    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, registration=None, **kwargs):
        super().__init__(*args, **kwargs)


class WithdrawForm(ReasonForm):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnForm(ReasonForm):
    """A reason, and an optional note per criterion saying what to fix (`note_<id>`)."""

    def __init__(self, *args, registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(registration.criteria_set.criteria.all())
        for criterion in self.criteria:
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=str(criterion),
                required=False,
                max_length=1000,
                widget=forms.TextInput(attrs={"placeholder": _("What to fix (optional)")}),
            )

    def criterion_notes(self):
        own = {c.pk: self.cleaned_data.get(f"note_{c.pk}", "") for c in self.criteria}
        extra = {
            match.group(1): value
            for key, value in (self.data or {}).items()
            if (match := NOTE_KEY.match(key)) and key not in self.fields
        }
        return {**extra, **{pk: note for pk, note in own.items() if note}}


class DecisionForm(forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=50, required=False)
    decision_date = forms.DateField(
        label=_("Decision date"), required=False, widget=DateInput, input_formats=DATE_INPUT_FORMATS
    )


class BulkApproveForm(forms.Form):
    decision_date = forms.DateField(
        label=_("Decision date"),
        required=False,
        widget=DateInput,
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("Leave empty for today."),
    )
    one_decision = forms.BooleanField(
        label=_("One decision for all the recognised files"), required=False
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG: a photo or a scan of the minutes."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=255)
