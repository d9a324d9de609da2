"""The Django admin of units goes through units.services: a unit added there is placed in
the tree (its path can never be empty), a broken rule answers with its message and changes
nothing, and nothing is deleted there."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import UserFactory
from units import services
from units.models import AuditEntry, Level, Unit, Village
from units.scoping import units_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def errors(response):
    """The errors the admin's form shows, by field ("__all__" above the form)."""
    return response.context["adminform"].form.errors


def unit_form(**fields):
    return {
        "name": "Xã Mường Mới",
        "level": Level.COMMUNE,
        "kind": "",
        "division_type": "Xã",
        "admin_code": "",
        "parent": "",
        "valid_from": "",
        "valid_to": "",
        "note": "",
        **fields,
    }


def test_a_unit_added_in_the_admin_is_placed_under_its_parent_and_audited(
    admin_client, tree, superuser
):
    province = tree["province"]
    response = admin_client.post(
        reverse("admin:units_unit_add"),
        # A path sent along is not a field of the form: the service gives the path.
        unit_form(parent=province.pk, admin_code="9999", path="", depth="0"),
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="Xã Mường Mới")
    assert unit.path == f"{province.path}{unit.pk}/"
    assert unit.depth == 1
    assert AuditEntry.objects.filter(action="unit.create", unit=unit, actor=superuser).exists()


def test_the_officer_of_a_unit_added_in_the_admin_reads_only_its_subtree(admin_client, tree):
    admin_client.post(reverse("admin:units_unit_add"), unit_form(parent=tree["province"].pk))
    unit = Unit.objects.get(name="Xã Mường Mới")
    officer = UserFactory()
    services.add_membership(officer, by=UserFactory(is_superuser=True), unit=unit, role="officer")
    assert list(units_visible_to(officer)) == [unit]


def test_a_unit_breaking_a_rule_is_refused_with_its_message_and_nothing_is_added(
    admin_client, tree
):
    count = Unit.objects.count()
    # A commune needs a parent; the message comes from units.services, in Vietnamese.
    response = admin_client.post(reverse("admin:units_unit_add"), unit_form())
    assert response.status_code == 200
    assert errors(response) == {"parent": ["Đơn vị cấp này phải có đơn vị cấp trên."]}
    # A code already used by a commune valid at the same time.
    response = admin_client.post(
        reverse("admin:units_unit_add"),
        unit_form(parent=tree["province"].pk, admin_code="3325", valid_from="2026-01-01"),
    )
    assert response.status_code == 200
    assert list(errors(response)) == ["admin_code"]
    assert "Xã Mường Phăng" in errors(response)["admin_code"][0]
    assert Unit.objects.count() == count


def test_the_database_refuses_an_empty_or_malformed_path(tree):
    commune = tree["commune"]
    for path, depth in [("", 1), ("/", 0), (f"{commune.path}x/", 2), (commune.path, 5)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Unit.objects.filter(pk=commune.pk).update(path=path, depth=depth)
    commune.refresh_from_db()
    assert commune.path == f"{tree['province'].path}{commune.pk}/"


def test_a_unit_changed_in_the_admin_goes_through_the_service(admin_client, tree, superuser):
    commune = tree["commune"]
    response = admin_client.post(
        reverse("admin:units_unit_change", args=[commune.pk]),
        unit_form(
            name="Xã Mường Phăng Mới",
            parent=tree["province"].pk,
            admin_code="3325",
            valid_from="2025-07-01",
        ),
    )
    assert response.status_code == 302
    commune.refresh_from_db()
    assert commune.name == "Xã Mường Phăng Mới"
    assert commune.level == Level.COMMUNE
    entry = AuditEntry.objects.get(action="unit.update", unit=commune)
    assert entry.actor == superuser
    assert entry.changes["name"] == ["Xã Mường Phăng", "Xã Mường Phăng Mới"]


def test_a_unit_moved_under_its_own_branch_is_refused(admin_client, tree):
    commune = tree["commune"]
    response = admin_client.post(
        reverse("admin:units_unit_change", args=[commune.pk]),
        unit_form(name=commune.name, parent=tree["branch"].pk, valid_from="2025-07-01"),
    )
    assert response.status_code == 200
    commune.refresh_from_db()
    assert commune.parent == tree["province"]


def test_units_and_audit_entries_cannot_be_deleted_in_the_admin(admin_client, tree):
    commune = tree["commune"]
    entry = AuditEntry.objects.filter(unit=commune).first()
    for url in (
        reverse("admin:units_unit_delete", args=[commune.pk]),
        reverse("admin:units_auditentry_delete", args=[entry.pk]),
    ):
        assert admin_client.get(url).status_code == 403
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
    # Nor through the list's bulk action, which the admin no longer offers.
    entries = AuditEntry.objects.count()
    response = admin_client.post(
        reverse("admin:units_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert AuditEntry.objects.count() == entries
    assert Unit.objects.filter(pk=commune.pk).exists()


def test_audit_entries_are_read_only_in_the_admin(admin_client, tree):
    entry = AuditEntry.objects.get(unit=tree["commune"], action="unit.create")
    url = reverse("admin:units_auditentry_change", args=[entry.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"action": "forged", "target": "x"}).status_code == 403
    entry.refresh_from_db()
    assert entry.action == "unit.create"


def test_a_village_added_or_renamed_in_the_admin_keeps_names_unique_whatever_the_case(
    admin_client, tree
):
    commune = tree["commune"]
    add = reverse("admin:units_village_add")
    assert (
        admin_client.post(
            add, {"commune": commune.pk, "name": "Bản Co Muông", "kind": "ban"}
        ).status_code
        == 302
    )
    village = Village.objects.get(commune=commune)
    response = admin_client.post(
        add, {"commune": commune.pk, "name": "BẢN CO MUÔNG", "kind": "ban"}
    )
    assert response.status_code == 200
    assert errors(response) == {"name": ["Xã Mường Phăng đã có thôn, bản tên là Bản Co Muông."]}
    other = services.add_village(commune, by=None, name="Bản Phiêng Lơi", kind="ban")
    response = admin_client.post(
        reverse("admin:units_village_change", args=[other.pk]),
        {"name": "bản co muông", "kind": "ban", "valid_to": ""},
    )
    assert response.status_code == 200
    assert list(Village.objects.order_by("pk").values_list("name", flat=True)) == [
        village.name,
        "Bản Phiêng Lơi",
    ]


def test_a_village_of_an_ended_commune_cannot_be_added_in_the_admin(admin_client, tree):
    response = admin_client.post(
        reverse("admin:units_village_add"),
        {"commune": tree["old_commune"].pk, "name": "Bản Mới", "kind": "ban"},
    )
    assert response.status_code == 200
    assert "đã chấm dứt" in str(errors(response))
    assert not Village.objects.exists()


def test_the_database_refuses_two_villages_of_one_name_in_any_case(tree):
    commune = tree["commune"]
    Village.objects.create(commune=commune, name="Bản Na")
    with pytest.raises(IntegrityError), transaction.atomic():
        Village.objects.create(commune=commune, name="bản na")
    Village.objects.create(commune=tree["sibling"], name="bản na")  # another commune may


def test_a_unit_change_link_is_recorded_in_the_admin_through_the_service(admin_client, tree):
    response = admin_client.post(
        reverse("admin:units_unitchange_add"),
        {
            "predecessor": tree["district"].pk,
            "successor": tree["province"].pk,
            "kind": "merge",
            "date": "2025-07-01",
            "legal_basis": "Nghị quyết 1661/NQ-UBTVQH15",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="unit.change", unit=tree["province"]).exists()
    assert (
        admin_client.post(
            reverse("admin:units_unitchange_add"),
            {
                "predecessor": tree["province"].pk,
                "successor": tree["province"].pk,
                "kind": "merge",
                "date": "2025-07-01",
            },
        ).status_code
        == 200
    )


def test_units_and_villages_show_no_delete_button(admin_client, tree):
    village = services.add_village(tree["commune"], by=None, name="Bản Na", kind="ban")
    for model, pk in (("unit", tree["commune"].pk), ("village", village.pk)):
        response = admin_client.get(reverse(f"admin:units_{model}_change", args=[pk]))
        assert response.status_code == 200
        assert reverse(f"admin:units_{model}_delete", args=[pk]) not in response.text
