from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.dates import local_today

from .accounts import grantable_units
from .models import BranchKind, Role, Unit, VillageKind
from .scoping import grantable_roles

# Far above any commune's population, far below the database's integer limit.
MAX_FIGURE = 10_000_000


class TreeDateForm(forms.Form):
    """Which day of the tree to show: today, or a day of an earlier period."""

    PERIODS = [
        ("", _("Today")),
        ("2019-12-31", _("2014–2019 (130 communes)")),
        ("2025-06-30", _("2020 – June 2025 (129 communes)")),
    ]
    on = forms.DateField(label=_("Tree on"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    def day(self):
        if self.is_valid() and self.cleaned_data["on"]:
            return self.cleaned_data["on"]
        return local_today()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class VillageForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=VillageKind.choices)


class VillageUpdateForm(VillageForm):
    valid_to = forms.DateField(
        label=_("Ended on"),
        required=False,
        widget=DateInput,
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("Only when the village no longer exists (merged or dissolved)."),
    )


class BranchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of branch or board"), choices=BranchKind.choices)
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=DateInput, input_formats=DATE_INPUT_FORMATS
    )
    valid_to = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput,
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("Leave empty while the branch is active."),
    )


class FiguresForm(forms.Form):
    """A commune's figures for one year: whole numbers, zero or more."""

    members = forms.IntegerField(label=_("Members"), min_value=0, max_value=MAX_FIGURE)
    population = forms.IntegerField(label=_("Population"), min_value=0, max_value=MAX_FIGURE)
    households = forms.IntegerField(label=_("Households"), min_value=0, max_value=MAX_FIGURE)
    branches = forms.IntegerField(label=_("Branches"), min_value=0, max_value=MAX_FIGURE)
    boards = forms.IntegerField(label=_("Boards"), min_value=0, max_value=MAX_FIGURE)

    def clean(self):
        cleaned = super().clean()
        members, population = cleaned.get("members"), cleaned.get("population")
        if members is not None and population is not None and members > population:
            self.add_error("members", _("Members cannot outnumber the population."))
        return cleaned


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{'— ' * unit.depth}{unit.name}"


class MembershipForm(forms.Form):
    """A role in a unit; the units offered are those the manager manages."""

    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.OFFICER)

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.manager = manager
        self.fields["unit"].queryset = grantable_units(manager).only("id", "name", "depth", "path")

    def clean(self):
        cleaned = super().clean()
        unit, role = cleaned.get("unit"), cleaned.get("role")
        if unit is not None and role and role not in grantable_roles(self.manager, unit):
            self.add_error(
                "role",
                _("You cannot grant the role “%(role)s” in %(unit)s: it is above your own.")
                % {"role": Role(role).label, "unit": unit},
            )
        return cleaned


class AccountCreateForm(MembershipForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only; used to sign in."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=300)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["username", "full_name", "email", "password", "password_again", "unit", "role"]

    def clean(self):
        cleaned = super().clean()
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("The two passwords differ."))
        elif password:
            user = get_user_model()(
                username=cleaned.get("username", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("full_name", ""),
            )
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned


class AccountUpdateForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=300)
    email = forms.EmailField(label=_("E-mail"), required=False)
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("An inactive account cannot sign in; its history is kept."),
    )


class AccountSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
