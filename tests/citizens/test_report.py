"""The learning citizens' shares in the yearly report, against figures computed by hand,
on both sides of the 2025 merger and in both views."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reporting.reports.folding import AS_WAS, TODAY
from reporting.reports.roots import unit_root
from reporting.reports.yearly import yearly_report
from tests.citizens.builders import (
    household_of,
    village_of,
)
from tests.files import body
from tests.reports.builders import add_files

pytestmark = pytest.mark.django_db


def _shares(user, unit, year, view):
    report = yearly_report(user, unit_root(unit), year, view)
    rows = {
        row.name: (row.citizens.adults, row.citizens.assessed, row.citizens.achieved,
                   row.citizens.digital)
        for row in report.rows
    }  # fmt: skip
    return report, rows


def test_2024_as_the_units_were_the_district_holds_the_old_commune(citizen_data, province_staff):
    report, rows = _shares(province_staff, citizen_data["province"], 2024, AS_WAS)
    assert rows["Huyện Điện Biên"] == (5, 4, 3, 2)
    district = next(r for r in report.rows if r.name == "Huyện Điện Biên").citizens
    assert district.share == 60  # 3 of 5 adults
    assert round(district.digital_share, 1) == 66.7  # 2 of the 3
    assert district.target == 40 and district.meets
    # Households are counted where they are filed: today's communes hold theirs.
    assert rows["Xã Mường Phăng"] == (4, 0, 0, 0)
    assert rows["Phường Mường Thanh"] == (2, 0, 0, 0)
    total = report.total.citizens
    assert (total.adults, total.achieved) == (11, 3)
    assert round(total.share, 2) == 27.27 and total.meets is False


def test_2024_mapped_onto_today_the_old_commune_counts_in_its_successor(
    citizen_data, province_staff
):
    report, rows = _shares(province_staff, citizen_data["province"], 2024, TODAY)
    assert rows == {"Phường Mường Thanh": (2, 0, 0, 0), "Xã Mường Phăng": (9, 4, 3, 2)}
    muong_phang = next(r for r in report.rows if r.name == "Xã Mường Phăng").citizens
    assert round(muong_phang.share, 1) == 33.3  # 3 of 9
    assert (report.total.citizens.adults, report.total.citizens.achieved) == (11, 3)


def test_2026_both_views(citizen_data, province_staff):
    _report, as_was = _shares(province_staff, citizen_data["province"], 2026, AS_WAS)
    assert as_was == {
        "Huyện Điện Biên": (5, 0, 0, 0),
        "Phường Mường Thanh": (2, 0, 0, 0),
        "Xã Mường Phăng": (4, 3, 2, 1),
    }
    report, today = _shares(province_staff, citizen_data["province"], 2026, TODAY)
    assert today == {"Phường Mường Thanh": (2, 0, 0, 0), "Xã Mường Phăng": (9, 3, 2, 1)}
    assert report.total.citizens.target == 70  # 2026–2030: the 2030 target


def test_the_district_as_it_was_and_the_officer_of_today_s_commune(
    citizen_data, province_staff, officer, sibling_officer
):
    _report, rows = _shares(province_staff, citizen_data["district"], 2024, AS_WAS)
    assert rows == {"Xã Nà Nhạn": (5, 4, 3, 2)}
    report, _rows = _shares(officer, citizen_data["commune"], 2024, TODAY)
    assert (report.total.citizens.adults, report.total.citizens.achieved) == (9, 3)
    report, _rows = _shares(sibling_officer, citizen_data["sibling"], 2024, TODAY)
    assert (report.total.citizens.adults, report.total.citizens.achieved) == (2, 0)


def _queries(user, unit, year, view, parts):
    with CaptureQueriesContext(connection) as captured:
        yearly_report(user, unit_root(unit), year, view, parts=parts)
    return len(captured)


@pytest.mark.parametrize("view", [AS_WAS, TODAY])
def test_the_shares_cost_the_report_one_group_by(citizen_data, province_staff, view):
    province = citizen_data["province"]
    # Files of the old commune too, as a real year has: the lineage is followed once for all.
    add_files(citizen_data["old_commune"], 2024, recognized=1)
    without = ("titles", "members", "centres")
    _queries(province_staff, province, 2024, view, without)  # the scope, read once
    before = _queries(province_staff, province, 2024, view, without)
    after = _queries(province_staff, province, 2024, view, (*without, "citizens"))
    assert after == before + 1
    for n in range(10):
        household_of(village_of(citizen_data["commune"], f"Bản {n}"), head=f"Hộ {n}")
    assert _queries(province_staff, province, 2024, view, (*without, "citizens")) == after


def test_the_report_page_excel_and_pdf_show_the_shares(client, citizen_data, province_staff):
    client.force_login(province_staff)
    query = {"year": 2024, "view": "today"}
    page = client.get(reverse("reports:yearly"), query).content.decode()
    assert 'data-testid="citizens-table"' in page
    assert "33,3%" in page and "(40%)" in page
    workbook = load_workbook(io.BytesIO(body(client.get(reverse("reports:yearly-xlsx"), query))))
    sheet = workbook.worksheets[-1]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    muong_phang = next(row for row in values if row[1] == "Xã Mường Phăng")
    assert muong_phang[2:8] == [9, 4, 3, 33.3, 40, 66.7]
    pdf = client.get(reverse("reports:yearly-pdf"), query)
    assert pdf.status_code == 200 and body(pdf).startswith(b"%PDF")
