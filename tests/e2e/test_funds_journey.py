"""A commune fund's year, in a phone-sized browser: the keeper opens the fund, records three
donations, pays a scholarship list of ten pupils and closes the year; province staff approve
the closing and find the commune's fund in the province's yearly report; the public accounts
show the year with the donors who agreed to be named, and no pupil's name."""

import pytest
from playwright.sync_api import expect

from funds.models import Entry, Period, PeriodStatus
from lib.dates import this_year
from tests.e2e.conftest import login
from tests.e2e.test_centers_journey import assert_fits_a_phone, sign_out
from tests.factories import make_member
from tests.funds.builders import PUPILS
from units.models import Role

pytestmark = pytest.mark.django_db(transaction=True)

DONATIONS = [
    ("Công ty Điện lực Điện Biên", "organisation", "5.000.000", True),
    ("Bà Lò Thị Xuân", "person", "2.000.000", True),
    ("Ông Không Muốn Nêu Tên", "person", "3.000.000", False),
]


def test_a_commune_funds_year_from_donations_to_public_accounts(
    browser_page, tree, officer, province_staff
):
    make_member(tree["commune"], Role.TREASURER, user=officer)
    year = this_year()
    page = login(browser_page, officer)

    # The keeper opens the commune's fund.
    page.locator(".navbar-toggler").click()
    page.get_by_role("link", name="Quỹ", exact=True).click()
    expect(page.locator("h1")).to_have_text("Quỹ khuyến học")
    page.get_by_role("link", name="Mở quỹ").click()
    page.get_by_label("Đơn vị").select_option(label="Xã Mường Phăng")
    page.get_by_label("Tên").fill("Quỹ khuyến học xã Mường Phăng")
    page.get_by_label("Năm đầu tiên của sổ quỹ").fill(str(year))
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".alert-success")).to_have_text("Đã mở quỹ.")
    fund_url = page.url

    # Three donations, two of them named with the donor's consent.
    for donor, category, amount, named in DONATIONS:
        page.get_by_role("link", name="Lập phiếu thu").click()
        page.get_by_label("Số tiền (đồng)").fill(amount)
        page.get_by_label("Khoản mục").select_option(category)
        page.get_by_label("Nhận của").fill(donor)
        if named:
            page.get_by_label("Người ủng hộ đồng ý công khai tên").check()
        page.get_by_role("button", name="Lưu").click()
        expect(page.locator(".alert-success")).to_contain_text("Đã ghi sổ chứng từ PT-")
        page.goto(fund_url)
    expect(page.get_by_test_id("balance")).to_have_text("10.000.000 đ")
    assert_fits_a_phone(page)

    # A scholarship list of ten pupils, paid at once.
    page.get_by_role("link", name="Lập đợt khen thưởng").click()
    page.get_by_label("Tên").fill(f"Học bổng khuyến học năm học {year}–{year + 1}")
    page.get_by_label("Loại khoản chi").select_option("scholarship")
    page.get_by_label("Mức mỗi người (đồng)").fill("500.000")
    page.get_by_role("button", name="Lưu").click()
    for pupil in PUPILS:
        page.get_by_label("Họ và tên").fill(pupil)
        page.get_by_label("Trường").fill("Trường THCS Mường Phăng")
        page.get_by_role("button", name="Thêm vào danh sách").click()
        expect(page.locator(".alert-success")).to_have_text("Đã thêm vào danh sách.")
    expect(page.get_by_test_id("total")).to_have_text("5.000.000 đ")
    page.get_by_role("link", name="Chi cho cả danh sách").click()
    page.get_by_role("button", name="Chi cho cả danh sách").click()
    expect(page.locator(".alert-success")).to_contain_text("mỗi người một phiếu chi")
    assert Entry.objects.filter(kind="payment").count() == 10

    # The keeper closes the year.
    page.goto(fund_url)
    expect(page.get_by_test_id("balance")).to_have_text("5.000.000 đ")
    page.get_by_role("link", name=f"Khóa sổ năm {year}").click()
    page.get_by_role("button", name=f"Khóa sổ năm {year}").click()
    expect(page.get_by_test_id("period-status")).to_have_text("Đã khóa sổ, chờ duyệt")
    expect(page.get_by_test_id("closing")).to_have_text("5.000.000 đ")
    period_url = page.url

    # Province staff approve the closing.
    sign_out(page)
    login(page, province_staff)
    page.goto(period_url)
    page.get_by_role("link", name="Duyệt khóa sổ").click()
    page.get_by_role("button", name=f"Duyệt khóa sổ năm {year}").click()
    expect(page.get_by_test_id("period-status")).to_have_text("Đã khóa sổ và được duyệt")
    assert Period.objects.get().status == PeriodStatus.APPROVED

    # The province's yearly report holds the commune's fund: 10,000,000 received, ten
    # scholarships paid (5,000,000), 5,000,000 left; no population figures, so no VND per
    # person.
    page.goto(f"/portal/reports/yearly/?year={year}")
    funds = page.get_by_test_id("funds-table")
    commune = funds.locator(f'tr[data-unit="{tree["commune"].pk}"]')
    expect(commune.locator("td")).to_have_text(
        ["10.000.000", "5.000.000", "10", "5.000.000", "5.000.000", "–", "–"]
    )
    expect(page.get_by_test_id("funds-total").locator("td").nth(4)).to_have_text("5.000.000")
    assert_fits_a_phone(page)

    # The public accounts: the year, the named donors, no pupil.
    sign_out(page)
    page.goto(f"/funds/?year={year}")
    page.get_by_role("link", name="Xã Mường Phăng").click()
    expect(page.get_by_test_id("books-state")).to_have_text("Đã khóa sổ và được duyệt")
    donors = page.get_by_test_id("donors")
    expect(donors).to_contain_text("Công ty Điện lực Điện Biên: 5.000.000 đ")
    expect(donors).to_contain_text("Bà Lò Thị Xuân: 2.000.000 đ")
    text = page.locator("body").inner_text()
    assert "Không Muốn Nêu Tên" not in text
    for pupil in PUPILS:
        assert pupil not in text
    assert_fits_a_phone(page)
