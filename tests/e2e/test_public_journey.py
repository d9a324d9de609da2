"""A visitor on a phone, without signing in: searches a name typed without diacritics, opens
the recognition, follows its certificate check and reads that it is valid."""

import pytest
from playwright.sync_api import expect

from models_learning import services
from tests.models_learning.factories import VillageFactory, published_family

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def recognised(tree, officer, province_staff):
    services.load_criteria_sets()
    village = VillageFactory(commune=tree["commune"], name="Bản Co Muông")
    published_family(officer, province_staff, village, head_name="Nguyễn Văn Ánh")
    published_family(officer, province_staff, village, head_name="Lò Thị Ơn")
    return village


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_visitor_finds_a_recognised_family_and_checks_its_certificate(browser_page, recognised):
    page = browser_page
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_label("Tìm gia đình, dòng họ, cộng đồng, đơn vị đã được công nhận").fill(
        "nguyen van anh"
    )
    page.get_by_role("button", name="Tìm kiếm").click()

    page.wait_for_url("**/recognitions/?q=nguyen+van+anh")
    rows = page.get_by_test_id("recognition-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Gia đình học tập 2026")
    assert fits_the_phone(page)
    rows.first.get_by_role("link", name="Nguyễn Văn Ánh").click()

    expect(page.locator("h1")).to_have_text("Nguyễn Văn Ánh")
    expect(page.locator("main")).to_contain_text("Bản Co Muông")
    expect(page.locator("main")).to_contain_text("Xã Mường Phăng")
    assert fits_the_phone(page)
    page.get_by_role("link", name="Kiểm tra giấy công nhận này").click()

    page.wait_for_url("**/verify/DB-2026-*/")
    expect(page.get_by_test_id("verify-state")).to_contain_text("còn hiệu lực")
    expect(page.get_by_test_id("verify-state")).to_have_attribute("data-state", "valid")
    assert fits_the_phone(page)


def test_a_visitor_types_a_certificate_code_in_small_letters(browser_page, recognised):
    from models_learning.models import Recognition

    code = Recognition.objects.get(registration__subject_name="Lò Thị Ơn").certificate_code
    page = browser_page
    page.goto("/verify/")
    page.get_by_label("Mã giấy công nhận (như in trên giấy, không cần viết hoa)").fill(
        f" {code.lower()} "
    )
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    expect(page.get_by_test_id("verify-state")).to_have_attribute("data-state", "valid")
    expect(page.locator("main")).to_contain_text("Lò Thị Ơn")
    page.goto("/verify/DB-2026-ZZZZZZ/")
    expect(page.get_by_test_id("verify-state")).to_have_attribute("data-state", "unknown")
    expect(page.locator("h1")).to_have_text("Không tìm thấy giấy công nhận")


def test_a_visitor_narrows_the_commune_list_by_typing_and_filters_by_it(
    browser_page, recognised, tree
):
    """The unit list is short; typing part of a name (no diacritics) narrows it as one types
    (htmx, the public endpoint), and the commune picked filters the search."""
    page = browser_page
    page.goto("/recognitions/")
    choice = page.get_by_label("Xã, phường hoặc huyện", exact=True)
    expect(choice.locator("option")).to_have_text(["Toàn tỉnh", "Huyện Điện Biên"])
    page.get_by_label("Tìm xã, phường hoặc huyện theo tên").fill("muong phang")
    expect(choice.locator("option")).to_have_text(["Toàn tỉnh", "Xã Mường Phăng"])
    choice.select_option(label="Xã Mường Phăng")
    page.get_by_role("button", name="Tìm kiếm").click()

    page.wait_for_url(f"**/recognitions/?*unit={tree['commune'].pk}*")
    expect(page.get_by_test_id("recognition-row")).to_have_count(2)
    expect(page.locator("#id_unit option:checked")).to_have_text("Xã Mường Phăng")
