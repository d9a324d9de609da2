import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import make_member
from units.models import ChangeKind, Level, Role, Unit
from units.scoping import has_role, is_within, units_visible_to
from units.selectors import lineage_of

DAY_2020 = datetime.date(2020, 1, 1)
MERGER_DAY = datetime.date(2025, 7, 1)


@pytest.fixture
def dien_bien(db):
    call_command("load_units", stdout=StringIO())


def today(name):
    return Unit.objects.get(name=name, valid_from=MERGER_DAY)


def rows(code):
    """Every row of the commune with `code` before 1 July 2025 (one, or two if it moved)."""
    return list(Unit.objects.filter(admin_code=code, valid_from__lt=MERGER_DAY)) + list(
        Unit.objects.filter(admin_code=code, valid_from__isnull=True)
    )


def test_ta_leng_leads_to_today_s_phuong_dien_bien_phu_through_two_changes(dien_bien):
    ta_leng = Unit.objects.get(name="Xã Tà Lèng")
    into_thanh_minh, into_dien_bien_phu = lineage_of(ta_leng)["successors"]
    assert into_thanh_minh.successor.name == "Xã Thanh Minh"
    assert (into_thanh_minh.kind, into_thanh_minh.date) == (ChangeKind.MERGE, DAY_2020)
    assert into_thanh_minh.generation == 1
    assert into_dien_bien_phu.predecessor == into_thanh_minh.successor
    assert into_dien_bien_phu.successor == today("Phường Điện Biên Phủ")
    assert (into_dien_bien_phu.kind, into_dien_bien_phu.date) == (ChangeKind.MERGE, MERGER_DAY)
    assert into_dien_bien_phu.generation == 2
    assert lineage_of(ta_leng)["predecessors"] == []


def test_muong_phang_moves_in_2020_then_merges_into_today_s_xa_muong_phang(dien_bien):
    first = Unit.objects.get(admin_code="3325", valid_from__isnull=True)
    move, merge = lineage_of(first)["successors"]
    assert (move.kind, move.date) == (ChangeKind.MOVE, DAY_2020)
    assert move.successor.valid_from == DAY_2020
    assert move.successor.parent.name == "Thành phố Điện Biên Phủ"
    assert merge.predecessor == move.successor
    assert (merge.kind, merge.date) == (ChangeKind.MERGE, MERGER_DAY)
    assert merge.successor.name == "Xã Mường Phăng"
    assert merge.successor.admin_code == "3325"
    assert merge.successor.is_current


def test_lineage_of_today_s_commune_lists_its_former_communes_nearest_first(dien_bien):
    lineage = lineage_of(today("Xã Mường Phăng"))
    assert lineage["successors"] == []
    names = [(c.generation, c.kind, c.predecessor.name) for c in lineage["predecessors"]]
    assert sorted(names[:3]) == [
        (1, "merge", "Xã Mường Phăng"),
        (1, "merge", "Xã Nà Nhạn"),
        (1, "merge", "Xã Pá Khoang"),
    ]
    assert sorted(names[3:]) == [
        (2, "move", "Xã Mường Phăng"),
        (2, "move", "Xã Nà Nhạn"),
        (2, "move", "Xã Pá Khoang"),
    ]
    assert {c.predecessor.parent.name for c in lineage["predecessors"][3:]} == {"Huyện Điện Biên"}


def test_lineage_of_phuong_dien_bien_phu_reaches_ta_leng(dien_bien):
    predecessors = lineage_of(today("Phường Điện Biên Phủ"))["predecessors"]
    assert len([c for c in predecessors if c.generation == 1]) == 6
    (ta_leng,) = [c for c in predecessors if c.generation == 2]
    assert ta_leng.predecessor.name == "Xã Tà Lèng"


def test_lineage_costs_one_query_per_generation(dien_bien, django_assert_max_num_queries):
    commune = today("Xã Mường Phăng")
    with django_assert_max_num_queries(4):
        lineage = lineage_of(commune)
        names = [(c.predecessor.name, c.successor.name) for c in lineage["predecessors"]]
    assert len(names) == 6


@pytest.fixture
def muong_phang_officer(dien_bien):
    return make_member(today("Xã Mường Phăng"), Role.OFFICER)


def test_today_s_officer_reads_every_former_row_of_the_communes_merged_into_theirs(
    muong_phang_officer,
):
    visible = set(units_visible_to(muong_phang_officer))
    for code in ("3325", "3317", "3326"):
        history = rows(code)
        assert len(history) == 2
        for unit in history:
            assert unit in visible
            assert is_within(muong_phang_officer, unit)


def test_today_s_officer_does_not_read_na_tau_which_merged_elsewhere(muong_phang_officer):
    for unit in rows("3316"):
        assert not is_within(muong_phang_officer, unit)
        assert unit not in set(units_visible_to(muong_phang_officer))
    assert not is_within(muong_phang_officer, today("Xã Nà Tấu"))


def test_today_s_officer_reads_history_but_holds_no_role_in_it(muong_phang_officer):
    for code in ("3325", "3317", "3326"):
        for unit in rows(code):
            assert not has_role(muong_phang_officer, unit, *Role.values)
    assert has_role(muong_phang_officer, today("Xã Mường Phăng"), Role.OFFICER)


def test_today_s_officer_reads_no_district_and_not_the_province(muong_phang_officer):
    levels = set(units_visible_to(muong_phang_officer).values_list("level", flat=True))
    assert levels == {Level.COMMUNE}


def test_the_officer_of_phuong_dien_bien_phu_reads_ta_leng(dien_bien):
    officer = make_member(today("Phường Điện Biên Phủ"), Role.OFFICER)
    ta_leng = Unit.objects.get(name="Xã Tà Lèng")
    assert is_within(officer, ta_leng)
    assert ta_leng in set(units_visible_to(officer))
    assert not has_role(officer, ta_leng, Role.OFFICER)
    assert not is_within(officer, Unit.objects.get(admin_code="3325", valid_from=DAY_2020))
