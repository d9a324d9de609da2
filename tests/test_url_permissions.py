"""Every staff URL answers each persona exactly as the table says."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.files import body
from tests.helpers import PERSONAS
from tests.urltable import all_rows

ROWS = all_rows()


def _staff_url_names(patterns=None, prefix="", namespace=""):
    names = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _staff_url_names(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern) and route.startswith("portal/") and entry.name:
            names.add(namespace + entry.name)
    return names


def test_every_staff_url_has_a_row_in_the_permission_table():
    missing = _staff_url_names() - {row.name for row in ROWS}
    assert not missing, f"staff URLs without a row in a tests/<app>/url_table.py: {sorted(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_staff_url_answers_persona_as_the_table_says(row, persona, request, persona_client, tree):
    for name in row.fixtures:
        request.getfixturevalue(name)
    kwargs = row.kwargs(request) if row.kwargs else {}
    url = reverse(row.name, kwargs=kwargs)
    client = persona_client(persona)
    if row.method == "post":
        response = client.post(url, row.data(request) if row.data else {})
    else:
        response = client.get(url)
    body(response)  # a download's file is read through, which closes it
    assert response.status_code == row.expected[persona], (
        f"{persona} {row.method.upper()} {url}: {response.status_code}"
    )
    if persona == "anonymous" and response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    if persona != "anonymous":
        # Staff pages and downloads hold personal data (README, "Security").
        directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
        assert {"private", "no-store"} <= directives, f"{url}: {response.get('Cache-Control')}"
