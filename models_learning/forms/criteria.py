"""Forms of a criteria set and its criteria (a formset)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.text import normalise
from units.models import Level

from ..models import CriteriaKind
from ..workflow import LEVEL_ORDER

# --- criteria sets --------------------------------------------------------------------------


def _plain(value):
    """A Decimal as typed: 20 rather than 20.0 (None stays None)."""
    return None if value is None else f"{value.normalize():f}"


CHAINS = [
    ("commune,province", _("Commune → province (from 1 July 2025)")),
    ("commune,district,province", _("Commune → district → province (before 1 July 2025)")),
    ("commune,district", _("Commune → district")),
]


def _chain_key(levels):
    return ",".join(levels)


class CriteriaSetForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Short, without spaces, shared by every version (e.g. family-2026)."),
    )
    kind = forms.ChoiceField(label=_("Title"), choices=CriteriaKind.choices)
    name = forms.CharField(label=_("Name"), max_length=255)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=255, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    valid_from_year = forms.IntegerField(label=_("First year"), min_value=1990, max_value=2100)
    valid_to_year = forms.IntegerField(label=_("Last year"), min_value=1990, max_value=2100)
    max_score = forms.DecimalField(
        label=_("Maximum score"), min_value=Decimal("0.5"), max_digits=6, decimal_places=1
    )
    pass_mark = forms.DecimalField(
        label=_("Pass mark"), min_value=0, max_digits=6, decimal_places=1
    )
    half_points = forms.BooleanField(label=_("Half points allowed"), required=False)
    approval_levels = forms.ChoiceField(label=_("Approval chain"), choices=CHAINS)
    validity_years = forms.IntegerField(
        label=_("Years of validity"), min_value=1, max_value=20, initial=1
    )
    bands = forms.CharField(
        label=_("Grading bands"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional. One band per line: its name, a colon, the lowest total (Tốt: 85)."),
    )
    provisional = forms.BooleanField(
        label=_("Provisional"),
        required=False,
        initial=True,
        help_text=_("Not yet checked against the official text."),
    )

    def __init__(self, *args, criteria_set=None, **kwargs):
        super().__init__(*args, **kwargs)
        if criteria_set is not None:
            # The code and the title stay those of the set (a new version shares them).
            del self.fields["code"]
            del self.fields["kind"]

    @staticmethod
    def initial_from(criteria_set):
        names = (
            "name",
            "legal_basis",
            "note",
            "valid_from_year",
            "valid_to_year",
            "max_score",
            "pass_mark",
            "half_points",
            "validity_years",
            "provisional",
        )
        initial = {name: getattr(criteria_set, name) for name in names}
        initial["max_score"] = _plain(criteria_set.max_score)
        initial["pass_mark"] = _plain(criteria_set.pass_mark)
        initial["approval_levels"] = _chain_key(criteria_set.approval_levels)
        initial["bands"] = "\n".join(
            f"{band['label']}: {Decimal(str(band['min'])).normalize():f}"
            for band in criteria_set.bands
        )
        return initial

    def clean_bands(self):
        bands = []
        for number, line in enumerate(self.cleaned_data["bands"].splitlines(), start=1):
            if not line.strip():
                continue
            label, _colon, low = line.rpartition(":")
            try:
                value = Decimal(low.strip().replace(",", "."))
            except ArithmeticError:
                value = None
            if not label.strip() or value is None or not value.is_finite():
                raise forms.ValidationError(
                    _("Line %(number)s: write the band's name, a colon and its lowest total.")
                    % {"number": number}
                )
            bands.append({"label": label.strip(), "min": float(value)})
        return bands

    def clean_approval_levels(self):
        levels = self.cleaned_data["approval_levels"].split(",")
        if any(level not in LEVEL_ORDER for level in levels) or levels[0] != Level.COMMUNE:
            raise forms.ValidationError(_("Choose the approval chain from the list."))
        return levels

    def set_fields(self):
        """Cleaned values as the services take them (without code, kind and criteria)."""
        return {k: v for k, v in self.cleaned_data.items() if k not in ("code", "kind")}


class CriterionForm(forms.Form):
    number = forms.IntegerField(label=_("No."), min_value=1, max_value=99)
    title = forms.CharField(label=_("Criterion"), max_length=255)
    guidance = forms.CharField(
        label=_("Guidance"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    sub_items = forms.CharField(
        label=_("Items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One item per line; add “| 10” for its points and “| provisional” to mark it."),
    )
    max_points = forms.DecimalField(
        label=_("Maximum points"), min_value=Decimal("0.5"), max_digits=5, decimal_places=1
    )
    required = forms.BooleanField(label=_("Required"), required=False)
    min_points = forms.DecimalField(
        label=_("Points to meet it"),
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=1,
        help_text=_("For a required criterion; empty means the full points."),
    )
    provisional = forms.BooleanField(label=_("Provisional"), required=False)

    @staticmethod
    def provisional_words():
        """The word marking a provisional item, in English and as the user reads it."""
        return {"provisional", "tạm thời", gettext("provisional")}

    def clean_sub_items(self):
        items = []
        for line in self.cleaned_data["sub_items"].splitlines():
            parts = [part.strip() for part in line.split("|")]
            if not parts[0]:
                continue
            item = {"text": parts[0], "points": None, "provisional": False}
            for part in parts[1:]:
                if normalise(part) in {normalise(w) for w in self.provisional_words()}:
                    item["provisional"] = True
                    continue
                try:
                    item["points"] = float(Decimal(part.replace(",", ".")))
                except ArithmeticError:
                    raise forms.ValidationError(
                        _("“%(part)s” is neither points nor “provisional”.") % {"part": part}
                    ) from None
            items.append(item)
        return items

    @staticmethod
    def initial_from(criterion):
        lines = []
        for item in criterion.sub_items:
            line = item.get("text", "")
            if item.get("points") is not None:
                line += f" | {Decimal(str(item['points'])).normalize():f}"
            if item.get("provisional"):
                line += f" | {gettext('provisional')}"
            lines.append(line)
        return {
            "number": criterion.number,
            "title": criterion.title,
            "guidance": criterion.guidance,
            "sub_items": "\n".join(lines),
            "max_points": _plain(criterion.max_points),
            "required": criterion.required,
            "min_points": _plain(criterion.min_points),
            "provisional": criterion.provisional,
        }


CriterionFormSet = forms.formset_factory(
    CriterionForm, extra=2, can_delete=True, max_num=50, validate_max=True
)


def criteria_of(formset):
    """The kept rows of a criteria formset, as the services take them."""
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
