"""A new registration by a user of several communes (a province's staff who register, a
superuser): the commune is chosen first, from a short list and a search box, then only that
commune's villages, clans and organisations are offered (README, "Figures at country scale")."""

import pytest
from django.urls import reverse

from models_learning.models import Clan, Household, ModelKind, Registration
from tests.factories import UserFactory, make_member
from units.models import Role

from .factories import register_family
from .test_views_registration import household_data, url

pytestmark = pytest.mark.django_db

CHOOSER = "models_learning/registration_commune.html"
REFUSED = "Hãy chọn một trong các xã nơi bạn đăng ký."


@pytest.fixture
def province_officer(tree):
    """Registers in every commune of the province (three: one of them before the merger)."""
    return make_member(tree["province"], Role.OFFICER, username="province-officer")


@pytest.fixture
def signed_in(client, province_officer):
    client.force_login(province_officer)
    return client


def test_the_commune_is_chosen_first_from_a_short_list_with_a_search_box(
    signed_in, criteria_sets, village, sibling_village
):
    response = signed_in.get(url())
    assert response.status_code == 200
    assert response.templates[0].name == CHOOSER
    assert 'name="commune_q"' in response.text
    assert 'hx-get="/portal/units/choose/?scope=registering"' in response.text
    assert ">Phường Mường Thanh</option>" in response.text
    # No village is listed before the commune is known.
    assert "Bản Co Muông" not in response.text and "Tổ dân phố 1" not in response.text


def test_a_name_typed_without_javascript_lists_the_communes_it_matches(
    signed_in, criteria_sets, tree
):
    response = signed_in.get(url() + "&commune=&commune_q=muong+thanh")
    assert response.status_code == 200
    assert response.templates[0].name == CHOOSER
    options = [pk for pk, _label in response.context["form"].fields["commune"].widget.choices]
    assert options == ["", tree["sibling"].pk]
    assert "Chọn một trong các đơn vị tìm được cho “muong thanh”" in response.text


def test_then_only_the_villages_of_that_commune_are_offered_and_the_household_registers_there(
    signed_in, criteria_sets, tree, village, sibling_village
):
    chosen = f"{url()}&commune={tree['sibling'].pk}"
    response = signed_in.get(chosen)
    assert response.status_code == 200
    assert response.templates[0].name == "models_learning/registration_form.html"
    assert list(response.context["form"].fields["village"].queryset) == [sibling_village]
    assert "Bản Co Muông" not in response.text
    assert f'name="commune" value="{tree["sibling"].pk}"' in response.text
    assert "Phường Mường Thanh" in response.text

    response = signed_in.post(chosen, household_data(sibling_village, commune=tree["sibling"].pk))
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert registration.unit == tree["sibling"]
    assert registration.household.village == sibling_village


def test_a_village_of_another_commune_than_the_one_chosen_is_refused(
    signed_in, criteria_sets, tree, village, sibling_village
):
    data = household_data(village, commune=tree["sibling"].pk)
    response = signed_in.post(f"{url()}&commune={tree['sibling'].pk}", data)
    assert response.status_code == 200
    assert response.context["form"].errors["village"]
    assert not Household.objects.exists()


@pytest.mark.parametrize("raw", ["abc", "-1", "1.5", "99999999999999999999", "0x10", "+"])
def test_a_garbage_commune_gets_a_message_not_an_error_page(signed_in, criteria_sets, raw):
    response = signed_in.get(f"{url()}&commune={raw}")
    assert response.status_code == 200
    assert response.templates[0].name == CHOOSER
    assert REFUSED in response.text


def test_a_commune_outside_the_users_communes_is_refused(
    client, criteria_sets, tree, officer, village, sibling_village
):
    # An officer of two communes: the province's third one is not theirs.
    make_member(tree["sibling"], Role.OFFICER, user=officer)
    client.force_login(officer)
    foreign = tree["old_commune"].pk
    response = client.get(f"{url()}&commune={foreign}")
    assert response.status_code == 200
    assert response.templates[0].name == CHOOSER
    assert REFUSED in response.text
    response = client.post(
        f"{url()}&commune={foreign}", household_data(sibling_village, commune=foreign)
    )
    assert response.status_code == 200
    assert REFUSED in response.text
    assert not Registration.objects.exists()


def test_an_existing_household_is_registered_from_the_duplicate_warning(
    signed_in, criteria_sets, tree, officer, village
):
    old = register_family(officer, village, head_name="Lò Văn Piềng", head_birth_year=1978)
    chosen = f"{url(year=2027)}&commune={tree['commune'].pk}"
    response = signed_in.post(chosen, household_data(village, commune=tree["commune"].pk))
    assert [row["household"] for row in response.context["duplicates"]] == [old.household]
    assert f'name="household" value="{old.household.pk}"' in response.text
    response = signed_in.post(
        chosen, {"household": old.household.pk, "commune": tree["commune"].pk}
    )
    assert response.status_code == 302
    assert Household.objects.count() == 1
    assert old.household.registrations.filter(year=2027).exists()


def test_the_clan_step_lists_the_clans_of_the_commune_chosen_only(
    signed_in, criteria_sets, tree, officer, sibling_officer
):
    ours = Clan.objects.create(commune=tree["commune"], surname="Lò")
    Clan.objects.create(commune=tree["sibling"], surname="Quàng")
    response = signed_in.get(f"{url('clan')}&commune={tree['commune'].pk}")
    assert list(response.context["form"].fields["clan"].queryset) == [ours]
    assert "commune" not in response.context["form"].fields
    data = {"commune": tree["sibling"].pk, "surname": "Cầm"}
    response = signed_in.post(f"{url('clan')}&commune={tree['sibling'].pk}", data)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.kind == ModelKind.CLAN and registration.unit == tree["sibling"]


def test_a_superuser_registers_a_village_of_the_commune_chosen(
    client, criteria_sets, tree, village, sibling_village
):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get(url("community"))
    assert response.templates[0].name == CHOOSER
    chosen = f"{url('community')}&commune={tree['commune'].pk}"
    response = client.get(chosen)
    assert list(response.context["form"].fields["village"].queryset) == [village]
    response = client.post(chosen, {"village": village.pk, "commune": tree["commune"].pk})
    assert response.status_code == 302
    assert Registration.objects.get().unit == tree["commune"]


def test_the_commune_officer_is_not_asked_for_a_commune(client, criteria_sets, officer, village):
    client.force_login(officer)
    response = client.get(url())
    assert response.templates[0].name == "models_learning/registration_form.html"
    assert 'name="commune"' not in response.text
    assert reverse("units:choose") not in response.text
