"""Carry-over: last year's registrations of the commune (and of the communes it was formed
from) registered again for this year in one action, with a result per item."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from models_learning.models import Registration

from .factories import register_family

pytestmark = pytest.mark.django_db

URL = reverse("models_learning:carry-over")


@pytest.fixture
def last_year(criteria_sets, officer, old_officer, village, old_village):
    """Two 2025 files of today's commune and one 2024 file of the commune it was formed from."""
    return [
        register_family(officer, village, head_name="Lò Văn Piềng", year=2025),
        register_family(officer, village, head_name="Cà Thị Hoa", year=2025),
    ]


def test_the_page_lists_last_years_registrations_with_checkboxes(client, officer, last_year, tree):
    client.force_login(officer)
    response = client.get(URL, {"unit": tree["commune"].pk, "year": 2026})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r["registration"].subject_name for r in rows] == ["Cà Thị Hoa", "Lò Văn Piềng"]
    assert all(not r["already"] for r in rows)
    for registration in last_year:
        assert f'value="{registration.pk}"' in response.text


def test_the_ticked_ones_are_registered_for_the_year(client, officer, last_year, tree):
    client.force_login(officer)
    data = {"unit": tree["commune"].pk, "year": 2026, "registration": [last_year[0].pk]}
    response = client.post(URL, data)
    assert response.status_code == 302
    assert Registration.objects.filter(year=2026).count() == 1
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts[0].startswith("Lò Văn Piềng")


def test_all_at_once_reports_the_ones_already_there(client, officer, last_year, tree):
    client.force_login(officer)
    data = {"unit": tree["commune"].pk, "year": 2026}
    client.post(URL, {**data, "registration": [last_year[0].pk]}, follow=True)
    response = client.post(URL, {**data, "all": "1"}, follow=True)
    assert Registration.objects.filter(year=2026).count() == 2
    texts = [str(m) for m in response.context["messages"]]
    assert len(texts) == 3  # one per item and the tally
    assert texts[1].startswith("Lò Văn Piềng")  # already registered: named, not numbered
    rows = response.context["rows"]
    assert all(r["already"] for r in rows)


def test_nothing_ticked_says_so(client, officer, last_year, tree):
    client.force_login(officer)
    response = client.post(URL, {"unit": tree["commune"].pk, "year": 2026}, follow=True)
    assert Registration.objects.filter(year=2026).count() == 0
    assert len(list(response.context["messages"])) == 1


def test_files_of_the_former_commune_are_carried_over_into_todays(
    client, criteria_sets, officer, old_officer, old_village, tree
):
    old = register_family(old_officer, old_village, head_name="Vì Văn Sáng", year=2025)
    client.force_login(officer)
    response = client.get(URL, {"unit": tree["commune"].pk, "year": 2026})
    assert [r["registration"] for r in response.context["rows"]] == [old]
    client.post(URL, {"unit": tree["commune"].pk, "year": 2026, "registration": [old.pk]})
    carried = Registration.objects.get(year=2026)
    assert carried.unit == tree["commune"]
    assert carried.criteria_set.approval_levels == ["commune", "province"]


def test_another_communes_files_cannot_be_carried_over_by_a_forged_post(
    client, criteria_sets, officer, sibling_officer, sibling_village, tree
):
    theirs = register_family(sibling_officer, sibling_village, year=2025)
    client.force_login(officer)
    client.post(URL, {"unit": tree["commune"].pk, "year": 2026, "registration": [theirs.pk]})
    client.post(URL, {"unit": tree["sibling"].pk, "year": 2026, "all": "1"})
    assert not Registration.objects.filter(year=2026).exists()


def test_province_staff_have_no_carry_over(client, province_staff, criteria_sets):
    client.force_login(province_staff)
    assert client.get(URL).status_code == 403


def test_garbage_ids_are_ignored_not_an_error(client, officer, last_year, tree):
    client.force_login(officer)
    data = {"unit": tree["commune"].pk, "year": 2026, "registration": ["abc", "1e9"]}
    response = client.post(URL, data, follow=True)
    assert response.status_code == 200
    assert not Registration.objects.filter(year=2026).exists()
