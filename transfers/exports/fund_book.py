"""The cash book (sổ quỹ) of the funds the viewer reads, as .xlsx or .csv: one row per voucher,
receipts and payments in their own columns, `?fund=` and `?year=` (default: this year)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from funds import selectors
from funds.models import VOUCHER_PREFIX, Category, EntryKind
from lib.dates import local_today, this_year
from lib.sheets import Column, Kind, SheetSpec

CHUNK = 2000

FUND_BOOK = SheetSpec(
    name=_("Cash book"),
    kind_code="export-fund-book",
    columns=[
        Column("fund", pgettext_lazy("sheet column", "Fund"), width=30),
        Column("unit", pgettext_lazy("sheet column", "Unit"), width=24),
        Column("voucher", pgettext_lazy("sheet column", "Voucher number"), width=16),
        Column("date", pgettext_lazy("sheet column", "Date"), kind=Kind.DATE, width=12),
        Column("category", pgettext_lazy("sheet column", "Category"), width=26),
        Column("counterparty", pgettext_lazy("sheet column", "From / paid to"), width=30),
        Column("receipt", pgettext_lazy("sheet column", "Receipt (VND)"), kind=Kind.INT),
        Column("payment", pgettext_lazy("sheet column", "Payment (VND)"), kind=Kind.INT),
        Column("description", pgettext_lazy("sheet column", "Description"), width=34),
    ],
    instructions=[
        _("An export of the portal, to read or print. It is not a template: the import refuses it.")
    ],
)


def _year(raw):
    text = str(raw or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) == 4 else this_year()


def fund_book(request):
    """(spec, rows, filename) of the entries the viewer reads, in book order."""
    year = _year(request.GET.get("year"))
    entries = selectors.entries_visible_to(request.user).filter(year=year)
    fund = str(request.GET.get("fund") or "").strip()
    if fund.isascii() and fund.isdigit() and len(fund) < 18:
        entries = entries.filter(fund_id=int(fund))
    entries = entries.order_by("fund__unit__path", "fund_id", "date", "kind", "number")
    labels = {value: str(label) for value, label in Category.choices}
    fields = (
        "fund__name",
        "fund__unit__name",
        "kind",
        "number",
        "year",
        "date",
        "category",
        "counterparty",
        "amount",
        "description",
    )

    def rows():
        for row in entries.values(*fields).iterator(chunk_size=CHUNK):
            receipt = row["kind"] == EntryKind.RECEIPT
            yield {
                "fund": row["fund__name"],
                "unit": row["fund__unit__name"],
                "voucher": f"{VOUCHER_PREFIX[row['kind']]}-{row['number']:04d}/{row['year']}",
                "date": row["date"],
                "category": labels.get(row["category"], row["category"]),
                "counterparty": row["counterparty"],
                "receipt": row["amount"] if receipt else None,
                "payment": None if receipt else row["amount"],
                "description": row["description"],
            }

    return FUND_BOOK, rows(), f"so-quy-{year}-{local_today():%Y-%m-%d}"
