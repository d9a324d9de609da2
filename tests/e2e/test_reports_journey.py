"""Province staff on a phone: the dashboard on the staff home, a drill-down into a commune,
a sort without JavaScript, the yearly report and its Excel download."""

import pytest
from playwright.sync_api import expect

from lib.dates import this_year
from models_learning.models import ModelKind
from tests.e2e.conftest import login
from tests.reports.builders import add_figures, add_files

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_province_staff_follow_the_year_from_the_dashboard_to_the_report(
    browser_page, tree, province_staff
):
    year = this_year()
    add_files(tree["commune"], year, recognized=3, registered=2, proposed=1)
    add_files(tree["sibling"], year, ModelKind.COMMUNITY, recognized=1)
    add_figures(tree["commune"], year, 800, 3000)
    page = login(browser_page, province_staff)

    dashboard = page.get_by_test_id("dashboard")
    expect(dashboard).to_contain_text("Tỉnh Điện Biên")
    expect(page.get_by_test_id("dashboard-cycle")).to_contain_text("Gia đình học tập")
    fits_the_phone(page)

    # Sorting is a plain link; the table keeps its rows.
    page.get_by_test_id("dashboard-progress").get_by_role("link", name="Tỷ lệ").click()
    expect(page.get_by_test_id("dashboard-progress")).to_contain_text("Xã Mường Phăng")
    assert "sort=rate" in page.url

    # Drill down into the commune.
    page.get_by_test_id("dashboard-progress").get_by_role("link", name="Xã Mường Phăng").click()
    expect(page.get_by_test_id("dashboard")).to_contain_text(f"{year}: Xã Mường Phăng")
    fits_the_phone(page)

    # The yearly report of the commune, and its Excel file.
    page.get_by_test_id("dashboard").get_by_role("link", name="Báo cáo năm").click()
    expect(page.get_by_test_id("titles-table")).to_contain_text("3 / 6")
    fits_the_phone(page)
    with page.expect_download() as download:
        page.get_by_test_id("download-xlsx").click()
    assert download.value.suggested_filename.endswith("-xa-muong-phang.xlsx")
