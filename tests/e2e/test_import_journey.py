"""Excel in, on a phone: the commune officer downloads the households template, fills in 20
rows of which 3 are wrong, sees exactly those three problems, fixes them, uploads again,
imports, and finds the 20 households registered in the registration list."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from models_learning import services
from models_learning.models import Registration
from tests.e2e.conftest import login
from units.models import Village

pytestmark = pytest.mark.django_db(transaction=True)
YEAR = timezone.localdate().year
VILLAGES = ("Bản Co Muông", "Bản Mớ", "Bản Phăng")


WIDER_THAN_THE_PHONE = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > 360)
    .map(e => e.tagName + '.' + e.className).slice(0, 5)"""


def fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, page.evaluate(WIDER_THAN_THE_PHONE)


def fill_in(template, tmp_path, rows, name):
    """What the officer does in Excel: type the rows under the headers, save as a new file."""
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def upload(page, path):
    page.locator("input[type=file][name=file]").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra tệp").last.click()


def test_the_officer_imports_households_from_excel(browser_page, tree, officer, tmp_path):
    services.load_criteria_sets()
    for name in VILLAGES:
        Village.objects.create(commune=tree["commune"], name=name)
    page = login(browser_page, officer)

    page.goto("/portal/imports/")
    expect(page.locator("h1")).to_have_text("Nhập từ Excel")
    fits_the_phone(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Gia đình học tập").click()
    template = download.value.path().read_bytes()
    assert download.value.suggested_filename == "mau-gia-dinh-hoc-tap.xlsx"

    # Columns: head, year of birth, village, address, phone, year, (commune, status).
    rows = [[f"Lò Văn Số {n}", 1950 + n, VILLAGES[n % 3], None, None, YEAR] for n in range(1, 21)]
    wrong = {row: list(values) for row, values in ((3, rows[1]), (8, rows[6]), (15, rows[13]))}
    rows[1] = [None, 1951, VILLAGES[1], None, None, YEAR]  # Excel row 3: no name
    rows[6] = ["Lò Văn Số 7", 1957, "Bản Không Có", None, None, YEAR]  # row 8: unknown village
    rows[13] = ["Lò Văn Số 14", 1964, VILLAGES[2], None, None, YEAR + 7]  # row 15: year
    upload(page, fill_in(template, tmp_path, rows, "ho-dang-ky.xlsx"))

    problems = page.get_by_test_id("problems")
    expect(problems.locator("tbody tr")).to_have_count(3)
    expect(page.locator("[data-count=invalid]")).to_have_text("3")
    expect(page.locator("[data-count=new]")).to_have_text("17")
    cells = problems.locator("tbody tr")
    expect(cells.nth(0)).to_contain_text("Họ tên chủ hộ")
    expect(cells.nth(0)).to_contain_text("bắt buộc")
    expect(cells.nth(1)).to_contain_text("Bản Không Có")
    expect(cells.nth(2)).to_contain_text(str(YEAR + 7))
    assert [cells.nth(i).locator("td").nth(1).inner_text() for i in range(3)] == ["3", "8", "15"]
    fits_the_phone(page)
    assert not Registration.objects.exists()  # nothing is written before the choice

    # Fixed in Excel, uploaded again from the same page.
    for index in (1, 6, 13):
        rows[index] = wrong[index + 2]
    upload(page, fill_in(template, tmp_path, rows, "ho-dang-ky-da-sua.xlsx"))
    expect(page.locator("[data-count=new]")).to_have_text("20")
    expect(page.locator("[data-count=invalid]")).to_have_text("0")
    page.get_by_role("button", name="Nhập tất cả 20 dòng").click()
    expect(page.get_by_test_id("result")).to_contain_text("20 mới")
    fits_the_phone(page)

    page.get_by_role("link", name="Xem trong danh sách").click()
    expect(page.get_by_test_id("result-count")).to_contain_text("20")
    cards = page.get_by_test_id("registration-cards")
    expect(cards).to_contain_text("Lò Văn Số 7")
    expect(cards).to_contain_text("Lò Văn Số 14")
    assert Registration.objects.filter(unit=tree["commune"], year=YEAR).count() == 20
