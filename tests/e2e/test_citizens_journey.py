"""Learning citizens in the browser, on a phone: an officer assesses a household's three
adults on one page; a citizen's sheet through a printed village link arrives as a draft and is
confirmed; the yearly report and /stats/ show the commune's share against 40%."""

import pytest
from playwright.sync_api import expect

from citizens import services
from citizens.models import CitizenResult, SelfAssessment
from tests.citizens.builders import citizen_sets, household_of, village_of
from tests.e2e.conftest import login
from tests.reports.builders import add_files

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_officer_assesses_a_household_s_three_adults_on_a_phone(browser_page, tree, officer):
    citizen_sets()
    household = household_of(village_of(tree["commune"]), head="Lò Văn Đôi", adults=3)
    page = login(browser_page, officer)
    page.goto("/portal/citizens/")
    page.get_by_role("link", name="Lò Văn Đôi").click()
    cards = page.get_by_test_id("adult")
    expect(cards).to_have_count(3)
    fits_the_phone(page)
    first, second, third = cards.nth(0), cards.nth(1), cards.nth(2)
    for number in range(1, 6):
        first.get_by_label(f"{number}.", exact=False).first.check()
    first.get_by_label("Có kỹ năng số").check()
    for number in range(1, 4):
        second.get_by_label(f"{number}.", exact=False).first.check()
    third.get_by_label("Đánh giá lần này").uncheck()
    page.get_by_role("button", name="Lưu kết quả").click()
    expect(page.get_by_text("Đã lưu kết quả của 2 người.")).to_be_visible()
    expect(first).to_contain_text("công dân học tập")
    expect(second).to_contain_text("chưa đạt")
    expect(third).to_contain_text("chưa đánh giá")
    results = CitizenResult.objects.filter(member__household=household).order_by("member__position")
    assert [(r.achieved, r.digital_skills) for r in results] == [(True, True), (False, False)]


def test_a_sheet_through_a_village_link_arrives_as_a_draft_and_is_confirmed(
    browser_page, tree, officer
):
    citizen_sets()
    village = village_of(tree["commune"])
    household_of(village, head="Lò Văn Đôi", adults=2)
    page = login(browser_page, officer)
    page.goto(f"/portal/citizens/communes/{tree['commune'].pk}/")
    page.get_by_role("button", name="Tạo đường dẫn").click()
    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()
    address = page.get_by_test_id("link-url").inner_text()
    fits_the_phone(page)

    # The citizen, on their own phone, without signing in.
    citizen = page.context.browser.new_context(viewport={"width": 360, "height": 740})
    phone = citizen.new_page()
    phone.goto(address.replace("http://testserver", page.base_url))
    phone.get_by_label("Họ và tên của bạn").fill("Lò Văn Đôi")
    phone.get_by_label("Năm sinh của bạn").fill("1970")
    for number in range(1, 6):
        phone.get_by_label(f"{number}.", exact=False).first.check()
    phone.get_by_role("button", name="Gửi").click()
    expect(phone.get_by_test_id("received")).to_be_visible()
    assert "Lò Văn Đôi" not in phone.content()
    citizen.close()
    assert SelfAssessment.objects.get().status == "received"
    assert not CitizenResult.objects.exists()

    page.goto(f"/portal/citizens/communes/{tree['commune'].pk}/")
    page.get_by_test_id("sheets").get_by_role("link", name="Lò Văn Đôi").click()
    page.get_by_role("button", name="Xác nhận là kết quả của người này").click()
    expect(page.get_by_test_id("result")).to_contain_text("công dân học tập")
    assert CitizenResult.objects.get().source == "self"


def test_the_report_and_stats_show_the_commune_s_share_against_40(
    browser_page, tree, officer, province_staff
):
    citizen_sets()
    village = village_of(tree["commune"])
    people = [household_of(village, head=f"Hộ {n}", adults=2) for n in range(2)]
    adults = [m for h in people for m in h.members.filter(birth_year__lt=2000)]
    all_met = {str(n): True for n in range(1, 6)}
    for member in adults[:1]:
        services.record_result(member, by=officer, year=2025, answers=all_met, digital_skills=True)
    add_files(tree["commune"], 2025, recognized=1)  # /stats/ offers the year
    page = login(browser_page, province_staff)
    page.goto("/portal/reports/yearly/?year=2025&view=today")
    table = page.get_by_test_id("citizens-table")
    expect(table).to_contain_text("Xã Mường Phăng")
    expect(table).to_contain_text("25,0% (40%)")  # 1 of 4 adults
    page.goto("/stats/?year=2025&view=today")
    expect(page.get_by_test_id("stats-citizens")).to_contain_text("25,0% (40%)")
    fits_the_phone(page)


def test_a_village_s_forty_adults_with_three_wrong_rows_are_fixed_and_imported(
    browser_page, tree, officer, tmp_path
):
    import io

    from openpyxl import load_workbook

    citizen_sets()
    village = village_of(tree["commune"])
    for n in range(20):
        household_of(village, head=f"Lò Văn Hộ {n:02}", adults=2)
    page = login(browser_page, officer)
    page.goto(f"/portal/citizens/communes/{tree['commune'].pk}/?year=2026")
    with page.expect_download() as download:
        page.get_by_test_id("village-shares").get_by_role("link", name="Mẫu Excel").click()
    template = download.value.path().read_bytes()

    def filled(name, wrong):
        book = load_workbook(io.BytesIO(template))
        sheet = book.worksheets[0]
        columns = {cell.value: cell.column for cell in sheet[1]}
        for number, row in enumerate(range(2, sheet.max_row + 1)):
            sheet.cell(row, columns["Công dân học tập"]).value = "Đạt" if number % 2 else "Chưa đạt"
            sheet.cell(row, columns["Kỹ năng số"]).value = "Có" if number % 4 == 1 else "Không"
        if wrong:
            sheet.cell(3, columns["Công dân học tập"]).value = "Có lẽ"  # not a choice
            sheet.cell(8, columns["Họ và tên"]).value = "Tên Gõ Nhầm"  # moved onto another
            sheet.cell(15, columns["Năm đánh giá"]).value = 2019  # before the programme
        path = tmp_path / name
        book.save(path)
        return path

    page.goto(f"/portal/citizens/communes/{tree['commune'].pk}/?year=2026")
    page.get_by_role("link", name="Nhập kết quả").click()
    page.locator("input[type=file][name=file]").set_input_files(str(filled("a.xlsx", True)))
    page.get_by_role("button", name="Kiểm tra tệp").last.click()
    problems = page.get_by_test_id("problems")
    expect(problems.locator("tbody tr")).to_have_count(3)
    expect(page.locator("[data-count=new]")).to_have_text("37")
    cells = problems.locator("tbody tr")
    assert [cells.nth(i).locator("td").nth(1).inner_text() for i in range(3)] == ["3", "8", "15"]
    assert not CitizenResult.objects.exists()
    fits_the_phone(page)

    page.locator("input[type=file][name=file]").set_input_files(str(filled("b.xlsx", False)))
    page.get_by_role("button", name="Kiểm tra tệp").last.click()
    expect(page.locator("[data-count=new]")).to_have_text("40")
    page.get_by_role("button", name="Nhập tất cả 40 dòng").click()
    expect(page.get_by_test_id("result")).to_contain_text("40 mới")
    assert CitizenResult.objects.filter(source="imported").count() == 40
