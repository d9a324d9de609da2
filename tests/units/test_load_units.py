import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from units import loading
from units.models import AuditEntry, ChangeKind, Level, Unit, UnitChange

BEFORE_2020 = datetime.date(2018, 6, 1)
BETWEEN = datetime.date(2022, 1, 1)
TODAY = datetime.date(2026, 1, 1)
DAY_2020 = datetime.date(2020, 1, 1)
LAST_OLD_DAY = datetime.date(2019, 12, 31)
HISTORY_END = datetime.date(2025, 6, 30)
MERGER_DAY = datetime.date(2025, 7, 1)
MOVED = {
    "3316": "Xã Nà Tấu",
    "3317": "Xã Nà Nhạn",
    "3325": "Xã Mường Phăng",
    "3326": "Xã Pá Khoang",
}


def load(*args):
    out = StringIO()
    call_command("load_units", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def dien_bien(db):
    return load()


def counts_on(day):
    units = Unit.objects.valid_on(day)
    return {level: units.filter(level=level).count() for level in Level.values}


def test_the_2014_2019_tree_has_the_province_10_districts_and_130_communes(dien_bien):
    assert counts_on(BEFORE_2020) == {"province": 1, "district": 10, "commune": 130, "branch": 0}


def test_the_2020_2025_tree_has_10_districts_and_129_communes(dien_bien):
    assert counts_on(BETWEEN) == {"province": 1, "district": 10, "commune": 129, "branch": 0}


def test_from_july_2025_the_45_communes_sit_directly_under_the_province(dien_bien):
    assert counts_on(TODAY) == {"province": 1, "district": 0, "commune": 45, "branch": 0}
    province = Unit.objects.get(level=Level.PROVINCE)
    today = Unit.objects.valid_on(TODAY).filter(level=Level.COMMUNE)
    assert set(today.values_list("parent_id", flat=True)) == {province.pk}
    assert set(today.values_list("valid_from", "valid_to")) == {(MERGER_DAY, None)}
    assert today.filter(division_type="phường").count() == 3


def test_the_province_has_code_11_and_no_end(dien_bien):
    province = Unit.objects.get(level=Level.PROVINCE)
    assert (province.name, province.admin_code, province.division_type) == (
        "Tỉnh Điện Biên",
        "11",
        "tỉnh",
    )
    assert (province.valid_from, province.valid_to) == (None, None)


def test_the_districts_end_on_30_june_2025_with_their_type(dien_bien):
    districts = Unit.objects.filter(level=Level.DISTRICT)
    assert set(districts.values_list("valid_from", "valid_to")) == {(None, HISTORY_END)}
    assert districts.get(admin_code="94").name == "Thành phố Điện Biên Phủ"
    assert districts.get(admin_code="94").division_type == "thành phố"
    assert districts.get(admin_code="95").division_type == "thị xã"
    assert districts.filter(division_type="huyện").count() == 8


def test_an_unchanged_commune_is_one_row_from_the_start_to_june_2025(dien_bien):
    (thanh_minh,) = Unit.objects.filter(admin_code="3145", valid_to=HISTORY_END)
    assert thanh_minh.valid_from is None
    assert thanh_minh.parent.name == "Thành phố Điện Biên Phủ"


def test_ta_leng_has_a_local_code_and_ends_in_2019_merged_into_thanh_minh(dien_bien):
    ta_leng = Unit.objects.get(name="Xã Tà Lèng")
    assert ta_leng.admin_code == "TL-3145"
    assert ta_leng.admin_code_is_local
    assert "mã chính thức" in ta_leng.note
    assert (ta_leng.valid_from, ta_leng.valid_to) == (None, LAST_OLD_DAY)
    assert ta_leng.parent.name == "Thành phố Điện Biên Phủ"
    (change,) = ta_leng.changes_out.all()
    assert change.successor.admin_code == "3145"
    assert (change.kind, change.date) == (ChangeKind.MERGE, DAY_2020)
    assert change.legal_basis == "Nghị quyết 815/NQ-UBTVQH14 ngày 21/11/2019"


@pytest.mark.parametrize(("code", "name"), MOVED.items())
def test_a_moved_commune_has_a_row_under_each_district_linked_by_a_move(dien_bien, code, name):
    before = Unit.objects.get(admin_code=code, valid_to=LAST_OLD_DAY)
    after = Unit.objects.get(admin_code=code, valid_from=DAY_2020)
    assert before.name == after.name == name
    assert before.valid_from is None
    assert before.parent.name == "Huyện Điện Biên"
    assert after.parent.name == "Thành phố Điện Biên Phủ"
    assert after.valid_to == HISTORY_END
    (change,) = before.changes_out.all()
    assert change.successor == after
    assert (change.kind, change.date) == (ChangeKind.MOVE, DAY_2020)
    assert change.legal_basis == "Nghị quyết 815/NQ-UBTVQH14 ngày 21/11/2019"
    assert "tạm tính" in change.note


def test_every_commune_of_2020_2025_merges_into_exactly_one_of_the_45(dien_bien):
    old = Unit.objects.valid_on(BETWEEN).filter(level=Level.COMMUNE)
    new = set(Unit.objects.valid_on(TODAY).filter(level=Level.COMMUNE))
    for commune in old:
        (change,) = commune.changes_out.all()
        assert change.successor in new
        assert (change.kind, change.date) == (ChangeKind.MERGE, MERGER_DAY)
        assert change.legal_basis == "Nghị quyết 1661/NQ-UBTVQH15 ngày 16/6/2025"
    assert UnitChange.objects.filter(date=MERGER_DAY).count() == 129
    assert all(unit.changes_in.exists() for unit in new)


def test_each_2025_commune_reuses_the_code_of_one_of_the_communes_it_was_formed_from(dien_bien):
    for commune in Unit.objects.valid_on(TODAY).filter(level=Level.COMMUNE):
        codes = {c.predecessor.admin_code for c in commune.changes_in.select_related("predecessor")}
        assert commune.admin_code in codes


def test_the_load_writes_audit_rows_by_nobody(dien_bien):
    assert AuditEntry.objects.filter(action="unit.create").count() == Unit.objects.count()
    assert AuditEntry.objects.filter(action="unit.change").count() == UnitChange.objects.count()
    assert not AuditEntry.objects.filter(actor__isnull=False).exists()


def test_the_load_reports_what_it_created(dien_bien):
    assert "190" in dien_bien
    assert "134" in dien_bien


def test_loading_twice_creates_and_changes_nothing(dien_bien):
    units = list(Unit.objects.order_by("pk").values())
    changes = list(UnitChange.objects.order_by("pk").values())
    audits = AuditEntry.objects.count()
    second = load()
    assert list(Unit.objects.order_by("pk").values()) == units
    assert list(UnitChange.objects.order_by("pk").values()) == changes
    assert AuditEntry.objects.count() == audits
    assert "190" in second
    assert "134" in second


def test_province_code_11_loads_dien_bien_with_its_history(db):
    load("--province", "11")
    assert counts_on(BEFORE_2020)["commune"] == 130
    assert counts_on(TODAY)["commune"] == 45


def corrupt(monkeypatch, change):
    data = loading.read_dien_bien()
    change(data)
    monkeypatch.setattr(loading, "read_dien_bien", lambda: data)


def test_a_commune_merged_into_no_2025_commune_stops_the_load(db, monkeypatch):
    corrupt(monkeypatch, lambda data: data["units_2025"]["communes"][0]["formed_from"].pop())
    with pytest.raises(CommandError, match="3326"):
        load()
    assert not Unit.objects.exists()


def test_a_commune_merged_into_two_2025_communes_stops_the_load(db, monkeypatch):
    def twice(data):
        communes = data["units_2025"]["communes"]
        communes[1]["formed_from"].append(communes[0]["formed_from"][0])

    corrupt(monkeypatch, twice)
    with pytest.raises(CommandError, match="3325"):
        load()
    assert not Unit.objects.exists()


def test_an_unknown_former_commune_stops_the_load(db, monkeypatch):
    corrupt(
        monkeypatch, lambda data: data["units_2025"]["communes"][0]["formed_from"].append(99999)
    )
    with pytest.raises(CommandError, match="99999"):
        load()
    assert not Unit.objects.exists()


def test_another_province_loads_its_current_communes_under_it(db):
    load("--province", "12")
    province = Unit.objects.get(level=Level.PROVINCE)
    assert (province.name, province.admin_code, province.division_type) == (
        "Tỉnh Lai Châu",
        "12",
        "tỉnh",
    )
    communes = Unit.objects.filter(level=Level.COMMUNE)
    assert communes.count() == 38
    assert set(communes.values_list("parent_id", flat=True)) == {province.pk}
    assert set(communes.values_list("valid_from", "valid_to")) == {(MERGER_DAY, None)}
    assert not Unit.objects.filter(level=Level.DISTRICT).exists()


def test_another_province_loads_only_once(db):
    load("--province", "12")
    before = Unit.objects.count()
    assert "0" in load("--province", "12")
    assert Unit.objects.count() == before == 39


def test_a_province_and_a_ward_may_share_a_number_and_load_beside_dien_bien(dien_bien):
    # Cao Bằng is province 4; in Hà Nội, Phường Ba Đình is ward 4.
    load("--province", "4")
    load("--province", "01")
    assert Unit.objects.get(level=Level.PROVINCE, admin_code="4").name == "Tỉnh Cao Bằng"
    assert Unit.objects.get(level=Level.COMMUNE, admin_code="4").name == "Phường Ba Đình"
    assert Unit.objects.get(level=Level.PROVINCE, admin_code="1").name == "Thành phố Hà Nội"
    assert counts_on(TODAY)["province"] == 3


@pytest.mark.parametrize("code", ["99", "abc", ""])
def test_an_unknown_province_code_is_refused_with_the_list_of_codes(db, code):
    with pytest.raises(CommandError, match="12 Lai Châu"):
        load("--province", code)
    assert not Unit.objects.exists()
