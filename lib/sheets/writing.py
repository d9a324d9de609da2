"""Exports: rows out to .xlsx or CSV with the same columns and headers as the import spec.

`rows` is any iterable of mappings (column key -> value) or of sequences in column order; pass
a lazy one (`queryset.values(...).iterator()`, a generator) and memory stays flat:
- .xlsx: openpyxl's write-only workbook streams rows to a temporary file (openpyxl spools each
  sheet to disk), which the response then sends in chunks and deletes when closed.
- CSV: a generator yields UTF-8 (with a BOM, so Excel reads the Vietnamese right) in chunks of
  rows while the rows are read.

Values are written as the template expects them: choice values as their labels, dates as dates
(dd/mm/yyyy), numbers as numbers, and every text through `neutralise` (an apostrophe in front
of anything a spreadsheet could run as a formula; the reader removes it again). The .xlsx also
gets the hidden kind marker, so an export re-imports where it came from and nowhere else.
"""

import contextlib
import csv
import datetime as dt
import io
import tempfile
from collections.abc import Mapping
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .columns import (
    CELL_TEXT_MAX,
    FORMAT_VERSION,
    META_MARKER,
    META_SHEET,
    Kind,
    clean_text,
    neutralise,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "DD/MM/YYYY"
CSV_CHUNK_ROWS = 500
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")


class _Formatter:
    """Turns a row (mapping or sequence) into the values of its cells, in column order."""

    def __init__(self, spec, choices_context):
        self.spec = spec
        self.labels = {
            column.key: dict(column.resolve_choices(choices_context))
            for column in spec.columns
            if column.kind == Kind.CHOICE
        }

    def values(self, row):
        if isinstance(row, Mapping):
            raw = [row.get(column.key) for column in self.spec.columns]
        else:
            raw = list(row)
            if len(raw) != len(self.spec.columns):
                raise ValueError(
                    f"{self.spec.kind_code}: a row has {len(raw)} values for "
                    f"{len(self.spec.columns)} columns"
                )
        return [
            self.value(column, value) for column, value in zip(self.spec.columns, raw, strict=True)
        ]

    def value(self, column, value):
        """The cell's value: None, str (neutralised), int, Decimal, float or date."""
        if value is None or value == "":
            return None
        if column.kind == Kind.CHOICE:
            value = str(self.labels[column.key].get(value, value))
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, int | Decimal | float) and column.kind != Kind.TEXT:
            return value
        if isinstance(value, dt.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            if column.kind != Kind.DATE:
                return neutralise(value.strftime("%d/%m/%Y %H:%M"))
            value = value.date()
        if isinstance(value, dt.date) and column.kind == Kind.DATE:
            return value
        if isinstance(value, dt.date):
            value = value.strftime("%d/%m/%Y")
        return neutralise(str(value))[:CELL_TEXT_MAX] or None


def headers(spec):
    """The header texts, exactly as the template writes them."""
    return [neutralise(column.header_text) for column in spec.columns]


def write_meta_sheet(book, spec):
    """The hidden sheet carrying the kind marker that `reading` checks."""
    meta = book.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    for key, value in (
        (META_MARKER, spec.kind_code),
        ("name", clean_text(spec.name)),
        ("format", FORMAT_VERSION),
    ):
        meta.append([key, neutralise(value) if isinstance(value, str) else value])
    return meta


def write_xlsx(spec, rows, fileobj, *, choices_context=None):
    """Write `rows` as an .xlsx to the binary file `fileobj`; return the number of rows."""
    formatter = _Formatter(spec, choices_context)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(spec.title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.display_width()
    header_cells = []
    for text in headers(spec):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        header_cells.append(cell)
    sheet.append(header_cells)
    date_positions = [i for i, c in enumerate(spec.columns) if c.kind == Kind.DATE]
    count = 0
    try:
        for row in rows:
            values = formatter.values(row)
            for position in date_positions:
                if values[position] is not None:
                    cell = WriteOnlyCell(sheet, value=values[position])
                    cell.number_format = DATE_FORMAT
                    values[position] = cell
            sheet.append(values)
            count += 1
    except BaseException:
        _discard(book)
        raise
    write_meta_sheet(book, spec)
    book.save(fileobj)
    return count


def _discard(book):
    """Close a write-only workbook abandoned half-way and delete the files openpyxl spooled."""
    for sheet in book.worksheets:
        with contextlib.suppress(Exception):
            sheet.close()
            sheet._writer.cleanup()


def stream_xlsx(spec, rows, filename, *, choices_context=None):
    """A download response of `rows` as .xlsx; memory stays flat for any number of rows."""
    # The response closes (and so deletes) the file once it is sent.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        write_xlsx(spec, rows, spool, choices_context=choices_context)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


class _Line:
    """A file-like sink for csv.writer that keeps what was written until taken."""

    def __init__(self):
        self.buffer = io.StringIO()

    def write(self, text):
        return self.buffer.write(text)

    def take(self):
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text.encode("utf-8")


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def iter_csv(spec, rows, *, choices_context=None, chunk_rows=CSV_CHUNK_ROWS):
    """The CSV as chunks of bytes: BOM and header first, then `chunk_rows` rows at a time."""
    formatter = _Formatter(spec, choices_context)
    sink = _Line()
    writer = csv.writer(sink)
    writer.writerow(headers(spec))
    yield "\ufeff".encode() + sink.take()
    pending = 0
    for row in rows:
        writer.writerow([_csv_value(value) for value in formatter.values(row)])
        pending += 1
        if pending >= chunk_rows:
            yield sink.take()
            pending = 0
    if pending:
        yield sink.take()


def stream_csv(spec, rows, filename, *, choices_context=None):
    """A download response of `rows` as CSV (UTF-8 with BOM), produced while it is sent."""
    response = StreamingHttpResponse(
        iter_csv(spec, rows, choices_context=choices_context), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
