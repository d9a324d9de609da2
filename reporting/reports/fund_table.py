"""The funds' part of the yearly report (quỹ khuyến học): per unit and child unit, the year's
receipts and payments, awards (count and amount), the closing balance, and VND per person.

The figures are `funds.statistics`' (the rules live there: transfers between a merged
commune's fund and its successor's are neither receipts nor payments but stay in the
balances, a reversing entry nets its entry out) in one GROUP BY over the entries up to the
year, folded onto the report's rows like every other table (yearly.py): as the units were, a
commune that merged in 2025 keeps its figures until the transfer and ends at zero; mapped onto
today, its fund's figures count in its successor's once.

VND per person is the closing balance (the size of the funds on 31 December) over the
population of the yearly figures of the same units (the members' table's population, so no
query of its own); "–" when the row has no population figures.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from funds import statistics
from lib import province

from . import documents

COUNT = documents.COUNT_FORMAT
FIELDS = ("receipts", "payments", "awards_count", "awards_amount", "balance")
# The parts of the yearly report (yearly.yearly_report) that the funds' own page and files
# read: the members' table brings the population.
PARTS = ("members", "funds")


@dataclass
class FundFigures:
    receipts: int = 0
    payments: int = 0
    awards_count: int = 0
    awards_amount: int = 0
    balance: int = 0

    def add(self, other):
        for name in FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def add_values(self, values):
        """Add one grouped row of `fetch` (a SUM over a bigint column comes back from
        PostgreSQL as a Decimal: whole đồng all the same)."""
        self.receipts += int(values["receipts"] or 0)
        self.payments += int(values["payments"] or 0)
        self.awards_count += int(values["awards_count"] or 0)
        self.awards_amount += int(values["awards_amount"] or 0)
        self.balance += int(values["received"] or 0) - int(values["paid"] or 0)


def fetch(folding, year):
    """The funds' grouped rows for `folding` (yearly.Folding): one query. A group with nothing
    in the year and nothing left is left out: a fund passed on at a merger keeps its entries,
    which add up to zero every year after, and must not bring its ended unit back as a row."""
    grouped = folding.fetch(
        statistics.entries_up_to(year),
        "fund__unit__path",
        "fund__unit_id",
        (),
        statistics.year_and_balance_aggregates(year),
    )
    return [(reference, values) for reference, values in grouped if _has_figures(values)]


def _has_figures(values):
    flows = ("receipts", "payments", "awards_count", "awards_amount")
    return any(values[name] for name in flows) or (values["received"] or 0) != (values["paid"] or 0)


def per_person(row):
    """VND per person of a report row (None without population figures)."""
    if not row.has_figures:
        return None
    return statistics.per_person(row.funds.balance, row.population)


def definitions():
    return _(
        "Funds: receipts and payments of the year, without the transfers between a merged "
        "commune's fund and its successor's (the closing balance holds them once); awards: "
        "scholarships, awards, support and gifts paid (a reversed one counts in neither). VND "
        "per person: the closing balance on 31 December over the population of the yearly "
        "figures (– without them)."
    )


# --- on screen (screen.prepare) and in files (layouts) -------------------------------------


def fund_cells(row, fmt):
    """Receipts, payments, awards (count, amount), closing balance, population, per person."""
    funds = row.funds
    return [
        fmt.whole(funds.receipts),
        fmt.whole(funds.payments),
        fmt.whole(funds.awards_count),
        fmt.whole(funds.awards_amount),
        fmt.whole(funds.balance),
        fmt.whole(row.population if row.has_figures else None),
        fmt.whole(per_person(row)),
    ]


def funds_table(report):
    """The funds' table in the layouts' shape (layouts.py): one row per unit and the total."""
    groups = [
        (_("No."), []),
        (_("Unit"), []),
        (_("Receipts (VND)"), []),
        (_("Payments (VND)"), []),
        (_("Awards"), [_("Count"), _("Amount (VND)")]),
        (_("Closing balance (VND)"), []),
        (_("Population"), []),
        (_("VND per person"), []),
    ]

    def values(row, number):
        funds = row.funds
        name = (f"{row.name} ({row.note})" if row.note else row.name) if number != "" else None
        return [
            number,
            name or _("Total"),
            funds.receipts,
            funds.payments,
            funds.awards_count,
            funds.awards_amount,
            funds.balance,
            row.population if row.has_figures else None,
            per_person(row),
        ]

    return {
        "title": _("Study-promotion funds"),
        "groups": groups,
        "rows": [values(row, number) for number, row in enumerate(report.rows, start=1)],
        "total": values(report.total, ""),
        "formats": [None, None, *([COUNT] * 7)],
        "widths": [5, 30, 16, 16, 9, 16, 16, 12, 12],
        "note": definitions(),
    }


def funds_heading(report):
    """The heading of the funds' own files (the yearly report's files use its own)."""
    return {
        "association": province.current().association_name,
        "title": _("Study-promotion funds in %(year)s") % {"year": report.year},
        "unit": report.root.name,
        "view": _("Units: %(view)s") % {"view": report.view_label},
        "targets": "",
        "definitions": definitions(),
    }
