"""The yearly fund report (báo cáo quỹ khuyến học năm): per unit and child unit, receipts,
payments, awards (count and amount), closing balance and VND raised per person (receipts over
the yearly population figures), as the units were or mapped onto today's communes, through
the same folding as the yearly report (three GROUP BYs whatever the size of the subtree).

A commune merged in 2025 passed its fund to its successor by a transfer entry on each side:
transfers are left out of receipts and payments, and the old fund's balance is zero after
it, so that a total counts every đồng once in either view.
"""

from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext as _

from funds import statistics
from lib import province
from units.models import Level, UnitYearFigures

from . import documents, layouts
from .folding import SELF, TODAY, UNMAPPED, VIEWS, Folding, existed_in
from .roots import ReportError
from .yearly import _children, _new_row, _row_order


@dataclass
class FundRow:
    key: str | None
    unit: object
    name: str
    note: str = ""
    receipts: int = 0
    payments: int = 0
    awards_count: int = 0
    awards_amount: int = 0
    balance: int = 0
    population: int = 0
    is_total: bool = False

    @property
    def per_person(self):
        """VND raised per person in the year (None without population figures)."""
        return round(self.receipts / self.population) if self.population else None

    @property
    def has_data(self):
        return bool(self.receipts or self.payments or self.balance)

    def add(self, other):
        for name in ("receipts", "payments", "awards_count", "awards_amount", "balance"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.population += other.population


@dataclass
class FundReport:
    year: int
    view: str
    root: object
    rows: list
    total: FundRow

    @property
    def view_label(self):
        return VIEWS[self.view]


def fund_report(user, root, year, view):
    """The fund report of `root` for `year` in `view`, limited to what `user` may read."""
    if view == TODAY and root.unit is not None and not root.unit.is_current:
        raise ReportError(
            _("%(unit)s no longer exists: show it as the units were, or choose a current unit.")
            % {"unit": root.unit.name}
        )
    folding = Folding(user, root, year, view)
    flows = folding.fetch(
        statistics.year_entries(year),
        "fund__unit__path",
        "fund__unit_id",
        (),
        statistics.year_aggregates(),
    )
    balances = folding.fetch(
        statistics.entries_up_to(year),
        "fund__unit__path",
        "fund__unit_id",
        (),
        statistics.balance_aggregates(),
    )
    people = folding.fetch(
        UnitYearFigures.objects.filter(year=year, unit__level=Level.COMMUNE),
        "unit__path",
        "unit_id",
        (),
        {"population": Sum("population")},
    )
    folding.resolve()
    children = _children(root, year, view)
    rows = {}

    def row_for(reference):
        key = folding.key(reference)
        if key not in (SELF, UNMAPPED) and key not in children:
            key = UNMAPPED
        if key not in rows:
            base = _new_row(key, root.unit if key == SELF else children.get(key), root, year, view)
            rows[key] = FundRow(base.key, base.unit, base.name, note=base.note)
        return rows[key]

    for reference, values in flows:
        row = row_for(reference)
        row.receipts += values["receipts"] or 0
        row.payments += values["payments"] or 0
        row.awards_count += values["awards_count"] or 0
        row.awards_amount += values["awards_amount"] or 0
    for reference, values in balances:
        row = row_for(reference)
        row.balance += (values["received"] or 0) - (values["paid"] or 0)
    for reference, values in people:
        row_for(reference).population += values["population"] or 0
    for key, unit in children.items():
        if key not in rows and (view == TODAY or existed_in(unit, year)):
            rows[key] = FundRow(key, unit, unit.name)
    ordered = sorted(rows.values(), key=_row_order)
    total = FundRow(None, root.unit, root.name, is_total=True)
    for row in ordered:
        total.add(row)
    return FundReport(year=year, view=view, root=root, rows=ordered, total=total)


# --- as files (the yearly report's engine: layouts._write_table, layouts._pdf) --------------


def _values(row):
    return [
        row.receipts,
        row.payments,
        row.awards_count,
        row.awards_amount,
        row.balance,
        row.population or None,
        row.per_person,
    ]


def fund_table(report):
    money = "#,##0"
    return {
        "title": _("Study-promotion funds"),
        "groups": [
            (_("No."), []),
            (_("Unit"), []),
            (_("Receipts (VND)"), []),
            (_("Payments (VND)"), []),
            (_("Awards"), [_("Count"), _("Amount (VND)")]),
            (_("Closing balance (VND)"), []),
            (_("Population"), []),
            (_("VND raised per person"), []),
        ],
        "rows": [
            [index, row.name + (f" ({row.note})" if row.note else ""), *_values(row)]
            for index, row in enumerate(report.rows, start=1)
        ],
        "total": ["", _("Total"), *_values(report.total)],
        "formats": [None, None, money, money, money, money, money, money, money],
        "widths": [5, 30, 16, 16, 9, 16, 16, 12, 12],
    }


def fund_heading(report):
    return {
        "association": province.current().association_name,
        "title": _("Study-promotion funds in %(year)s") % {"year": report.year},
        "unit": report.root.name,
        "view": str(report.view_label),
        "targets": "",
        "definitions": _(
            "Transfers between the fund of a merged commune and its successor's are left out "
            "of receipts and payments; the closing balance counts them once."
        ),
    }


def fund_xlsx(report):
    def build(book):
        layouts._write_table(book, fund_heading(report), fund_table(report))

    return documents.workbook_bytes(build)


def fund_pdf(report):
    return layouts._pdf(fund_heading, report, lambda: [fund_table(report)])
