"""The public search's commune or district: a short list (the chosen unit and the matches of
the name typed in `unit_q`, at most CHOICES_SHOWN) instead of every unit of the province;
without JavaScript a two-step choice (type, search, pick, search again), with htmx the list
follows the typing through a public endpoint (`unit_choices`) that offers only the units the
search filters by, from the cache."""

import re

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lib import figures_cache
from models_learning import public
from tests.factories import make_unit
from tests.units.test_tree import _bulk_units
from units.choice import CHOICES_SHOWN
from units.models import Level

from .conftest import bench

pytestmark = pytest.mark.django_db

SEARCH = reverse("models_learning-public:recognition-search")
CHOICES = reverse("models_learning-public:unit-choices")


def _select(html):
    return re.search(r'<select[^>]*name="unit".*?</select>', html, re.S).group(0)


def _options(html):
    """(value, label, selected) of each option of the unit list (or of the endpoint's answer)."""
    return re.findall(r'<option value="(\d*)"( selected)?>([^<]*)</option>', html)


def _count(response):
    return re.search(r'data-testid="result-count">([^<]*)<', response.text).group(1)


def _labels(html):
    return [label for _value, _selected, label in _options(html)]


@pytest.fixture
def many_communes(tree):
    """Sixty more communes of today in the province: the full list would be long."""
    _bulk_units([tree["province"]], Level.COMMUNE, 60, "Xã An Bình")
    return tree


def test_the_list_is_short_without_a_name_typed(client, many_communes):
    response = client.get(SEARCH)
    assert response.status_code == 200
    select = _select(response.text)
    # The whole province, then the old districts only: no commune of the sixty.
    assert _labels(select) == ["Toàn tỉnh", "Huyện Điện Biên"]
    assert "Xã An Bình" not in response.text
    assert 'data-testid="unit-help"' in response.text


def test_a_name_typed_lists_its_matches_at_most_the_limit(client, many_communes):
    labels = _labels(_select(client.get(SEARCH, {"unit_q": "an binh"}).text))
    assert labels[0] == "Toàn tỉnh"
    assert len(labels) == CHOICES_SHOWN + 1
    assert all(label.startswith("Xã An Bình") for label in labels[1:])
    # Diacritics and case ignored; each group keeps its heading.
    html = client.get(SEARCH, {"unit_q": "NA NHAN"}).text
    assert _labels(_select(html)) == ["Toàn tỉnh", "Xã Nà Nhạn – Huyện Điện Biên"]
    assert '<optgroup label="Xã, phường, thị trấn (đến 30/06/2025)">' in _select(html)
    html = client.get(SEARCH, {"unit_q": "muong"}).text
    assert '<optgroup label="Xã, phường hiện nay">' in _select(html)


def test_without_javascript_type_search_then_pick(client, tree):
    """Step one: a name typed and searched lists the matches and filters nothing yet; step
    two: the unit picked from that list filters, and stays chosen."""
    bench(60, seed=11)
    everything = _count(client.get(SEARCH))
    first = client.get(SEARCH, {"unit_q": "muong phang"})
    assert first.status_code == 200
    assert _count(first) == everything  # nothing picked yet (the same results block)
    options = _options(_select(first.text))
    assert [(value, selected) for value, selected, _l in options] == [
        ("", ""),
        (str(tree["commune"].pk), ""),
    ]
    help_text = re.search(r'data-testid="unit-help">([^<]*)<', first.text).group(1)
    assert "1 xã, phường hoặc huyện" in help_text and "muong phang" in help_text

    second = client.get(SEARCH, {"unit_q": "muong phang", "unit": tree["commune"].pk})
    assert second.status_code == 200
    expected = public.recognised().filter(unit__in=[tree["commune"], tree["old_commune"]])
    assert second.context["page_obj"].count == expected.count() > 0
    assert _count(second) != everything
    assert _options(_select(second.text))[1] == (
        str(tree["commune"].pk),
        " selected",
        "Xã Mường Phăng",
    )


def test_an_old_link_with_only_the_unit_still_filters_and_shows_it_chosen(client, tree):
    bench(60, seed=12)
    response = client.get(SEARCH, {"unit": tree["old_commune"].pk})
    assert response.status_code == 200
    rows = public.recognised().filter(unit=tree["old_commune"]).count()
    assert response.context["page_obj"].count == rows
    chosen = [o for o in _options(_select(response.text)) if o[1]]
    assert chosen == [(str(tree["old_commune"].pk), " selected", "Xã Nà Nhạn – Huyện Điện Biên")]


def test_a_name_too_long_for_the_unit_is_a_clear_400(client, tree):
    response = client.get(SEARCH, {"unit_q": "x" * 101})
    assert response.status_code == 400
    assert "Nhập tối đa 100 ký tự của tên xã" in response.text
    assert 'data-testid="search-errors"' in response.text


# --- the public endpoint -----------------------------------------------------------------


def test_the_endpoint_needs_no_login_and_offers_the_matches(client, tree):
    response = client.get(CHOICES, {"unit_q": "muong"})
    assert response.status_code == 200
    assert "max-age=300" in response["Cache-Control"]
    assert _labels(response.text) == ["Toàn tỉnh", "Phường Mường Thanh", "Xã Mường Phăng"]


def test_the_endpoint_offers_only_the_units_the_search_filters_by(client, tree):
    """Not a branch (Chi hội bản Co Muông), not a commune of another province, not the
    province itself: the communes and districts of the configured province only."""
    other = make_unit("Tỉnh Lai Châu", Level.PROVINCE, admin_code="12")
    make_unit("Xã Mường Tè", Level.COMMUNE, other)
    labels = _labels(client.get(CHOICES, {"unit_q": "muong"}).text)
    assert "Xã Mường Tè" not in labels
    assert not any("Chi hội" in label for label in labels)
    assert _labels(client.get(CHOICES, {"unit_q": "tinh"}).text) == ["Toàn tỉnh"]
    assert _labels(client.get(CHOICES, {"unit_q": "chi hoi"}).text) == ["Toàn tỉnh"]
    # Nothing typed: the old districts; the chosen unit first when given.
    assert _labels(client.get(CHOICES).text) == ["Toàn tỉnh", "Huyện Điện Biên"]
    chosen = client.get(CHOICES, {"unit": tree["sibling"].pk, "unit_q": "na nhan"}).text
    assert _options(chosen)[1:] == [
        (str(tree["sibling"].pk), " selected", "Phường Mường Thanh"),
        (str(tree["old_commune"].pk), "", "Xã Nà Nhạn – Huyện Điện Biên"),
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"unit_q": "x" * 101}, "Nhập tối đa 100 ký tự"),
        ({"unit": "1 OR 1=1"}, "Chọn một xã, phường hoặc huyện"),
        ({"unit": "999999"}, "Chọn một xã, phường hoặc huyện"),
        ({"unit": "-1"}, "Chọn một xã, phường hoặc huyện"),
    ],
)
def test_the_endpoint_answers_bad_input_with_a_400_in_vietnamese(client, tree, params, message):
    response = client.get(CHOICES, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_endpoint_escapes_what_is_typed_and_refuses_a_post(client, tree):
    for typed in ("<script>alert(1)</script>", "%", "_", "\\", "'; DROP TABLE units_unit; --"):
        response = client.get(CHOICES, {"unit_q": typed})
        assert response.status_code == 200
        assert "<script>" not in response.text
        assert _labels(response.text) == ["Toàn tỉnh"]
    assert client.post(CHOICES, {"unit_q": "muong"}).status_code == 405


def test_the_endpoint_reads_the_cached_units_and_keys_hold_no_name(client, tree):
    with CaptureQueriesContext(connection) as first:
        client.get(CHOICES, {"unit_q": "muong phang"})
    assert 0 < len(first.captured_queries) <= 3  # the province, the years, the units: once
    for typed in ("muong phang", "na nhan", "dien bien", ""):
        with CaptureQueriesContext(connection) as warm:
            assert client.get(CHOICES, {"unit_q": typed}).status_code == 200
        assert len(warm.captured_queries) == 0
    client.get(SEARCH, {"unit_q": "muong phang", "q": "lo van son"})
    for key in cache._cache:
        for name in ("muong", "mường", "phang", "lo van", "son"):
            assert name not in key.lower(), key


def test_a_repeated_search_with_a_name_typed_for_the_unit_sends_no_query(client, tree):
    bench(40, seed=13)
    params = {"unit_q": "muong phang", "unit": tree["commune"].pk, "year": ""}
    client.get(SEARCH, params)
    with CaptureQueriesContext(connection) as warm:
        assert client.get(SEARCH, params).status_code == 200
    assert len(warm.captured_queries) == 0


# --- the process-local copy ----------------------------------------------------------------


def test_the_local_copy_follows_the_versions_and_a_cleared_cache():
    assert figures_cache.cached("local-test", [1], lambda: "first", local=True) == "first"
    assert figures_cache.cached("local-test", [1], lambda: "again", local=True) == "first"
    figures_cache._Bump(None)()  # a committed change
    assert figures_cache.cached("local-test", [1], lambda: "bumped", local=True) == "bumped"
    # A cleared (or restarted) cache starts its counters afresh, never where they were: the
    # copy kept in this process under the old counters is not read again.
    cache.clear()
    assert figures_cache.cached("local-test", [1], lambda: "cleared", local=True) == "cleared"


def test_a_warm_search_does_not_read_the_unit_list_from_the_cache(client, tree, monkeypatch):
    client.get(SEARCH)
    read = []
    shared = caches["default"]
    original = shared.get

    def spy(key, *args, **kwargs):
        read.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(shared, "get", spy)
    assert client.get(SEARCH).status_code == 200
    assert read and not any("search-unit" in key or "search-years" in key for key in read)
