"""The import's own pass over a worksheet's XML gives the values openpyxl's read-only
worksheet gives, on what Excel writes and openpyxl does not (shared strings, rich text with
phonetic runs, dates by style, errors, rows and cells without numbers), and refuses a
document type declaration by itself."""

import datetime
import io
import zipfile
from types import SimpleNamespace

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import WINDOWS_EPOCH

from lib.sheets.package import Source, open_workbook
from lib.sheets.sheet_xml import sheet_rows
from tests.sheets.conftest import rezip, save

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

SHARED = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{MAIN}" count="4" uniqueCount="4">
<si><t>Lò Văn Piếng</t></si>
<si><r><rPr><b/></rPr><t xml:space="preserve">Bản </t></r><r><t>Mới</t></r>\
<rPh sb="0" eb="1"><t>ignored</t></rPh></si>
<si><t>x005F_x000D_ &amp; &lt;tag&gt;</t></si>
<si><t/></si>
</sst>""".encode()

SHEET = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN}"><dimension ref="A1:B2"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1"><v>12</v></c>\
<c r="D1"><v>7.5</v></c><c r="E1" s="1"><v>45000</v></c><c r="F1" t="b"><v>1</v></c>\
<c r="G1" t="e"><v>#N/A</v></c><c r="H1" t="str"><f>A1</f><v>cached</v></c></row>
<row r="3"><c t="s"><v>2</v></c><c><v>1E3</v></c><c r="E3" t="inlineStr"><is><t>một</t></is></c>\
<c r="F3" t="inlineStr"><is><r><t>hai </t></r><r><t>ba</t></r></is></c><c r="G3"><f>1+1</f></c>\
<c r="H3" t="s"><v>3</v></c><c r="Z3"><v>99</v></c></row>
<row><c r="A4" t="d"><v>2024-12-15T00:00:00</v></c><c r="B4"><v></v></c></row>
<row r="2"><c r="A2"><v>5</v></c></row>
<row r="6" spans="1:2" ht="20" customHeight="1"/>
</sheetData></worksheet>""".encode()


def workbook():
    """A workbook whose first sheet is SHEET, its shared strings SHARED, style 1 a date."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Trang 1"
    sheet["A1"] = "a text, so that the workbook has its shared strings part"
    sheet["B1"] = datetime.date(2024, 1, 1)  # makes cellXfs[1] a date style
    return rezip(
        with_shared_strings(save(book)),
        replace={"xl/worksheets/sheet1.xml": SHEET},
        add={"xl/sharedStrings.xml": SHARED},
    )


def with_shared_strings(data):
    """Declare a shared strings part (content type and relationship), as Excel does."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    return rezip(
        data,
        replace={
            "[Content_Types].xml": types.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
        },
    )


def openpyxl_rows(book, width):
    ws = book["Trang 1"]
    ws.reset_dimensions()
    rows = {}
    for number, cells in enumerate(ws.iter_rows(min_row=1, max_col=width), start=1):
        values = [cell.value for cell in cells]
        errors = {i for i, cell in enumerate(cells) if cell.data_type == "e"}
        if any(value is not None for value in values) or errors:
            rows[number] = (values, errors)
    return rows


def test_the_rows_are_those_openpyxl_reads():
    source = Source(workbook())
    with open_workbook(source) as book:
        expected = openpyxl_rows(book, 8)
    with open_workbook(source) as book:
        read = {
            number: (values, errors)
            for number, values, errors in sheet_rows(book, "Trang 1", width=8, first_row=1)
            if any(value is not None for value in values) or errors
        }
    assert read == expected
    assert read[1][0][:6] == [
        "Lò Văn Piếng", "Bản Mới", 12, 7.5, datetime.datetime(2023, 3, 15), True,
    ]  # fmt: skip
    assert read[1][0][6:] == ["#N/A", "cached"] and read[1][1] == {6}
    assert read[3][0] == ["x000D_ & <tag>", 1000.0, None, None, "một", "hai ba", None, ""]
    assert read[4][0][0] == datetime.datetime(2024, 12, 15)
    assert 2 not in read  # numbered below a row read before it: openpyxl skips it too


def test_rows_start_at_the_row_asked_for():
    source = Source(workbook())
    with open_workbook(source) as book:
        numbers = [n for n, _v, _e in sheet_rows(book, "Trang 1", width=2, first_row=3)]
    assert numbers == [3, 4, 6]


class HostileBook:
    """What sheet_rows reads of an openpyxl workbook, around a worksheet part that openpyxl
    (through defusedxml) and the package check would have refused before."""

    epoch = WINDOWS_EPOCH
    _date_formats = _timedelta_formats = frozenset()

    def __init__(self, xml):
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w") as archive:
            archive.writestr("sheet.xml", xml)
        self._archive = zipfile.ZipFile(output)

    def __getitem__(self, title):
        return SimpleNamespace(_worksheet_path="sheet.xml", _shared_strings=[])


@pytest.mark.parametrize(
    "prolog",
    [
        b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>',
        b'<!DOCTYPE worksheet SYSTEM "http://example.com/x.dtd">',
    ],
)
def test_a_document_type_declaration_is_refused_by_the_parser_itself(prolog):
    plain = f"""<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>12</v></c></row></sheetData>
</worksheet>""".encode()
    assert list(sheet_rows(HostileBook(plain), "Trang 1", width=2, first_row=1)) == [
        (1, [12, None], set())
    ]
    hostile = plain.replace(b"?>\n", b"?>\n" + prolog, 1).replace(b"<v>12</v>", b"<v>&a;</v>")
    with pytest.raises(ValueError):
        list(sheet_rows(HostileBook(hostile), "Trang 1", width=2, first_row=1))
