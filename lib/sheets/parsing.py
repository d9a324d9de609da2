"""One cell's value, as openpyxl gives it, turned into the column's Python value.

`parse_cell` returns None for an empty cell and raises `CellError` with a message (the part
after "Row 5, column “Năm sinh”:") that tells the person what to type instead.
"""

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .columns import Kind, clean_text, match_key, unneutralise

_INT = re.compile(r"[+-]?\d+")
_GROUPED_INT = re.compile(r"[+-]?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_DECIMAL_TEXT = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
# At most this many allowed values are quoted in a message; the template has the full list.
_CHOICES_SHOWN = 8


class CellError(ValueError):
    """The cell cannot be read as its column's kind; `detail` says why and what to type."""

    def __init__(self, detail):
        super().__init__(detail)
        self.detail = detail


class _Cleaned(str):
    """Text already through `as_text`: never cleaned twice (undoing the escape twice is wrong)."""

    __slots__ = ()


def as_text(raw):
    """Any cell value as clean text ('' for empty); numbers and dates written as people do.

    A string loses the apostrophe `neutralise` put in front of it, then is cleaned (NFC, single
    spaces); the result is marked so that a second call leaves it as it is.
    """
    if raw is None:
        return ""
    if isinstance(raw, _Cleaned):
        return raw
    if isinstance(raw, str):
        return _Cleaned(clean_text(unneutralise(raw)))
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, dt.datetime):
        if raw.time() == dt.time(0):
            return raw.strftime("%d/%m/%Y")
        return raw.strftime("%d/%m/%Y %H:%M")
    if isinstance(raw, dt.date):
        return raw.strftime("%d/%m/%Y")
    return clean_text(str(raw))


class ChoiceList:
    """A column's allowed values, indexed once for the rows of a whole file."""

    def __init__(self, pairs):
        self.pairs = list(pairs)
        self.labels = [label for _value, label in self.pairs]
        self.values = {value for value, _label in self.pairs}
        self._by_key = {}
        for value, _label in reversed(self.pairs):
            self._by_key[match_key(str(value))] = value
        # Labels win over stored values when both match.
        for value, label in reversed(self.pairs):
            self._by_key[match_key(label)] = value

    def find(self, text):
        """The value whose label (or value) matches `text`; KeyError if none."""
        return self._by_key[match_key(text)]


def _shown(raw):
    text = as_text(raw)
    return text if len(text) <= 40 else text[:39] + "…"


_PARSERS = {}


def parse_cell(column, raw, choices=None):
    """The value of `raw` for `column`, or None if the cell is empty. Raises CellError.

    `choices`: the column's allowed values, a `ChoiceList` or a `[(value, label)]` list
    (resolved from the column without a context when not given).
    """
    if isinstance(raw, str):
        raw = as_text(raw)
    if raw is None or raw == "":
        if column.required:
            raise CellError(_("this cell is required: fill it in."))
        return None
    if column.choices is not None and not isinstance(choices, ChoiceList):
        choices = ChoiceList(column.resolve_choices() if choices is None else choices)
    if column.kind == Kind.CHOICE:
        return _parse_choice(column, raw, choices)
    value = _PARSERS[column.kind](column, raw)
    # e.g. a year column limited to the years of a list: the value must be one of them.
    if choices is not None and value not in choices.values:
        _refuse_choice(raw, choices)
    return value


def _parse_text(column, raw):
    text = as_text(raw)
    if column.max_length and len(text) > column.max_length:
        raise CellError(
            _("the text has %(length)d characters; at most %(max)d are allowed.")
            % {"length": len(text), "max": column.max_length}
        )
    return text


def _whole_number(raw):
    """`raw` as an int, or None if it is not a whole number (accepts 1.234 / 1,234 grouping)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    if isinstance(raw, Decimal):
        return int(raw) if raw == raw.to_integral_value() else None
    if isinstance(raw, str):
        text = as_text(raw).replace(" ", "")
        if _INT.fullmatch(text):
            return int(text)
        if _GROUPED_INT.fullmatch(text):
            return int(text.replace(".", "").replace(",", ""))
    return None


def _check_range(column, value, shown):
    low, high = column.bounds()
    if low is not None and high is not None and not low <= value <= high:
        raise CellError(
            _("%(value)s is outside the allowed range, from %(min)s to %(max)s.")
            % {"value": shown, "min": _show_bound(low), "max": _show_bound(high)}
        )
    if low is not None and value < low:
        raise CellError(
            _("%(value)s is too small: the smallest allowed is %(min)s.")
            % {"value": shown, "min": _show_bound(low)}
        )
    if high is not None and value > high:
        raise CellError(
            _("%(value)s is too large: the largest allowed is %(max)s.")
            % {"value": shown, "max": _show_bound(high)}
        )
    return value


def _show_bound(bound):
    return bound.strftime("%d/%m/%Y") if isinstance(bound, dt.date) else str(bound)


def _parse_int(column, raw):
    value = _whole_number(raw)
    if value is None:
        raise CellError(
            _("“%(value)s” is not a whole number: type digits only, e.g. 12.")
            % {"value": _shown(raw)}
        )
    return _check_range(column, value, str(value))


def _parse_year(column, raw):
    value = _whole_number(raw) if not isinstance(raw, dt.date) else None
    if value is None or not 1000 <= value <= 9999:
        raise CellError(
            _("“%(value)s” is not a year: type it with four digits, e.g. 2024.")
            % {"value": _shown(raw)}
        )
    return _check_range(column, value, str(value))


def _parse_decimal(column, raw):
    value = None
    if isinstance(raw, bool | dt.date):
        value = None
    elif isinstance(raw, int | Decimal):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    elif isinstance(raw, str):
        value = _decimal_from_text(as_text(raw).replace(" ", ""))
    if value is None or not value.is_finite():
        raise CellError(
            _("“%(value)s” is not a number: type e.g. 7,5 or 12.") % {"value": _shown(raw)}
        )
    if column.decimal_places is not None:
        quantum = Decimal(1).scaleb(-column.decimal_places)
        rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
        # A float from a computed cell (7.1000000000000005) is rounded, a typed 7.15 is refused.
        if abs(rounded - value) > Decimal("1e-9"):
            raise CellError(
                _("%(value)s has too many decimal places: at most %(places)d are allowed.")
                % {"value": _shown(raw), "places": column.decimal_places}
            )
        value = rounded
    return _check_range(column, value, _shown(raw))


def _decimal_from_text(text):
    """Vietnamese and English ways of writing a number: 7,5  7.5  1.234,5  1,234.5  1.234.567."""
    if "." in text and "," in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        text = text.replace(grouping, "").replace(decimal_mark, ".")
    elif text.count(",") > 1 or text.count(".") > 1:
        if not _GROUPED_INT.fullmatch(text):
            return None
        text = text.replace(",", "").replace(".", "")
    else:
        text = text.replace(",", ".")
    if not _DECIMAL_TEXT.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _parse_date(column, raw):
    value = None
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    elif isinstance(raw, str):
        text = as_text(raw).replace(" ", "")
        for fmt in _DATE_FORMATS:
            try:
                value = dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time)
                break
            except ValueError:
                continue
    if value is None:
        raise CellError(
            _("“%(value)s” is not a date: type it as dd/mm/yyyy, e.g. 15/12/2024.")
            % {"value": _shown(raw)}
        )
    return _check_range(column, value, value.strftime("%d/%m/%Y"))


def _parse_choice(column, raw, choices):
    try:
        return choices.find(as_text(raw))
    except KeyError:
        _refuse_choice(raw, choices)


def _refuse_choice(raw, choices):
    labels = choices.labels
    shown = ", ".join(f"“{label}”" for label in labels[:_CHOICES_SHOWN])
    if len(labels) > _CHOICES_SHOWN:
        shown += ", …"
    if not labels:
        raise CellError(_("“%(value)s” is not allowed here.") % {"value": _shown(raw)})
    raise CellError(
        _("“%(value)s” is not one of the allowed values (%(choices)s): pick one from the list.")
        % {"value": _shown(raw), "choices": shown}
    )


_PARSERS.update(
    {
        Kind.TEXT: _parse_text,
        Kind.INT: _parse_int,
        Kind.YEAR: _parse_year,
        Kind.DECIMAL: _parse_decimal,
        Kind.DATE: _parse_date,
    }
)
