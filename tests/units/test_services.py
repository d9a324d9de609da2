"""Services of the units app: each rule refused with a message a person can act on, nothing
changed, and an audit row for every write."""

import datetime

import pytest

from lib.dates import this_year
from tests.factories import make_unit
from tests.helpers import refused
from units import services
from units.models import AuditEntry, Level, Unit, UnitYearFigures, Village

THIS_YEAR = this_year()


def figures(**overrides):
    values = {"members": 900, "population": 4000, "households": 850, "branches": 9, "boards": 3}
    return {**values, **overrides}


# --- villages -------------------------------------------------------------------------------


def test_officer_adds_a_village_to_their_commune_and_it_is_audited(tree, officer):
    village = services.add_village(tree["commune"], by=officer, name="  Bản  Co Muông ", kind="ban")
    assert village.name == "Bản Co Muông"
    entry = AuditEntry.objects.get(action="village.create")
    assert (entry.actor, entry.unit, entry.target) == (officer, tree["commune"], "Bản Co Muông")


def test_a_village_name_already_in_the_commune_is_refused_whatever_its_case(tree, officer):
    services.add_village(tree["commune"], by=officer, name="Bản Co Muông", kind="ban")
    refused(
        lambda: services.add_village(tree["commune"], by=officer, name="bản co muông", kind="ban"),
        field="name",
        contains="đã có thôn, bản tên là Bản Co Muông",
    )
    assert Village.objects.count() == 1
    assert AuditEntry.objects.filter(action="village.create").count() == 1


def test_the_same_village_name_in_another_commune_is_fine(tree, officer, province_staff):
    services.add_village(tree["commune"], by=officer, name="Bản Mới", kind="ban")
    services.add_village(tree["sibling"], by=province_staff, name="Bản Mới", kind="ban")
    assert Village.objects.count() == 2


def test_a_village_cannot_be_added_to_a_commune_that_has_ended(tree, province_staff):
    refused(
        lambda: services.add_village(tree["old_commune"], by=province_staff, name="X", kind="ban"),
        contains="đã chấm dứt hoạt động",
    )
    assert not Village.objects.exists()


def test_an_officer_cannot_add_a_village_to_another_commune(tree, officer):
    refused(lambda: services.add_village(tree["sibling"], by=officer, name="X", kind="ban"))
    assert not Village.objects.exists()


def test_a_village_cannot_be_added_to_a_district(tree, province_staff):
    refused(lambda: services.add_village(tree["district"], by=province_staff, name="X", kind="ban"))


def test_renaming_a_village_to_a_name_taken_in_the_commune_changes_nothing(tree, officer):
    services.add_village(tree["commune"], by=officer, name="Bản A", kind="ban")
    village = services.add_village(tree["commune"], by=officer, name="Bản B", kind="ban")
    refused(
        lambda: services.update_village(village, by=officer, name="BẢN A", kind="thon"),
        field="name",
    )
    village.refresh_from_db()
    assert (village.name, village.kind) == ("Bản B", "ban")
    assert not AuditEntry.objects.filter(action="village.update").exists()


def test_updating_a_village_records_what_changed(tree, officer):
    village = services.add_village(tree["commune"], by=officer, name="Bản B", kind="ban")
    ended = datetime.date(2026, 1, 1)
    services.update_village(village, by=officer, name="Bản Bê", kind="ban", valid_to=ended)
    village.refresh_from_db()
    assert (village.name, village.valid_to) == ("Bản Bê", ended)
    entry = AuditEntry.objects.get(action="village.update")
    assert entry.changes == {"name": ["Bản B", "Bản Bê"], "valid_to": ["None", "2026-01-01"]}


# --- branches -------------------------------------------------------------------------------


def test_a_new_branch_sits_under_its_commune_and_is_audited(tree, officer):
    branch = services.create_branch(
        tree["commune"], by=officer, name="Ban khuyến học trường TH", kind="school_board"
    )
    assert branch.level == Level.BRANCH
    assert branch.path == f"{tree['commune'].path}{branch.pk}/"
    entry = AuditEntry.objects.get(action="unit.create", unit=branch)
    assert entry.actor == officer


def test_a_branch_ending_before_it_starts_is_refused(tree, officer):
    count = Unit.objects.count()
    refused(
        lambda: services.create_branch(
            tree["commune"],
            by=officer,
            name="Chi hội bản Mới",
            kind="village_branch",
            valid_from=datetime.date(2026, 1, 1),
            valid_to=datetime.date(2025, 1, 1),
        ),
        field="valid_to",
        contains="không",
    )
    assert Unit.objects.count() == count


def test_a_branch_under_a_district_is_refused(tree, province_staff):
    count = Unit.objects.count()
    # The district has ended, but the level is what is wrong: say so.
    refused(
        lambda: services.create_branch(
            tree["district"], by=province_staff, name="Chi hội", kind="village_branch"
        ),
        field="parent",
    )
    assert Unit.objects.count() == count


def test_a_second_branch_with_the_same_name_in_the_commune_is_refused(tree, officer):
    refused(
        lambda: services.create_branch(
            tree["commune"], by=officer, name="chi hội bản co muông", kind="village_branch"
        ),
        field="name",
    )


def test_a_branch_cannot_be_added_to_history(tree, officer):
    refused(
        lambda: services.create_branch(
            tree["old_commune"], by=officer, name="Chi hội", kind="village_branch"
        )
    )


def test_updating_a_branch_changes_its_fields_and_records_them(tree, officer):
    branch = tree["branch"]
    services.update_branch(
        branch,
        by=officer,
        name="Chi hội bản Co Muông 2",
        kind="village_branch",
        valid_from=datetime.date(2025, 7, 1),
        valid_to=None,
    )
    branch.refresh_from_db()
    assert branch.name == "Chi hội bản Co Muông 2"
    entry = AuditEntry.objects.filter(action="unit.update", unit=branch).get()
    assert entry.changes["name"] == ["Chi hội bản Co Muông", "Chi hội bản Co Muông 2"]
    assert entry.actor == officer


def test_a_branch_update_with_its_end_before_its_start_changes_nothing(tree, officer):
    branch = tree["branch"]
    refused(
        lambda: services.update_branch(
            branch,
            by=officer,
            name="Tên mới",
            kind="village_branch",
            valid_from=datetime.date(2026, 1, 1),
            valid_to=datetime.date(2025, 12, 31),
        ),
        field="valid_to",
    )
    branch.refresh_from_db()
    assert (branch.name, branch.valid_from) == ("Chi hội bản Co Muông", None)
    assert not AuditEntry.objects.filter(action="unit.update").exists()


def test_only_a_branch_can_be_updated_as_a_branch(tree, province_staff):
    refused(
        lambda: services.update_branch(
            tree["commune"], by=province_staff, name="X", kind="village_branch"
        )
    )


def test_the_sibling_officer_cannot_update_a_branch_of_another_commune(tree, sibling_officer):
    refused(
        lambda: services.update_branch(
            tree["branch"], by=sibling_officer, name="X", kind="village_branch"
        )
    )
    tree["branch"].refresh_from_db()
    assert tree["branch"].name == "Chi hội bản Co Muông"


# --- rules of the tree (check_unit through create_unit / update_unit) -----------------------


def test_moving_a_unit_under_its_own_subtree_is_refused_and_nothing_moves(tree):
    district = tree["district"]
    path = district.path
    refused(
        lambda: services.update_unit(district, by=None, parent=tree["old_commune"]), field="parent"
    )
    district.refresh_from_db()
    assert district.path == path
    assert district.parent == tree["province"]


def test_a_unit_cannot_be_its_own_parent(tree):
    refused(
        lambda: services.update_unit(tree["commune"], by=None, parent=tree["commune"]), "parent"
    )


def test_an_official_code_used_by_a_unit_valid_at_the_same_time_is_refused(tree):
    count = Unit.objects.count()
    refused(
        lambda: make_unit(
            "Xã Trùng Mã",
            Level.COMMUNE,
            tree["province"],
            admin_code="3325",
            valid_from=datetime.date(2025, 7, 1),
        ),
        field="admin_code",
        contains="3325",
    )
    assert Unit.objects.count() == count


def test_an_official_code_may_be_reused_by_a_later_unit(tree):
    # Nà Nhạn's code ended on 30/06/2025: a 2025 commune may take it.
    unit = make_unit(
        "Xã Nà Nhạn mới",
        Level.COMMUNE,
        tree["province"],
        admin_code="3317",
        valid_from=datetime.date(2025, 7, 1),
    )
    assert unit.pk


# --- yearly figures -------------------------------------------------------------------------


def test_figures_are_created_then_replaced_and_each_write_is_audited(tree, officer):
    commune = tree["commune"]
    services.set_year_figures(commune, 2025, by=officer, **figures())
    services.set_year_figures(commune, 2025, by=officer, **figures(members=1000))
    row = UnitYearFigures.objects.get(unit=commune, year=2025)
    assert row.members == 1000
    entries = AuditEntry.objects.filter(action="figures.set", unit=commune).order_by("id")
    assert [e.changes.get("members") for e in entries] == [[None, 900], [900, 1000]]
    assert entries[1].actor == officer


def test_more_members_than_people_is_refused(tree, officer):
    refused(
        lambda: services.set_year_figures(
            tree["commune"], 2025, by=officer, **figures(members=5000, population=4000)
        ),
        field="members",
        contains="Số hội viên không được lớn hơn dân số",
    )
    assert not UnitYearFigures.objects.exists()
    assert not AuditEntry.objects.filter(action="figures.set").exists()


def test_a_negative_figure_is_refused(tree, officer):
    refused(
        lambda: services.set_year_figures(
            tree["commune"], 2025, by=officer, **figures(households=-1)
        ),
        field="households",
    )
    assert not UnitYearFigures.objects.exists()


@pytest.mark.parametrize("year", [2009, THIS_YEAR + 2, 1990])
def test_a_year_out_of_range_is_refused(tree, province_staff, year):
    commune = make_unit("Xã Cũ", Level.COMMUNE, tree["province"], admin_code="9999")
    refused(lambda: services.set_year_figures(commune, year, by=province_staff, **figures()))
    assert not UnitYearFigures.objects.exists()


def test_a_year_before_the_commune_existed_is_refused(tree, officer):
    refused(
        lambda: services.set_year_figures(tree["commune"], 2024, by=officer, **figures()),
        contains="2024",
    )


def test_a_district_has_no_figures_of_its_own(tree, province_staff):
    district = make_unit("Huyện Mới", Level.DISTRICT, tree["province"])
    refused(lambda: services.set_year_figures(district, 2025, by=province_staff, **figures()))


def test_figures_of_a_commune_that_ended_are_read_only(tree, province_staff):
    refused(
        lambda: services.set_year_figures(tree["old_commune"], 2024, by=province_staff, **figures())
    )


def test_the_sibling_officer_cannot_enter_figures_for_another_commune(tree, sibling_officer):
    refused(
        lambda: services.set_year_figures(tree["commune"], 2025, by=sibling_officer, **figures())
    )
    assert not UnitYearFigures.objects.exists()
