"""The learning citizens' table of the yearly report (Excel and PDF), in the layouts' shape
(see layouts.py): per unit, adults, assessed, learning citizens, their share of the adults
against the QĐ 677/QĐ-TTg target, and the share of them with digital skills."""

from django.utils.translation import gettext as _

from citizens.targets import BASIS, digital_target

from . import documents

PERCENT, COUNT = documents.PERCENT_FORMAT, documents.COUNT_FORMAT


def _percent(value):
    return round(value, 1) if value is not None else None


def citizens_line(report):
    return _(
        "Learning citizens: adults (18 and over) of the registered households; target "
        "%(basis)s: %(target)s%% of adults, %(digital)s%% of them with digital skills "
        "(provisional)."
    ) % {
        "basis": BASIS,
        "target": report.total.citizens.target or "–",
        "digital": digital_target(report.year) or "–",
    }


def citizens_table(report):
    groups = [
        (_("No."), []),
        (_("Unit"), []),
        (
            _("Learning citizens"),
            [
                _("Adults"),
                _("Assessed"),
                _("Learning citizens"),
                _("Share of adults (%)"),
                _("Target (%)"),
                _("With digital skills (%)"),
            ],
        ),
    ]

    def values(row, number):
        shares = row.citizens
        name = (f"{row.name} ({row.note})" if row.note else row.name) if number != "" else None
        return [
            number,
            name or _("Total"),
            shares.adults,
            shares.assessed,
            shares.achieved,
            _percent(shares.share),
            shares.target,
            _percent(shares.digital_share),
        ]

    return {
        "title": _("Learning citizens"),
        "groups": groups,
        "rows": [values(row, number) for number, row in enumerate(report.rows, start=1)],
        "total": values(report.total, ""),
        "formats": [None, None, COUNT, COUNT, COUNT, PERCENT, None, PERCENT],
        "widths": [5, 30, 10, 10, 10, 10, 8, 10],
    }
