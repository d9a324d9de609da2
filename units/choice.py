"""Choosing a unit among thousands: a short <select> and a search box beside it.

A full <select> of the country's 3,300 communes weighs hundreds of kilobytes on every page
that offers it. `UnitSearchSelect` lists only the unit chosen, the units whose name matches
what was typed in the box `<name>_q` (diacritics and case ignored), or else the top of the
user's tree (no communes): at most CHOICES_SHOWN options. Without JavaScript it is a two-step
choice (type a name, apply, pick from the short list); with htmx the list follows the typing
(`units:choose`). The field still accepts any unit of its queryset, as before.

A field whose units are not simply "every unit the user may read" (the communes where the
user prints certificates, imports, registers a centre…) names a scope registered with
`register_scope`: the htmx list then offers exactly the units the field accepts.
"""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from lib.text import normalise

from .models import Level

CHOICES_SHOWN = 20
QUERY_MAX = 100


def matching_units(queryset, query, limit=CHOICES_SHOWN):
    """The first `limit` units of `queryset` whose name holds `query`, diacritics and case
    ignored, by name. The names are compared in Python (one query of ids and names): units
    are a few thousand, and their name has no stored normalised column."""
    wanted = normalise(query)[:QUERY_MAX]
    if not wanted:
        return []
    rows = queryset.order_by().values_list("pk", "name")
    found = sorted(
        ((normalise(name), pk) for pk, name in rows if wanted in normalise(name)),
    )[:limit]
    order = {pk: index for index, (_name, pk) in enumerate(found)}
    units = queryset.filter(pk__in=list(order))
    return sorted(units, key=lambda unit: order[unit.pk])


def top_units(queryset, limit=CHOICES_SHOWN):
    """The upper units of `queryset` (provinces and districts, the shallowest first); for a
    queryset of communes only, its first communes by name."""
    lower = Case(
        When(level__in=[Level.COMMUNE, Level.BRANCH], then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    # One query: the upper units come first; only when there is none are communes shown.
    units = list(queryset.annotate(lower=lower).order_by("lower", "depth", "name", "pk")[:limit])
    upper = [unit for unit in units if not unit.lower]
    return upper or units


# name -> function(user) giving the units a field of that scope accepts (`units:choose`).
SCOPES = {}


def register_scope(name, units_of):
    """Let `units:choose?scope=<name>` offer the units `units_of(user)` (a queryset)."""
    SCOPES[name] = units_of


class UnitSearchSelect(forms.Select):
    template_name = "units/widgets/unit_search.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.query = ""
        self.scope = ""

    def value_from_datadict(self, data, files, name):
        self.query = (data.get(f"{name}_q") or "").strip()[:QUERY_MAX]
        return super().value_from_datadict(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["query"] = self.query
        url = reverse("units:choose")
        if self.scope:
            url += "?" + urlencode({"scope": self.scope})
        context["widget"]["search_url"] = url
        return context


class UnitSearchChoiceField(forms.ModelChoiceField):
    """A unit of `queryset`, offered through `UnitSearchSelect` (a short list). `scope`: the
    registered scope (`register_scope`) whose units `queryset` holds, for the htmx list."""

    widget = UnitSearchSelect

    def __init__(self, *args, label_from_instance=None, scope="", **kwargs):
        super().__init__(*args, **kwargs)
        self._label = label_from_instance
        self.scope = scope

    def validate(self, value):
        if value in self.empty_values and self.required and self.widget.query:
            # The first of the two steps without JavaScript: a name was typed, none picked.
            raise ValidationError(
                _("Pick one of the units found for “%(query)s”."),
                code="required",
                params={"query": self.widget.query},
            )
        super().validate(value)

    def label_from_instance(self, unit):
        return self._label(unit) if self._label else unit.name

    def short_choices(self, value):
        """(value, label) of the options shown: empty, the chosen unit, then the matches of
        the typed name or the top units."""
        queryset = self.queryset
        chosen = []
        if value not in (None, ""):
            try:
                chosen = list(queryset.filter(pk=int(value)))
            except (TypeError, ValueError):
                chosen = []
        query = self.widget.query
        others = matching_units(queryset, query) if query else top_units(queryset)
        seen, choices = set(), []
        if self.empty_label is not None:
            choices.append(("", self.empty_label))
        for unit in chosen + others:
            if unit.pk not in seen:
                seen.add(unit.pk)
                choices.append((unit.pk, self.label_from_instance(unit)))
        return choices

    def get_bound_field(self, form, field_name):
        bound = super().get_bound_field(form, field_name)
        self.widget.scope = self.scope
        # Read when the widget is rendered: a form only validated (a new registration's
        # commune, which goes on to the next step) reads no unit for a list it never shows.
        self.widget.choices = _ShortChoices(lambda: self.short_choices(bound.value()))
        return bound


class _ShortChoices(BaseChoiceIterator):
    """The options of a UnitSearchSelect, computed the first time they are read (a
    BaseChoiceIterator, which the widget's `choices` keeps as it is instead of listing it)."""

    def __init__(self, compute):
        self._compute = compute
        self._choices = None

    def __iter__(self):
        if self._choices is None:
            self._choices = self._compute()
        return iter(self._choices)
