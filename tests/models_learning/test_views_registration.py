"""The new-registration pages: title and year, then the subject (created on the way)."""

import pytest
from django.urls import reverse

from models_learning.models import Clan, Household, ModelKind, Organisation, Registration

from .factories import register_family
from .page_factories import village_of

pytestmark = pytest.mark.django_db

NEW = reverse("models_learning:registration-create")


def url(kind="family", year=2026):
    return f"{NEW}?kind={kind}&year={year}"


def household_data(village, **changes):
    data = {
        "head_name": "Lò Văn Piềng",
        "head_birth_year": "1978",
        "village": village.pk,
        "address": "Bản Co Muông",
        "phone": "",
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "0",
        "members-0-name": "Lò Thị Xuân",
        "members-0-birth_year": "2010",
        "members-0-relationship": "child",
        "members-0-schooling": "lower_secondary",
        "members-1-relationship": "child",
        "members-1-schooling": "none",
        "members-2-relationship": "child",
        "members-2-schooling": "none",
    }
    data.update(changes)
    return data


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


def test_the_first_step_asks_for_the_title_and_the_year(signed_in, criteria_sets):
    response = signed_in.get(NEW)
    assert response.status_code == 200
    assert response.templates[0].name == "models_learning/registration_start.html"
    assert 'name="kind"' in response.text and 'name="year"' in response.text


def test_the_household_form_offers_only_the_villages_of_the_officers_commune(
    signed_in, criteria_sets, village, sibling_village
):
    response = signed_in.get(url())
    assert response.status_code == 200
    villages = list(response.context["form"].fields["village"].queryset)
    assert villages == [village]
    assert "Tổ dân phố 1" not in response.text
    assert "Gia đình học tập 2021–2030 (từ 01/07/2025)" in response.text


def test_the_officer_registers_a_new_household_with_its_members(signed_in, criteria_sets, village):
    response = signed_in.post(url(), household_data(village))
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "models_learning:registration-detail", args=[registration.pk]
    )
    assert registration.kind == ModelKind.FAMILY and registration.year == 2026
    household = registration.household
    assert household.head_name == "Lò Văn Piềng" and household.village == village
    assert [m.name for m in household.members.all()] == ["Lò Thị Xuân"]
    assert registration.criteria_set.approval_levels == ["commune", "province"]


def test_a_member_row_without_a_name_is_refused_next_to_the_field(
    signed_in, criteria_sets, village
):
    data = household_data(village, **{"members-1-birth_year": "2012"})
    response = signed_in.post(url(), data)
    assert response.status_code == 200
    assert "Nhập tên thành viên" in response.text, response.context["members"].errors
    assert not Registration.objects.exists()


def test_more_member_rows_keep_what_was_typed(signed_in, criteria_sets, village):
    response = signed_in.post(url(), {**household_data(village), "add_members": "1"})
    assert response.status_code == 200
    assert response.context["members"].total_form_count() == 4
    assert 'value="Lò Thị Xuân"' in response.text
    assert not Registration.objects.exists()


def test_a_village_of_another_commune_is_refused(
    signed_in, criteria_sets, village, sibling_village
):
    response = signed_in.post(url(), household_data(sibling_village))
    assert response.status_code == 200
    assert response.context["form"].errors["village"]
    assert not Household.objects.exists()


def test_a_likely_duplicate_is_shown_with_a_way_to_open_it_or_confirm(
    signed_in, criteria_sets, officer, village
):
    first = register_family(officer, village, head_name="Lò Văn Piềng", head_birth_year=1978)
    response = signed_in.post(url(), household_data(village, head_name="lo van pieng"))
    assert response.status_code == 200
    assert Registration.objects.count() == 1
    rows = response.context["duplicates"]
    assert [row["registration"] for row in rows] == [first]
    assert rows[0]["can_open"]
    assert reverse("models_learning:registration-detail", args=[first.pk]) in response.text
    assert 'name="confirm_duplicate"' in response.text
    assert "có thể đã được đăng ký" in response.text


def test_confirming_a_duplicate_registers_the_new_household(
    signed_in, criteria_sets, officer, village
):
    register_family(officer, village, head_name="Lò Văn Piềng", head_birth_year=1978, year=2025)
    data = household_data(village, confirm_duplicate="1")
    response = signed_in.post(url(year=2026), data)
    assert response.status_code == 302
    assert Household.objects.count() == 2


def test_an_existing_household_is_offered_and_registered_instead_of_entered_again(
    signed_in, criteria_sets, officer, village
):
    old = register_family(
        officer, village, head_name="Lò Văn Piềng", head_birth_year=1978, year=2025
    )
    response = signed_in.post(url(year=2026), household_data(village))
    rows = response.context["duplicates"]
    assert [row["household"] for row in rows] == [old.household]
    assert rows[0]["can_register"]
    response = signed_in.post(url(year=2026), {"household": old.household.pk})
    assert response.status_code == 302
    assert Household.objects.count() == 1
    assert old.household.registrations.filter(year=2026).exists()


def test_registering_the_same_household_twice_in_a_year_says_so(
    signed_in, criteria_sets, officer, village
):
    first = register_family(officer, village, year=2026)
    response = signed_in.post(url(year=2026), {"household": first.household.pk}, follow=True)
    assert response.status_code == 200
    assert "đã được đăng ký" in response.text
    assert Registration.objects.count() == 1


def test_a_household_of_another_commune_cannot_be_registered_by_a_forged_post(
    client, signed_in, criteria_sets, sibling_officer, sibling_village
):
    theirs = register_family(sibling_officer, sibling_village, year=2025)
    response = signed_in.post(url(year=2026), {"household": theirs.household.pk}, follow=True)
    assert response.status_code == 200
    assert not theirs.household.registrations.filter(year=2026).exists()


def test_a_year_before_the_commune_existed_is_refused(signed_in, criteria_sets, village):
    response = signed_in.post(url(year=2024), household_data(village))
    assert response.status_code == 200
    assert "chỉ tồn tại từ" in response.text
    assert not Registration.objects.exists()


def test_a_new_clan_is_created_and_registered(signed_in, criteria_sets, tree):
    data = {"surname": "Lò", "branch": "Chi 2", "representative": "Lò Văn Hặc"}
    response = signed_in.post(url("clan"), data)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.clan.surname == "Lò" and registration.unit == tree["commune"]


def test_a_clan_already_entered_is_picked(signed_in, criteria_sets, tree, officer):
    from models_learning import services

    clan = services.create_clan(by=officer, commune=tree["commune"], surname="Quàng")
    response = signed_in.post(url("clan"), {"clan": clan.pk})
    assert response.status_code == 302
    assert Clan.objects.count() == 1
    assert Registration.objects.get().clan == clan


def test_a_clan_needs_a_surname_or_a_choice(signed_in, criteria_sets):
    response = signed_in.post(url("clan"), {})
    assert response.status_code == 200
    assert response.context["form"].errors["surname"]


def test_a_village_registers_as_a_learning_community(signed_in, criteria_sets, village):
    response = signed_in.post(url("community"), {"village": village.pk})
    assert response.status_code == 302
    assert Registration.objects.get().village == village


def test_an_organisation_is_created_and_registered(signed_in, criteria_sets):
    data = {"name": "Trường THCS Mường Phăng", "kind": "school"}
    response = signed_in.post(url("organisation"), data)
    assert response.status_code == 302
    assert Organisation.objects.get().name == "Trường THCS Mường Phăng"


def test_an_organisation_without_its_kind_gets_a_message(signed_in, criteria_sets):
    response = signed_in.post(url("organisation"), {"name": "Trạm y tế"})
    assert response.status_code == 200
    assert "Chọn loại đơn vị" in response.text
    assert not Organisation.objects.exists()


def test_without_a_criteria_set_the_page_says_whom_to_ask(signed_in, village):
    response = signed_in.get(url())
    assert "không có bộ tiêu chí" in response.text.lower()
    response = signed_in.post(url(), household_data(village))
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_province_staff_do_not_register(client, province_staff, criteria_sets):
    client.force_login(province_staff)
    assert client.get(NEW).status_code == 403


def test_the_officer_of_an_old_commune_registers_under_the_old_chain(
    client, criteria_sets, old_officer, old_village
):
    client.force_login(old_officer)
    response = client.post(
        url(year=2024), household_data(village_of(old_village.commune, old_village.name))
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.criteria_set.approval_levels == ["commune", "district", "province"]


def test_a_broken_members_management_form_is_not_an_error(signed_in, criteria_sets, village):
    data = {**household_data(village), "members-TOTAL_FORMS": "abc"}
    assert signed_in.post(url(), {**data, "add_members": "1"}).status_code == 200
    response = signed_in.post(url(), data)
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_an_unknown_title_goes_back_to_the_first_step(signed_in, criteria_sets):
    response = signed_in.get(url(kind="citizen", year=3000))
    assert response.status_code == 200
    assert response.templates[0].name == "models_learning/registration_start.html"


def test_an_officer_of_two_communes_chooses_where_a_new_clan_registers(
    signed_in, criteria_sets, officer, tree
):
    from tests.factories import make_member
    from units.models import Role

    make_member(tree["sibling"], Role.OFFICER, user=officer)
    response = signed_in.get(url("clan"))
    assert "commune" in response.context["form"].fields
    data = {"commune": tree["sibling"].pk, "surname": "Lò"}
    assert signed_in.post(url("clan"), data).status_code == 302
    assert Registration.objects.get().unit == tree["sibling"]


def test_a_new_clan_is_not_kept_when_its_registration_is_refused(signed_in, criteria_sets, tree):
    response = signed_in.post(url("clan", year=2031), {"surname": "Lò"})
    assert response.status_code == 200
    assert not Clan.objects.exists()
    assert not Registration.objects.exists()
