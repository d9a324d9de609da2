"""The data rows of a worksheet read straight from its XML: one streaming expat pass.

openpyxl's read-only worksheet builds an element tree (through defusedxml's pure-Python
parser) and a cell object for every cell: about half a millisecond a row, the largest part of
an import's time. The rows are read here from the same part of the same package instead, with
the values openpyxl gives them: the workbook openpyxl opened (`open_workbook`) supplies the
shared strings, which styles are dates or durations, the date epoch and where the worksheet
lies. A cell's value follows openpyxl's read-only worksheet (data only): numbers as int or
float, dates by their style, shared and inline strings (phonetic runs left out), booleans,
errors kept as their text and flagged; rows and cells without a number take the next one;
a row numbered at or below an earlier one is skipped.

Hostile content: the package was checked before (no document type declaration in any part,
sizes bounded: `package.py`); this parser refuses a document type or entity declaration
anyway, never reads an external entity, and is fed from zipfile, which never inflates a part
past its declared size. The caller stops reading past the row cap (`Sheet.rows`).
"""

from xml.parsers import expat

from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW, _C, _V, _IS, _T, _R = (f"{_MAIN} {tag}" for tag in ("row", "c", "v", "is", "t", "r"))
FEED_BYTES = 256 * 1024
ERROR_VALUE = "#VALUE!"


# Column numbers by the letters of a cell reference ("AB7" -> 28), as they are met.
_COLUMNS = {}


def _column(coordinate):
    """The column number of a cell reference, checked as openpyxl checks it the first time
    its letters are met (ValueError, KeyError when they are no column)."""
    letters = coordinate.rstrip("0123456789")
    column = _COLUMNS.get(letters)
    if column is None or len(letters) == len(coordinate):
        column = _COLUMNS[letters] = coordinate_to_tuple(coordinate)[1]
    return column


def _forbidden(*_args):
    raise ValueError("document type and entity declarations are not allowed in a sheet")


def _number(text):
    """A number cell's text as openpyxl reads it: a float if it has a point or an exponent."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _row_number(text):
    try:
        return int(text)
    except ValueError:
        value = float(text)
        if not value.is_integer():
            raise ValueError(f"{text} is not a valid row number") from None
        return int(value)


def _value(kind, style, text, inline, book, strings):
    """A cell's value as openpyxl's read-only worksheet gives it (data only), and its type."""
    value = text or None
    if value is not None:
        if kind == "n":
            value = _number(value)
            if style in book._date_formats:
                try:
                    duration = style in book._timedelta_formats
                    value = from_excel(value, book.epoch, timedelta=duration)
                except (OverflowError, ValueError):
                    kind, value = "e", ERROR_VALUE
        elif kind == "s":
            value = strings[int(value)]
        elif kind == "b":
            value = bool(int(value))
        elif kind == "d":
            value = from_ISO8601(value)
    elif kind == "inlineStr" and inline is not None:
        value = "".join([inline[0] or "", *inline[1]])
    return kind, value


def _handlers(book, strings, width, first_row, done):
    """expat's handlers, as closures (the quickest calls Python makes): each finished row is
    appended to `done` as (number, values, error columns)."""
    # The row and the cell being read; `text` collects characters (None: not collecting).
    row = column = depth = 0
    next_row = first_row  # rows before it, or numbered below it, are skipped
    values = errors = cell_depth = cell = text = inline = None
    value_text = None
    in_run = False

    def start(name, attrs):
        nonlocal row, column, depth, values, errors, cell_depth, cell, text, inline, value_text
        nonlocal in_run
        depth += 1
        if cell_depth is not None:
            level = depth - cell_depth
            if level == 1:
                if name == _V and value_text is None:
                    text = []
                elif name == _IS and inline is None:
                    inline = [None, []]
            elif inline is not None and name == _T and (level == 2 or in_run):
                text = []
            elif level == 2 and name == _R and inline is not None:
                in_run = True
        elif name == _C:
            coordinate = attrs.get("r")
            column = _column(coordinate) if coordinate else column + 1
            style = attrs.get("s", 0)
            cell = (attrs.get("t", "n"), int(style) if style else style)
            cell_depth, value_text, inline, text = depth, None, None, None
        elif name == _ROW:
            number = attrs.get("r")
            row = _row_number(number) if number else row + 1
            column = 0
            values, errors = [None] * width, set()

    def end(name):
        nonlocal depth, next_row, values, errors, cell_depth, text, value_text, in_run
        depth -= 1
        if cell_depth is None:
            if name == _ROW and values is not None:
                if row >= next_row:
                    next_row = row + 1
                    done.append((row, values, errors))
                values = errors = None
        elif text is not None and name in (_V, _T):
            collected, text = "".join(text), None
            if name == _V:
                value_text = collected
            elif in_run:
                inline[1].append(collected)
            else:
                inline[0] = collected
        elif name == _R and depth == cell_depth + 1:
            in_run = False
        elif name == _C and depth == cell_depth - 1:
            cell_depth = None
            if values is not None and 1 <= column <= width:
                kind, value = _value(cell[0], cell[1], value_text, inline, book, strings)
                values[column - 1] = value
                if kind == "e":
                    errors.add(column - 1)
                else:
                    errors.discard(column - 1)

    def characters(data):
        if text is not None:
            text.append(data)

    return start, end, characters


def sheet_rows(book, title, *, width, first_row):
    """(row number, values, error columns) for each row of the sheet `title` of `book` (an
    openpyxl workbook opened read-only) from `first_row` on: the values of its first `width`
    columns (None where empty), the indexes of those holding an Excel error. Any damage in
    the XML raises (expat.ExpatError, ValueError, IndexError, ...)."""
    sheet = book[title]
    # The shared strings openpyxl read are the worksheet's (the workbook's own list is empty).
    path, strings = sheet._worksheet_path, sheet._shared_strings
    done = []
    start, end, characters = _handlers(book, strings, width, first_row, done)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _forbidden
    parser.EntityDeclHandler = _forbidden
    parser.UnparsedEntityDeclHandler = _forbidden
    parser.ExternalEntityRefHandler = _forbidden
    parser.buffer_text = True
    parser.buffer_size = FEED_BYTES
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    with book._archive.open(path) as part:
        while True:
            data = part.read(FEED_BYTES)
            parser.Parse(data, not data)
            if done:
                yield from done
                done.clear()
            if not data:
                return
