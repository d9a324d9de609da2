"""The staff menu (issue 13, item 21): 11+ sections in groups, one header line on a 1280 × 800
screen and on a 360 px phone, the user's role and unit shown once."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def header_box(page):
    return page.locator("header").bounding_box()


def test_on_a_wide_screen_the_menu_is_one_line_and_its_groups_drop_down(
    browser_page, province_staff
):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, province_staff)
    # One line: the header is as tall as one row of links, and every group label is one line.
    assert header_box(page)["height"] <= 60
    for summary in page.locator("header summary").all():
        assert summary.bounding_box()["height"] <= 52, summary.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    # A group opens under its label (without any script: it is a <details>), one at a time.
    page.get_by_text("Mô hình học tập", exact=True).click()
    expect(page.get_by_role("link", name="Hồ sơ đăng ký")).to_be_visible()
    page.get_by_text("Báo cáo và dữ liệu", exact=True).click()
    expect(page.get_by_role("link", name="Hồ sơ đăng ký")).to_be_hidden()
    page.locator("header").get_by_role("link", name="Báo cáo năm").click()
    page.wait_for_url("**/portal/reports/yearly/**")

    # Role and unit: once, in the user's menu.
    user = page.get_by_test_id("current-user")
    expect(page.locator("header")).to_contain_text("Tỉnh Điện Biên")
    assert page.locator("header").inner_text().count("Tỉnh Điện Biên") <= 1
    user.locator("summary").click()
    expect(user).to_contain_text("Tỉnh Điện Biên · Người phê duyệt, Quản lý")
    expect(user.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_on_a_phone_the_menu_button_shares_the_title_line(browser_page, officer):
    page = login(browser_page, officer)
    brand = page.locator(".portal-brand").bounding_box()
    toggler = page.locator(".navbar-toggler").bounding_box()
    # Same line: the button's middle lies within the title's height.
    middle = toggler["y"] + toggler["height"] / 2
    assert brand["y"] <= middle <= brand["y"] + brand["height"]
    assert header_box(page)["height"] <= 60
    expect(page.get_by_role("link", name="Hồ sơ đăng ký")).to_be_hidden()

    page.locator(".navbar-toggler").click()
    page.get_by_text("Mô hình học tập", exact=True).click()
    page.get_by_role("link", name="Hồ sơ đăng ký").click()
    page.wait_for_url("**/portal/registrations/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_without_javascript_the_phone_menu_still_opens(_browser, live_server, officer):
    context = _browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False, base_url=live_server.url
    )
    page = context.new_page()
    try:
        login(page, officer)
        page.locator(".navbar-toggler").click()
        page.get_by_text("Trung tâm HTCĐ", exact=True).click()
        page.get_by_role("link", name="Danh sách trung tâm").click()
        page.wait_for_url("**/portal/centers/")
    finally:
        context.close()
