"""The yearly report's funds part (reporting/reports/fund_table.py) equals figures computed by
hand from the `books` fixture (tests/funds/conftest.py), on the page and in the Excel file, as
the units were and mapped onto today, with Xã Nà Nhạn's fund passed to Xã Mường Phăng in 2025
(nothing counted twice); its cost is one GROUP BY, whatever the number of units."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting.reports.folding import AS_WAS, TODAY
from reporting.reports.fund_table import per_person
from reporting.reports.roots import unit_root
from reporting.reports.yearly import yearly_report
from tests.factories import make_unit
from tests.funds import builders
from tests.reports.builders import add_files
from units.models import Level, UnitYearFigures

pytestmark = pytest.mark.django_db

AUGUST = datetime.date(2025, 8, 1)
YEARLY, YEARLY_XLSX = reverse("reports:yearly"), reverse("reports:yearly-xlsx")
# (receipts, payments, awards count, awards amount, closing balance, population, per person)
OLD_2025 = (4_000_000, 1_000_000, 2, 1_000_000, 0, None, None)  # ended 30/06: no figures
COMMUNE_2025 = (10_000_000, 2_100_000, 3, 2_100_000, 12_900_000, 8_000, 1_613)  # 1,612.5
SIBLING_2025 = (1_000_000, 200_000, 0, 0, 800_000, 20_000, 40)
# Everything once: receipts 4 + 10 + 1 million, the transfer of 5,000,000 in neither
# receipts nor payments; 13,700,000 / 28,000 people = 489.3.
TOTAL_2025 = (15_000_000, 3_300_000, 5, 3_100_000, 13_700_000, 28_000, 489)
# Mapped onto today, the old commune's year is Xã Mường Phăng's: 4 + 10 million received.
MERGED_2025 = (14_000_000, 3_100_000, 5, 3_100_000, 12_900_000, 8_000, 1_613)


def _figures(row):
    funds = row.funds
    population = row.population if row.has_figures else None
    return (
        funds.receipts,
        funds.payments,
        funds.awards_count,
        funds.awards_amount,
        funds.balance,
        population,
        per_person(row),
    )


def _report(user, unit, year, view):
    return yearly_report(user, unit_root(unit), year, view)


def test_as_the_units_were_each_side_of_the_merger_keeps_its_own_figures(
    tree, books, province_staff
):
    report = _report(province_staff, tree["province"], 2025, AS_WAS)
    rows = {row.unit.pk: row for row in report.rows}
    assert _figures(rows[tree["district"].pk]) == OLD_2025
    assert _figures(rows[tree["commune"].pk]) == COMMUNE_2025
    assert _figures(rows[tree["sibling"].pk]) == SIBLING_2025
    assert _figures(report.total) == TOTAL_2025


def test_mapped_onto_today_the_merged_commune_counts_once_in_its_successor(
    tree, books, province_staff
):
    report = _report(province_staff, tree["province"], 2025, TODAY)
    rows = {row.unit.pk: row for row in report.rows}
    assert set(rows) == {tree["commune"].pk, tree["sibling"].pk}
    assert _figures(rows[tree["commune"].pk]) == MERGED_2025
    assert _figures(report.total) == TOTAL_2025


def test_the_year_before_the_merger_in_both_views(tree, books, province_staff):
    UnitYearFigures.objects.create(
        unit=tree["old_commune"],
        year=2024,
        members=300,
        population=4_000,
        households=900,
        branches=5,
        boards=1,
    )
    old_2024 = (3_000_000, 1_000_000, 1, 1_000_000, 2_000_000, 4_000, 500)
    as_was = _report(province_staff, tree["province"], 2024, AS_WAS)
    assert [row.unit.pk for row in as_was.rows] == [tree["district"].pk]
    assert _figures(as_was.rows[0]) == old_2024
    today = _report(province_staff, tree["province"], 2024, TODAY)
    rows = {row.unit.pk: row for row in today.rows}
    assert _figures(rows[tree["commune"].pk]) == old_2024
    assert _figures(rows[tree["sibling"].pk]) == (0, 0, 0, 0, 0, None, None)
    assert _figures(as_was.total) == _figures(today.total) == old_2024


def test_the_years_after_the_merger_show_no_row_for_the_ended_commune(tree, books, province_staff):
    """Its fund's entries add up to zero after the transfer: no "Huyện Điện Biên" in 2026."""
    for view in (AS_WAS, TODAY):
        report = _report(province_staff, tree["province"], 2026, view)
        assert {row.unit.pk for row in report.rows} == {tree["commune"].pk, tree["sibling"].pk}
        rows = {row.unit.pk: row for row in report.rows}
        assert _figures(rows[tree["commune"].pk])[:5] == (0, 0, 0, 0, 12_900_000)
        assert _figures(report.total)[:5] == (0, 0, 0, 0, 13_700_000)


def test_the_commune_officer_sees_their_commune_with_its_predecessor(tree, books, officer):
    report = _report(officer, tree["commune"], 2025, TODAY)
    assert _figures(report.total) == MERGED_2025


# --- on the page and in the Excel file ------------------------------------------------------


def _cells(html, marker):
    """The texts of the cells of the funds table's row that starts at `marker`."""
    table = html[html.index('data-testid="funds-table"') :]
    row = table[table.index(marker) :]
    row = row[: row.index("</tr>")]
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)
    ]


def test_the_page_shows_the_funds_in_both_views(client, tree, books, province_staff):
    client.force_login(province_staff)
    query = {"year": 2025, "unit": tree["province"].pk}
    html = client.get(YEARLY, {**query, "view": "as_was"}).text
    assert _cells(html, f'data-unit="{tree["district"].pk}"') == [
        "4.000.000",
        "1.000.000",
        "2",
        "1.000.000",
        "0",
        "–",
        "–",
    ]
    assert _cells(html, f'data-unit="{tree["commune"].pk}"') == [
        "10.000.000",
        "2.100.000",
        "3",
        "2.100.000",
        "12.900.000",
        "8.000",
        "1.613",
    ]
    total = ["15.000.000", "3.300.000", "5", "3.100.000", "13.700.000", "28.000", "489"]
    assert _cells(html, 'data-testid="funds-total"') == total
    # The definition stands under the table.
    assert "Bình quân quỹ trên đầu người (đồng)" in html
    assert "Bình quân đầu người: tồn quỹ ngày 31/12 chia cho dân số" in html
    html = client.get(YEARLY, {**query, "view": "today"}).text
    assert f'data-unit="{tree["district"].pk}"' not in html
    assert _cells(html, f'data-unit="{tree["commune"].pk}"')[:5] == [
        "14.000.000",
        "3.100.000",
        "5",
        "3.100.000",
        "12.900.000",
    ]
    assert _cells(html, 'data-testid="funds-total"') == total


def _funds_sheet(response):
    book = load_workbook(io.BytesIO(response.content))
    (sheet,) = [s for s in book.worksheets if s.title == "Quỹ khuyến học"]
    return {row[1]: list(row[2:9]) for row in sheet.iter_rows(values_only=True) if row[1]}


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        (
            "as_was",
            {
                "Huyện Điện Biên (đến 30/06/2025)": list(OLD_2025),
                "Xã Mường Phăng (từ 01/07/2025)": list(COMMUNE_2025),
                "Phường Mường Thanh (từ 01/07/2025)": list(SIBLING_2025),
                "Tổng": list(TOTAL_2025),
            },
        ),
        (
            "today",
            {
                "Xã Mường Phăng": list(MERGED_2025),
                "Phường Mường Thanh": list(SIBLING_2025),
                "Tổng": list(TOTAL_2025),
            },
        ),
    ],
)
def test_the_excel_file_holds_the_funds(client, tree, books, province_staff, view, expected):
    client.force_login(province_staff)
    response = client.get(YEARLY_XLSX, {"year": 2025, "unit": tree["province"].pk, "view": view})
    rows = _funds_sheet(response)
    assert {name: rows[name] for name in expected} == expected
    assert len([name for name in rows if name in expected]) == len(expected)


def test_the_pdf_holds_the_funds_with_their_definition(client, tree, books, province_staff):
    client.force_login(province_staff)
    query = {"year": 2025, "unit": tree["province"].pk, "view": "today"}
    response = client.get(reverse("reports:yearly-pdf"), query)
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Quỹ khuyến học" in text
    assert "Xã Mường Phăng 14.000.000 3.100.000 5 3.100.000 12.900.000 8.000 1.613" in text
    assert "Tổng 15.000.000 3.300.000 5 3.100.000 13.700.000 28.000 489" in text
    assert "Bình quân đầu người: tồn quỹ ngày 31/12" in text


def test_the_funds_page_links_back_and_forth(client, tree, books, province_staff):
    client.force_login(province_staff)
    query = {"year": 2025, "unit": tree["province"].pk, "view": "today"}
    yearly = client.get(YEARLY, query).text
    assert 'data-testid="funds-link"' in yearly
    page = client.get(reverse("reports:funds"), query)
    assert page.status_code == 200
    assert _cells(page.text, f'data-unit="{tree["commune"].pk}"')[4] == "12.900.000"
    assert reverse("reports:yearly") in page.text
    assert client.get(reverse("reports:funds"), {"year": "x"}).status_code == 400


# --- its cost ---------------------------------------------------------------------------------


def _queries(user, unit, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        yearly_report(user, unit_root(unit), 2025, **kwargs)
    return len(captured)


@pytest.mark.parametrize("view", [AS_WAS, TODAY])
def test_the_funds_cost_one_query_whatever_the_number_of_units(tree, books, province_staff, view):
    province = tree["province"]
    # A file of the old commune too: mapped onto today, its lineage is followed (one or two
    # queries) with or without the funds, which then add their GROUP BY alone.
    add_files(tree["old_commune"], 2025, recognized=1)
    _queries(province_staff, province, view=view)  # the scope is read once per user
    without = ("titles", "members", "centres", "citizens")
    small = _queries(province_staff, province, view=view)
    assert small == _queries(province_staff, province, view=view, parts=without) + 1
    for n in range(12):
        commune = make_unit(f"Xã Quỹ {n}", Level.COMMUNE, province)
        fund = builders.make_fund(commune, first_year=2025)
        builders.receive(fund, 1_000_000 + n, date=AUGUST)
        builders.pay(fund, 100_000, date=datetime.date(2025, 8, 2))
    assert _queries(province_staff, province, view=view) == small
    assert _queries(province_staff, province, view=view, page=1) == small


def test_the_funds_page_makes_the_same_queries_for_more_units(client, tree, books, province_staff):
    client.force_login(province_staff)
    query = {"year": 2025, "unit": tree["province"].pk, "view": "today"}
    client.get(reverse("reports:funds"), query)

    def page_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reports:funds"), query).status_code == 200
        return len(captured)

    small = page_queries()
    for n in range(30):
        commune = make_unit(f"Xã Quỹ {n}", Level.COMMUNE, tree["province"])
        builders.receive(builders.make_fund(commune, first_year=2025), 1_000, date=AUGUST)
    assert page_queries() == small
