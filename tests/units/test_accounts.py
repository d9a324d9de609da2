"""Account management: managers act only inside their own subtree, never above their role."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import UserFactory, make_member, make_unit
from tests.helpers import refused
from units import services
from units.accounts import accounts_manageable_by, grantable_units
from units.models import AuditEntry, Level, Membership, Role
from units.scoping import has_role

User = get_user_model()
GOOD_PASSWORD = "Khuyen-hoc-2025!"


@pytest.fixture
def commune_manager(tree):
    """Officer and manager of Xã Mường Phăng: manages its accounts, grants up to officer."""
    return make_member(tree["commune"], Role.OFFICER, Role.MANAGER, username="commune-manager")


@pytest.fixture
def outsider(db):
    """An officer of a commune in another province."""
    province = make_unit("Tỉnh Lai Châu", Level.PROVINCE, admin_code="12")
    commune = make_unit("Xã Bản Giang", Level.COMMUNE, province, admin_code="3400")
    return make_member(commune, Role.OFFICER, username="outsider")


def new_account(by, unit, role=Role.OFFICER, username="new-officer", **overrides):
    fields = {
        "username": username,
        "full_name": "Lò Thị Hoa",
        "email": "hoa@example.org",
        "password": GOOD_PASSWORD,
        "unit": unit,
        "role": role,
        **overrides,
    }
    return services.create_account(by=by, **fields)


# --- who sees which accounts ----------------------------------------------------------------


def test_a_manager_sees_the_accounts_wholly_inside_their_subtree(
    tree, officer, sibling_officer, commune_manager, outsider
):
    both = make_member(tree["commune"], Role.VIEWER, username="both")
    make_member(tree["sibling"], Role.VIEWER, user=both)
    seen = set(accounts_manageable_by(commune_manager).values_list("username", flat=True))
    assert seen == {"officer", "commune-manager"}


def test_province_staff_see_every_account_of_the_province_but_not_another_province(
    tree, officer, sibling_officer, province_staff, outsider
):
    seen = set(accounts_manageable_by(province_staff).values_list("username", flat=True))
    assert seen == {"officer", "sibling", "province"}


def test_superuser_accounts_are_never_listed(tree, province_staff):
    admin = make_member(tree["commune"], Role.OFFICER, user=UserFactory(is_superuser=True))
    assert admin not in accounts_manageable_by(province_staff)
    assert admin not in accounts_manageable_by(UserFactory(is_superuser=True))


def test_a_superuser_sees_every_other_account_even_without_roles(tree, officer, outsider):
    lonely = UserFactory()
    seen = set(accounts_manageable_by(UserFactory(is_superuser=True)))
    assert {officer, outsider, lonely} <= seen


def test_an_officer_manages_no_account(tree, officer):
    assert not accounts_manageable_by(officer).exists()


def test_the_units_offered_are_current_units_of_the_managers_subtree(tree, commune_manager):
    assert list(grantable_units(commune_manager)) == [tree["commune"]]


# --- creating accounts ----------------------------------------------------------------------


def test_a_manager_creates_an_account_with_its_first_role(tree, commune_manager):
    user, membership = new_account(commune_manager, tree["commune"])
    assert user.check_password(GOOD_PASSWORD)
    assert user.get_full_name() == "Lò Thị Hoa"
    assert (membership.unit, membership.role) == (tree["commune"], Role.OFFICER)
    assert has_role(user, tree["branch"], Role.OFFICER)
    entry = AuditEntry.objects.get(action="account.create")
    assert (entry.actor, entry.target, entry.unit) == (
        commune_manager,
        "new-officer",
        tree["commune"],
    )


def test_a_role_above_the_managers_own_is_refused(tree, commune_manager):
    refused(
        lambda: new_account(commune_manager, tree["commune"], role=Role.APPROVER),
        field="role",
        contains="cao hơn vai trò của bạn",
    )
    assert not User.objects.filter(username="new-officer").exists()


def test_a_unit_outside_the_managers_subtree_is_refused(tree, commune_manager):
    refused(lambda: new_account(commune_manager, tree["sibling"]), field="unit")
    assert not User.objects.filter(username="new-officer").exists()


def test_a_role_in_a_unit_that_has_ended_is_refused(tree, province_staff):
    refused(lambda: new_account(province_staff, tree["old_commune"]), field="unit")


def test_a_taken_username_is_refused_whatever_its_case(tree, officer, province_staff):
    refused(lambda: new_account(province_staff, tree["commune"], username="OFFICER"), "username")
    assert User.objects.count() == 2


def test_a_weak_password_is_refused_by_the_django_validators(tree, province_staff):
    refused(lambda: new_account(province_staff, tree["commune"], password="12345"), "password")
    assert not User.objects.filter(username="new-officer").exists()


# --- changing accounts ----------------------------------------------------------------------


def test_a_manager_changes_name_email_and_active_flag_and_it_is_audited(
    tree, officer, commune_manager
):
    services.update_account(
        officer, by=commune_manager, full_name="Quàng Văn Minh", email="", is_active=False
    )
    officer.refresh_from_db()
    assert (officer.first_name, officer.last_name, officer.is_active) == (
        "Quàng Văn",
        "Minh",
        False,
    )
    entry = AuditEntry.objects.get(action="account.update")
    assert entry.changes["is_active"] == [True, False]
    assert entry.changes["full_name"][1] == "Quàng Văn Minh"


def test_a_manager_cannot_change_an_account_outside_their_subtree(
    tree, sibling_officer, commune_manager
):
    refused(
        lambda: services.update_account(
            sibling_officer, by=commune_manager, full_name="X Y", email="", is_active=False
        )
    )
    sibling_officer.refresh_from_db()
    assert sibling_officer.is_active


def test_a_superuser_account_is_never_changed_here(tree, province_staff):
    admin = make_member(tree["commune"], Role.OFFICER, user=UserFactory(is_superuser=True))
    refused(
        lambda: services.update_account(
            admin, by=province_staff, full_name="X Y", email="", is_active=False
        )
    )
    admin.refresh_from_db()
    assert admin.is_active


def test_nobody_deactivates_their_own_account(tree, province_staff):
    refused(
        lambda: services.update_account(
            province_staff, by=province_staff, full_name="A B", email="", is_active=False
        ),
        field="is_active",
    )


# --- memberships ----------------------------------------------------------------------------


def test_a_manager_gives_a_role_and_the_new_scope_applies_at_once(tree, province_staff, officer):
    assert not has_role(officer, tree["sibling"], Role.OFFICER)
    services.add_membership(officer, by=province_staff, unit=tree["sibling"], role=Role.OFFICER)
    assert has_role(officer, tree["sibling"], Role.OFFICER)
    assert AuditEntry.objects.filter(action="membership.add", unit=tree["sibling"]).exists()


def test_giving_a_role_the_account_already_has_is_refused(tree, province_staff, officer):
    refused(
        lambda: services.add_membership(
            officer, by=province_staff, unit=tree["commune"], role=Role.OFFICER
        ),
        field="role",
    )


def test_giving_a_role_above_ones_own_is_refused(tree, commune_manager, officer):
    refused(
        lambda: services.add_membership(
            officer, by=commune_manager, unit=tree["commune"], role=Role.REVIEWER
        ),
        field="role",
    )
    assert officer.memberships.count() == 1


def test_giving_a_role_in_another_unit_than_ones_own_is_refused(tree, commune_manager, officer):
    refused(
        lambda: services.add_membership(
            officer, by=commune_manager, unit=tree["sibling"], role=Role.VIEWER
        ),
        field="unit",
    )
    assert officer.memberships.count() == 1


def test_a_manager_removes_a_role_and_it_is_audited(tree, province_staff, officer):
    extra = Membership.objects.create(user=officer, unit=tree["commune"], role=Role.VIEWER)
    services.remove_membership(extra, by=province_staff)
    assert not Membership.objects.filter(pk=extra.pk).exists()
    entry = AuditEntry.objects.get(action="membership.remove")
    assert entry.changes == {"membership": ["Xã Mường Phăng", "viewer"]}


def test_the_only_role_of_an_account_is_not_removed(tree, province_staff, officer):
    membership = officer.memberships.get()
    refused(lambda: services.remove_membership(membership, by=province_staff))
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_nobody_removes_their_own_last_manager_role(tree, province_staff):
    manager_role = province_staff.memberships.get(role=Role.MANAGER)
    refused(
        lambda: services.remove_membership(manager_role, by=province_staff),
        contains="vai trò quản lý cuối cùng",
    )
    assert Membership.objects.filter(pk=manager_role.pk).exists()


def test_a_manager_may_drop_one_of_two_manager_roles(tree, province_staff):
    second = Membership.objects.create(user=province_staff, unit=tree["commune"], role=Role.MANAGER)
    services.remove_membership(second, by=province_staff)
    assert province_staff.memberships.filter(role=Role.MANAGER).count() == 1


# --- the pages ------------------------------------------------------------------------------


def test_the_accounts_link_shows_only_for_managers(client, tree, officer, province_staff):
    client.force_login(officer)
    assert reverse("units:account-list") not in client.get(reverse("units:tree")).text
    client.force_login(province_staff)
    assert reverse("units:account-list") in client.get(reverse("units:tree")).text


def test_the_account_list_runs_a_fixed_number_of_queries(
    client, tree, province_staff, django_assert_max_num_queries
):
    for number in range(60):
        make_member(tree["commune"], Role.OFFICER, Role.VIEWER, username=f"can-bo-{number:02}")
    client.force_login(province_staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("units:account-list"))
    assert response.status_code == 200
    assert "can-bo-00" in response.text
    assert "can-bo-59" not in response.text  # on the second page


def test_the_account_list_searches_by_name(client, tree, officer, sibling_officer, province_staff):
    client.force_login(province_staff)
    response = client.get(reverse("units:account-list"), {"q": "sibl"})
    assert "sibling" in response.text
    assert reverse("units:account-update", args=[officer.pk]) not in response.text


def create_form(tree, **overrides):
    return {
        "username": "lo-thi-hoa",
        "full_name": "Lò Thị Hoa",
        "email": "",
        "password": GOOD_PASSWORD,
        "password_again": GOOD_PASSWORD,
        "unit": tree["commune"].pk,
        "role": Role.OFFICER,
        **overrides,
    }


def test_creating_an_account_through_the_page(client, tree, commune_manager):
    client.force_login(commune_manager)
    response = client.post(reverse("units:account-create"), create_form(tree))
    user = User.objects.get(username="lo-thi-hoa")
    assert response.status_code == 302
    assert response["Location"] == reverse("units:account-update", args=[user.pk])


def test_a_forged_unit_in_the_create_form_is_an_error_and_creates_nothing(
    client, tree, commune_manager
):
    client.force_login(commune_manager)
    response = client.post(
        reverse("units:account-create"), create_form(tree, unit=tree["sibling"].pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert not User.objects.filter(username="lo-thi-hoa").exists()


def test_a_role_above_ones_own_in_the_create_form_is_shown_next_to_the_role(
    client, tree, commune_manager
):
    client.force_login(commune_manager)
    response = client.post(reverse("units:account-create"), create_form(tree, role=Role.APPROVER))
    assert "cao hơn vai trò của bạn" in response.context["form"].errors["role"][0]
    assert not User.objects.filter(username="lo-thi-hoa").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password_again": "something-else-1"}, "password_again"),
        ({"password": "12345678", "password_again": "12345678"}, "password"),
        ({"password": "lo-thi-hoa1", "password_again": "lo-thi-hoa1"}, "password"),
        ({"username": "có dấu cách"}, "username"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_bad_input_in_the_create_form_is_shown_next_to_its_field(
    client, tree, commune_manager, overrides, field
):
    client.force_login(commune_manager)
    response = client.post(reverse("units:account-create"), create_form(tree, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert User.objects.count() == 1


def test_an_account_outside_the_subtree_answers_404(client, tree, sibling_officer, commune_manager):
    client.force_login(commune_manager)
    for name in ("units:account-update", "units:membership-add"):
        assert client.get(reverse(name, args=[sibling_officer.pk])).status_code == 404


def test_a_superuser_account_answers_404_to_province_staff(client, tree, province_staff):
    admin = make_member(tree["commune"], Role.OFFICER, user=UserFactory(is_superuser=True))
    client.force_login(province_staff)
    assert client.get(reverse("units:account-update", args=[admin.pk])).status_code == 404


def test_removing_a_role_of_another_subtree_answers_404_and_keeps_it(
    client, tree, sibling_officer, commune_manager
):
    membership = sibling_officer.memberships.get()
    client.force_login(commune_manager)
    response = client.post(reverse("units:membership-remove", args=[membership.pk]))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_removing_the_only_role_through_the_page_shows_why_and_keeps_it(
    client, tree, officer, province_staff
):
    membership = officer.memberships.get()
    client.force_login(province_staff)
    response = client.post(reverse("units:membership-remove", args=[membership.pk]), follow=True)
    assert "vai trò duy nhất" in response.text
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_forged_unit_when_giving_a_role_is_an_error(client, tree, officer, commune_manager):
    client.force_login(commune_manager)
    response = client.post(
        reverse("units:membership-add", args=[officer.pk]),
        {"unit": tree["sibling"].pk, "role": Role.VIEWER},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert officer.memberships.count() == 1


def test_the_account_page_shows_roles_and_history(client, tree, officer, province_staff):
    services.update_account(
        officer, by=province_staff, full_name="Quàng Văn Minh", email="", is_active=True
    )
    client.force_login(province_staff)
    response = client.get(reverse("units:account-update", args=[officer.pk]))
    assert "Xã Mường Phăng" in response.text
    assert "Sửa tài khoản" in response.text
    assert reverse("units:membership-remove", args=[officer.memberships.get().pk]) in response.text


def test_deactivating_through_the_page(client, tree, officer, province_staff):
    client.force_login(province_staff)
    response = client.post(
        reverse("units:account-update", args=[officer.pk]),
        {"full_name": "Quàng Văn Minh", "email": "minh@example.org"},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    assert officer.email == "minh@example.org"
