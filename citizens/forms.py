"""Input of the learning-citizen pages: an assessment (met / not met per criterion, digital
skills) for one person, and the self-assessment sheet citizens fill in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.text import nfc


class AssessmentForm(forms.Form):
    """One person's answers: a checkbox per criterion of the set (ticked: met)."""

    assess = forms.BooleanField(label=_("Assess now"), required=False, initial=True)
    digital = forms.BooleanField(label=_("Has digital skills"), required=False)

    def __init__(self, *args, criteria, result=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = sorted(criteria, key=lambda c: c.number)
        answers = result.answers if result is not None else {}
        for criterion in self.criteria:
            self.fields[f"c{criterion.number}"] = forms.BooleanField(
                label=f"{criterion.number}. {criterion.title}",
                required=False,
                initial=bool(answers.get(str(criterion.number))),
            )
        if result is not None:
            self.fields["digital"].initial = result.digital_skills

    def criterion_fields(self):
        return [self[f"c{c.number}"] for c in self.criteria]

    def answers(self):
        return {str(c.number): bool(self.cleaned_data.get(f"c{c.number}")) for c in self.criteria}


class SelfAssessmentForm(forms.Form):
    name = forms.CharField(label=_("Your full name"), max_length=200)
    birth_year = forms.IntegerField(label=_("Your year of birth"), min_value=1900, max_value=2100)
    head_name = forms.CharField(label=_("Head of your household"), max_length=200, required=False)
    digital = forms.BooleanField(
        label=_("I can use a smartphone or computer and the Internet safely"), required=False
    )
    # A field no person sees: a robot filling every field is told "received" and nothing kept.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = sorted(criteria, key=lambda c: c.number)
        for criterion in self.criteria:
            self.fields[f"c{criterion.number}"] = forms.BooleanField(
                label=f"{criterion.number}. {criterion.title}",
                help_text=criterion.guidance,
                required=False,
            )

    def clean_name(self):
        return nfc(self.cleaned_data["name"]).strip()

    def answers(self):
        return {str(c.number): bool(self.cleaned_data.get(f"c{c.number}")) for c in self.criteria}


class ConfirmForm(forms.Form):
    member = forms.TypedChoiceField(label=_("This sheet is from"), coerce=int, choices=())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {m.pk: m for m in members}
        self.fields["member"].choices = [
            (
                m.pk,
                _("%(name)s (%(year)s) · household of %(head)s")
                % {"name": m.name, "year": m.birth_year or "?", "head": m.household.head_name},
            )
            for m in members
        ]

    def chosen_member(self):
        return self.members.get(self.cleaned_data["member"])


class StaffForm(forms.Form):
    """A staff member's details; the years are checked by citizens.staff (one message each)."""

    name = forms.CharField(label=_("Full name"), max_length=200)
    birth_year = forms.CharField(
        label=_("Year of birth"),
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
    )
    position = forms.CharField(label=_("Position"), required=False, max_length=120)
    first_year = forms.CharField(
        label=_("On the staff since (year)"),
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
    )
    last_year = forms.CharField(
        label=_("Left in (year)"),
        required=False,
        max_length=4,
        help_text=_("Leave empty while the person is on the staff."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
    )

    def values(self):
        return {key: self.cleaned_data.get(key) for key in self.fields}
