"""The staff of an organisation in the browser, on a phone: the commune officer opens the
organisation from the commune's page, adds a teacher to its staff list and assesses its staff
on one page (axe-checked by the e2e conftest on every page left)."""

import pytest
from playwright.sync_api import expect

from citizens.models import CitizenResult
from tests.citizens.builders import citizen_sets, organisation_of, staff_of
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_officer_assesses_an_organisation_s_staff_on_a_phone(browser_page, tree, officer):
    citizen_sets()
    school = organisation_of(tree["commune"], "Trường Tiểu học Mường Phăng", kind="school")
    staff_of(school, 2, prefix="Giáo viên")
    page = login(browser_page, officer)
    page.goto(f"/portal/citizens/communes/{tree['commune'].pk}/")
    page.get_by_test_id("organisation-shares").get_by_role(
        "link", name="Trường Tiểu học Mường Phăng"
    ).click()
    fits_the_phone(page)
    page.get_by_test_id("staff-add").click()
    page.get_by_label("Họ và tên").fill("Lò Thị Hoa")
    page.get_by_label("Năm sinh").fill("1988")
    page.get_by_label("Chức vụ").fill("Giáo viên")
    page.get_by_label("Làm việc tại đơn vị từ năm").fill("2020")
    fits_the_phone(page)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu: Lò Thị Hoa.")).to_be_visible()
    cards = page.get_by_test_id("staff-member")
    expect(cards).to_have_count(3)
    first, second, third = cards.nth(0), cards.nth(1), cards.nth(2)
    for number in range(1, 6):
        first.get_by_label(f"{number}.", exact=False).first.check()
        third.get_by_label(f"{number}.", exact=False).first.check()
    first.get_by_label("Có kỹ năng số").check()
    second.get_by_label("Đánh giá lần này").uncheck()
    fits_the_phone(page)
    page.get_by_role("button", name="Lưu kết quả").click()
    expect(page.get_by_text("Đã lưu kết quả của 2 người.")).to_be_visible()
    expect(page.get_by_test_id("staff-share")).to_contain_text("2 trên 3 nhân sự")
    assert (
        CitizenResult.objects.filter(staff_member__organisation=school, achieved=True).count() == 2
    )
