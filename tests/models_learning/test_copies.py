"""Registrations copy their subject's name (and a family's village) into their name and search
columns: a renamed village or an edited household shows its new name in the staff list, the
public recognition search and the exports, and its old name no longer finds it."""

import pytest
from django.urls import reverse
from django.utils import translation

from models_learning import services
from tests.exports.conftest import csv_rows
from units import services as unit_services

from .factories import fresh, recognised_family, score

pytestmark = pytest.mark.django_db

YEAR = 2026
LIST = reverse("models_learning:registration-list")
PUBLIC = reverse("models_learning-public:recognition-search")
CSV = reverse("exports:registrations-csv")


@pytest.fixture
def recognised(criteria_sets, officer, province_staff, village):
    """A recognised family of Bản Co Muông, and the village recognised as a community."""
    family = recognised_family(
        officer, province_staff, village, year=YEAR, head_name="Lò Thị Ơn", head_birth_year=1980
    )
    community = services.register_subject(by=officer, year=YEAR, subject=village)
    score(community, officer)
    services.propose_registration(community, by=officer)
    community = services.approve_registration(community, by=province_staff)
    # Issued: a draft decision is not public (README, "Public pages").
    for registration in (family, community):
        services.issue_decision(registration, by=province_staff)
    return {"family": family, "community": community}


def staff_list(client, query):
    response = client.get(LIST, {"q": query, "year": YEAR})
    return sorted(r.subject_name for r in response.context["page_obj"].object_list)


def public_search(client, query):
    response = client.get(PUBLIC, {"q": query})
    return sorted((row.name, row.village) for row in response.context["page_obj"].rows)


def exported(client, query):
    """(name, village) of each exported row: the columns "Tên" and "Thôn, bản"."""
    with translation.override("vi"):
        rows = csv_rows(client.get(CSV, {"q": query, "year": YEAR}))
    name, village = rows[0].index("Tên"), rows[0].index("Thôn, bản")
    return sorted((row[name], row[village]) for row in rows[1:])


def test_a_renamed_village_shows_its_new_name_everywhere_its_registrations_appear(
    client, officer, village, recognised
):
    unit_services.update_village(village, by=officer, name="Bản Huổi Lóng", kind=village.kind)

    assert fresh(recognised["community"]).subject_name == "Bản Huổi Lóng"
    client.force_login(officer)
    # The community's own name, and the family whose search text holds its village.
    assert staff_list(client, "huoi long") == ["Bản Huổi Lóng", "Lò Thị Ơn"]
    assert staff_list(client, "co muong") == []
    assert exported(client, "huoi long") == [
        ("Bản Huổi Lóng", "Bản Huổi Lóng"),
        ("Lò Thị Ơn", "Bản Huổi Lóng"),
    ]
    assert exported(client, "co muong") == []
    client.logout()
    assert public_search(client, "huoi long") == [
        ("Bản Huổi Lóng", "Bản Huổi Lóng"),
        ("Lò Thị Ơn", "Bản Huổi Lóng"),
    ]
    assert public_search(client, "co muong") == []


def test_a_village_whose_kind_alone_changes_leaves_its_registrations_untouched(
    officer, village, recognised
):
    before = fresh(recognised["community"]).updated_at
    unit_services.update_village(village, by=officer, name=village.name, kind="thon")
    assert fresh(recognised["community"]).updated_at == before


def test_an_edited_household_shows_its_new_name_everywhere_its_registrations_appear(
    client, officer, recognised
):
    household = recognised["family"].household
    services.update_household(household, by=officer, head_name="Lường Thị Ơn")

    client.force_login(officer)
    assert staff_list(client, "luong thi on") == ["Lường Thị Ơn"]
    assert staff_list(client, "lo thi on") == []
    assert exported(client, "luong thi on") == [("Lường Thị Ơn", "Bản Co Muông")]
    client.logout()
    assert public_search(client, "luong thi on") == [("Lường Thị Ơn", "Bản Co Muông")]
    assert public_search(client, "lo thi on") == []


def test_a_household_moved_to_another_village_is_found_by_the_new_village(
    client, officer, village, recognised
):
    other = unit_services.add_village(
        village.commune, by=officer, name="Bản Phiêng Lơi", kind="ban"
    )
    services.update_household(recognised["family"].household, by=officer, village=other)

    client.force_login(officer)
    assert staff_list(client, "phieng loi") == ["Lò Thị Ơn"]
    assert exported(client, "phieng loi") == [("Lò Thị Ơn", "Bản Phiêng Lơi")]
