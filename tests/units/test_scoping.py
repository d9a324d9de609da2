"""The scoping module on the small tree: old Xã Nà Nhạn merged into today's Xã Mường Phăng.

Reading follows lineage (today's officer reads Nà Nhạn's history); writing does not.
"""

from django.urls import reverse

from tests.factories import UserFactory, make_member
from tests.helpers import refused
from units.models import Membership, Role, Unit, UnitYearFigures
from units.scoping import (
    can_edit_unit,
    can_enter_figures,
    can_manage_accounts,
    forget_scope,
    grantable_roles,
    has_role,
    is_within,
    scope_of,
    scoped,
    units_visible_to,
)


def names(queryset):
    return set(queryset.values_list("name", flat=True))


def test_an_officer_sees_their_commune_its_branch_and_the_commune_merged_into_it(tree, officer):
    assert names(units_visible_to(officer)) == {
        "Xã Mường Phăng",
        "Chi hội bản Co Muông",
        "Xã Nà Nhạn",
    }


def test_the_sibling_officer_sees_only_their_own_commune(tree, sibling_officer):
    assert names(units_visible_to(sibling_officer)) == {"Phường Mường Thanh"}


def test_province_staff_see_the_whole_province_history_included(tree, province_staff):
    assert units_visible_to(province_staff).count() == Unit.objects.count()


def test_a_superuser_sees_everything_and_a_user_without_roles_nothing(tree):
    admin = UserFactory(is_superuser=True)
    assert units_visible_to(admin).count() == Unit.objects.count()
    assert not units_visible_to(UserFactory()).exists()


def test_an_inactive_account_sees_nothing(tree, officer):
    officer.is_active = False
    forget_scope(officer)
    assert not units_visible_to(officer).exists()
    assert not has_role(officer, tree["commune"], Role.OFFICER)


def test_is_within_answers_for_one_unit(tree, officer):
    assert is_within(officer, tree["branch"])
    assert is_within(officer, tree["old_commune"])
    assert not is_within(officer, tree["sibling"])
    assert not is_within(officer, tree["province"])
    assert not is_within(officer, tree["district"])


def test_a_role_reaches_down_the_subtree_but_not_up_nor_sideways(tree, officer):
    assert has_role(officer, tree["commune"], Role.OFFICER)
    assert has_role(officer, tree["branch"], Role.OFFICER)
    assert not has_role(officer, tree["commune"], Role.MANAGER)
    assert not has_role(officer, tree["province"], Role.OFFICER)
    assert not has_role(officer, tree["sibling"], Role.OFFICER)


def test_history_reached_through_lineage_is_read_only(tree, officer):
    assert is_within(officer, tree["old_commune"])
    assert not has_role(officer, tree["old_commune"], Role.OFFICER)
    assert not can_edit_unit(officer, tree["old_commune"])
    assert not can_enter_figures(officer, tree["old_commune"])


def test_officers_and_managers_above_edit_a_current_commune(tree, officer, province_staff):
    assert can_edit_unit(officer, tree["commune"])
    assert can_edit_unit(province_staff, tree["commune"])
    assert can_edit_unit(province_staff, tree["sibling"])
    assert not can_edit_unit(officer, tree["sibling"])


def test_nobody_edits_a_commune_that_has_ended(tree, province_staff):
    assert not can_edit_unit(province_staff, tree["old_commune"])


def test_a_viewer_or_approver_alone_does_not_edit(tree):
    viewer = make_member(tree["commune"], Role.VIEWER)
    approver = make_member(tree["province"], Role.APPROVER)
    assert not can_edit_unit(viewer, tree["commune"])
    assert not can_edit_unit(approver, tree["commune"])


def test_only_managers_manage_accounts_and_only_below_them(tree, officer, province_staff):
    assert not can_manage_accounts(officer)
    assert can_manage_accounts(province_staff)
    assert can_manage_accounts(province_staff, tree["commune"])
    commune_manager = make_member(tree["commune"], Role.MANAGER)
    assert can_manage_accounts(commune_manager, tree["branch"])
    assert not can_manage_accounts(commune_manager, tree["sibling"])


def test_province_staff_grant_every_working_role_up_to_approver_and_manager(tree, province_staff):
    assert grantable_roles(province_staff, tree["commune"]) == [
        Role.VIEWER,
        Role.OFFICER,
        Role.REVIEWER,
        Role.APPROVER,
        Role.MANAGER,
        Role.TREASURER,
    ]


def test_a_commune_manager_grants_no_role_above_their_own(tree):
    manager = make_member(tree["commune"], Role.OFFICER, Role.MANAGER)
    assert grantable_roles(manager, tree["commune"]) == [
        Role.VIEWER,
        Role.OFFICER,
        Role.MANAGER,
        Role.TREASURER,
    ]
    assert grantable_roles(manager, tree["sibling"]) == []


def test_a_manager_who_only_manages_accounts_names_no_fund_keeper(tree):
    manager = make_member(tree["commune"], Role.MANAGER)
    assert Role.TREASURER not in grantable_roles(manager, tree["commune"])
    keeper = make_member(tree["commune"], Role.TREASURER, Role.MANAGER)
    assert Role.TREASURER in grantable_roles(keeper, tree["commune"])


def test_no_manager_names_themselves_fund_keeper(tree):
    from units import services

    manager = make_member(tree["commune"], Role.OFFICER, Role.MANAGER)
    refused(
        lambda: services.add_membership(
            manager, by=manager, unit=tree["commune"], role=Role.TREASURER
        ),
        field="role",
    )
    assert not Membership.objects.filter(user=manager, role=Role.TREASURER).exists()


def test_a_user_who_is_not_a_manager_grants_nothing(tree, officer):
    assert grantable_roles(officer, tree["commune"]) == []


def test_a_superuser_grants_every_role(tree):
    assert set(grantable_roles(UserFactory(is_superuser=True), tree["commune"])) == set(Role)


def test_the_scope_is_computed_once_until_it_is_forgotten(tree, officer, django_assert_num_queries):
    units_visible_to(officer).count()
    with django_assert_num_queries(1):
        units_visible_to(officer).count()
    Membership.objects.create(user=officer, unit=tree["sibling"], role=Role.OFFICER)
    assert not is_within(officer, tree["sibling"])
    forget_scope(officer)
    assert is_within(officer, tree["sibling"])


def test_other_apps_scope_their_rows_through_a_path_field(tree, officer):
    for unit in (tree["commune"], tree["sibling"], tree["old_commune"]):
        UnitYearFigures.objects.create(
            unit=unit, year=2024, members=1, population=2, households=1, branches=0, boards=0
        )
    rows = scoped(UnitYearFigures.objects.all(), officer, "unit__path")
    assert {row.unit.name for row in rows} == {"Xã Mường Phăng", "Xã Nà Nhạn"}


def test_the_scope_is_one_query_unless_a_change_formed_one_of_the_users_units(
    tree, officer, province_staff, django_assert_num_queries
):
    with django_assert_num_queries(1):  # the memberships, their units, "formed by a change?"
        scope = scope_of(province_staff)
    assert [(m.unit, m.role) for m in scope.memberships] == [
        (tree["province"], Role.APPROVER),
        (tree["province"], Role.MANAGER),
    ]
    assert scope.read_paths == [tree["province"].path]
    # Mường Phăng was formed from Nà Nhạn: its lineage is followed (one query a generation).
    with django_assert_num_queries(3):
        scope = scope_of(officer)
    assert scope.read_paths == sorted([tree["commune"].path, tree["old_commune"].path])
    assert scope.memberships[0].unit.valid_from == tree["commune"].valid_from  # converted


def test_a_role_taken_away_takes_effect_on_the_next_request(client, tree, province_staff):
    client.force_login(province_staff)
    url = reverse("units:account-list")
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=province_staff, role=Role.MANAGER).delete()
    assert client.get(url).status_code == 403
    assert client.get(reverse("units:unit-detail", args=[tree["province"].pk])).status_code == 200
    Membership.objects.filter(user=province_staff).delete()
    assert client.get(reverse("units:unit-detail", args=[tree["province"].pk])).status_code == 404
