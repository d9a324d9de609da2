"""The unit page and the forms of villages, branches and yearly figures."""

import datetime

import pytest
from django.urls import reverse

from lib.dates import this_year
from tests.factories import make_member, make_unit
from units import services
from units.models import AuditEntry, Level, Role, Unit, UnitYearFigures, Village

THIS_YEAR = this_year()


def page(client, user, unit):
    client.force_login(user)
    response = client.get(reverse("units:unit-detail", args=[unit.pk]))
    assert response.status_code == 200
    return response


# --- the unit page --------------------------------------------------------------------------


def test_the_commune_page_shows_its_facts_branches_and_villages(client, tree, officer):
    services.add_village(tree["commune"], by=officer, name="Bản Co Muông", kind="ban")
    response = page(client, officer, tree["commune"])
    text = response.text
    assert "Xã Mường Phăng" in text
    assert "3325" in text
    assert "01/07/2025" in text
    assert "Chi hội bản Co Muông" in text
    assert "Bản Co Muông" in text
    assert "Tỉnh Điện Biên" in text  # the parent, named though the officer cannot open it
    assert reverse("units:unit-detail", args=[tree["province"].pk]) not in text


def test_the_commune_page_says_what_it_was_formed_from(client, tree, officer):
    response = page(client, officer, tree["commune"])
    (change,) = response.context["formerly"]
    assert change.predecessor == tree["old_commune"]
    assert "Trước đây là" in response.text
    assert "Nghị quyết 1661/NQ-UBTVQH15" in response.text
    assert reverse("units:unit-detail", args=[tree["old_commune"].pk]) in response.text


def test_the_old_commune_page_says_what_it_was_merged_into_and_is_read_only(client, tree, officer):
    response = page(client, officer, tree["old_commune"])
    assert "Sáp nhập vào" in response.text
    assert "ngày 01/07/2025" in response.text
    assert not response.context["can_edit"]
    assert not response.context["can_enter_figures"]
    assert "/villages/new/" not in response.text
    assert "/branches/new/" not in response.text


def test_the_officer_gets_the_action_buttons_on_their_commune(client, tree, officer):
    response = page(client, officer, tree["commune"])
    assert response.context["can_edit"]
    assert reverse("units:village-create", args=[tree["commune"].pk]) in response.text
    assert reverse("units:branch-create", args=[tree["commune"].pk]) in response.text
    assert reverse("units:figures-edit", args=[tree["commune"].pk, THIS_YEAR]) in response.text


def test_a_viewer_reads_the_page_without_buttons(client, tree):
    viewer = make_member(tree["commune"], Role.VIEWER)
    response = page(client, viewer, tree["commune"])
    assert not response.context["can_edit"]
    assert "/villages/new/" not in response.text


def test_a_local_code_is_marked(client, tree, province_staff):
    unit = make_unit(
        "Xã Không Mã", Level.COMMUNE, tree["province"], admin_code="L001", admin_code_is_local=True
    )
    response = page(client, province_staff, unit)
    assert "mã tạm" in response.text


def test_the_page_lists_the_last_audit_entries_of_the_unit(client, tree, officer):
    services.add_village(tree["commune"], by=officer, name="Bản Mới", kind="ban")
    response = page(client, officer, tree["commune"])
    assert "Thêm thôn, bản" in response.text
    assert response.context["audit_entries"][0].actor == officer


def test_the_commune_page_shows_its_figures_with_the_ratio(client, tree, officer):
    services.set_year_figures(
        tree["commune"],
        2025,
        by=officer,
        members=1234,
        population=5000,
        households=1000,
        branches=10,
        boards=2,
    )
    response = page(client, officer, tree["commune"])
    assert "1.234" in response.text
    assert "24,7%" in response.text
    assert ">2025<" in response.text  # a year is not grouped like a number


def test_the_branch_page_offers_editing_to_the_officer(client, tree, officer):
    response = page(client, officer, tree["branch"])
    assert reverse("units:branch-update", args=[tree["branch"].pk]) in response.text


# --- villages -------------------------------------------------------------------------------


def test_adding_a_village_through_the_form(client, tree, officer):
    client.force_login(officer)
    response = client.post(
        reverse("units:village-create", args=[tree["commune"].pk]),
        {"name": "Bản Hả", "kind": "ban"},
        follow=True,
    )
    assert Village.objects.filter(commune=tree["commune"], name="Bản Hả").exists()
    assert "Đã thêm thôn, bản." in response.text


def test_a_duplicate_village_name_is_shown_next_to_the_name(client, tree, officer):
    services.add_village(tree["commune"], by=officer, name="Bản Hả", kind="ban")
    client.force_login(officer)
    response = client.post(
        reverse("units:village-create", args=[tree["commune"].pk]),
        {"name": "bản hả", "kind": "thon"},
    )
    assert response.status_code == 200
    assert "đã có thôn, bản" in response.context["form"].errors["name"][0]
    assert Village.objects.count() == 1


def test_the_officer_cannot_edit_a_village_of_the_sibling_commune(
    client, tree, officer, sibling_officer
):
    village = services.add_village(tree["sibling"], by=sibling_officer, name="Tổ 1", kind="ban")
    client.force_login(officer)
    url = reverse("units:village-update", args=[village.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Tổ 2", "kind": "ban"}).status_code == 404
    village.refresh_from_db()
    assert village.name == "Tổ 1"


def test_renaming_a_village_through_the_form(client, tree, officer):
    village = services.add_village(tree["commune"], by=officer, name="Bản A", kind="ban")
    client.force_login(officer)
    response = client.post(
        reverse("units:village-update", args=[village.pk]),
        {"name": "Bản Á", "kind": "thon", "valid_to": ""},
    )
    assert response.status_code == 302
    village.refresh_from_db()
    assert (village.name, village.kind) == ("Bản Á", "thon")


# --- branches -------------------------------------------------------------------------------


def test_adding_a_branch_through_the_form(client, tree, officer):
    client.force_login(officer)
    response = client.post(
        reverse("units:branch-create", args=[tree["commune"].pk]),
        {"name": "Ban khuyến học dòng họ Lò", "kind": "clan_board", "valid_from": "2025-07-01"},
    )
    assert response.status_code == 302
    branch = Unit.objects.get(name="Ban khuyến học dòng họ Lò")
    assert branch.parent == tree["commune"]
    assert branch.valid_from == datetime.date(2025, 7, 1)


def test_a_branch_ending_before_it_starts_is_shown_next_to_the_end(client, tree, officer):
    client.force_login(officer)
    response = client.post(
        reverse("units:branch-update", args=[tree["branch"].pk]),
        {
            "name": "Chi hội bản Co Muông",
            "kind": "village_branch",
            "valid_from": "01/01/2026",
            "valid_to": "31/12/2025",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["valid_to"]
    tree["branch"].refresh_from_db()
    assert tree["branch"].valid_from is None


def test_a_bad_date_is_a_field_error_not_a_crash(client, tree, officer):
    client.force_login(officer)
    response = client.post(
        reverse("units:branch-create", args=[tree["commune"].pk]),
        {"name": "Chi hội", "kind": "village_branch", "valid_from": "31/02/2025"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["valid_from"]


def test_a_forged_branch_kind_is_a_field_error(client, tree, officer):
    client.force_login(officer)
    response = client.post(
        reverse("units:branch-create", args=[tree["commune"].pk]),
        {"name": "Chi hội", "kind": "palace"},
    )
    assert response.context["form"].errors["kind"]


# --- yearly figures -------------------------------------------------------------------------


def figures_form(**overrides):
    data = {"members": "900", "population": "4000", "households": "850", "branches": "9"}
    return {**data, "boards": "3", **overrides}


def test_entering_figures_creates_them_and_editing_replaces_them(client, tree, officer):
    client.force_login(officer)
    url = reverse("units:figures-edit", args=[tree["commune"].pk, THIS_YEAR])
    assert client.post(url, figures_form()).status_code == 302
    assert client.get(url).context["form"].initial["members"] == 900
    assert client.post(url, figures_form(members="950")).status_code == 302
    assert UnitYearFigures.objects.get(unit=tree["commune"], year=THIS_YEAR).members == 950
    assert AuditEntry.objects.filter(action="figures.set").count() == 2


def test_a_first_entry_starts_from_the_branches_recorded(client, tree, officer):
    client.force_login(officer)
    response = client.get(reverse("units:figures-edit", args=[tree["commune"].pk, THIS_YEAR]))
    assert response.context["form"].initial == {"branches": 1, "boards": 0}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"members": "-5"}, "members"),
        ({"households": "nhiều"}, "households"),
        ({"population": "1.5"}, "population"),
        ({"members": "5000"}, "members"),
        ({"boards": ""}, "boards"),
        ({"population": "99999999999"}, "population"),
    ],
)
def test_bad_figures_are_shown_next_to_the_field_and_nothing_is_saved(
    client, tree, officer, overrides, field
):
    client.force_login(officer)
    url = reverse("units:figures-edit", args=[tree["commune"].pk, THIS_YEAR])
    response = client.post(url, figures_form(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not UnitYearFigures.objects.exists()


def test_more_members_than_people_says_so_in_vietnamese(client, tree, officer):
    client.force_login(officer)
    url = reverse("units:figures-edit", args=[tree["commune"].pk, THIS_YEAR])
    response = client.post(url, figures_form(members="5000"))
    assert "Số hội viên không được lớn hơn dân số." in response.text


@pytest.mark.parametrize("year", [2009, THIS_YEAR + 2, 2024])
def test_a_year_out_of_range_is_not_found(client, tree, officer, year):
    client.force_login(officer)
    url = reverse("units:figures-edit", args=[tree["commune"].pk, year])
    assert client.get(url).status_code == 404
    assert client.post(url, figures_form()).status_code == 404
    assert not UnitYearFigures.objects.exists()
