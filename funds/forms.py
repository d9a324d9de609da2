"""The funds' forms: input checks only; the rules are in funds.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.dates import local_today, this_year

from .models import AWARD_PURPOSES, PURPOSES, SOURCES, TRANSFERS, Category, FundKind, Method

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FundForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=FundKind.choices)
    first_year = forms.IntegerField(label=_("First year of the book"))
    allow_negative = forms.BooleanField(
        label=_("The fund may go below zero (advances allowed by its rules)"), required=False
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["first_year"].initial = this_year()


class EntryForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    amount = forms.CharField(
        label=_("Amount (VND)"), max_length=30, help_text=_("Whole đồng, e.g. 1.500.000")
    )
    category = forms.ChoiceField(label=_("Category"))
    counterparty = forms.CharField(label=_("From / paid to"), max_length=200)
    named_publicly = forms.BooleanField(
        label=_("The donor agreed to be named on the public accounts"), required=False
    )
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    file = forms.FileField(
        label=_("Scan of the voucher (PDF, JPEG or PNG; private)"), required=False
    )

    def __init__(self, *args, receipt, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [c for c in (SOURCES if receipt else PURPOSES) if c not in TRANSFERS]
        self.fields["category"].choices = [(c, Category(c).label) for c in allowed]
        self.fields["date"].initial = local_today()
        if receipt:
            self.fields["counterparty"].label = _("Received from")
        else:
            del self.fields["named_publicly"]
            self.fields["counterparty"].label = _("Paid to")


class ReverseForm(forms.Form):
    date = forms.DateField(label=_("Date of the reversing entry"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason"), max_length=400)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = local_today()


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea({"rows": 3}))


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    year = forms.IntegerField(label=_("Year"))
    category = forms.ChoiceField(
        label=_("Kind of payment"), choices=[(c, Category(c).label) for c in AWARD_PURPOSES]
    )
    default_amount = forms.CharField(label=_("Amount per recipient (VND)"), max_length=30)
    rules = forms.CharField(label=_("Rules"), required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = this_year()


class RecipientForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    school = forms.CharField(label=_("School"), max_length=200, required=False)
    grade = forms.CharField(label=_("Grade / class"), max_length=50, required=False)
    achievement = forms.CharField(label=_("Achievement"), max_length=300, required=False)
    household = forms.CharField(label=_("Household"), max_length=200, required=False)
    amount = forms.CharField(
        label=_("Amount (VND)"),
        max_length=30,
        required=False,
        help_text=_("Empty: the programme's amount"),
    )


class PayForm(forms.Form):
    date = forms.DateField(label=_("Date paid"), widget=DATE_WIDGET)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = local_today()
