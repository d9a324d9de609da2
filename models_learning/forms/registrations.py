"""Forms of the list, of a new registration (title, year, subject) and of carry-over."""

from django import forms
from django.utils.translation import gettext_lazy as _

from units.choice import UnitSearchChoiceField

from ..models import ModelKind, OrganisationKind, Relationship, Schooling
from ..workflow import Status
from ._common import VillageChoiceField, unit_label, years

# --- the list -----------------------------------------------------------------------------

RETURNED = "returned"

# The list's orders (selectors.ORDERINGS), named for the sort menu.
SORT_CHOICES = [
    ("-year", _("Newest year first")),
    ("year", _("Oldest year first")),
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    ("unit", _("Commune, A to Z")),
    ("-unit", _("Commune, Z to A")),
    ("status", _("Status")),
    ("-total", _("Highest total first")),
    ("total", _("Lowest total first")),
    ("-updated", _("Last changed first")),
    ("updated", _("First changed first")),
    ("-status", _("Status, reversed")),
]


class RegistrationFilterForm(forms.Form):
    """The list's filters; a bad value is dropped (and marked), never an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Title"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    unit = UnitSearchChoiceField(
        label=_("Unit"),
        required=False,
        queryset=None,
        label_from_instance=unit_label,
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, data=None, *, units):
        super().__init__(data)
        self.fields["year"].choices = [("", _("All years"))] + [(y, y) for y in years()]
        self.fields["kind"].choices = [("", _("All titles")), *ModelKind.choices]
        self.fields["status"].choices = [
            ("", _("All statuses")),
            *Status.choices,
            (RETURNED, _("Returned for correction")),
        ]
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = _("All my units")

    def search(self):
        """Keyword arguments of selectors.search_registrations from the valid fields."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        status = data.get("status") or None
        search = {
            "q": data.get("q", ""),
            "year": data.get("year"),
            "kind": data.get("kind") or None,
            "status": status,
            "unit": data.get("unit"),
            "ordering": data.get("sort") or None,
        }
        if status == RETURNED:
            search.update(status=Status.SCORED, returned=True)
        return search


# --- registering --------------------------------------------------------------------------


class StartForm(forms.Form):
    """Step one of a new registration: which title, which year."""

    kind = forms.ChoiceField(label=_("Title"), choices=ModelKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)


class CommuneChoiceForm(forms.Form):
    """Step two of a new registration, for a user who registers in several communes (a
    province's staff, a superuser: thousands of communes): which commune, from a short list
    and a search box. Only that commune's villages, clans and organisations are then listed."""

    commune = UnitSearchChoiceField(
        label=_("Commune"),
        queryset=None,
        scope="registering",
        label_from_instance=unit_label,
        error_messages={"invalid_choice": _("Choose one of the communes where you register.")},
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes


class HouseholdForm(forms.Form):
    """A new household: its head, village (of the commune chosen), address and phone."""

    head_name = forms.CharField(label=_("Head of household"), max_length=200)
    head_birth_year = forms.IntegerField(
        label=_("Head's year of birth"), required=False, min_value=1900, max_value=2100
    )
    village = VillageChoiceField(label=_("Village"), queryset=None)
    address = forms.CharField(label=_("Address"), required=False, max_length=255)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        help_text=_("Optional; never shown on a public page."),
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    relationship = forms.ChoiceField(
        label=_("Relationship"), choices=Relationship.choices, initial=Relationship.CHILD
    )
    schooling = forms.ChoiceField(
        label=_("Schooling"), choices=Schooling.choices, initial=Schooling.NONE
    )

    def clean(self):
        data = super().clean()
        if self.has_changed() and not data.get("name"):
            self.add_error("name", _("Enter the member's name, or leave the row empty."))
        return data


MemberFormSet = forms.formset_factory(MemberForm, extra=3, max_num=30, validate_max=True)


def members_of(formset):
    """The filled rows of a members formset, as create_household expects them."""
    return [
        {key: form.cleaned_data[key] for key in ("name", "birth_year", "relationship", "schooling")}
        for form in formset.forms
        if form.cleaned_data.get("name")
    ]


class ExistingHouseholdForm(forms.Form):
    """Register a household already entered (offered by the duplicate warning)."""

    household = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households


class ClanForm(forms.Form):
    clan = forms.ModelChoiceField(label=_("A clan already entered"), queryset=None, required=False)
    surname = forms.CharField(label=_("Surname"), max_length=60, required=False)
    branch = forms.CharField(label=_("Branch (chi)"), max_length=200, required=False)
    representative = forms.CharField(label=_("Representative"), max_length=200, required=False)

    def __init__(self, *args, clans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clan"].queryset = clans
        self.fields["clan"].empty_label = _("— a new clan (enter it below) —")

    def clean(self):
        data = super().clean()
        if not data.get("clan") and not data.get("surname"):
            self.add_error("surname", _("Choose a clan or enter the surname of a new one."))
        return data


class CommunityForm(forms.Form):
    village = VillageChoiceField(label=_("Village"), queryset=None)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class OrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("An organisation already entered"), queryset=None, required=False
    )
    name = forms.CharField(label=_("Name"), max_length=255, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "—"), *OrganisationKind.choices], required=False
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = _("— a new organisation (enter it below) —")

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not data.get("name"):
            self.add_error("name", _("Choose an organisation or enter the name of a new one."))
        return data


class CarryOverForm(forms.Form):
    """Which commune (a short list and a search box: thousands of communes for a national
    officer) and year; the items come as a list of checkboxes."""

    unit = UnitSearchChoiceField(
        label=_("Commune"), queryset=None, scope="registering", label_from_instance=unit_label
    )
    year = forms.IntegerField(label=_("Register for the year"), min_value=1991, max_value=2100)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = communes
        self.fields["unit"].empty_label = None
