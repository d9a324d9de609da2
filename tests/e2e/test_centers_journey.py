"""A centre's year, in a phone-sized browser: the commune officer files the yearly report and
the self-assessment, province staff rate and publish, the public directory shows the band."""

import pytest
from playwright.sync_api import expect

from centers import services
from centers.models import CenterRating, RatingStatus
from tests.centers.builders import PDF, make_center, this_year
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def assert_fits_a_phone(page):
    """Nothing but a table's own scroller is wider than a 360 px screen."""
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 361 && !e.closest('.table-responsive'))
        .map(e => e.tagName + '.' + e.className)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, too_wide[:5]


def sign_out(page):
    page.context.clear_cookies()


def test_a_centres_year_from_report_to_published_band(
    browser_page, tree, officer, province_staff, tmp_path, settings
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    services.ensure_default_scheme()
    center = make_center(tree)
    year = this_year()
    page = login(browser_page, officer)

    # The commune officer finds the centre and files last year's activity report.
    page.locator(".navbar-toggler").click()
    page.get_by_text("Trung tâm HTCĐ", exact=True).click()
    page.get_by_role("link", name="Danh sách trung tâm").click()
    expect(page.locator("h1")).to_have_text("Trung tâm học tập cộng đồng")
    assert_fits_a_phone(page)
    page.get_by_role("link", name=center.name).click()
    page.get_by_role("link", name="Nộp báo cáo năm").click()
    page.get_by_label("Năm").fill(str(year - 1))
    page.get_by_label("Pháp luật, chính sách: số lớp").fill("6")
    page.get_by_label("Pháp luật, chính sách: lượt người tham gia").fill("0")
    page.get_by_role("button", name="Lưu báo cáo").click()
    # Classes without participants: refused next to the field, nothing filed.
    expect(page.locator(".invalid-feedback")).to_contain_text("lượt người tham gia")
    assert_fits_a_phone(page)
    page.get_by_label("Pháp luật, chính sách: lượt người tham gia").fill("1.200")
    page.get_by_label("Nông nghiệp, chuyển giao khoa học kỹ thuật: số lớp").fill("8")
    page.get_by_label("Nông nghiệp, chuyển giao khoa học kỹ thuật: lượt người tham gia").fill("520")
    page.get_by_role("button", name="Lưu báo cáo").click()
    expect(page.locator(".alert-success")).to_have_text("Đã nộp báo cáo năm.")
    expect(page.locator(f"#report-{year - 1}")).to_contain_text("1.720")

    # Then this year's self-assessment, with a piece of evidence, and submits it.
    page.get_by_role("link", name=f"Tự đánh giá năm {year}").click()
    page.get_by_label("1. Tổ chức và quản lý").fill("22")
    page.get_by_label("2. Hoạt động học tập").fill("27")
    page.get_by_label("3. Huy động nguồn lực và sự tham gia của xã hội").fill("18")
    page.get_by_label("4. Hiệu quả hoạt động").fill("21,5")
    page.get_by_role("button", name="Lưu bản tự đánh giá").click()
    expect(page.get_by_test_id("rating-total")).to_have_text("88,50")
    evidence = tmp_path / "bien-ban-tu-danh-gia.pdf"
    evidence.write_bytes(PDF)
    page.locator("#id_file").set_input_files(str(evidence))
    page.get_by_role("button", name="Đính kèm").click()
    expect(page.locator("#evidence ~ ul")).to_contain_text("bien-ban-tu-danh-gia.pdf")
    page.get_by_role("button", name="Gửi cán bộ tỉnh").click()
    expect(page.locator(".alert-success")).to_have_text("Đã gửi cán bộ tỉnh.")
    assert_fits_a_phone(page)

    # Province staff rate it, lowering one score with its reason, and publish.
    sign_out(page)
    login(page, province_staff)
    page.goto(f"/portal/centers/?status={RatingStatus.SUBMITTED}")
    page.get_by_test_id("center-row").get_by_role("link", name="Đã gửi tỉnh").click()
    page.get_by_role("link", name="Xếp loại").click()
    page.locator("#id_c2").fill("24")
    page.get_by_role("button", name="Lưu kết quả xếp loại").click()
    expect(page.locator("#id_reason2 ~ .invalid-feedback")).to_be_visible()
    page.locator("#id_reason2").fill("Thiếu sổ theo dõi lớp học.")
    page.get_by_role("button", name="Lưu kết quả xếp loại").click()
    expect(page.get_by_test_id("rating-total")).to_have_text("85,50")
    expect(page.locator("main")).to_contain_text("Thiếu sổ theo dõi lớp học.")
    page.get_by_role("button", name="Công bố").click()
    expect(page.locator(".alert-success")).to_have_text("Đã công bố kết quả xếp loại.")
    assert CenterRating.objects.get().status == RatingStatus.PUBLISHED

    # The public directory shows the band, and the year's count; no contact, no note.
    sign_out(page)
    page.goto("/centers/")
    row = page.get_by_test_id("public-center-row").filter(has_text=center.name)
    expect(row).to_contain_text("Tốt")
    expect(row).to_contain_text(f"({year})")
    assert_fits_a_phone(page)
    page.goto(f"/centers/?year={year}")
    expect(page.locator('[data-band="tot"]')).to_contain_text("1 trên 1")
    row.page.goto(f"/centers/{center.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text("Tốt")
    expect(main).not_to_contain_text("Thiếu sổ theo dõi lớp học.")
    expect(main).not_to_contain_text(center.phone)
    expect(main).not_to_contain_text("bien-ban-tu-danh-gia.pdf")
