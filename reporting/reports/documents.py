"""The reports as files: Excel laid out for printing, and PDF (WeasyPrint).

Both are made in Vietnamese whatever the language of the person downloading them: they are
the documents the association files (the province reports by 15 December, CV 6782/BGDĐT).

Excel: openpyxl in normal mode (a report is at most a few hundred rows): title rows, a
two-row header repeated on every printed page, the totals row in bold, A4 landscape fitted
to the page width, the print area set. Every number is a value (no formula: the totals are
computed here), every text goes through `lib.sheets.neutralise`, so that a unit or
household name cannot become a formula in someone's Excel.

PDF: an HTML template rendered by WeasyPrint in A4 landscape, set in DejaVu Sans (every
Vietnamese glyph), embedded. The fetcher reads only the font files: nothing typed by an
officer can make the renderer open a file or the network.
"""

import io
import re
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from lib.dates import local_today
from lib.pdf import LocalOnlyFetcher, font_css
from lib.sheets import neutralise

DOCUMENT_LANGUAGE = "vi"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_CONTENT_TYPE = "application/pdf"
PRINT_CSS = Path(__file__).resolve().parent / "print.css"

TITLE_FONT = Font(bold=True, size=13)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
TOTAL_FILL = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)
PERCENT_FORMAT = "0.0"
COUNT_FORMAT = "#,##0"


def _text(value):
    return neutralise(str(value)) if value not in (None, "") else None


def _number(value, digits=None):
    if value is None:
        return None
    return round(value, digits) if digits is not None else value


SHEET_NAME_MAX = 31  # Excel's limit on a sheet's name


def sheet_name(title):
    """A table's title as a sheet's name: Excel's 31 characters at most, cut between words
    never inside a word."""
    name = " ".join(re.sub(r"[\[\]:*?/\\]", " ", _text(title)).split())
    if len(name) <= SHEET_NAME_MAX:
        return name or "Sheet"
    cut = name[: SHEET_NAME_MAX + 1]
    cut = cut.rsplit(" ", 1)[0] if " " in cut else cut[:SHEET_NAME_MAX]
    return cut.rstrip(" ,;.-–·") or name[:SHEET_NAME_MAX]


class SheetWriter:
    """One printable sheet: title lines, a header of one or two rows, body rows, a total."""

    def __init__(self, book, title, width):
        self.sheet = book.create_sheet(sheet_name(title))
        self.width = width
        self.row = 1

    def title_lines(self, lines, *, issuer=None):
        """`issuer` (the association making the document) in bold above the title lines."""
        if issuer:
            cell = self.sheet.cell(row=self.row, column=1, value=_text(issuer.upper()))
            cell.font = BOLD
            self.row += 1
        for index, line in enumerate(lines):
            cell = self.sheet.cell(row=self.row, column=1, value=_text(line))
            cell.font = TITLE_FONT if index == 0 else Font(italic=index > 1)
            self.sheet.merge_cells(
                start_row=self.row, start_column=1, end_row=self.row, end_column=self.width
            )
            self.row += 1
        self.row += 1

    def header(self, groups):
        """`groups`: [(label, [sub-labels])]; a group with no sub-labels spans both rows."""
        first, column = self.row, 1
        for label, subs in groups:
            span = max(len(subs), 1)
            cell = self.sheet.cell(row=first, column=column, value=_text(label))
            if subs:
                if span > 1:
                    self.sheet.merge_cells(
                        start_row=first,
                        start_column=column,
                        end_row=first,
                        end_column=column + span - 1,
                    )
                for offset, sub in enumerate(subs):
                    self.sheet.cell(row=first + 1, column=column + offset, value=_text(sub))
            else:
                self.sheet.merge_cells(
                    start_row=first, start_column=column, end_row=first + 1, end_column=column
                )
            column += span
        for row in (first, first + 1):
            for col in range(1, self.width + 1):
                cell = self.sheet.cell(row=row, column=col)
                cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, CENTRE, BOX
        self.header_rows = (first, first + 1)
        self.row += 2

    def body(self, values, *, total=False, formats=()):
        for col, value in enumerate(values, start=1):
            cell = self.sheet.cell(
                row=self.row, column=col, value=_text(value) if isinstance(value, str) else value
            )
            cell.border = BOX
            if isinstance(value, str):
                cell.alignment = WRAP
            elif col - 1 < len(formats) and formats[col - 1]:
                cell.number_format = formats[col - 1]
            if total:
                cell.font, cell.fill = BOLD, TOTAL_FILL
        self.row += 1

    def note(self, text):
        self.row += 1
        cell = self.sheet.cell(row=self.row, column=1, value=_text(text))
        cell.font = Font(italic=True, size=9)
        self.sheet.merge_cells(
            start_row=self.row, start_column=1, end_row=self.row, end_column=self.width
        )
        self.row += 1

    def finish(self, widths):
        sheet = self.sheet
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        last = self.row - 1
        sheet.print_area = f"A1:{get_column_letter(self.width)}{last}"
        first_header, second_header = self.header_rows
        sheet.print_title_rows = f"{first_header}:{second_header}"
        sheet.freeze_panes = sheet.cell(row=second_header + 1, column=3)
        setup = sheet.page_setup
        setup.orientation = "landscape"
        setup.paperSize = sheet.PAPERSIZE_A4
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = 0.4
        sheet.page_margins.top = sheet.page_margins.bottom = 0.5


def workbook_bytes(build):
    """Run `build(book)` in Vietnamese on a new workbook and return the .xlsx bytes."""
    with translation.override(DOCUMENT_LANGUAGE):
        book = Workbook()
        book.remove(book.active)
        build(book)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def made_on():
    return _("Made on %(date)s") % {"date": local_today().strftime("%d/%m/%Y")}


# --- PDF -----------------------------------------------------------------------------------


def pdf_bytes(template, context):
    """`template` rendered in Vietnamese as an A4 landscape PDF."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    with translation.override(DOCUMENT_LANGUAGE):
        html = render_to_string(template, {**context, "made_on": made_on()})
        fonts = FontConfiguration()
        fetcher = LocalOnlyFetcher()
        stylesheets = [
            CSS(string=font_css(), font_config=fonts, url_fetcher=fetcher),
            CSS(string=PRINT_CSS.read_text(encoding="utf-8"), font_config=fonts),
        ]
        return HTML(string=html, url_fetcher=fetcher).write_pdf(
            stylesheets=stylesheets, font_config=fonts
        )
