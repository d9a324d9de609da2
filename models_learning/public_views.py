"""Public pages of the learning models (no login): the search of recognitions, one
recognition, and the certificate check the QR code opens.

They read only through `models_learning.public`, which hands the templates the facts a
public page may show and nothing else. Bad input gets a clear page (400 for a filter value
that does not exist, 404 for a page or a code that does not), never a 500.

Looking a code up is rate-limited per address: after VERIFY_FAILURE_LIMIT failed look-ups
(unknown or malformed codes) within VERIFY_FAILURE_WINDOW seconds, every look-up from that
address answers 429 until the window ends, so that codes cannot be guessed by trying. The
counter lives in the cache (set CACHE_URL to Redis so that several app servers share it).
When the cache is down or stalls, the check goes on without the limit (a logged warning,
lib.optional_cache): a code only ever leads to a page the public search shows anyway, so
answering the public matters more than the limit (README, "Faults survived").
"""

import copy
import hashlib
import hmac

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from lib import figures_cache, optional_cache
from lib import province as province_settings
from lib.client import client_address
from lib.dates import local_today
from lib.params import whole_number
from lib.text import normalise
from units.choice import CHOICES_SHOWN
from units.selectors import cached_province

from . import public
from .models import ModelKind


def failure_limit():
    return getattr(settings, "VERIFY_FAILURE_LIMIT", 20)


def failure_window():
    return getattr(settings, "VERIFY_FAILURE_WINDOW", 600)


# --- the search -----------------------------------------------------------------------------


class _Shared:
    """A field of SearchForm copied shallowly for each form (Django deep-copies every field,
    its widget and its translated choices and messages: an eighth of a repeated search). The
    search's fields are never changed by a form but for `known`, which each form sets on its
    own copy."""

    def __deepcopy__(self, memo):
        return copy.copy(self)


class TextField(_Shared, forms.CharField):
    pass


class KnownChoiceField(_Shared, forms.TypedChoiceField):
    """A choice checked against the values of `known` (text): the titles, the years, the
    units' ids. The template writes the options itself (kept rendered, `_page_parts`,
    `_unit_options`), so no list of choices is copied or normalised on every request."""

    known = frozenset()

    def valid_value(self, value):
        return value in self.known


# The groups of the units a visitor may filter by (public.filter_units), in the order shown.
UNIT_GROUPS = (
    ("today", _("Communes and wards today")),
    ("districts", _("Districts (until 30/06/2025)")),
    ("old", _("Communes until 30/06/2025")),
)
UNIT_QUERY_MAX = 100
UNIT_QUERY_TOO_LONG = _("Type at most %(limit_value)d characters of the commune's name.")


def _unit_index(province):
    """The units a visitor may filter by: {"by_pk": {id: UnitOption}, "known": the ids as text,
    "entries": [(group, UnitOption, its label normalised)] in the order shown}. One query."""
    groups = public.filter_units(province)
    entries = [
        (group, option, normalise(option.label))
        for group, _label in UNIT_GROUPS
        for option in groups[group]
    ]
    by_pk = {option.pk: option for _group, option, _name in entries}
    return {"by_pk": by_pk, "known": frozenset(map(str, by_pk)), "entries": entries}


class SearchForm(forms.Form):
    """Validates the search's GET parameters; the template writes the fields out itself."""

    q = TextField(
        label=_("Name"),
        required=False,
        max_length=public.MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("Type at most %(limit_value)d characters of the name."),
        },
    )
    kind = KnownChoiceField(
        label=_("Title"),
        required=False,
        error_messages={"invalid_choice": _("Choose a title from the list.")},
    )
    year = KnownChoiceField(
        label=_("Year"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a year from the list.")},
    )
    # The unit list is short (the chosen unit and the matches of a name typed in `unit_q`):
    # without JavaScript, type a name, search, pick from the list, search again; with htmx
    # the list follows the typing (`unit_choices`).
    unit_q = TextField(
        label=_("Find a commune or district by name"),
        required=False,
        max_length=UNIT_QUERY_MAX,
        error_messages={
            "max_length": UNIT_QUERY_TOO_LONG,
        },
    )
    unit = KnownChoiceField(
        label=_("Commune or district"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a commune or district from the list.")},
    )

    def __init__(self, *args, years=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].known = KINDS
        self.fields["year"].known = frozenset(value for value, _label in year_choices(years))
        units = units or {"by_pk": {}, "known": frozenset(), "entries": []}
        self.unit_index = units
        self.units = units["by_pk"]  # {id: the Unit filter's target}
        self.fields["unit"].known = units["known"]

    @property
    def chosen(self):
        """The submitted values as text, to fill the fields and mark the options selected."""
        data = self.data if self.is_bound else {}
        return {name: data.get(name, "") for name in self.fields}


KINDS = frozenset(ModelKind.values)


def kind_choices():
    return [("", _("All titles")), *ModelKind.choices]


def year_choices(years):
    """The year list's (value, label): all years, then each year of `years` (first, last),
    the newest first."""
    choices = [("", _("All years"))]
    if years:
        first, last = years
        choices += [(str(y), str(y)) for y in range(last, first - 1, -1)]
    return choices


def _short_units(index, chosen, typed):
    """(the entries listed, how many units match `typed`): the chosen unit, then the units
    whose label holds the typed name (diacritics and case ignored), or else the old districts;
    at most CHOICES_SHOWN in all."""
    by_pk = index["by_pk"]
    picked = [] if chosen not in by_pk else [chosen]
    wanted = normalise(typed[:UNIT_QUERY_MAX])
    if wanted:
        matches = [option.pk for _g, option, name in index["entries"] if wanted in name]
    else:
        matches = [option.pk for group, option, _n in index["entries"] if group == "districts"]
    for pk in matches:
        if len(picked) >= CHOICES_SHOWN:
            break
        if pk != chosen:
            picked.append(pk)
    shown = set(picked)
    listed = [entry for entry in index["entries"] if entry[1].pk in shown]
    return listed, len(matches) if wanted else None


def _render_unit_options(listed, chosen):
    """The <option>s (in <optgroup>s) of the short unit list, the chosen one selected."""
    parts = [format_html('<option value="">{}</option>', _("The whole province"))]
    labels = dict(UNIT_GROUPS)
    group_open = None
    for group, option, _name in listed:
        if group != group_open:
            if group_open is not None:
                parts.append("</optgroup>")
            parts.append(format_html('<optgroup label="{}">', labels[group]))
            group_open = group
        selected = " selected" if option.pk == chosen else ""
        parts.append(
            format_html('<option value="{}"{}>{}</option>', option.pk, selected, option.label)
        )
    if group_open is not None:
        parts.append("</optgroup>")
    return mark_safe("".join(parts))


def _unit_options(page, chosen_text, typed):
    """The short unit list's options and the number of matches of the typed name (None when
    none was typed). The list without a choice nor a name is kept rendered (`_page_parts`)."""
    chosen = whole_number(chosen_text) if chosen_text else None
    typed = (typed or "").strip()
    if chosen is None and not typed:
        return page["unit_options"], None
    listed, found = _short_units(page["units"], chosen, typed)
    return _render_unit_options(listed, chosen), found


def _marked(html, chosen):
    """Options rendered once, with the chosen one marked (the empty one when nothing is)."""
    chosen = escape(chosen)
    return mark_safe(
        html.replace(f'<option value="{chosen}">', f'<option value="{chosen}" selected>', 1)
    )


def _page_parts():
    """What every search shows whatever was searched, for the configured province and the
    active language, in one entry of the cache kept in this process too (lib.figures_cache:
    dropped when the figures change): the years, the units a visitor may
    filter by, and the title, year and default unit options rendered (written out on every
    request, they were a third of a repeated search's rendering)."""

    def build():
        years = public.year_range()
        units = _unit_index(cached_province())
        option = '<option value="{}">{}</option>'
        return {
            "years": years,
            "units": units,
            "kind_options": str(format_html_join("", option, kind_choices())),
            "year_options": str(format_html_join("", option, year_choices(years))),
            "unit_options": _render_unit_options(_short_units(units, None, "")[0], None),
        }

    code = province_settings.current().code
    return figures_cache.cached("search-page", [code, get_language()], build, local=True)


def _unit_ids(unit):
    """The communes a unit filter keeps (lineage: a query per generation), from the cache."""
    return figures_cache.cached("search-unit-ids", [unit.pk], lambda: public.unit_ids_for(unit))


def _search_digest(data, unit):
    """The normalised search hashed with the site's secret: what a key may hold of it (never a
    name, nor a plain hash that a list of names would reverse in a shared cache)."""
    search = (public.search_phrase(data["q"]), data["kind"] or "", data["year"], unit and unit.pk)
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, repr(search).encode(), hashlib.sha256).hexdigest()[:32]


def _first_ids(found, digest):
    """`found.first_ids`, kept in the cache under the normalised search (hashed: the key holds
    no name). The ids of the first 1,001 matches are the costly part of a search at a million
    rows (a trigram scan and a sort); every page of the same search, and the same search by
    the next visitor, reuse them until a registration or a recognition changes (the versions
    of lib.figures_cache)."""
    return lambda limit: figures_cache.cached(
        "search-ids", [digest, limit], lambda: found.first_ids(limit)
    )


# The pager's links as _results.html writes them without a query string; the visitor's own
# (their filters as they typed them) goes in afterwards, so that the cached block is shared.
_PAGE_LINK = 'href="?page='


def _results(data, unit, number, request):
    """The rendered results (count, rows, pager) of page `number`, kept in the cache under the
    normalised search (hashed), the page, the language and today's date (a certificate's
    state depends on the day), dropped with the search's ids when a registration or a
    recognition changes. A repeated search renders only the layout and the form. Raises
    PageOutOfRange (not kept)."""
    digits_dropped = any(ch.isdigit() for ch in data["q"])
    filtered = any(data.get(name) for name in ("q", "kind", "year", "unit"))
    digest = _search_digest(data, unit)

    def render_block():
        found = public.search(
            q=data["q"],
            kind=data["kind"] or None,
            year=data["year"],
            unit=unit,
            unit_ids=None if unit is None else _unit_ids(unit),
        )
        page = public.page_of(found, number, first_ids=_first_ids(found, digest))
        return render_to_string(
            "models_learning/public/_results.html",
            {
                "page_obj": page,
                "cap": public.COUNT_CAP,
                "querystring": "",
                "digits_dropped": digits_dropped,
                "filtered": filtered,
            },
        )

    html = figures_cache.cached(
        "search-results",
        [digest, digits_dropped, filtered, number, get_language(), local_today().isoformat()],
        render_block,
    )
    query = request.GET.copy()
    query.pop("page", None)
    if query:
        html = html.replace(_PAGE_LINK, f'href="?{escape(query.urlencode())}&amp;page=')
    return mark_safe(html)


def _page_number(request):
    """The requested page as an int, or None when it is not a plain small number."""
    return whole_number(request.GET.get("page", "1"), digits=6)


@login_not_required
@require_GET
def recognition_search(request):
    # The constant parts (the province, the years, the units, the rendered options) come from
    # the cache, dropped when the figures change (lib.figures_cache).
    page = _page_parts()
    form = SearchForm(request.GET, years=page["years"], units=page["units"])
    chosen = form.chosen
    unit_options, units_found = _unit_options(page, chosen["unit"], chosen["unit_q"])
    context = {
        "form": form,
        "results": None,
        "unit_options": unit_options,
        "units_found": units_found,
        "kind_options": _marked(page["kind_options"], chosen["kind"]),
        "year_options": _marked(page["year_options"], chosen["year"]),
    }
    number = _page_number(request)
    if number is None:
        form.add_error(None, _("The page number is not valid."))
    if not form.is_valid():
        return render(
            request, "models_learning/public/recognition_search.html", context, status=400
        )
    data = form.cleaned_data
    try:
        context["results"] = _results(data, form.units.get(data["unit"]), number, request)
    except public.PageOutOfRange:
        return render(
            request, "models_learning/public/recognition_search.html", context, status=404
        )
    return render(request, "models_learning/public/recognition_search.html", context)


@login_not_required
@require_GET
@cache_control(max_age=300)
def unit_choices(request):
    """The options of the search's unit list for the name typed (htmx, `unit_q`; the chosen
    `unit` is kept first): the province's communes and districts the search filters by, at
    most CHOICES_SHOWN, from the cache. Public, like the search; a name too long or a unit
    the search does not know is a 400 with a message."""
    typed = request.GET.get("unit_q", "")
    chosen = request.GET.get("unit", "")
    if len(typed) > UNIT_QUERY_MAX:
        message = UNIT_QUERY_TOO_LONG % {"limit_value": UNIT_QUERY_MAX}
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    page = _page_parts()
    if chosen and chosen not in page["units"]["known"]:
        message = _("Choose a commune or district from the list.")
        return HttpResponseBadRequest(str(message), content_type="text/plain; charset=utf-8")
    html, _found = _unit_options(page, chosen, typed)
    response = HttpResponse(html)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


# --- one recognition and the certificate check ------------------------------------------------


def _failure_key(request):
    return f"public-code-failures:{client_address(request)}"


def is_rate_limited(request):
    key = _failure_key(request)
    failures = optional_cache.attempt(lambda cache: cache.get(key), default=0)
    return (failures or 0) >= failure_limit()


def record_failure(request):
    key = _failure_key(request)

    def count(cache):
        # The window starts at the first failure and is not extended by later ones.
        cache.add(key, 0, timeout=failure_window())
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=failure_window())

    optional_cache.attempt(count)


def _rate_limited(request):
    response = render(
        request,
        "models_learning/public/rate_limited.html",
        {"minutes": max(1, failure_window() // 60)},
        status=429,
    )
    response["Retry-After"] = str(failure_window())
    return response


def _lookup(request, raw_code, template):
    if is_rate_limited(request):
        return _rate_limited(request)
    code = public.clean_code(raw_code)
    recognition = public.recognition_by_code(code) if code else None
    if recognition is None:
        record_failure(request)
        return render(
            request,
            "models_learning/public/not_found.html",
            {"code": (raw_code or "")[:40]},
            status=404,
        )
    return render(request, template, {"recognition": recognition})


@login_not_required
@require_GET
def recognition_detail(request, code):
    # One address per recognition: a code typed in small letters or with spaces is sent,
    # permanently, to its canonical upper-case URL (the QR code's and the search's); a code
    # that names nothing is a 404 where it was typed.
    canonical = public.clean_code(code)
    if canonical and canonical != code and public.recognition_by_code(canonical) is not None:
        return redirect(
            reverse("models_learning-public:recognition-detail", args=[canonical]), permanent=True
        )
    return _lookup(request, code, "models_learning/public/recognition_detail.html")


@login_not_required
@require_GET
def verify(request, code):
    return _lookup(request, code, "models_learning/public/verify.html")


@login_not_required
@require_GET
def verify_form(request):
    """A box to type the code printed on a certificate; sends the visitor to its check."""
    raw = request.GET.get("code", "")
    if raw.strip():
        code = public.clean_code(raw)
        if code:
            return redirect(reverse("models_learning-public:verify", args=[code]))
        return render(
            request,
            "models_learning/public/verify_form.html",
            {"code": raw[:40], "invalid": True},
            status=400,
        )
    return render(request, "models_learning/public/verify_form.html", {"code": ""})
