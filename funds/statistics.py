"""What the reports read of the funds: querysets and aggregates, grouped by the caller
(reporting folds them onto its rows, as the units were or mapped onto today's communes).

Transfers between a merged commune's fund and its successor's are kept out of receipts and
payments (they are neither raised nor spent), but stay in the balances: the old fund ends at
zero, the successor holds the money, and a total over both counts it once.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from .models import AWARD_PURPOSES, TRANSFERS, Entry, EntryKind

NOT_TRANSFER = ~Q(category__in=TRANSFERS)
RECEIPT = Q(kind=EntryKind.RECEIPT)
PAYMENT = Q(kind=EntryKind.PAYMENT)
AWARD = PAYMENT & Q(category__in=AWARD_PURPOSES)


def year_entries(year):
    return Entry.objects.filter(year=year)


def year_aggregates(within=None):
    """Receipts, payments (transfers left out), awards (a reversal cancels its award in the
    count as in the amount) of a group of entries (of those matching `within`, a Q)."""
    within = within if within is not None else Q()
    return {
        "receipts": Sum("amount", filter=within & RECEIPT & NOT_TRANSFER),
        "payments": Sum("amount", filter=within & PAYMENT & NOT_TRANSFER),
        "awards_amount": Sum("amount", filter=within & AWARD),
        "awards_count": Count("id", filter=within & AWARD & Q(reverses__isnull=True))
        - Count("id", filter=within & AWARD & Q(reverses__isnull=False)),
    }


def entries_up_to(year):
    return Entry.objects.filter(year__lte=year)


def balance_aggregates():
    """The closing balance of a group of entries: all receipts less all payments."""
    return {
        "received": Sum("amount", filter=RECEIPT),
        "paid": Sum("amount", filter=PAYMENT),
    }


def year_and_balance_aggregates(year):
    """The year's figures (`year_aggregates`) and the closing balance (`received` - `paid`)
    of a group of `entries_up_to(year)`, in one pass: one GROUP BY for the reports."""
    return year_aggregates(within=Q(year=year)) | balance_aggregates()


def per_person(amount, population):
    """Whole đồng per person, rounded half up; None without a population to divide by. The
    reports' "VND per person" is the closing balance (the size of the funds on 31 December)
    over the population of the yearly figures, as the association reports it ("funds of 145
    billion VND, about 21,000 VND per person")."""
    if not population:
        return None
    return int((Decimal(amount) / Decimal(population)).to_integral_value(ROUND_HALF_UP))
