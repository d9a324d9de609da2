"""The Excel template people fill in: the data sheet, the "Hướng dẫn" sheet, drop-down lists.

The data sheet has the spec's headers (bold, frozen, sized), number formats and data
validation per column: a drop-down for choice columns (the values live on a hidden "_lists"
sheet and the validation references their range, since Excel caps a list typed into the rule at
255 characters), whole-number or decimal ranges for years and numbers, a length limit for text.
The instructions sheet lists every column: required or not, what to type, the allowed values.
A hidden "_meta" sheet carries the kind marker that the reader checks.
"""

import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import INSTRUCTIONS_TITLE, LISTS_SHEET, Kind, clean_text, neutralise, sheet_title
from .writing import (
    DATE_FORMAT,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    HEADER_FONT,
    XLSX_CONTENT_TYPE,
    headers,
    write_meta_sheet,
)

# Validation covers the whole column below the header: rows pasted later are checked too.
LAST_ROW = 1_048_576
# Past this many allowed values the instructions sheet points at the drop-down instead.
CHOICES_LISTED = 30


def build_template(spec, *, choices_context=None):
    """The template of `spec` as .xlsx bytes; `choices_context` feeds callable choices."""
    book = Workbook()
    sheet = book.active
    sheet.title = spec.title
    choices = {
        column.key: column.resolve_choices(choices_context)
        for column in spec.columns
        if column.choices is not None
    }
    _write_data_sheet(sheet, spec)
    _write_instructions(book.create_sheet(sheet_title(INSTRUCTIONS_TITLE)), spec, choices)
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_number = 0
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        area = f"{letter}2:{letter}{LAST_ROW}"
        labels = [label for _value, label in choices.get(column.key, [])]
        if labels:
            list_number += 1
            reference = _write_list(lists, list_number, column, labels)
            _add_validation(sheet, area, _list_validation(column, reference))
        else:
            validation = _range_validation(column)
            if validation is not None:
                _add_validation(sheet, area, validation)
    write_meta_sheet(book, spec)
    book.active = 0
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def template_response(spec, filename, *, choices_context=None):
    """The template as a download."""
    response = HttpResponse(
        build_template(spec, choices_context=choices_context), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _write_data_sheet(sheet, spec):
    sheet.append(headers(spec))
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.display_width()
        # Text columns are typed as text, so that "0912..." or "08" keep their leading zero.
        if column.kind in (Kind.TEXT, Kind.CHOICE):
            dimension.number_format = "@"
        elif column.kind == Kind.DATE:
            dimension.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"


def _write_list(lists, number, column, labels):
    """Put `labels` in column `number` of the hidden lists sheet; return the range's reference."""
    letter = get_column_letter(number)
    lists.cell(row=1, column=number, value=neutralise(column.header_text))
    numeric = column.kind in (Kind.INT, Kind.YEAR)
    for row, label in enumerate(labels, start=2):
        if numeric and label.isdigit():
            # A typed 2024 is a number: the list must hold numbers for Excel to accept it.
            lists.cell(row=row, column=number, value=int(label))
        else:
            lists.cell(row=row, column=number, value=neutralise(label)).data_type = "s"
    last = len(labels) + 1
    return f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${last}"


def _add_validation(sheet, area, validation):
    validation.showErrorMessage = True
    validation.errorStyle = "stop"
    # Excel's limits: 32 characters for a title, 255 for a message.
    validation.errorTitle = (validation.errorTitle or "")[:32]
    validation.error = (validation.error or "")[:255]
    validation.add(area)
    sheet.add_data_validation(validation)


def _list_validation(column, reference):
    validation = DataValidation(
        type="list", formula1=reference, allow_blank=not column.required, showDropDown=False
    )
    validation.error = _("Pick a value from the list.")
    validation.errorTitle = column.header_text
    return validation


def _range_validation(column):
    low, high = column.bounds()
    if column.kind in (Kind.INT, Kind.YEAR, Kind.DECIMAL) and (low is not None or high is not None):
        kind = "decimal" if column.kind == Kind.DECIMAL else "whole"
        if low is not None and high is not None:
            validation = DataValidation(
                type=kind, operator="between", formula1=str(low), formula2=str(high)
            )
        elif low is not None:
            validation = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(low))
        else:
            validation = DataValidation(type=kind, operator="lessThanOrEqual", formula1=str(high))
    elif column.kind == Kind.TEXT and column.max_length:
        validation = DataValidation(
            type="textLength", operator="lessThanOrEqual", formula1=str(column.max_length)
        )
    else:
        return None
    validation.allow_blank = not column.required
    validation.error = _describe(column)
    validation.errorTitle = column.header_text
    return validation


def _describe(column, labels=()):
    """What to type in `column`, in a sentence."""
    low, high = column.bounds()
    if labels:
        if len(labels) > CHOICES_LISTED:
            return _("One of the %(count)d values of the drop-down list in the cell.") % {
                "count": len(labels)
            }
        return _("One of: %(values)s.") % {"values": "; ".join(labels)}
    if column.kind == Kind.CHOICE:
        return _("One of the values of the list (none is available yet).")
    if column.kind == Kind.YEAR:
        return _("A year from %(min)s to %(max)s, e.g. %(max)s.") % {"min": low, "max": high}
    if column.kind in (Kind.INT, Kind.DECIMAL):
        text = _("A whole number.") if column.kind == Kind.INT else _("A number, e.g. 7,5.")
        if low is not None and high is not None:
            text += " " + _("From %(min)s to %(max)s.") % {"min": low, "max": high}
        elif low is not None:
            text += " " + _("At least %(min)s.") % {"min": low}
        elif high is not None:
            text += " " + _("At most %(max)s.") % {"max": high}
        return text
    if column.kind == Kind.DATE:
        return _("A date written dd/mm/yyyy, e.g. 15/12/2024.")
    if column.max_length:
        return _("Text, at most %(max)d characters.") % {"max": column.max_length}
    return _("Text.")


def _write_instructions(sheet, spec, choices):
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append([neutralise(clean_text(spec.name))])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    general = [
        _(
            "Fill in the sheet “%(sheet)s”: one row per line under the column names. "
            "Do not rename, delete or add columns; their order may change."
        )
        % {"sheet": spec.title},
        _("Columns marked “Required” must be filled in on every row."),
        *spec.instruction_paragraphs(),
    ]
    for paragraph in general:
        sheet.append([neutralise(clean_text(paragraph))])
    sheet.append([])
    sheet.append([_("Column"), _("Required"), _("What to type"), _("Notes")])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for column in spec.columns:
        labels = [label for _value, label in choices.get(column.key, [])]
        sheet.append(
            [
                neutralise(column.header_text),
                _("Required") if column.required else _("Optional"),
                neutralise(_describe(column, labels)),
                neutralise(clean_text(column.help_text)) if column.help_text else None,
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
    for letter, width in zip("ABCD", (28, 12, 60, 50), strict=True):
        sheet.column_dimensions[letter].width = width
