"""Scoped reads of the funds: every staff page starts from one of these (units.scoping)."""

from django.db.models import Count, Q, Sum

from units.scoping import scoped

from .models import (
    AWARD_PURPOSES,
    PURPOSES,
    SOURCES,
    TRANSFERS,
    AwardProgramme,
    Category,
    Entry,
    EntryKind,
    Fund,
    Period,
    Recipient,
)


def funds_visible_to(user):
    """The funds of the units `user` reads (their subtrees, and predecessors' by lineage)."""
    return scoped(Fund.objects.select_related("unit"), user, "unit__path")


def entries_visible_to(user):
    return scoped(Entry.objects.select_related("fund__unit"), user, "fund__unit__path")


def periods_visible_to(user):
    return scoped(Period.objects.select_related("fund__unit"), user, "fund__unit__path")


def programmes_visible_to(user):
    return scoped(AwardProgramme.objects.select_related("fund__unit"), user, "fund__unit__path")


def recipients_visible_to(user):
    return scoped(
        Recipient.objects.select_related("programme__fund__unit"),
        user,
        "programme__fund__unit__path",
    )


def year_summary(entries):
    """Receipts by source, payments by purpose, awards (count and amount) of `entries`, in
    one GROUP BY. A reversing entry's negative amount nets its entry out; transfers between
    merged funds are kept apart (`transfer_in`, `transfer_out`), never in the totals."""
    rows = (
        entries.values("kind", "category")
        .annotate(
            total=Sum("amount"),
            # An entry and its reversal cancel out in the count, as in the amount.
            count=Count("id", filter=Q(reverses__isnull=True))
            - Count("id", filter=Q(reverses__isnull=False)),
        )
        .order_by()
    )
    summary = {
        "sources": {},
        "purposes": {},
        "receipts": 0,
        "payments": 0,
        "awards_count": 0,
        "awards_amount": 0,
        "transfer_in": 0,
        "transfer_out": 0,
    }
    for row in rows:
        total, category = row["total"] or 0, row["category"]
        if category in TRANSFERS:
            summary[category] += total
            continue
        if row["kind"] == EntryKind.RECEIPT:
            summary["sources"][category] = summary["sources"].get(category, 0) + total
            summary["receipts"] += total
        else:
            summary["purposes"][category] = summary["purposes"].get(category, 0) + total
            summary["payments"] += total
            if category in AWARD_PURPOSES:
                summary["awards_count"] += row["count"]
                summary["awards_amount"] += total
    # In the canonical order, with their labels, for pages and documents.
    summary["source_rows"] = [
        (c, Category(c).label, summary["sources"][c]) for c in SOURCES if c in summary["sources"]
    ]
    summary["purpose_rows"] = [
        (c, Category(c).label, summary["purposes"][c]) for c in PURPOSES if c in summary["purposes"]
    ]
    return summary
