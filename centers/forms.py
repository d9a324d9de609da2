"""Input forms: they check the shape of the input; the rules live in centers.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.dates import this_year
from lib.limits import integer_max
from units.choice import UnitSearchChoiceField, register_scope

from . import selectors
from .bands import format_points
from .models import (
    FUND_SOURCES,
    LEARNER_GROUPS,
    TOPICS,
    CenterYearReport,
    LearningCenter,
    RatingStatus,
)
from .services import CENTER_FIELDS


def _year_field(**kwargs):
    return forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, **kwargs)


class CenterForm(forms.ModelForm):
    class Meta:
        model = LearningCenter
        # Exactly the fields the services accept (they refuse any other).
        fields = CENTER_FIELDS
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "director": _("Director and contacts are seen by staff only, never on public pages."),
        }


# Unit choices are a short list and a search box: thousands of communes at country scale.
register_scope("new-centre", selectors.communes_for_new_center)
register_scope("centre-filter", selectors.filter_units)


class NewCenterForm(CenterForm):
    commune = UnitSearchChoiceField(label=_("Commune"), queryset=None, scope="new-centre")

    class Meta(CenterForm.Meta):
        fields = ["commune", *CenterForm.Meta.fields]

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes


def _count_field(label, name):
    # At most what the report's column holds (2³¹ − 1 counts, 2⁶³ − 1 VND): a larger number is
    # an error next to the field, not a 500 from the database.
    maximum = integer_max(CenterYearReport._meta.get_field(name))
    return forms.IntegerField(label=label, min_value=0, max_value=maximum, initial=0, localize=True)


class ReportForm(forms.Form):
    """A yearly report: classes and participant-visits per topic, learners, funds."""

    year = _year_field()
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, with_year=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_year:
            del self.fields["year"]
        for key, label in TOPICS:
            self.fields[f"{key}_classes"] = _count_field(
                _("%(topic)s: classes") % {"topic": label}, f"{key}_classes"
            )
            self.fields[f"{key}_participants"] = _count_field(
                _("%(topic)s: participant-visits") % {"topic": label}, f"{key}_participants"
            )
        for key, label in LEARNER_GROUPS:
            self.fields[key] = _count_field(label, key)
        for key, label in FUND_SOURCES:
            self.fields[key] = _count_field(label, key)

    def topic_rows(self):
        return [
            (label, self[f"{key}_classes"], self[f"{key}_participants"]) for key, label in TOPICS
        ]

    def learner_fields(self):
        return [self[key] for key, _label in LEARNER_GROUPS]

    def fund_fields(self):
        return [self[key] for key, _label in FUND_SOURCES]

    def figures(self):
        data = dict(self.cleaned_data)
        data.pop("year", None)
        data.pop("note", None)
        return data


def _points_field(criterion, **kwargs):
    return forms.DecimalField(
        label=f"{criterion.number}. {criterion.title}",
        min_value=0,
        max_value=criterion.max_points,
        max_digits=5,
        decimal_places=2,
        localize=True,
        help_text=_("At most %(max)s points.") % {"max": format_points(criterion.max_points)},
        **kwargs,
    )


class SelfAssessmentForm(forms.Form):
    year = _year_field()
    note = forms.CharField(
        label=_("Note for province staff"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.number}"] = _points_field(criterion)
        self.order_fields(["year", *(f"c{c.number}" for c in criteria), "note"])

    def scores(self):
        return {c.number: self.cleaned_data[f"c{c.number}"] for c in self.criteria}


class RateForm(forms.Form):
    """Province staff's points per criterion; a changed one needs its reason."""

    note = forms.CharField(
        label=_("Reviewer's note (staff only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.score_rows = scores
        for score in scores:
            number = score.criterion.number
            self.fields[f"c{number}"] = _points_field(score.criterion, initial=score.points)
            self.fields[f"reason{number}"] = forms.CharField(
                label=_("Reason if you change the points of criterion %(n)s") % {"n": number},
                required=False,
                max_length=500,
            )
        self.order_fields(
            [n for s in scores for n in (f"c{s.criterion.number}", f"reason{s.criterion.number}")]
        )

    def rows(self):
        return [
            (s, self[f"c{s.criterion.number}"], self[f"reason{s.criterion.number}"])
            for s in self.score_rows
        ]

    def scores(self):
        return {
            s.criterion.number: self.cleaned_data[f"c{s.criterion.number}"] for s in self.score_rows
        }

    def reasons(self):
        return {
            s.criterion.number: self.cleaned_data[f"reason{s.criterion.number}"]
            for s in self.score_rows
        }


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What should the commune correct?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, JPEG or PNG, at most 10 MB."))
    description = forms.CharField(label=_("Description"), required=False, max_length=255)


class MergeForm(forms.Form):
    predecessors = forms.ModelMultipleChoiceField(
        label=_("Centres merged into this one"),
        queryset=LearningCenter.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    date = forms.DateField(
        label=_("Date of effect"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    legal_basis = forms.CharField(label=_("Decision"), required=False, max_length=255)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["predecessors"].queryset = candidates


def _style_filters(form):
    """Bootstrap classes on the filter widgets (the templates lay them out by hand)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select form-select-sm"
        else:
            css = "form-control form-control-sm"
        widget.attrs["class"] = css


class FilterForm(forms.Form):
    """GET filters: each is read on its own, anything invalid is simply ignored."""

    def value(self, name, default=None):
        """The cleaned value of one field; a field with bad input is ignored on its own."""
        if not self.is_bound:
            return default
        self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value


class CenterFilterForm(FilterForm):
    """The staff list's filters; anything invalid is simply ignored."""

    year = _year_field(required=False)
    unit = UnitSearchChoiceField(
        label=_("Unit"), required=False, queryset=None, scope="centre-filter"
    )
    band = forms.ChoiceField(label=_("Band"), required=False)
    status = forms.ChoiceField(label=_("Rating status"), required=False)
    ended = forms.BooleanField(label=_("Include merged centres"), required=False)

    def __init__(self, *args, units, bands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = _("All my units")
        self.fields["band"].choices = [("", _("All bands")), *bands]
        self.fields["status"].choices = [
            ("", _("All")),
            ("none", _("No rating yet")),
            *RatingStatus.choices,
        ]
        _style_filters(self)

    def selected_unit(self):
        return self.value("unit")


def report_year(raw, years):
    """The year the report totals show: `raw` when it is one of `years` (those with reports,
    newest first), else the newest; None when there is no report."""
    try:
        year = int(raw or "")
    except ValueError:
        year = None
    return year if year in years else (years[0] if years else None)


def filtered_centers(user, params):
    """The centre list as its filters in `params` ask: (filters, year, centres).

    The list page and its export both read it, so that an export holds what the page lists.
    """
    filters = CenterFilterForm(
        params or None, units=selectors.filter_units(user), bands=selectors.band_choices()
    )
    year = filters.value("year", this_year())
    centers = selectors.center_list(
        user,
        year=year,
        unit=filters.selected_unit(),
        band=filters.value("band"),
        status=filters.value("status"),
        include_ended=filters.value("ended", False),
    )
    return filters, year, centers


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=255, required=False)
    year_from = _year_field()
    year_to = forms.IntegerField(
        label=_("Last year"), min_value=1990, max_value=2100, required=False
    )
    provisional = forms.BooleanField(label=_("Provisional"), required=False)

    def clean(self):
        data = super().clean()
        data["year_to"] = data.get("year_to")
        return data


class NewSchemeForm(SchemeForm):
    key = forms.SlugField(
        label=_("Key"), max_length=40, help_text=_("Letters, digits and - only, e.g. tt-2026.")
    )


class CriterionForm(forms.Form):
    number = forms.IntegerField(label=_("No."), min_value=1, max_value=99)
    title = forms.CharField(label=_("Criterion"), max_length=255)
    guidance = forms.CharField(
        label=_("Guidance"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    max_points = forms.DecimalField(
        label=_("Maximum points"), min_value=0.01, max_digits=5, decimal_places=2, localize=True
    )


class BandForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Band"), max_length=50)
    min_total = forms.DecimalField(
        label=_("From total"), min_value=0, max_digits=6, decimal_places=2, localize=True
    )


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True)
BandFormSet = forms.formset_factory(BandForm, extra=1, can_delete=True)


def formset_rows(formset):
    """The filled, not deleted rows of a valid formset, as dicts."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append({k: v for k, v in data.items() if k != "DELETE"})
    return rows


class PublicFilterForm(FilterForm):
    commune = forms.TypedChoiceField(
        label=_("Commune"), required=False, coerce=int, empty_value=None
    )
    band = forms.ChoiceField(label=_("Band"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    view = forms.ChoiceField(
        label=_("Units"),
        required=False,
        choices=[("", _("As they were that year")), ("today", _("Today's communes"))],
    )

    def __init__(self, *args, communes, bands, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.communes = {c.pk: c for c in communes}
        self.fields["commune"].choices = [("", _("All communes"))] + [
            (c.pk, c.name) for c in communes
        ]
        self.fields["band"].choices = [("", _("All bands")), *bands]
        self.years = years
        _style_filters(self)
