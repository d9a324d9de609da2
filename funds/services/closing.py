"""Closing a fund's year (khóa sổ): the keeper closes it, the level above approves or returns
it. Every step locks the fund row first, as every posting does, so that a year cannot be
returned while the next one is being closed."""

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from lib import workflow as steps
from lib.errors import DomainError

from .. import workflow
from ..models import (
    Entry,
    EntryKind,
    Period,
    PeriodStatus,
)
from ..workflow import Action
from .books import _text, _year, lock_fund

# --- closing a year ------------------------------------------------------------------------


def year_figures(fund, year):
    """(opening balance, receipts, payments) of `fund`'s `year`, from its entries."""
    entries = Entry.objects.filter(fund=fund)
    sums = dict(
        entries.filter(year=year).values_list("kind").annotate(total=Sum("amount")).order_by()
    )
    before = dict(
        entries.filter(year__lt=year).values_list("kind").annotate(total=Sum("amount")).order_by()
    )
    opening = (before.get(EntryKind.RECEIPT) or 0) - (before.get(EntryKind.PAYMENT) or 0)
    return opening, sums.get(EntryKind.RECEIPT) or 0, sums.get(EntryKind.PAYMENT) or 0


def lock_period(period):
    return steps.lock(
        Period.objects.select_related("fund__unit__parent"),
        period.pk,
        _("This year of the fund no longer exists."),
    )


@transaction.atomic
def close_year(fund, year, *, by):
    """Close `year` (khóa sổ): every earlier year closed first, the figures frozen; the next
    year opens with the closing balance."""
    fund = lock_fund(fund)
    year = _year(year)
    period = Period.objects.filter(fund=fund, year=year).first()
    if period is None:
        if year < fund.first_year:
            raise DomainError(
                _("This fund's book starts in %(year)s.") % {"year": fund.first_year}, "year"
            )
        period = Period.objects.create(fund=fund, year=year)
        steps.record(period, Action.OPEN, by=by)
    period = lock_period(period)
    steps.guard(workflow.check_close(by, period))
    earlier = (
        Period.objects.filter(fund=fund, year__lt=year)
        .exclude(status__in=[PeriodStatus.CLOSED, PeriodStatus.APPROVED])
        .order_by("year")
        .values_list("year", flat=True)
        .first()
    )
    if earlier is not None:
        raise DomainError(_("Close %(year)s first.") % {"year": earlier})
    opening, receipts, payments = year_figures(fund, year)
    period.opening_balance, period.receipts, period.payments = opening, receipts, payments
    period.closing_balance = opening + receipts - payments
    steps.transition(
        period,
        Action.CLOSE,
        moves=workflow.MOVES,
        by=by,
        fields=("opening_balance", "receipts", "payments", "closing_balance"),
        data={
            "opening_balance": opening,
            "receipts": receipts,
            "payments": payments,
            "closing_balance": period.closing_balance,
        },
    )
    return period


@transaction.atomic
def approve_closing(period, *, by, note=""):
    """The level above approves a closed year: it stays closed for good."""
    lock_fund(period.fund)
    period = lock_period(period)
    steps.guard(workflow.check_approve(by, period))
    steps.transition(
        period,
        Action.APPROVE,
        moves=workflow.MOVES,
        by=by,
        reason=_text(note, "note", required=False, max_length=1000),
    )
    return period


@transaction.atomic
def return_closing(period, *, by, reason):
    """The level above returns a closed year with a reason: it takes entries again. The fund
    row is locked first, as `close_year` does: a return and the closing of the next year
    wait for each other, so a year is never reopened under a closed successor."""
    lock_fund(period.fund)
    period = lock_period(period)
    steps.guard(workflow.check_return(by, period))
    reason = _text(reason, "reason", max_length=1000)
    later = Period.objects.filter(
        fund=period.fund,
        year__gt=period.year,
        status__in=[PeriodStatus.CLOSED, PeriodStatus.APPROVED],
    ).exists()
    if later:
        raise DomainError(_("A later year is closed already: correct in the open year."))
    steps.transition(period, Action.RETURN, moves=workflow.MOVES, by=by, reason=reason)
    return period
