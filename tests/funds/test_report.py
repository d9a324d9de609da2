"""The yearly fund report equals figures computed by hand, in both views, with a commune
merged in 2025 whose fund passed to its successor (nothing counted twice)."""

import pytest
from django.urls import reverse

from reporting.reports.folding import AS_WAS, TODAY
from reporting.reports.fund_table import PARTS, per_person
from reporting.reports.roots import unit_root
from reporting.reports.yearly import yearly_report

pytestmark = pytest.mark.django_db


def fund_report(user, root, year, view):
    return yearly_report(user, root, year, view, parts=PARTS)


def _figures(row):
    funds = row.funds
    return (funds.receipts, funds.payments, funds.awards_count, funds.awards_amount, funds.balance)


def test_as_the_units_were_the_old_commune_counts_under_its_district(tree, books, province_staff):
    report = fund_report(province_staff, unit_root(tree["province"]), 2025, AS_WAS)
    rows = {row.unit.pk: row for row in report.rows}
    assert _figures(rows[tree["district"].pk]) == (4_000_000, 1_000_000, 2, 1_000_000, 0)
    commune = rows[tree["commune"].pk]
    assert _figures(commune) == (10_000_000, 2_100_000, 3, 2_100_000, 12_900_000)
    # The closing balance over the population: 12,900,000 / 8,000 = 1,612.5, half up.
    assert per_person(commune) == 1_613
    sibling = rows[tree["sibling"].pk]
    assert _figures(sibling) == (1_000_000, 200_000, 0, 0, 800_000)
    assert per_person(sibling) == 40
    assert _figures(report.total) == (15_000_000, 3_300_000, 5, 3_100_000, 13_700_000)


def test_mapped_onto_today_the_old_commune_folds_into_its_successor_once(
    tree, books, province_staff
):
    report = fund_report(province_staff, unit_root(tree["province"]), 2025, TODAY)
    rows = {row.unit.pk: row for row in report.rows}
    assert set(rows) == {tree["commune"].pk, tree["sibling"].pk}
    assert _figures(rows[tree["commune"].pk]) == (14_000_000, 3_100_000, 5, 3_100_000, 12_900_000)
    # The same totals as the units were: the transfer is counted on neither side.
    assert _figures(report.total) == (15_000_000, 3_300_000, 5, 3_100_000, 13_700_000)


def test_the_year_before_the_merger(tree, books, province_staff):
    report = fund_report(province_staff, unit_root(tree["province"]), 2024, AS_WAS)
    assert _figures(report.total) == (3_000_000, 1_000_000, 1, 1_000_000, 2_000_000)


def test_the_officer_sees_only_their_commune_and_its_predecessor(tree, books, officer):
    report = fund_report(officer, unit_root(tree["commune"]), 2025, TODAY)
    assert _figures(report.total) == (14_000_000, 3_100_000, 5, 3_100_000, 12_900_000)


def test_the_report_pages_and_files(client, tree, books, province_staff):
    client.force_login(province_staff)
    query = f"?year=2025&view=as_was&unit={tree['province'].pk}"
    page = client.get(reverse("reports:funds") + query)
    assert page.status_code == 200
    assert "13.700.000" in page.text
    xlsx = client.get(reverse("reports:funds-xlsx") + query)
    assert xlsx.content[:2] == b"PK"
    pdf = client.get(reverse("reports:funds-pdf") + query)
    assert pdf.content[:4] == b"%PDF"
    bad = client.get(reverse("reports:funds") + "?year=abc")
    assert bad.status_code == 400
