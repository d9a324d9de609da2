"""Answers to signed-in users are `Cache-Control: private, no-store` (one middleware); public
pages to visitors stay cacheable. Every staff URL is checked by the URL × persona table
(tests/test_url_permissions.py); here the downloads the issue named, and what stays public."""

import pytest
from django.urls import reverse

from tests.files import body

pytestmark = pytest.mark.django_db


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize(
    "url",
    [
        reverse("reports:yearly-pdf"),
        reverse("reports:yearly-xlsx"),
        reverse("exports:registrations-xlsx"),
        reverse("exports:registrations-csv"),
        reverse("exports:units-csv"),
        reverse("portal-home"),
    ],
)
def test_staff_pages_and_downloads_are_private_and_not_stored(client, province_staff, url):
    client.force_login(province_staff)
    response = client.get(url)
    body(response)
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_a_public_page_seen_by_a_visitor_stays_cacheable(client, tree):
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" not in directives(response)


def test_a_public_page_seen_by_a_signed_in_officer_is_private(client, officer):
    client.force_login(officer)
    response = client.get("/")
    assert {"private", "no-store"} <= directives(response)


def test_a_view_that_marks_its_answer_public_keeps_it(client, officer):
    client.force_login(officer)
    response = client.get(reverse("emblem"))
    body(response)
    assert "public" in directives(response)
    assert "no-store" not in directives(response)
