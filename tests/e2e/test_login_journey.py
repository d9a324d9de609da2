import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_commune_officer_signs_in_on_a_phone_and_sees_only_their_commune(browser_page, officer):
    page = login(browser_page, officer)
    expect(page.get_by_test_id("current-user")).to_contain_text("Xã Mường Phăng")

    page.goto("/portal/units/")
    expect(page.locator("h1")).to_have_text("Cây đơn vị")
    expect(page.locator("main")).to_contain_text("Xã Mường Phăng")
    expect(page.locator("main")).not_to_contain_text("Phường Mường Thanh")
    # Nothing overflows a 360 px screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


def test_a_visitor_switches_the_interface_to_english_and_back(browser_page, db):
    page = browser_page
    page.goto("/accounts/login/")
    expect(page.locator("h1")).to_have_text("Cán bộ đăng nhập")
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Staff sign in")
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("h1")).to_have_text("Cán bộ đăng nhập")
