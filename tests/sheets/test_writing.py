"""Exports: same columns as the import, formulas neutralised, streamed."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from lib.sheets import iter_csv, read_rows, stream_csv, stream_xlsx, write_xlsx
from tests.sheets.conftest import CLANS, HEADERS, HOUSEHOLDS, UNIQUE

ROWS = [
    {
        "head_name": "Lò Văn Piếng",
        "birth_year": 1975,
        "village": 1,
        "title": "family",
        "members": 5,
        "score": Decimal("92.5"),
        "registered_on": dt.date(2024, 3, 15),
        "phone": "0912345678",
    },
    {
        "head_name": '=HYPERLINK("http://evil","bấm")',
        "birth_year": None,
        "village": 3,
        "title": None,
        "members": None,
        "score": None,
        "registered_on": None,
        "phone": "+84912345678",
    },
    {
        "head_name": "@SUM(1+1)*cmd|' /C calc'!A0",
        "birth_year": 1990,
        "village": 2,
        "title": "clan",
        "members": 1,
        "score": Decimal("0"),
        "registered_on": dt.datetime(2024, 12, 15, 8, 30),
        "phone": "-1",
    },
]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def exported(rows=ROWS, spec=HOUSEHOLDS):
    output = io.BytesIO()
    write_xlsx(spec, rows, output, choices_context="Mường Phăng")
    return output.getvalue()


def test_export_then_import_gives_back_the_same_values():
    result = read_rows(exported(), HOUSEHOLDS, choices_context="Mường Phăng", unique_by=UNIQUE)
    assert result.ok, result.problems
    back = [row.values for row in result.rows]
    expected = [dict(row) for row in ROWS]
    expected[2]["registered_on"] = dt.date(2024, 12, 15)
    assert back == expected


def test_the_export_has_the_import_headers_choice_labels_and_real_dates():
    book = load_workbook(io.BytesIO(exported()))
    sheet = book.worksheets[0]
    assert sheet.title == "Hộ gia đình"
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet["C2"].value == "Bản Mới" and sheet["D2"].value == "Gia đình học tập"
    assert sheet["G2"].value == dt.datetime(2024, 3, 15)
    assert sheet["G2"].number_format == "DD/MM/YYYY"
    assert sheet["F2"].value == 92.5
    assert book["_meta"].sheet_state == "veryHidden"


def test_xlsx_export_neutralises_every_text_that_could_be_a_formula():
    data = exported()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    texts = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in texts)
    assert not [c.value for c in texts if c.value.startswith(DANGEROUS)]
    assert sheet["A3"].value == '\'=HYPERLINK("http://evil","bấm")'
    assert sheet["H3"].value == "'+84912345678"
    assert sheet["A4"].value.startswith("'@SUM")
    assert sheet["H4"].value == "'-1"


def test_csv_export_is_utf8_with_a_bom_and_neutralised():
    data = b"".join(iter_csv(HOUSEHOLDS, ROWS, choices_context="Mường Phăng"))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    assert rows[1] == [
        "Lò Văn Piếng", "1975", "Bản Mới", "Gia đình học tập", "5", "92.5", "15/03/2024",
        "0912345678",
    ]  # fmt: skip
    assert rows[2][0] == '\'=HYPERLINK("http://evil","bấm")'
    assert rows[2][7] == "'+84912345678"
    assert rows[3][0].startswith("'@SUM") and rows[3][7] == "'-1"
    assert rows[3][6] == "15/12/2024"
    assert not [v for row in rows for v in row if v.startswith(DANGEROUS)]


def test_csv_is_produced_while_it_is_sent_not_before():
    pulled = []

    def rows():
        for i in range(1200):
            pulled.append(i)
            yield {"surname": f"Lò {i}", "representative": "Ông Piếng"}

    response = stream_csv(CLANS, rows(), "dòng họ.csv")
    assert pulled == []
    chunks = iter(response.streaming_content)
    next(chunks)  # BOM and header
    next(chunks)
    assert len(pulled) == 500
    rest = b"".join(chunks)
    assert len(pulled) == 1200
    assert rest.endswith("Lò 1199,Ông Piếng\r\n".encode())
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''d%C3%B2ng%20h%E1%BB%8D.csv" in response["Content-Disposition"]


# Closing a response sends request_finished, which checks the database connections.
@pytest.mark.django_db
def test_stream_xlsx_sends_a_temporary_file_in_chunks_and_closes_it():
    response = stream_xlsx(
        HOUSEHOLDS, iter(ROWS), "hộ gia đình.xlsx", choices_context="Mường Phăng"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)
    result = read_rows(body, HOUSEHOLDS, choices_context="Mường Phăng")
    assert len(result.rows) == 3 and result.ok
    spool = response.file_to_stream
    response.close()
    assert spool.closed


def test_rows_may_be_sequences_in_column_order_but_must_have_every_column():
    data = exported([["Lò", "Lò Văn Piếng"]], spec=CLANS)
    assert read_rows(data, CLANS).rows[0].values == {
        "surname": "Lò",
        "representative": "Lò Văn Piếng",
    }
    with pytest.raises(ValueError):
        exported([["Lò"]], spec=CLANS)


def test_an_export_is_refused_by_the_importer_of_another_kind():
    result = read_rows(exported(), CLANS)
    assert result.refused
    assert "được lập cho “Hộ gia đình”" in result.problems[0].message


def test_an_unknown_choice_value_is_written_as_is():
    data = exported([{"head_name": "A", "village": 99}])
    assert load_workbook(io.BytesIO(data)).worksheets[0]["C2"].value == "99"


def test_a_moment_is_written_in_local_time_and_as_a_date_in_date_columns():
    moment = dt.datetime(2024, 12, 14, 20, 30, tzinfo=dt.UTC)  # 03:30 on the 15th in Hà Nội
    data = exported([{"head_name": "A", "village": 1, "registered_on": moment, "phone": moment}])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["G2"].value == dt.datetime(2024, 12, 15)
    assert sheet["H2"].value == "15/12/2024 03:30"
