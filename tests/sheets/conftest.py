"""Specs and file builders for the sheet tests. Every file is built here, none is committed."""

import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from lib.sheets import Column, Kind, SheetSpec, build_template

VILLAGES = [(1, "Bản Mới"), (2, "Bản Cang"), (3, "Thôn Đồi Cao")]
TITLES = [("family", "Gia đình học tập"), ("clan", "Dòng họ học tập")]


def villages_of(commune):
    """A choices callable, as importers give: the villages of the caller's commune."""
    return VILLAGES if commune == "Mường Phăng" else [(9, "Bản Khác")]


HOUSEHOLDS = SheetSpec(
    name="Hộ gia đình",
    kind_code="test-households",
    columns=[
        Column("head_name", "Họ tên chủ hộ", required=True, max_length=60),
        Column("birth_year", "Năm sinh", kind=Kind.YEAR, min_value=1900, max_value=2025),
        Column("village", "Thôn, bản", kind=Kind.CHOICE, required=True, choices=villages_of),
        Column("title", "Danh hiệu", kind=Kind.CHOICE, choices=TITLES),
        Column("members", "Số nhân khẩu", kind=Kind.INT, min_value=1, max_value=30),
        Column("score", "Điểm", kind=Kind.DECIMAL, min_value=0, max_value=100, decimal_places=1),
        Column("registered_on", "Ngày đăng ký", kind=Kind.DATE),
        Column("phone", "Điện thoại", help_text="Không công khai."),
    ],
    instructions=["Mỗi hộ một dòng."],
)

CLANS = SheetSpec(
    name="Dòng họ",
    kind_code="test-clans",
    columns=[
        Column("surname", "Họ", required=True),
        Column("representative", "Người đại diện", required=True),
    ],
)

HEADERS = [str(c.header) for c in HOUSEHOLDS.columns]
UNIQUE = ("head_name", "birth_year", "village")


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def xlsx(rows, *, title="Trang 1", book=None):
    """An .xlsx built with openpyxl: `rows` are lists of cell values, the first the headers."""
    book = book or Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return save(book)


def save(book):
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def household(**overrides):
    """One valid row of HOUSEHOLDS, in header order."""
    values = {
        "head_name": "Lò Văn Piếng",
        "birth_year": 1975,
        "village": "Bản Mới",
        "title": "Gia đình học tập",
        "members": 5,
        "score": 92.5,
        "registered_on": "15/03/2024",
        "phone": "0912345678",
    }
    values.update(overrides)
    return [values[c.key] for c in HOUSEHOLDS.columns]


def filled_template(spec, rows, *, commune="Mường Phăng"):
    """The template downloaded, opened in a spreadsheet program, rows typed in, saved."""
    book = load_workbook(io.BytesIO(build_template(spec, choices_context=commune)))
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(row)
    return save(book)


def rezip(data, *, drop=(), replace=None, add=None, compression=zipfile.ZIP_DEFLATED):
    """The .xlsx `data` with members dropped, replaced or added (hostile files)."""
    replace, add = replace or {}, add or {}
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", compression) as target,
    ):
        for info in source.infolist():
            if info.filename in drop:
                continue
            content = replace.get(info.filename, source.read(info.filename))
            target.writestr(info.filename, content)
        for name, content in add.items():
            target.writestr(name, content)
    return output.getvalue()
