"""A database out of reach: every page answers 503 "temporarily unavailable" with Retry-After,
in Vietnamese, never a 500 (whether the view, a middleware or the session met the error)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.faults.servers import database_unreachable
from tests.models_learning.factories import VillageFactory

pytestmark = pytest.mark.django_db(transaction=True)

OUTAGE_TEXT = "Dịch vụ tạm thời gián đoạn"


def assert_outage_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert OUTAGE_TEXT in html
    assert 'data-outage="database"' in html


def test_a_public_page_whose_view_meets_no_database_says_temporarily_unavailable(tree):
    client = Client()
    assert client.get(reverse("models_learning-public:recognition-search")).status_code == 200
    with database_unreachable():
        # A search not made yet: the ids of the one above are kept in the cache (lib.figures_cache).
        response = client.get(reverse("models_learning-public:recognition-search"), {"q": "lo"})
    assert_outage_page(response)
    # The database is back: so is the page.
    assert client.get(reverse("models_learning-public:recognition-search")).status_code == 200


def test_a_signed_in_page_whose_session_cannot_be_read_says_temporarily_unavailable(officer):
    # The session is read by a middleware, before any view: Django's error handler answers.
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    with database_unreachable():
        response = client.get(reverse("portal-home"))
    assert_outage_page(response)
    assert client.get(reverse("portal-home")).status_code == 200


def test_an_officer_saving_during_an_outage_is_told_it_was_not_saved(officer, criteria_sets, tree):
    village = VillageFactory(commune=tree["commune"], name="Bản Co Muông")
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    url = reverse("models_learning:registration-create") + "?kind=family&year=2026"
    with database_unreachable():
        response = client.post(
            url,
            {
                "head_name": "Lò Văn Piềng",
                "head_birth_year": "1978",
                "village": village.pk,
                "members-TOTAL_FORMS": "0",
                "members-INITIAL_FORMS": "0",
            },
        )
    assert_outage_page(response)
    assert "it was not saved" not in response.content.decode()  # in Vietnamese
    assert "chưa được lưu" in response.content.decode()


def test_another_server_error_is_still_the_500_page(client, monkeypatch):
    from khuyenhoc import views

    monkeypatch.setattr(views, "ROBOTS", None)  # a bug in the view: None.format(...)
    client.raise_request_exception = False
    response = client.get(reverse("robots"))
    assert response.status_code == 500
    assert OUTAGE_TEXT not in response.content.decode()
