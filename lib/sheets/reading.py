"""Reading an uploaded .xlsx against a `SheetSpec`: safely, in streaming mode, with clear problems.

Two ways in:
- `read_rows(file, spec, ...)` reads everything and returns a `ReadResult` (rows and problems);
  it never raises for a bad file. For previews and files of ordinary size.
- `open_sheet(file, spec, ...)` checks the file and its headers (raising `SheetError`) and
  returns a `Sheet` whose `rows()` streams `ParsedRow`s with flat memory; each call re-reads the
  file, so a preview pass and an import pass can both stream. `rows()` raises `SheetError` if
  the row cap is passed or the sheet has no data, after the rows before it were yielded: an
  import that writes as it goes must run inside a transaction (all or nothing).

The checks on the file itself are in `package.py`; openpyxl opens the workbook (its sheets,
styles and shared strings, the headers), the data rows are read by one expat pass over the
sheet's XML (`sheet_xml.py`).
"""

import contextlib
import hashlib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .columns import (
    INSTRUCTIONS_TITLE,
    LISTS_SHEET,
    META_MARKER,
    META_SHEET,
    Kind,
    clean_text,
    match_key,
    sheet_title,
    text_variants,
)
from .package import MAX_UNCOMPRESSED_BYTES, Source, check_package, check_size, open_workbook
from .parsing import CellError, ChoiceList, as_text, parse_cell
from .problems import Problem, SheetError, refuse
from .sheet_xml import sheet_rows

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 50_000
HEADER_SCAN_ROWS = 20
MAX_COLUMNS = 200
# Empty rows tolerated below the last row a file may fill (header row + max_rows): rows Excel
# wrote because they were formatted. Reading stops there; a sheet going on is refused.
BLANK_ROWS_ALLOWED = 1_000

# What a workbook of `max_rows` full rows of a spec can hold once unpacked (`content_limit`):
# every cell at its longest (text at its max_length, else 255 characters, 3 bytes each in
# UTF-8), the XML around each cell and row, and the rest of the workbook (styles, the
# instructions and lists sheets) within a fixed allowance.
WORKBOOK_ALLOWANCE_BYTES = 8 * 1024 * 1024
ROW_XML_BYTES = 64
CELL_XML_BYTES = 64
TEXT_CELL_CHARS = 255
BYTES_PER_CHAR = 3
VALUE_CELL_BYTES = 32


def content_limit(spec, max_rows):
    """The most bytes (unpacked) a workbook of `max_rows` rows of `spec` can hold."""
    row = ROW_XML_BYTES
    for column in spec.columns:
        if column.kind in (Kind.TEXT, Kind.CHOICE):
            content = (column.max_length or TEXT_CELL_CHARS) * BYTES_PER_CHAR
        else:
            content = VALUE_CELL_BYTES
        row += CELL_XML_BYTES + content
    return WORKBOOK_ALLOWANCE_BYTES + max_rows * row


@dataclass
class ParsedRow:
    """One non-blank data row: its number in Excel, the parsed values by column key, problems."""

    number: int
    values: dict
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


@dataclass
class ReadResult:
    """Everything read from a file: its rows (each with its own problems) and all problems."""

    sheet: str
    rows: list
    problems: list
    refused: bool = False

    @property
    def ok(self):
        return not self.problems

    @property
    def valid_rows(self):
        return [row for row in self.rows if row.ok]

    @property
    def invalid_rows(self):
        return [row for row in self.rows if not row.ok]


def _kind_marker(book):
    """(kind_code, name) written by our template builder or exporter, or (None, None)."""
    if META_SHEET not in book.sheetnames:
        return None, None
    values = {}
    for row in book[META_SHEET].iter_rows(min_row=1, max_row=10, max_col=2, values_only=True):
        if row and row[0] is not None:
            values[str(row[0])] = "" if row[1] is None else str(row[1])
    if META_MARKER not in values:
        return None, None
    return values[META_MARKER], values.get("name", "")


def _check_kind(book, spec):
    code, name = _kind_marker(book)
    if code is not None and code != spec.kind_code:
        refuse(
            _(
                "This file was made for “%(other)s”, not for “%(this)s”. Download the "
                "template for “%(this)s” from this page and copy your rows into it."
            )
            % {"other": name or code, "this": clean_text(spec.name)}
        )


def _data_sheet(book, spec):
    """The sheet holding the rows: the one titled like the spec, else the first visible one."""
    wanted = text_variants(spec.name, sheet_title)
    skipped = {match_key(META_SHEET), match_key(LISTS_SHEET)}
    skipped |= text_variants(INSTRUCTIONS_TITLE, sheet_title)
    candidates = [
        ws
        for ws in book.worksheets
        if getattr(ws, "sheet_state", "visible") == "visible"
        and hasattr(ws, "iter_rows")
        and match_key(ws.title) not in skipped
    ]
    for ws in candidates:
        if match_key(ws.title) in wanted:
            return ws
    if not candidates:
        refuse(_("The workbook has no sheet with rows. Fill in the template from this page."))
    return candidates[0]


@dataclass(frozen=True)
class _Place:
    index: int
    column: object
    header: str
    letter: str


def _find_header_row(ws, spec):
    known = {key: column for column in spec.columns for key in text_variants(column.header)}
    best_number, best_cells, best_score, anything = None, None, 0, False
    rows = ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, max_col=MAX_COLUMNS, values_only=True)
    for number, values in enumerate(rows, start=1):
        texts = [as_text(value) for value in values]
        anything = anything or any(texts)
        score = sum(1 for text in texts if _header_key(text) in known)
        if score > best_score:
            best_number, best_cells, best_score = number, texts, score
    if best_number is None:
        expected = ", ".join(f"“{c.header_text}”" for c in spec.columns)
        if not anything:
            refuse(
                _(
                    "The sheet “%(sheet)s” is empty. Put the column names in the first row "
                    "(%(headers)s) and one row of data per line below them."
                )
                % {"sheet": ws.title, "headers": expected},
                ws.title,
            )
        refuse(
            _(
                "No row of column names found in the first %(rows)d rows of the sheet "
                "“%(sheet)s”. The first row must hold the template's column names: %(headers)s."
            )
            % {"rows": HEADER_SCAN_ROWS, "sheet": ws.title, "headers": expected},
            ws.title,
        )
    return best_number, best_cells, known


def _header_key(text):
    # A trailing "*" marks a required column in some people's copies: ignore it.
    return match_key(text.rstrip("* ").rstrip())


def _match_headers(ws, spec, header_number, texts, known):
    places, found, problems = [], {}, []
    for index, text in enumerate(texts):
        if not text:
            continue
        letter = get_column_letter(index + 1)
        column = known.get(_header_key(text))
        if column is None:
            message = _(
                "Unknown column “%(column)s” (column %(letter)s of row %(row)d): the template "
                "has no column with this name. Give it the name of a template column, or delete it."
            ) % {"column": text, "letter": letter, "row": header_number}
            problems.append(Problem(ws.title, header_number, text, message, message))
        elif column.key in found:
            message = _(
                "The column “%(column)s” appears twice (columns %(first)s and %(second)s): "
                "keep only one."
            ) % {"column": text, "first": found[column.key].letter, "second": letter}
            problems.append(Problem(ws.title, header_number, text, message, message))
        else:
            found[column.key] = _Place(index, column, text, letter)
            places.append(found[column.key])
    for column in spec.columns:
        if column.key not in found:
            message = _(
                "Missing column “%(column)s”: the row of column names (row %(row)d) must have "
                "a column with this name, as in the template."
            ) % {"column": column.header_text, "row": header_number}
            problems.append(Problem(ws.title, header_number, column.header_text, message, message))
    if problems:
        raise SheetError(problems)
    return places


class Sheet:
    """A checked upload whose headers match the spec; `rows()` streams its data rows."""

    def __init__(self, source, spec, title, header_row, places, max_rows, choices):
        self.spec = spec
        self.title = title
        self.header_row = header_row
        self.headers = {place.column.key: place.header for place in places}
        self._source = source
        self._places = places
        self._max_rows = max_rows
        self._choices = choices
        self.row_count = None

    def rows(self, unique_by=(), same=match_key) -> Iterator[ParsedRow]:
        """Each non-blank data row in order, parsed, with its problems (cells, duplicates).

        A row without cell problems whose `unique_by` columns hold the same values as an
        earlier such row is a duplicate; texts are compared through `same` (by default
        without case, spaces or Unicode form; the import passes one that ignores accents too).
        """
        unique_by = tuple(unique_by)
        for key in unique_by:
            self.spec.column(key)
        width = max(place.index for place in self._places) + 1
        # Reading stops here whatever follows: an endless sheet (formatted empty rows included)
        # must not be read to its end.
        last_row = self.header_row + self._max_rows + BLANK_ROWS_ALLOWED
        seen = {}
        count = 0
        with (
            open_workbook(self._source) as book,
            contextlib.closing(
                sheet_rows(book, self.title, width=width, first_row=self.header_row + 1)
            ) as rows,
        ):
            number = self.header_row
            while True:
                try:
                    number, values, errors = next(rows)
                except StopIteration:
                    break
                except Exception:  # damaged sheet XML found mid-way: refuse the whole file
                    refuse(
                        _(
                            "The sheet “%(sheet)s” is damaged near row %(row)d. Open the file "
                            "in Excel, save it again as .xlsx and upload it again."
                        )
                        % {"sheet": self.title, "row": number + 1},
                        self.title,
                    )
                if number > last_row:
                    refuse(
                        _(
                            "The sheet “%(sheet)s” goes on below row %(row)s, even if those "
                            "rows look empty. A file holds at most %(max)s rows of data: delete "
                            "the rows below your data, or split the rows into several files."
                        )
                        % {
                            "sheet": self.title,
                            "row": f"{last_row:,}".replace(",", "."),
                            "max": f"{self._max_rows:,}".replace(",", "."),
                        },
                        self.title,
                    )
                row = self._parse(number, values, errors)
                if row is None:
                    continue
                count += 1
                if count > self._max_rows:
                    refuse(
                        _(
                            "The sheet “%(sheet)s” has more than %(max)s rows of data; split "
                            "them into files of at most %(max)s rows."
                        )
                        % {"sheet": self.title, "max": f"{self._max_rows:,}".replace(",", ".")},
                        self.title,
                    )
                if unique_by and not row.problems:
                    self._check_duplicate(row, unique_by, seen, same)
                yield row
        self.row_count = count
        if count == 0:
            refuse(
                _(
                    "The sheet “%(sheet)s” has the column names but no rows of data below them "
                    "(row %(row)d)."
                )
                % {"sheet": self.title, "row": self.header_row},
                self.title,
            )

    def _parse(self, number, cells, errors):
        picked = [cells[place.index] for place in self._places]
        # Each text is cleaned once here; parse_cell knows it is clean.
        raws = [as_text(value) if isinstance(value, str) else value for value in picked]
        if all(raw is None or raw == "" for raw in raws):
            return None
        values, problems = dict.fromkeys(self.spec.keys), []
        for place, raw in zip(self._places, raws, strict=True):
            column = place.column
            if (raw is None or raw == "") and not column.required and place.index not in errors:
                continue  # empty, and it may be: None (what parse_cell says of it)
            try:
                if place.index in errors:
                    raise CellError(
                        _("the cell shows the Excel error %(error)s: correct it or type the value.")
                        % {"error": raw}
                    )
                values[column.key] = parse_cell(column, raw, self._choices.get(column.key))
            except CellError as error:
                problems.append(self._cell_problem(number, place, error.detail))
        return ParsedRow(number=number, values=values, problems=problems)

    def _cell_problem(self, number, place, detail):
        message = _("Row %(row)d, column “%(column)s” (%(letter)s): %(detail)s") % {
            "row": number,
            "column": place.header,
            "letter": place.letter,
            "detail": detail,
        }
        return Problem(self.title, number, place.header, message, detail)

    def _check_duplicate(self, row, unique_by, seen, same):
        key = tuple(
            same(value) if isinstance(value, str) else value
            for value in (row.values.get(k) for k in unique_by)
        )
        # A short digest instead of the key itself, kept as a number (40 bytes, 48 as bytes):
        # memory stays small over 50,000 rows.
        digest = int.from_bytes(hashlib.blake2b(repr(key).encode(), digest_size=12).digest())
        first = seen.setdefault(digest, row.number)
        if first == row.number:
            return
        columns = ", ".join(f"“{self.headers[k]}”" for k in unique_by if k in self.headers)
        detail = _("this row repeats row %(first)d (same %(columns)s): keep only one of them.") % {
            "first": first,
            "columns": columns,
        }
        message = _(
            "Row %(row)d repeats row %(first)d (same %(columns)s): keep only one of them."
        ) % {
            "row": row.number,
            "first": first,
            "columns": columns,
        }
        row.problems.append(Problem(self.title, row.number, None, message, detail))


def open_sheet(
    uploaded_file,
    spec,
    *,
    max_bytes=DEFAULT_MAX_BYTES,
    max_rows=DEFAULT_MAX_ROWS,
    max_uncompressed=MAX_UNCOMPRESSED_BYTES,
    choices_context=None,
):
    """Check the upload (content, size, bomb, kind, headers) and return a streaming `Sheet`.

    Raises `SheetError` with the problems when the file as a whole cannot be used.
    """
    source = Source(uploaded_file)
    check_size(source, max_bytes)
    with source.open() as handle:
        check_package(handle, max_uncompressed, content_limit(spec, max_rows))
    with open_workbook(source) as book, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _check_kind(book, spec)
        ws = _data_sheet(book, spec)
        ws.reset_dimensions()
        header_row, texts, known = _find_header_row(ws, spec)
        places = _match_headers(ws, spec, header_row, texts, known)
        title = ws.title
    choices = {
        column.key: ChoiceList(column.resolve_choices(choices_context))
        for column in spec.columns
        if column.choices is not None
    }
    return Sheet(source, spec, title, header_row, places, max_rows, choices)


def read_rows(
    uploaded_file,
    spec,
    *,
    max_bytes=DEFAULT_MAX_BYTES,
    max_rows=DEFAULT_MAX_ROWS,
    unique_by=(),
    choices_context=None,
    max_uncompressed=MAX_UNCOMPRESSED_BYTES,
):
    """Read the whole upload: every parsed row and every problem. Never raises for a bad file.

    When the file as a whole is refused, `rows` is empty, `refused` is True and `problems` says
    why.
    """
    sheet_name = ""
    try:
        sheet = open_sheet(
            uploaded_file,
            spec,
            max_bytes=max_bytes,
            max_rows=max_rows,
            max_uncompressed=max_uncompressed,
            choices_context=choices_context,
        )
        sheet_name = sheet.title
        rows = list(sheet.rows(unique_by=unique_by))
    except SheetError as error:
        return ReadResult(sheet=sheet_name, rows=[], problems=error.problems, refused=True)
    problems = [problem for row in rows for problem in row.problems]
    return ReadResult(sheet=sheet_name, rows=rows, problems=problems)
