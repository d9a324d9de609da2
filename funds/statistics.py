"""What the reports read of the funds: querysets and aggregates, grouped by the caller
(reporting folds them onto its rows, as the units were or mapped onto today's communes).

Transfers between a merged commune's fund and its successor's are kept out of receipts and
payments (they are neither raised nor spent), but stay in the balances: the old fund ends at
zero, the successor holds the money, and a total over both counts it once.
"""

from django.db.models import Count, Q, Sum

from .models import AWARD_PURPOSES, TRANSFERS, Entry, EntryKind

NOT_TRANSFER = ~Q(category__in=TRANSFERS)
RECEIPT = Q(kind=EntryKind.RECEIPT)
PAYMENT = Q(kind=EntryKind.PAYMENT)
AWARD = PAYMENT & Q(category__in=AWARD_PURPOSES)


def year_entries(year):
    return Entry.objects.filter(year=year)


def year_aggregates():
    """Receipts, payments (transfers left out), awards (a reversal cancels its award in the
    count as in the amount) of a group of entries."""
    return {
        "receipts": Sum("amount", filter=RECEIPT & NOT_TRANSFER),
        "payments": Sum("amount", filter=PAYMENT & NOT_TRANSFER),
        "awards_amount": Sum("amount", filter=AWARD),
        "awards_count": Count("id", filter=AWARD & Q(reverses__isnull=True))
        - Count("id", filter=AWARD & Q(reverses__isnull=False)),
    }


def entries_up_to(year):
    return Entry.objects.filter(year__lte=year)


def balance_aggregates():
    """The closing balance of a group of entries: all receipts less all payments."""
    return {
        "received": Sum("amount", filter=RECEIPT),
        "paid": Sum("amount", filter=PAYMENT),
    }
