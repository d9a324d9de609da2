"""The search's rendered results (count, rows, pager) are kept in the cache
(public_views._results): a repeated search renders only the layout and the form. The block is
dropped when a registration or a recognition changes, its key holds no name, and each
language and each day gets its own (a certificate's state depends on the day)."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from models_learning import public, public_views, services
from tests.models_learning.factories import published_family

pytestmark = pytest.mark.django_db
URL = reverse("models_learning-public:recognition-search")


def _get(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _block(page):
    return page[page.index('data-testid="result-count"') : page.index("</ol>")]


def _states(page):
    return re.findall(r'data-state="(\w+)"', page)


def test_a_repeated_search_is_answered_from_the_kept_block(client, named):
    first, _count = _get(client, {"q": "lo van son"})
    again, queries = _get(client, {"q": "LÒ VĂN SƠN"})  # the same search, typed otherwise
    assert queries == 0
    assert _block(again) == _block(first)
    assert _states(first) == ["valid"]


def test_the_pager_links_carry_the_visitors_own_query(client, tree):
    from .conftest import bench

    bench(45, seed=5)
    _get(client, {"kind": "family"})  # the block of page 1 kept
    page, queries = _get(client, {"kind": "family", "year": ""})  # another query string
    assert queries == 0
    assert 'href="?kind=family&amp;year=&amp;page=2"' in page
    assert 'href="?page=2"' not in page
    unfiltered, _count = _get(client, {})
    assert 'href="?page=2"' in unfiltered


@pytest.mark.django_db(transaction=True)  # real commits, which run the bumps
def test_a_revocation_drops_the_kept_block(client, named, province_staff):
    assert _states(_get(client, {"q": "lo van son"})[0]) == ["valid"]
    assert _get(client, {"q": "lo van son"})[1] == 0  # kept
    services.revoke_recognition(named["Lò Văn Sơn"], by=province_staff, reason="Kê khai sai")
    page, queries = _get(client, {"q": "lo van son"})
    assert queries > 0
    assert _states(page) == ["revoked"]


@pytest.mark.django_db(transaction=True)  # real commits, which run the bumps
def test_a_new_recognition_drops_the_kept_block(client, named, officer, province_staff, village):
    before, _count = _get(client, {"q": "lo van"})
    assert "1 kết quả" in before
    published_family(officer, province_staff, village, head_name="Lò Văn Mới")
    after, _count = _get(client, {"q": "lo van"})
    assert "2 kết quả" in after and "Lò Văn Mới" in after


def test_the_keys_hold_no_name(client, named):
    _get(client, {"q": "Lò Văn Sơn"})
    _get(client, {"q": "lo van son", "page": "1"})
    keys = [key for key in cache._cache if "search-results" in key]
    assert keys
    for key in cache._cache:
        lowered = key.lower()
        for name in ("lò văn sơn", "lo van son", "lo+van", "l%c3%b2", "sơn", "son"):
            assert name not in lowered, key


def test_each_language_and_each_day_gets_its_own_block(client, named, monkeypatch):
    vi, _count = _get(client, {"q": "lo van son"})
    assert "1 kết quả" in vi
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en, queries = _get(client, {"q": "lo van son"})
    assert queries > 0 and "1 result" in en and "kết quả" not in en
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert _get(client, {"q": "lo van son"})[1] == 0  # the Vietnamese block, kept

    # Years later the same certificate has expired: that day's visitor sees it so.
    later = datetime.date(2099, 1, 1)
    monkeypatch.setattr(public, "local_today", lambda: later)
    monkeypatch.setattr(public_views, "local_today", lambda: later)
    expired, queries = _get(client, {"q": "lo van son"})
    assert queries > 0 and _states(expired) == ["expired"]
    monkeypatch.undo()
    assert _states(_get(client, {"q": "lo van son"})[0]) == ["valid"]


@pytest.mark.django_db(transaction=True)  # real commits, which run the bumps
def test_a_corrected_name_is_shown_and_found_at_once(client, named, officer):
    """A household's name copied onto its registrations with `update()` (no signal) still drops
    the kept ids and block: the old name is not shown for the cache's TTL."""
    from models_learning.services.subjects import update_household

    assert _states(_get(client, {"q": "lo van son"})[0]) == ["valid"]
    assert _get(client, {"q": "lo van son"})[1] == 0  # kept
    household = named["Lò Văn Sơn"].household
    update_household(household, by=officer, head_name="Lò Văn Sinh")
    old, _count = _get(client, {"q": "lo van son"})
    assert _states(old) == [] and "Lò Văn Sơn" not in old
    new, _count = _get(client, {"q": "lo van sinh"})
    assert "Lò Văn Sinh" in new and _states(new) == ["valid"]
