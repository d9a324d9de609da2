"""Headers, rows, problems: what an officer's real sheets look like."""

import io
import re
import unicodedata
import zipfile

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from lib.sheets import Column, SheetError, SheetSpec, build_template, open_sheet, read_rows
from tests.sheets.conftest import (
    CLANS,
    HEADERS,
    HOUSEHOLDS,
    UNIQUE,
    filled_template,
    household,
    rezip,
    save,
    xlsx,
)


def read(data, **options):
    options.setdefault("choices_context", "Mường Phăng")
    return read_rows(data, HOUSEHOLDS, **options)


def messages(result):
    return [problem.message for problem in result.problems]


def test_rows_are_read_with_their_excel_row_numbers_and_parsed_values():
    result = read(xlsx([HEADERS, household(), [None] * 8, household(head_name="Quàng Thị Xuân")]))
    assert result.ok
    assert [row.number for row in result.rows] == [2, 4]  # the blank row 3 is skipped
    first = result.rows[0].values
    assert first["village"] == 1 and first["title"] == "family"
    assert first["birth_year"] == 1975 and first["members"] == 5
    assert str(first["score"]) == "92.5"
    assert first["registered_on"].isoformat() == "2024-03-15"
    assert first["phone"] == "0912345678"


def test_reordered_columns_are_fine():
    order = [7, 3, 0, 1, 2, 4, 5, 6]
    row = household()
    result = read(xlsx([[HEADERS[i] for i in order], [row[i] for i in order]]))
    assert result.ok, messages(result)
    assert result.rows[0].values["head_name"] == "Lò Văn Piếng"
    assert result.rows[0].values["village"] == 1


def test_headers_are_matched_whatever_their_case_spaces_or_unicode_form():
    headers = [f"  {unicodedata.normalize('NFD', h.upper())} " for h in HEADERS]
    headers[0] = "Họ  tên chủ hộ *"
    result = read(xlsx([headers, household()]))
    assert result.ok, messages(result)


def test_the_header_row_is_found_below_a_title_row():
    result = read(xlsx([["DANH SÁCH HỘ ĐĂNG KÝ NĂM 2024"], [], HEADERS, household()]))
    assert result.ok
    assert result.rows[0].number == 4


def test_a_missing_column_is_named():
    result = read(xlsx([HEADERS[1:], household()[1:]]))
    assert result.refused
    assert messages(result) == [
        "Thiếu cột “Họ tên chủ hộ”: dòng tên cột (dòng 1) phải có một cột mang tên này, "
        "như trong mẫu."
    ]
    assert result.problems[0].column_header == "Họ tên chủ hộ"
    assert result.problems[0].row == 1


def test_a_renamed_column_is_reported_as_unknown_and_missing():
    headers = ["Tên chủ hộ", *HEADERS[1:]]
    result = read(xlsx([headers, household()]))
    assert result.refused
    assert messages(result)[0].startswith("Cột lạ “Tên chủ hộ” (cột A của dòng 1)")
    assert messages(result)[1].startswith("Thiếu cột “Họ tên chủ hộ”")


def test_a_column_given_twice_is_reported():
    result = read(xlsx([[*HEADERS, "Năm sinh"], [*household(), 1980]]))
    assert messages(result) == [
        "Cột “Năm sinh” xuất hiện hai lần (cột B và cột I): chỉ giữ một cột."
    ]


def test_a_sheet_with_no_recognisable_header_lists_the_expected_ones():
    result = read(xlsx([["a", "b"], [1, 2]]))
    assert result.refused
    assert "Không tìm thấy dòng tên cột" in messages(result)[0]
    assert "“Họ tên chủ hộ”" in messages(result)[0]


def test_a_workbook_with_an_empty_sheet_is_refused_clearly():
    result = read(save(Workbook()))
    assert result.refused
    assert messages(result)[0].startswith("Trang tính “Sheet” trống.")


def test_headers_without_rows_are_refused_clearly():
    result = read(xlsx([HEADERS]))
    assert result.refused
    assert messages(result) == [
        "Trang tính “Trang 1” có tên cột nhưng không có dòng dữ liệu nào bên dưới (dòng 1)."
    ]


def test_nfd_text_and_stray_spaces_are_normalised_not_rejected():
    name = unicodedata.normalize("NFD", "  Lò   Văn\u00a0Piếng ")
    village = unicodedata.normalize("NFD", " thôn  đồi cao")
    result = read(xlsx([HEADERS, household(head_name=name, village=village)]))
    assert result.ok
    assert result.rows[0].values["head_name"] == "Lò Văn Piếng"
    assert unicodedata.is_normalized("NFC", result.rows[0].values["head_name"])
    assert result.rows[0].values["village"] == 3


def test_each_bad_cell_is_reported_with_its_row_number_and_column_header():
    rows = [
        HEADERS,
        household(),
        household(head_name=None, birth_year="19x5"),
        household(village="Bản Xa", score="abc", members=0),
    ]
    result = read(xlsx(rows))
    assert not result.refused
    assert [row.ok for row in result.rows] == [True, False, False]
    assert [(p.row, p.column_header) for p in result.problems] == [
        (3, "Họ tên chủ hộ"),
        (3, "Năm sinh"),
        (4, "Thôn, bản"),
        (4, "Số nhân khẩu"),
        (4, "Điểm"),
    ]
    assert messages(result)[0] == "Dòng 3, cột “Họ tên chủ hộ” (A): ô này bắt buộc: hãy điền vào."
    assert result.problems[0].detail == "ô này bắt buộc: hãy điền vào."
    assert result.problems[1].message.startswith("Dòng 3, cột “Năm sinh” (B): “19x5”")
    assert len(result.valid_rows) == 1 and len(result.invalid_rows) == 2


def test_problems_name_the_column_as_the_file_spells_it():
    headers = [h.upper() for h in HEADERS]
    result = read(xlsx([headers, household(birth_year="x")]))
    assert result.problems[0].column_header == "NĂM SINH"


def test_duplicate_rows_inside_the_file_are_reported_with_both_row_numbers():
    rows = [
        HEADERS,
        household(),
        household(head_name="Quàng Thị Xuân"),
        household(head_name="lò  văn PIẾNG", village="bản mới", members=7),
    ]
    result = read(xlsx(rows), unique_by=UNIQUE)
    assert [row.ok for row in result.rows] == [True, True, False]
    assert messages(result) == [
        "Dòng 4 trùng với dòng 2 (cùng “Họ tên chủ hộ”, “Năm sinh”, “Thôn, bản”): "
        "chỉ giữ một trong hai dòng."
    ]


def test_a_formula_with_a_cached_value_is_read_as_that_value_and_one_without_as_empty():
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(household(members="=2+3"))  # openpyxl stores no cached value
    sheet.append(household(head_name='="Lò Văn "&"Piếng"', birth_year=1980))
    result = read(save(book))
    assert result.rows[0].values["members"] is None  # optional: counts as empty
    assert result.rows[1].values["head_name"] is None
    assert messages(result) == ["Dòng 3, cột “Họ tên chủ hộ” (A): ô này bắt buộc: hãy điền vào."]


def test_a_formula_error_value_is_a_cell_problem():
    data = xlsx([HEADERS, household()])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    sheet_xml = sheet_xml.replace(
        '<c r="E2" t="n"><v>5</v></c>', '<c r="E2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    )
    assert "#DIV/0!" in sheet_xml
    result = read(rezip(data, replace={"xl/worksheets/sheet1.xml": sheet_xml.encode()}))
    assert messages(result) == [
        "Dòng 2, cột “Số nhân khẩu” (E): ô hiện lỗi Excel #DIV/0!: hãy sửa hoặc gõ giá trị."
    ]


def test_too_many_rows_are_refused_with_the_cap():
    rows = [HEADERS, *[household(head_name=f"Người {i}") for i in range(12)]]
    result = read(xlsx(rows), max_rows=10)
    assert result.refused and result.rows == []
    assert messages(result) == [
        "Trang tính “Trang 1” có hơn 10 dòng dữ liệu: hãy chia thành các tệp, mỗi tệp tối đa "
        "10 dòng."
    ]
    assert read(xlsx(rows[:11]), max_rows=10).ok


def test_a_declared_dimension_that_lies_does_not_hide_rows():
    data = xlsx([HEADERS, household(), household(head_name="Quàng Thị Xuân")])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    sheet_xml = re.sub(r'<dimension ref="[^"]+"\s*/>', '<dimension ref="A1:H2"/>', sheet_xml)
    result = read(rezip(data, replace={"xl/worksheets/sheet1.xml": sheet_xml.encode()}))
    assert len(result.rows) == 2


def test_the_template_of_another_kind_is_refused_by_its_hidden_marker():
    data = filled_template(CLANS, [["Lò", "Lò Văn Piếng"]])
    result = read(data)
    assert result.refused
    assert messages(result) == [
        "Tệp này được lập cho “Dòng họ”, không phải cho “Hộ gia đình”. Hãy tải mẫu cho "
        "“Hộ gia đình” ở trang này và chép các dòng của bạn vào đó."
    ]


def test_the_data_sheet_is_found_by_title_even_when_it_is_not_first():
    book = Workbook()
    book.active.title = "Ghi chú"
    book.active.append(["ghi chú của cán bộ"])
    sheet = book.create_sheet("Hộ gia đình")
    sheet.append(HEADERS)
    sheet.append(household())
    result = read(save(book))
    assert result.ok and result.sheet == "Hộ gia đình"


def test_open_sheet_streams_rows_and_can_be_read_twice():
    rows = [HEADERS, *[household(head_name=f"Người {i}") for i in range(30)]]
    sheet = open_sheet(xlsx(rows), HOUSEHOLDS, choices_context="Mường Phăng")
    stream = sheet.rows()
    assert next(stream).values["head_name"] == "Người 0"
    stream.close()
    assert len(list(sheet.rows())) == 30
    assert sheet.row_count == 30
    assert sheet.headers["head_name"] == "Họ tên chủ hộ"


def test_open_sheet_refuses_too_many_rows_mid_stream_for_an_atomic_import():
    rows = [HEADERS, *[household(head_name=f"Người {i}") for i in range(5)]]
    sheet = open_sheet(xlsx(rows), HOUSEHOLDS, choices_context="Mường Phăng", max_rows=3)
    seen = []
    with pytest.raises(SheetError):
        for row in sheet.rows():
            seen.append(row.number)
    assert seen == [2, 3, 4]


def test_the_uploaded_file_may_be_a_django_upload_or_a_path(tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = xlsx([HEADERS, household()])
    upload = SimpleUploadedFile("ho.xlsx", data)
    assert read(upload).ok
    path = tmp_path / "ho.xlsx"
    path.write_bytes(data)
    assert read(path).ok
    assert read(str(path)).ok


def test_a_template_made_in_vietnamese_is_read_by_an_officer_using_english():
    spec = SheetSpec("Notes", "test-notes", [Column("note", gettext_lazy("Notes"), required=True)])
    # Vietnamese is active: the header reads "Ghi chú".
    book = load_workbook(io.BytesIO(build_template(spec)))
    assert book.worksheets[0]["A1"].value == "Ghi chú"
    book.worksheets[0].append(["Nhà văn hoá bản"])
    with translation.override("en"):
        result = read_rows(save(book), spec)
    assert result.ok, result.problems
    assert result.rows[0].values == {"note": "Nhà văn hoá bản"}
