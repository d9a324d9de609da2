"""The learning citizens of the yearly report: their figures per row, and their table (Excel
and PDF) in the layouts' shape (see layouts.py): per unit, the adults of households and the
staff of organisations, each with assessed, learning citizens, their share against the
QĐ 677/QĐ-TTg target (40% and 60% to 2025), and the share of them with digital skills."""

from django.utils.translation import gettext as _

from citizens.shares import SHARE_AGGREGATES, STAFF, both_groups, target_of
from citizens.targets import BASIS, digital_target, staff_target

from . import documents

PERCENT, COUNT = documents.PERCENT_FORMAT, documents.COUNT_FORMAT


def _percent(value):
    return round(value, 1) if value is not None else None


def citizen_rows(folding, year):
    """The grouped adults of households and staff of organisations of `year` as
    [(row reference, values)]: one query (the two GROUP BYs joined by a UNION ALL), each
    person counted where their household or organisation was filed that year."""
    parts = [
        folding.grouped(rows, "ct_path", "ct_unit", ("ct_group",), SHARE_AGGREGATES, True)
        for _group, rows in both_groups(year)
    ]
    return folding.collect(parts[0].union(*parts[1:], all=True))


def add_citizens(row, values):
    (row.staff if values["ct_group"] == STAFF else row.citizens).add_values(values)


def set_citizen_targets(row, year):
    row.citizens.target = target_of("adults", year)
    row.staff.target = target_of(STAFF, year)


def citizens_line(report):
    return _(
        "Learning citizens: adults (18 and over) of the registered households and the staff "
        "of organisations, each counted where the household or organisation was filed that "
        "year; target %(basis)s: %(target)s%% of adults and %(staff)s%% of the staff, "
        "%(digital)s%% of them with digital skills (provisional)."
    ) % {
        "basis": BASIS,
        "target": report.total.citizens.target or "–",
        "staff": staff_target(report.year) or "–",
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
        (
            _("Staff of organisations"),
            [
                _("Staff"),
                _("Assessed"),
                _("Learning citizens"),
                _("Share of the staff (%)"),
                _("Target (%)"),
                _("With digital skills (%)"),
            ],
        ),
    ]

    def figures(shares):
        return [
            shares.adults,
            shares.assessed,
            shares.achieved,
            _percent(shares.share),
            shares.target,
            _percent(shares.digital_share),
        ]

    def values(row, number):
        name = (f"{row.name} ({row.note})" if row.note else row.name) if number != "" else None
        return [number, name or _("Total"), *figures(row.citizens), *figures(row.staff)]

    return {
        "title": _("Learning citizens"),
        "groups": groups,
        "rows": [values(row, number) for number, row in enumerate(report.rows, start=1)],
        "total": values(report.total, ""),
        "formats": [None, None, *[COUNT, COUNT, COUNT, PERCENT, None, PERCENT] * 2],
        "widths": [5, 30, *[10, 10, 10, 10, 8, 10] * 2],
    }
