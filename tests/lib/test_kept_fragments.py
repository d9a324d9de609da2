"""`{% kept %}` (lib.kept_fragments): a fragment rendered once per process for each set of the
values it names and each language, and rendered afresh for any other."""

import pytest
from django.template import engines
from django.utils import translation

from lib import kept_fragments

TEMPLATE = (
    '{% load kept i18n %}{% kept "test-kept" who %}'
    '{{ who }} {{ counter.next }} {% translate "Search" %}{% endkept %}'
)


class Counter:
    def __init__(self):
        self.n = 0

    def next(self):
        self.n += 1
        return self.n


@pytest.fixture(autouse=True)
def _clean():
    kept_fragments._KEPT.clear()
    yield
    kept_fragments._KEPT.clear()


def render(**context):
    return engines["django"].from_string(TEMPLATE).render(context)


def test_a_fragment_is_rendered_once_for_the_same_values_and_language():
    counter = Counter()
    with translation.override("vi"):
        assert render(who="an", counter=counter) == "an 1 Tìm kiếm"
        assert render(who="an", counter=counter) == "an 1 Tìm kiếm"  # kept
        assert render(who="binh", counter=counter) == "binh 2 Tìm kiếm"  # another value
    with translation.override("en"):
        assert render(who="an", counter=counter) == "an 3 Search"  # another language
    assert counter.n == 3


def test_the_kept_fragments_are_bounded(monkeypatch):
    monkeypatch.setattr(kept_fragments, "KEPT_MAX", 3)
    for n in range(10):
        render(who=n, counter=Counter())
    assert len(kept_fragments._KEPT) <= 3


@pytest.mark.django_db
def test_the_public_header_follows_the_signed_in_state_and_the_section(client, tree, officer):
    search = client.get("/recognitions/").text
    assert 'href="/recognitions/" aria-current="page"' in search
    assert "/accounts/login/" in search.split("</header>")[0]
    verify = client.get("/verify/").text.split("</header>")[0]
    assert 'href="/verify/" aria-current="page"' in verify
    assert 'href="/recognitions/" aria-current' not in verify
    client.force_login(officer)
    signed_in = client.get("/recognitions/").text.split("</header>")[0]
    assert "/accounts/login/" not in signed_in and 'href="/portal/"' in signed_in
