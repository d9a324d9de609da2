"""The template: what the officer downloads, fills in and uploads."""

import io

from openpyxl import load_workbook

from lib.sheets import build_template, read_rows, template_response
from tests.sheets.conftest import CLANS, HEADERS, HOUSEHOLDS, UNIQUE, filled_template, household


def template(commune="Mường Phăng"):
    return load_workbook(io.BytesIO(build_template(HOUSEHOLDS, choices_context=commune)))


def validations(sheet):
    return {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}


def test_the_template_has_the_data_sheet_first_then_instructions_and_hidden_sheets():
    book = template()
    assert book.sheetnames == ["Hộ gia đình", "Hướng dẫn", "_lists", "_meta"]
    assert [s.sheet_state for s in book.worksheets] == [
        "visible",
        "visible",
        "hidden",
        "veryHidden",
    ]
    assert book.active.title == "Hộ gia đình"


def test_the_data_sheet_has_bold_frozen_headers_and_sized_columns():
    sheet = template().worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= len("Họ tên chủ hộ")
    assert sheet.column_dimensions["H"].number_format == "@"  # phone numbers keep their 0
    assert sheet.max_row == 1


def test_choice_columns_get_a_drop_down_from_the_hidden_list_sheet():
    book = template()
    rules = validations(book.worksheets[0])
    village = rules["C2:C1048576"]
    assert village.type == "list"
    assert village.formula1 == "'_lists'!$A$2:$A$4"
    assert village.allow_blank is False  # required
    assert village.showErrorMessage
    lists = book["_lists"]
    assert [lists.cell(row=r, column=1).value for r in range(2, 5)] == [
        "Bản Mới",
        "Bản Cang",
        "Thôn Đồi Cao",
    ]
    assert rules["D2:D1048576"].formula1 == "'_lists'!$B$2:$B$3"
    assert rules["D2:D1048576"].allow_blank


def test_the_lists_follow_the_choices_context():
    lists = template(commune="Xã khác")["_lists"]
    assert lists["A2"].value == "Bản Khác" and lists["A3"].value is None


def test_numbers_years_and_text_lengths_are_validated_in_excel_too():
    rules = validations(template().worksheets[0])
    year = rules["B2:B1048576"]
    assert (year.type, year.operator, year.formula1, year.formula2) == (
        "whole",
        "between",
        "1900",
        "2025",
    )
    assert rules["F2:F1048576"].type == "decimal"
    assert rules["A2:A1048576"].type == "textLength"
    assert rules["A2:A1048576"].formula1 == "60"
    assert "H2:H1048576" not in rules


def test_the_instructions_sheet_lists_every_column_whether_required_and_what_to_type():
    sheet = template()["Hướng dẫn"]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][0] == "Hộ gia đình"
    assert "Mỗi hộ một dòng." in [row[0] for row in cells]
    table = {row[0]: row[1:] for row in cells if row[0] in HEADERS}
    assert set(table) == set(HEADERS)
    assert table["Họ tên chủ hộ"][0] == "Bắt buộc"
    assert table["Năm sinh"][0] == "Không bắt buộc"
    assert table["Năm sinh"][1] == "Một năm từ 1900 đến 2025, ví dụ 2025."
    assert table["Thôn, bản"][1] == "Một trong các giá trị: Bản Mới; Bản Cang; Thôn Đồi Cao."
    assert table["Ngày đăng ký"][1].startswith("Ngày ghi theo dạng dd/mm/yyyy")
    assert table["Điện thoại"][2] == "Không công khai."


def test_a_long_list_is_described_by_its_size_not_spelled_out():
    from lib.sheets import Column, Kind, SheetSpec

    many = [f"Bản {i}" for i in range(100)]
    spec = SheetSpec(
        "Các thôn", "test-villages", [Column("v", "Thôn", kind=Kind.CHOICE, choices=many)]
    )
    book = load_workbook(io.BytesIO(build_template(spec)))
    assert validations(book.worksheets[0])["A2:A1048576"].formula1 == "'_lists'!$A$2:$A$101"
    described = [row[2].value for row in book["Hướng dẫn"].iter_rows() if row[0].value == "Thôn"]
    assert described == ["Một trong 100 giá trị của danh sách thả xuống trong ô."]


def test_template_filled_in_reads_back_the_typed_rows():
    rows = [household(), household(head_name="Quàng Thị Xuân", village="Bản Cang", score="8,5")]
    result = read_rows(
        filled_template(HOUSEHOLDS, rows), HOUSEHOLDS, choices_context="Mường Phăng",
        unique_by=UNIQUE,
    )  # fmt: skip
    assert result.ok, result.problems
    assert [(r.number, r.values["head_name"], r.values["village"]) for r in result.rows] == [
        (2, "Lò Văn Piếng", 1),
        (3, "Quàng Thị Xuân", 2),
    ]


def test_an_unfilled_template_is_refused_as_having_no_rows():
    result = read_rows(build_template(HOUSEHOLDS), HOUSEHOLDS)
    assert result.refused
    assert "không có dòng dữ liệu nào" in result.problems[0].message


def test_template_response_is_a_download():
    response = template_response(CLANS, "mẫu dòng họ.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == "Dòng họ"
