"""The declarative description of a sheet: one spec drives the import, the export and the template.

A `SheetSpec` names the sheet, carries a hidden `kind_code` (written into every template and
export, checked on import so that the clans template is never read as households) and lists its
`Column`s. A column's `header` is the Vietnamese text people see in the file; its `key` is the
name the code uses.

Text rules shared by every direction:
- `clean_text` is the form text is read in: Unicode NFC, runs of spaces (tabs, line breaks,
  no-break spaces) collapsed to one, no zero-width or control characters.
- `neutralise` guards exported text against formula injection: a text that starts (after any
  leading spaces) with `=`, `+`, `-`, `@`, a tab, a line break, their full-width forms, or an
  apostrophe gets one apostrophe in front (`=1+1` is written `'=1+1`). The apostrophe is a real
  character of the cell, in .xlsx as in CSV, so it survives when the file is re-saved as CSV or
  its text is pasted elsewhere. `unneutralise` (applied by the reader) removes exactly that one
  apostrophe, so export -> import gives back the original text.
"""

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# Hidden sheets written by the template builder and the exporter.
META_SHEET = "_meta"
LISTS_SHEET = "_lists"
META_MARKER = "khuyenhoc-sheet"
FORMAT_VERSION = 1
INSTRUCTIONS_TITLE = _("Instructions")

# Excel's limits on sheet titles and cell text.
SHEET_TITLE_MAX = 31
CELL_TEXT_MAX = 32767

DEFAULT_YEAR_RANGE = (1900, 2100)

FORMULA_TRIGGERS = frozenset("=+-@\t\r\n＝＋－＠")
_NEEDS_PREFIX = FORMULA_TRIGGERS | {"'"}
# Characters XML 1.0 (hence .xlsx) cannot hold, plus zero-width ones that only hide differences.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2060\ufeff]")
_ILLEGAL_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    YEAR = "year"
    CHOICE = "choice"
    DATE = "date"


def clean_text(text):
    """`text` as it is read: NFC, single spaces, no invisible characters, no outer spaces."""
    text = unicodedata.normalize("NFC", str(text))
    return " ".join(_INVISIBLE.sub("", text).split())


def match_key(text):
    """The form two texts are compared in (headers, choices, duplicate keys): clean, case-folded."""
    return unicodedata.normalize("NFC", clean_text(text).casefold())


def needs_prefix(text):
    """True when a spreadsheet could read `text` as a formula (or it starts with our escape)."""
    head = _INVISIBLE.sub("", text).lstrip()[:1]
    return bool(text) and (text[0] in _NEEDS_PREFIX or head in _NEEDS_PREFIX)


def neutralise(text):
    """`text` safe to put in a cell: never read as a formula by Excel or LibreOffice."""
    text = _ILLEGAL_IN_XLSX.sub("", str(text))
    return "'" + text if needs_prefix(text) else text


def unneutralise(text):
    """Undo `neutralise`: drop the one apostrophe it adds, and only that one."""
    if text[:1] == "'" and needs_prefix(text[1:]):
        return text[1:]
    return text


def sheet_title(text):
    """`text` made acceptable as an Excel sheet title (no []:*?/\\, at most 31 characters)."""
    title = re.sub(r"[\[\]:*?/\\]", " ", clean_text(text)).strip("' ")
    return title[:SHEET_TITLE_MAX].strip() or "Sheet"


def text_variants(text, shape=str):
    """Match keys of a (possibly lazy) text in every language of the portal.

    A header written by the Vietnamese template is recognised by an officer whose interface is
    in English, and the other way round. `shape` turns the text into what the file holds
    (e.g. `sheet_title` for a sheet's name).
    """
    keys = {match_key(shape(text))}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            keys.add(match_key(shape(str(text))))
    keys.discard("")
    return keys


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    `choices`: allowed values, as labels or `(value, label)` pairs, or a callable taking the
    caller's `choices_context` (e.g. the commune, for its villages) and returning them. The file
    shows the label; reading returns the value. `min_value`/`max_value` may also be callables
    of no argument (e.g. this year). `help_text` goes to the instructions sheet; `width` is the
    column width in characters.
    """

    key: str
    header: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: Callable | Sequence | None = None
    max_length: int | None = None
    min_value: object = None
    max_value: object = None
    decimal_places: int | None = None
    help_text: str = ""
    width: int | None = None

    def __post_init__(self):
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.key):
            raise ValueError(f"column key {self.key!r} must be a lower-case identifier")
        if self.kind not in tuple(Kind):
            raise ValueError(f"column {self.key!r}: unknown kind {self.kind!r}")
        if self.kind == Kind.CHOICE and self.choices is None:
            raise ValueError(f"column {self.key!r}: a choice column needs choices")

    @property
    def header_text(self):
        return clean_text(self.header)

    def bounds(self):
        """(min, max) with callables resolved; years default to 1900-2100."""
        low = self.min_value() if callable(self.min_value) else self.min_value
        high = self.max_value() if callable(self.max_value) else self.max_value
        if self.kind == Kind.YEAR:
            low = DEFAULT_YEAR_RANGE[0] if low is None else low
            high = DEFAULT_YEAR_RANGE[1] if high is None else high
        return low, high

    def resolve_choices(self, context=None):
        """The allowed values as a list of (value, label), labels clean text; [] if none."""
        if self.choices is None:
            return []
        items = self.choices(context) if callable(self.choices) else self.choices
        pairs = []
        for item in items:
            value, label = item if isinstance(item, tuple | list) else (item, item)
            pairs.append((value, clean_text(label)))
        return pairs

    def display_width(self):
        if self.width:
            return self.width
        return min(max(len(self.header_text) + 4, 12), 50)


@dataclass(frozen=True)
class SheetSpec:
    """A kind of sheet: its title, hidden kind code, columns and instructions.

    `kind_code` is stable (it is written into files people keep): change it only with a new
    meaning. `instructions` is a paragraph or a list of paragraphs for the "Hướng dẫn" sheet.
    """

    name: str
    kind_code: str
    columns: tuple[Column, ...]
    instructions: str | Sequence[str] = field(default=())

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))
        if not re.fullmatch(r"[a-z][a-z0-9_.-]*", self.kind_code):
            raise ValueError(f"kind_code {self.kind_code!r} must be a lower-case slug")
        if not self.columns:
            raise ValueError("a sheet needs at least one column")
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate column keys in {self.kind_code}: {keys}")
        # Translated headers can only be compared once the app registry (hence i18n) is ready:
        # specs are usually module constants, imported earlier.
        checked = [c.header for c in self.columns if apps.ready or isinstance(c.header, str)]
        headers = [match_key(header) for header in checked]
        if len(set(headers)) != len(headers):
            raise ValueError(f"duplicate column headers in {self.kind_code}")

    @property
    def title(self):
        """The data sheet's title (translated, within Excel's limits)."""
        return sheet_title(self.name)

    @property
    def keys(self):
        return tuple(c.key for c in self.columns)

    def column(self, key):
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def instruction_paragraphs(self):
        if isinstance(self.instructions, str) or not isinstance(self.instructions, Sequence):
            return [str(self.instructions)] if str(self.instructions) else []
        return [str(p) for p in self.instructions]
