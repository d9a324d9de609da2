"""The yearly report's figures, computed from data built in the test."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from models_learning.models import ModelKind
from reporting.reports import targets
from reporting.reports.folding import AS_WAS, TODAY
from reporting.reports.roots import ReportError, default_root, parse_view, parse_year, unit_root
from reporting.reports.yearly import yearly_report
from tests.factories import UserFactory, make_unit
from units.models import Level

from .builders import add_activity, add_centre, add_figures, add_files, add_rating

pytestmark = pytest.mark.django_db


def _rows(report):
    return {row.name: row for row in report.rows}


def _counts(cell):
    return cell.registered, cell.recognised


def _report(user, unit, year, view=AS_WAS, **kwargs):
    return yearly_report(user, unit_root(unit), year, view, **kwargs)


# --- before and after the 2025 merger, both views -------------------------------------------


def test_before_the_merger_as_it_was_the_district_holds_the_old_commune(
    report_data, province_staff
):
    report = _report(province_staff, report_data["province"], 2024)
    rows = _rows(report)
    assert list(rows) == ["Huyện Điện Biên"]
    district = rows["Huyện Điện Biên"]
    assert _counts(district.cell("family")) == (10, 7)
    assert district.cell("family").rate == 70
    assert _counts(district.cell("clan")) == (2, 1)
    assert _counts(district.cell("community")) == (0, 0)
    assert (district.members, district.population, district.ratio) == (500, 2000, 25)
    assert district.bands == {"tot": 1}
    assert (district.reports, district.classes, district.participants) == (1, 3, 300)


def test_before_the_merger_mapped_onto_today_the_old_commune_counts_in_its_successor(
    report_data, province_staff
):
    report = _report(province_staff, report_data["province"], 2024, TODAY)
    rows = _rows(report)
    assert list(rows) == ["Phường Mường Thanh", "Xã Mường Phăng"]
    muong_phang = rows["Xã Mường Phăng"]
    assert _counts(muong_phang.cell("family")) == (10, 7)
    assert _counts(muong_phang.cell("clan")) == (2, 1)
    assert (muong_phang.members, muong_phang.population) == (500, 2000)
    assert muong_phang.bands == {"tot": 1}
    assert muong_phang.participants == 300
    assert rows["Phường Mường Thanh"].registered == 0
    assert not rows["Phường Mường Thanh"].has_data


def test_an_ended_communes_figures_of_its_last_year_count_only_in_its_successors(
    report_data, province_staff
):
    """Yearly figures describe 31 December: the old commune's 2025 figures (it ended on
    30/06/2025) were added to its successor's, which already count its people."""
    add_figures(report_data["old_commune"], 2025, 300, 1000)
    add_figures(report_data["commune"], 2025, 700, 2500)
    for view in (AS_WAS, TODAY):
        report = _report(province_staff, report_data["province"], 2025, view)
        assert (report.total.members, report.total.population) == (700, 2500)


def test_the_officer_of_todays_commune_sees_its_predecessor_mapped_onto_it(report_data, officer):
    report = _report(officer, report_data["commune"], 2024, TODAY)
    assert [row.name for row in report.rows] == ["Xã Mường Phăng"]
    (row,) = report.rows
    assert _counts(row.cell("family")) == (10, 7)
    assert report.total.registered == 12


def test_as_it_was_a_commune_that_did_not_exist_yet_has_nothing(report_data, officer):
    report = _report(officer, report_data["commune"], 2024, AS_WAS)
    assert report.total.registered == 0
    assert report.root_existed is False


def test_after_the_merger_the_communes_stand_under_the_province(report_data, province_staff):
    report = _report(province_staff, report_data["province"], 2026)
    rows = _rows(report)
    assert list(rows) == ["Phường Mường Thanh", "Xã Mường Phăng"]
    muong_phang, muong_thanh = rows["Xã Mường Phăng"], rows["Phường Mường Thanh"]
    assert _counts(muong_phang.cell("family")) == (4, 1)
    assert muong_phang.cell("family").rate == 25
    assert _counts(muong_thanh.cell("family")) == (2, 2)
    assert _counts(muong_thanh.cell("community")) == (1, 1)
    assert muong_phang.bands == {"kha": 1}
    assert muong_thanh.bands == {}, "a self-assessment is not a rating"
    assert [band["code"] for band in report.bands] == ["tot", "kha", "trung-binh", "chua-dat"]
    assert muong_phang.band_values == [0, 1, 0, 0]


def test_after_the_merger_both_views_agree(report_data, province_staff):
    as_was = _report(province_staff, report_data["province"], 2026, AS_WAS)
    today = _report(province_staff, report_data["province"], 2026, TODAY)
    assert [(r.name, r.registered, r.recognised) for r in as_was.rows] == [
        (r.name, r.registered, r.recognised) for r in today.rows
    ]


def test_in_the_merger_year_both_sides_are_rows_as_it_was_and_one_row_today(
    report_data, province_staff
):
    tree = report_data
    add_files(tree["old_commune"], 2025, recognized=3)
    add_files(tree["commune"], 2025, recognized=1, registered=1)
    as_was = _rows(_report(province_staff, tree["province"], 2025, AS_WAS))
    assert list(as_was) == ["Huyện Điện Biên", "Phường Mường Thanh", "Xã Mường Phăng"]
    assert as_was["Huyện Điện Biên"].note == "đến 30/06/2025"
    assert as_was["Xã Mường Phăng"].note == "từ 01/07/2025"
    assert _counts(as_was["Huyện Điện Biên"].cell("family")) == (3, 3)
    assert _counts(as_was["Xã Mường Phăng"].cell("family")) == (2, 1)
    today = _rows(_report(province_staff, tree["province"], 2025, TODAY))
    assert list(today) == ["Phường Mường Thanh", "Xã Mường Phăng"]
    assert _counts(today["Xã Mường Phăng"].cell("family")) == (5, 4)


def test_a_unit_that_no_longer_exists_cannot_be_mapped_onto_today(report_data, province_staff):
    with pytest.raises(ReportError, match="không còn tồn tại"):
        _report(province_staff, report_data["district"], 2024, TODAY)


def test_a_district_as_it_was_lists_its_communes(report_data, province_staff):
    rows = _rows(_report(province_staff, report_data["district"], 2024))
    assert list(rows) == ["Xã Nà Nhạn"]
    assert _counts(rows["Xã Nà Nhạn"].cell("family")) == (10, 7)


# --- totals ------------------------------------------------------------------------------


def test_the_totals_row_adds_up_the_rows(report_data, province_staff):
    report = _report(province_staff, report_data["province"], 2026)
    total = report.total
    assert total.is_total
    assert _counts(total.cell("family")) == (6, 3)
    assert total.cell("family").rate == 50
    assert _counts(total.cell("community")) == (1, 1)
    assert (total.registered, total.recognised) == (7, 4)
    assert (total.members, total.population) == (1800, 7000)
    assert round(total.ratio, 2) == 25.71
    assert total.bands == {"kha": 1}
    assert total.band_values == [0, 1, 0, 0]
    assert (total.reports, total.participants) == (1, 600)


def test_a_withdrawn_file_is_not_counted_and_a_revoked_title_is_not_recognised(
    report_data, province_staff
):
    family = _report(province_staff, report_data["district"], 2024).total.cell("family")
    # 7 recognised + 2 registered + 1 revoked; the withdrawn one is left out.
    assert _counts(family) == (10, 7)


def test_the_cycle_counts_each_step_when_asked(report_data, province_staff):
    report = _report(province_staff, report_data["province"], 2026, parts=("steps",))
    assert report.total.cell("family").steps == {
        "registered": 1,
        "scored": 1,
        "proposed": 1,
        "recognized": 3,
    }
    assert report.total.members == 0, "members were not asked for"


# --- targets -----------------------------------------------------------------------------


def test_qd_281_with_the_mountain_targets_applies_to_dien_bien_before_2021(
    report_data, province_staff
):
    add_files(report_data["old_commune"], 2018, recognized=6, registered=4)
    report = _report(province_staff, report_data["province"], 2018)
    assert report.targets.basis == "QĐ 281/QĐ-TTg"
    assert report.targets.mountain is True
    family = report.total.cell("family")
    assert (family.rate, family.target, family.meets) == (60, 60, True)
    assert [report.total.cell(k).target for k in ModelKind] == [60, 40, 50, 50]


def test_without_the_mountain_flag_the_general_qd_281_targets_apply(
    report_data, province_staff, settings
):
    settings.REPORTS_MOUNTAIN_PROVINCES = ()
    add_files(report_data["old_commune"], 2018, recognized=6, registered=4)
    report = _report(province_staff, report_data["province"], 2018)
    assert report.targets.mountain is False
    family = report.total.cell("family")
    assert (family.target, family.meets) == (70, False)
    assert [report.total.cell(k).target for k in ModelKind] == [70, 50, 60, 50]


def test_qd_387_applies_from_2021_mountain_or_not(report_data, province_staff):
    report = _report(province_staff, report_data["province"], 2024)
    assert report.targets.basis == "QĐ 387/QĐ-TTg"
    assert report.targets.mountain is False, "QĐ 387 has no lower mountain figures"
    assert [report.total.cell(k).target for k in ModelKind] == [70, 65, 65, 80]
    assert report.total.cell("family").meets is True
    assert report.total.cell("clan").meets is False


@pytest.mark.parametrize(
    ("year", "basis"),
    [(2013, None), (2014, "QĐ 281/QĐ-TTg"), (2020, "QĐ 281/QĐ-TTg"), (2021, "QĐ 387/QĐ-TTg"),
     (2030, "QĐ 387/QĐ-TTg"), (2031, None)],
)  # fmt: skip
def test_the_programme_is_chosen_by_year(year, basis):
    found = targets.targets_for(year)
    assert (found.basis if found else None) == basis


def test_a_year_outside_the_programmes_has_no_target(report_data, province_staff):
    add_files(report_data["old_commune"], 2013, recognized=1)
    report = _report(province_staff, report_data["province"], 2013)
    assert report.targets is None
    assert report.total.cell("family").target is None
    assert report.total.cell("family").meets is None


def test_each_province_gets_its_own_targets_in_a_report_of_several(report_data, settings):
    settings.REPORTS_MOUNTAIN_PROVINCES = ("11",)
    lowland = make_unit("Tỉnh Đồng Bằng", Level.PROVINCE, admin_code="99")
    admin = UserFactory(is_superuser=True)
    root = default_root(admin)
    assert root.unit is None and root.name == "Tất cả các tỉnh"
    report = yearly_report(admin, root, 2018)
    by_name = {row.name: row for row in report.rows}
    assert by_name["Tỉnh Điện Biên"].cell("family").target == 60
    assert by_name["Tỉnh Đồng Bằng"].cell("family").target == 70
    assert report.total.cell("family").target == 70, "mixed rows: the general target"
    assert lowland.pk


# --- the root and the input -------------------------------------------------------------


def test_the_default_root_is_the_users_top_unit(tree, officer, province_staff):
    assert default_root(officer).unit == tree["commune"]
    assert default_root(province_staff).unit == tree["province"]
    assert default_root(UserFactory()) is None
    assert default_root(UserFactory(is_superuser=True)).unit == tree["province"]


def test_the_whole_country_is_every_province_side_by_side(report_data):
    other = make_unit("Tỉnh Lai Châu", Level.PROVINCE, admin_code="12")
    commune = make_unit("Xã Bản Lang", Level.COMMUNE, other)
    add_files(commune, 2026, recognized=2, registered=2)
    admin = UserFactory(is_superuser=True)
    for view in (AS_WAS, TODAY):
        report = yearly_report(admin, default_root(admin), 2026, view)
        rows = _rows(report)
        assert list(rows) == ["Tỉnh Điện Biên", "Tỉnh Lai Châu"]
        assert _counts(rows["Tỉnh Lai Châu"].cell("family")) == (4, 2)
        assert _counts(rows["Tỉnh Điện Biên"].cell("family")) == (6, 3)
        assert report.total.registered == 11


@pytest.mark.parametrize("raw", ["20x4", "24", "02024", "1899", "2101", "٢٠٢٤", " 20 24"])
def test_a_bad_year_is_refused_with_a_message(raw):
    with pytest.raises(ReportError, match="bốn chữ số"):
        parse_year(raw)


def test_a_year_is_read_and_defaults_to_this_year():
    assert parse_year(" 2024 ") == 2024
    assert parse_year("") == parse_year(None) > 2000


def test_a_bad_view_is_refused():
    assert parse_view("") == AS_WAS
    assert parse_view("today") == TODAY
    with pytest.raises(ReportError):
        parse_view("tomorrow")


# --- query count -------------------------------------------------------------------------


def _queries(user, unit, year, view):
    with CaptureQueriesContext(connection) as captured:
        _report(user, unit, year, view)
    return len(captured)


def _grow(tree, communes):
    """Many more communes with files, figures and centres (and history) under the province."""
    province = tree["province"]
    district = make_unit("Huyện Mường Ảng", Level.DISTRICT, province)
    for n in range(communes):
        old = make_unit(f"Xã Cũ {n}", Level.COMMUNE, district)
        new = make_unit(f"Xã Mới {n}", Level.COMMUNE, province)
        from units import services

        services.record_change(
            by=None, predecessor=old, successor=new, kind="merge", date=tree["old_commune"].valid_to
        )
        for unit, year in ((old, 2024), (new, 2026)):
            add_files(unit, year, recognized=2, registered=1)
            add_files(unit, year, ModelKind.CLAN, recognized=1)
            add_figures(unit, year, 100, 1000)
            centre = add_centre(unit)
            add_rating(centre, year, "tot")
            add_activity(centre, year, 50)


@pytest.mark.parametrize("view", [AS_WAS, TODAY])
@pytest.mark.parametrize("year", [2024, 2026])
def test_the_report_makes_the_same_queries_for_a_small_and_a_large_subtree(
    report_data, province_staff, view, year
):
    province = report_data["province"]
    _queries(province_staff, province, year, view)  # the scope is read once per user
    small = _queries(province_staff, province, year, view)
    _grow(report_data, 12)
    large = _queries(province_staff, province, year, view)
    assert small == large
    assert large <= 14
