"""Whatever text is exported reads back the same (in NFC, spaces tidied) and is never a formula."""

import csv
import io
import zipfile

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from lib.sheets import (
    Column,
    SheetSpec,
    clean_text,
    iter_csv,
    read_rows,
    unneutralise,
    write_xlsx,
)
from lib.sheets.columns import FORMULA_TRIGGERS

SPEC = SheetSpec("Văn bản", "test-text", [Column("name", "Tên"), Column("note", "Ghi chú")])
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),
    max_size=60,
)
TRIGGERS = tuple(FORMULA_TRIGGERS)


def export(rows):
    output = io.BytesIO()
    write_xlsx(SPEC, rows, output)
    return output.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT, min_size=1, max_size=5))
@example(["=1+1", "'=1", "''", "'", " -2", "\t=cmd", "＝A1", "a\x00b", "Ba\u0309n  mới "])
def test_exported_text_reads_back_identically_and_never_becomes_a_formula(texts):
    rows = [{"name": text, "note": "x"} for text in texts]
    data = export(rows)

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        cell = row[0]
        assert cell.data_type in ("s", "n")
        assert cell.value is None or not str(cell.value).startswith(TRIGGERS)

    result = read_rows(data, SPEC)
    assert not result.problems
    assert [row.values["name"] for row in result.rows] == [clean_text(t) or None for t in texts]

    body = b"".join(iter_csv(SPEC, rows)).decode("utf-8-sig")
    fields = [line[0] for line in csv.reader(io.StringIO(body, newline=""))][1:]
    assert not [f for f in fields if f.startswith(TRIGGERS)]
    assert [clean_text(unneutralise(f)) for f in fields] == [clean_text(t) for t in texts]
