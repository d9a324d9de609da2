"""The reports' tables as plain rows of values: one layout for the Excel sheets and the PDF.

A table is {"title", "groups": [(label, [sub-labels])], "rows": [[value, …]], "total":
[value, …] or None, "formats": [number format per column], "widths": [Excel widths]}.
Values are text, whole numbers, or percentages rounded to one decimal (None: nothing to
divide by). Call inside `translation.override` so the labels come out in that language.
"""

from django.utils import translation
from django.utils.formats import number_format as number_format_l10n
from django.utils.translation import gettext as _

from lib import province

from . import documents
from .citizen_table import citizens_table
from .fund_table import funds_heading, funds_table

PERCENT, COUNT = documents.PERCENT_FORMAT, documents.COUNT_FORMAT


def _percent(value):
    return round(value, 1) if value is not None else None


def view_line(report):
    return _("Units: %(view)s") % {"view": report.view_label}


def targets_line(report):
    targets = report.targets
    if targets is None:
        return _("No programme target applies to %(year)s.") % {"year": report.year}
    line = _("Targets: %(targets)s (provisional: to be confirmed by province staff).")
    return line % {"targets": targets.description}


def definitions_line():
    return _(
        "Registered: every file of the year except those withdrawn. Recognised: holding the "
        "title (a revoked title does not count). Rate: recognised / registered."
    )


def _row_name(row):
    return f"{row.name} ({row.note})" if row.note else row.name


def titles_table(report):
    """Per unit and title: registered, recognised, rate (%), target (%)."""
    groups = [(_("No."), []), (_("Unit"), [])]
    subs = [_("Registered"), _("Recognised"), _("Rate (%)"), _("Target (%)")]
    groups += [(str(kind["label"]), subs) for kind in report.kinds]
    groups += [(_("All titles"), [_("Registered"), _("Recognised"), _("Rate (%)")])]

    def values(row, number):
        cells = []
        for cell in row.cells:
            cells += [cell.registered, cell.recognised, _percent(cell.rate), cell.target]
        return [
            number,
            _row_name(row) if number != "" else _("Total"),
            *cells,
            row.registered,
            row.recognised,
            _percent(row.rate),
        ]

    formats = [None, None, *([COUNT, COUNT, PERCENT, None] * len(report.kinds))]
    formats += [COUNT, COUNT, PERCENT]
    return {
        "title": _("Learning titles"),
        "groups": groups,
        "rows": [values(row, number) for number, row in enumerate(report.rows, start=1)],
        "total": values(report.total, ""),
        "formats": formats,
        "widths": [5, 30, *([10, 10, 8, 8] * len(report.kinds)), 10, 10, 8],
    }


def members_table(report):
    """Per unit: members, population, ratio; centres by band; classes and participant-visits."""
    groups = [
        (_("No."), []),
        (_("Unit"), []),
        (_("Members"), [_("Members"), _("Population"), _("Members / population (%)")]),
        (
            _("Learning centres rated"),
            [str(band["name"]) for band in report.bands] + [_("Rated")],
        ),
        (
            _("Centre activity"),
            [_("Reports filed"), _("Classes"), _("Participant-visits")],
        ),
    ]

    def values(row, number):
        return [
            number,
            _row_name(row) if number != "" else _("Total"),
            row.members if row.has_figures else None,
            row.population if row.has_figures else None,
            _percent(row.ratio),
            *row.band_counts(report.bands),
            row.rated,
            row.reports,
            row.classes,
            row.participants,
        ]

    bands = len(report.bands)
    return {
        "title": _("Members and learning centres"),
        "groups": groups,
        "rows": [values(row, number) for number, row in enumerate(report.rows, start=1)],
        "total": values(report.total, ""),
        "formats": [None, None, COUNT, COUNT, PERCENT, *([COUNT] * (bands + 1)), COUNT, COUNT],
        "widths": [5, 30, 12, 12, 12, *([10] * (bands + 1)), 10, 10, 14],
    }


def yearly_heading(report):
    return {
        "association": province.current().association_name,
        "title": _("Results of building learning models in %(year)s") % {"year": report.year},
        "unit": report.root.name,
        "view": view_line(report),
        "targets": targets_line(report),
        "definitions": definitions_line(),
    }


def recognised_table(listing):
    """The recognised subjects of one commune and year, as listed with the decision."""
    groups = [
        (_("No."), []),
        (_("Title"), []),
        (_("Name"), []),
        (_("Village"), []),
        (_("Total score"), []),
        (_("Decision number"), []),
        (_("Decision date"), []),
        (_("Certificate code"), []),
    ]
    rows = [
        [
            number,
            str(item["title"]),
            item["name"],
            item["village"],
            float(item["score"]) if item["score"] is not None else None,
            item["decision_number"],
            item["decision_date"].strftime("%d/%m/%Y") if item["decision_date"] else "",
            item["code"],
        ]
        for number, item in enumerate(listing["items"], start=1)
    ]
    return {
        "title": _("Recognised"),
        "groups": groups,
        "rows": rows,
        "total": None,
        "formats": [None, None, None, None, "0.0", None, None, None],
        "widths": [5, 22, 30, 22, 9, 16, 12, 18],
    }


def recognised_heading(listing):
    return {
        "association": province.current().association_name,
        "title": _("List of learning models recognised in %(year)s") % {"year": listing["year"]},
        "unit": listing["unit"].name,
        "view": _("Recognised: %(count)s") % {"count": len(listing["items"])},
        "targets": "",
        "definitions": "",
    }


# --- to files ------------------------------------------------------------------------------


def _write_table(book, heading, table):
    width = sum(max(len(subs), 1) for _label, subs in table["groups"])
    sheet = documents.SheetWriter(book, table["title"], width)
    lines = [heading["title"], heading["unit"], heading["view"], heading["targets"]]
    lines = [line for line in lines if line] + [documents.made_on()]
    # The association that makes the report heads it, as on its paper documents.
    sheet.title_lines(lines, issuer=heading["association"])
    sheet.header(table["groups"])
    for values in table["rows"]:
        sheet.body(values, formats=table["formats"])
    if table["total"] is not None:
        sheet.body(table["total"], total=True, formats=table["formats"])
    # A table may carry its own note (the funds' definitions) instead of the heading's.
    note = table.get("note", heading["definitions"])
    if note:
        sheet.note(note)
    sheet.finish(table["widths"])


def yearly_xlsx(report):
    def build(book):
        heading = yearly_heading(report)
        _write_table(book, heading, titles_table(report))
        _write_table(book, heading, members_table(report))
        _write_table(book, heading, funds_table(report))
        _write_table(book, heading, citizens_table(report))

    return documents.workbook_bytes(build)


def yearly_pdf(report):
    def tables():
        return [
            titles_table(report),
            members_table(report),
            funds_table(report),
            citizens_table(report),
        ]

    return _pdf(yearly_heading, report, tables)


def funds_xlsx(report):
    """The funds' table alone (a report made with fund_table.PARTS)."""

    def build(book):
        _write_table(book, funds_heading(report), funds_table(report))

    return documents.workbook_bytes(build)


def funds_pdf(report):
    return _pdf(funds_heading, report, lambda: [funds_table(report)])


def recognised_xlsx(listing):
    def build(book):
        _write_table(book, recognised_heading(listing), recognised_table(listing))

    return documents.workbook_bytes(build)


def recognised_pdf(listing):
    return _pdf(recognised_heading, listing, lambda: [recognised_table(listing)])


def _display(value, number_format):
    """A cell as the PDF prints it: Vietnamese digit grouping, one decimal for percentages."""
    if value is None:
        return {"text": "–", "numeric": True}
    if isinstance(value, str):
        return {"text": value, "numeric": False}
    decimals = 1 if number_format in (PERCENT, "0.0") else 0
    return {
        "text": number_format_l10n(value, decimal_pos=decimals, force_grouping=True),
        "numeric": True,
    }


def _printable(table):
    formats = table["formats"]

    def cells(values):
        return [_display(v, formats[i] if i < len(formats) else None) for i, v in enumerate(values)]

    subs = [sub for _label, group in table["groups"] for sub in group]
    return {
        **table,
        "subs": subs,
        "body": [cells(values) for values in table["rows"]],
        "total_cells": cells(table["total"]) if table["total"] is not None else None,
    }


def _pdf(heading_of, subject, tables):
    with translation.override(documents.DOCUMENT_LANGUAGE):
        context = {
            "heading": heading_of(subject),
            "tables": [_printable(table) for table in tables()],
        }
    return documents.pdf_bytes("reporting/reports/report_pdf.html", context)
