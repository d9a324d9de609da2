"""Every write to a fund's book: funds, entries, reversals, transfers, the closing of a year,
award programmes and paying them. One function each, atomic, the actor keyword-only (`*, by`);
a broken rule raises DomainError and nothing has changed.

The fund row is locked (select_for_update) for every posting, so that two keepers posting at
once see each other's balance; voucher numbers come from a locked counter row per fund, year
and kind (lib.counters), so they have neither gap nor repeat.
"""

import datetime
import os
import re
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from lib import workflow as steps
from lib.counters import next_number
from lib.dates import local_today
from lib.errors import DomainError
from lib.text import nfc
from lib.uploads import check_evidence, name_for_content
from units.services import audit

from .. import workflow
from ..models import (
    PURPOSES,
    SOURCES,
    YEAR_MAX,
    YEAR_MIN,
    Category,
    Entry,
    EntryKind,
    Fund,
    FundKind,
    Method,
    Period,
    VoucherCounter,
)
from ..workflow import Action

GROUPED = re.compile(r"[0-9]{1,3}(?:([., \u00a0])[0-9]{3})?(?:\1[0-9]{3})*|[0-9]+", re.ASCII)
MAX_AMOUNT = 10**13  # ten thousand billion VND: more is a typing mistake


# --- input -------------------------------------------------------------------------------


def vnd(value, field="amount"):
    """`value` as a whole number of VND above zero: an int, or text with "." "," or spaces
    grouping the thousands ("1.500.000"). Fractions are refused, never rounded."""
    message = _("Enter a whole number of đồng above zero, e.g. 1.500.000.")
    if isinstance(value, bool) or value is None:
        raise DomainError(message, field)
    if isinstance(value, float):
        if not value.is_integer():
            raise DomainError(message, field)
        value = int(value)
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise DomainError(message, field)
        value = int(value)
    if isinstance(value, str):
        text = value.strip().removesuffix("VND").removesuffix("đ").strip()
        # Thousands grouped by "." "," or a space, in threes: "1,5" is a fraction, refused.
        if not GROUPED.fullmatch(text):
            raise DomainError(message, field)
        value = int(re.sub(r"[^0-9]", "", text))
    if not isinstance(value, int) or value <= 0:
        raise DomainError(message, field)
    if value > MAX_AMOUNT:
        raise DomainError(_("This amount is too large for one voucher."), field)
    return value


def _text(value, field, *, required=True, max_length=200):
    text = nfc(str(value or "")).strip()
    if required and not text:
        raise DomainError(_("This field is required."), field)
    if len(text) > max_length:
        raise DomainError(_("At most %(count)s characters.") % {"count": max_length}, field)
    return text


def _date(value, fund, field="date"):
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise DomainError(_("Enter a date."), field) from None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        raise DomainError(_("Enter a date."), field)
    if value > local_today():
        raise DomainError(_("A voucher cannot be dated in the future."), field)
    if value.year < fund.first_year:
        raise DomainError(
            _("This fund's book starts in %(year)s.") % {"year": fund.first_year}, field
        )
    return value


def _year(value, field="year"):
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise DomainError(_("Enter a year."), field) from None
    if not YEAR_MIN <= year <= YEAR_MAX or year > local_today().year:
        raise DomainError(_("Choose a year up to this one."), field)
    return year


# --- locks -------------------------------------------------------------------------------


def lock_fund(fund):
    return steps.lock(
        Fund.objects.select_related("unit", "unit__parent", "successor__unit"),
        fund.pk,
        _("This fund no longer exists."),
    )


def _period_taking_entries(fund, year, by, field="date"):
    """The year's period, opened now if it has none; refused when the year is closed."""
    period = Period.objects.select_for_update().filter(fund=fund, year=year).first()
    if period is None:
        period = Period.objects.create(fund=fund, year=year)
        steps.record(period, Action.OPEN, by=by)
        return period
    if not period.takes_entries:
        raise DomainError(
            _(
                "The year %(year)s is closed (khóa sổ): date the voucher in an open year, "
                "and name the old entry in it."
            )
            % {"year": year},
            field,
        )
    return period


# --- funds ---------------------------------------------------------------------------------


@transaction.atomic
def create_fund(
    unit, *, by, name, kind=FundKind.ASSOCIATION, first_year, allow_negative=False, demo=False
):
    """Open a fund for `unit` (its keeper): a unique name in the unit, a first year."""
    steps.guard(workflow.check_create_fund(by, unit))
    name = _text(name, "name")
    if kind not in FundKind.values:
        raise DomainError(_("Choose a kind of fund."), "kind")
    first_year = _year(first_year, "first_year")
    if unit.valid_from and first_year < unit.valid_from.year:
        raise DomainError(_("The unit did not exist yet in that year."), "first_year")
    if Fund.objects.filter(unit=unit, name__iexact=name).exists():
        raise DomainError(_("This unit already has a fund of that name."), "name")
    fund = Fund.objects.create(
        unit=unit,
        name=name,
        kind=kind,
        first_year=first_year,
        allow_negative=bool(allow_negative),
        demo=demo,
    )
    audit(by=by, action="funds.fund.create", target=fund, unit=unit, changes={"name": name})
    return fund


def _write_entry(
    fund,
    *,
    by,
    kind,
    date,
    amount,
    category,
    counterparty,
    method,
    description="",
    named_publicly=False,
    reverses=None,
    counterpart=None,
    evidence=None,
    source_ref="",
):
    """Number and write one entry on the locked `fund`, keeping its balance (not negative
    unless the fund allows it)."""
    signed = amount if kind == EntryKind.RECEIPT else -amount
    if fund.balance + signed < 0 and not fund.allow_negative:
        raise DomainError(
            _(
                "The fund holds %(balance)s đ: this voucher would take it below zero, which "
                "the fund does not allow."
            )
            % {"balance": f"{fund.balance:,}".replace(",", ".")},
            "amount",
        )
    _period_taking_entries(fund, date.year, by)
    number = next_number(VoucherCounter, fund=fund, year=date.year, kind=kind)
    entry = Entry(
        fund=fund,
        kind=kind,
        year=date.year,
        number=number,
        date=date,
        amount=amount,
        category=category,
        counterparty=counterparty,
        named_publicly=named_publicly,
        method=method,
        description=description,
        reverses=reverses,
        counterpart=counterpart,
        source_ref=source_ref,
        posted_by=steps.actor(by),
    )
    if evidence is None:
        entry.save(force_insert=True)
    else:
        # A scan kept privately (lib.storage), served only by a view that checks scope.
        # Its name ends with the type found by content (a PNG sent as "x.html" is "x.png"); the
        # stored file is named by a random id, never by what the uploader typed.
        upload, checked = evidence
        typed = nfc(os.path.basename(getattr(upload, "name", "") or "")) or "scan"
        entry.evidence_name = name_for_content(typed, checked.content_type)[-255:]
        entry.evidence_type = checked.content_type
        entry.evidence.save(f"{uuid.uuid4().hex}.{checked.extension}", upload, save=False)
        try:
            entry.save(force_insert=True)
        except Exception:
            entry.evidence.delete(save=False)
            raise
    fund.balance += signed
    Fund.objects.filter(pk=fund.pk).update(balance=fund.balance)
    return entry


@transaction.atomic
def post_entry(
    fund,
    *,
    by,
    kind,
    date,
    amount,
    category,
    counterparty,
    method=Method.CASH,
    description="",
    named_publicly=False,
    evidence=None,
    source_ref="",
):
    """Post a receipt or a payment: numbered per fund, year and kind, never to change again.
    `source_ref` is the voucher's number in a book kept before the portal (imports), unique in
    the fund."""
    fund = lock_fund(fund)
    steps.guard(workflow.check_post_entry(by, fund))
    if kind not in EntryKind.values:
        raise DomainError(_("Choose receipt or payment."), "kind")
    allowed = SOURCES if kind == EntryKind.RECEIPT else PURPOSES
    if category not in allowed or category in (Category.TRANSFER_IN, Category.TRANSFER_OUT):
        raise DomainError(_("Choose a category of this kind of voucher."), "category")
    if method not in Method.values:
        raise DomainError(_("Choose cash or bank transfer."), "method")
    date = _date(date, fund)
    amount = vnd(amount)
    counterparty = _text(counterparty, "counterparty")
    description = _text(description, "description", required=False, max_length=500)
    named = bool(named_publicly) and kind == EntryKind.RECEIPT
    checked = check_evidence(evidence) if evidence else None
    source_ref = _text(source_ref, "source_ref", required=False, max_length=40)
    if source_ref and Entry.objects.filter(fund=fund, source_ref__iexact=source_ref).exists():
        raise DomainError(
            _("Voucher %(voucher)s is already in this fund's book.") % {"voucher": source_ref},
            "source_ref",
        )
    entry = _write_entry(
        fund,
        by=by,
        kind=kind,
        date=date,
        amount=amount,
        category=category,
        counterparty=counterparty,
        method=method,
        description=description,
        named_publicly=named,
        evidence=(evidence, checked) if checked else None,
        source_ref=source_ref,
    )
    return entry


@transaction.atomic
def reverse_entry(entry, *, by, date, reason):
    """Cancel `entry` by a reversing entry (the same kind and category, the opposite amount),
    dated in an open year and naming it; the balance is as if it had never been posted."""
    fund = lock_fund(entry.fund)
    steps.guard(workflow.check_post_entry(by, fund))
    entry = Entry.objects.select_related("reverses").get(pk=entry.pk)
    if entry.reverses_id is not None:
        raise DomainError(_("A reversing entry is not reversed: post a new voucher instead."))
    if Entry.objects.filter(reverses=entry).exists():
        raise DomainError(_("This entry has already been reversed."))
    if entry.category in (Category.TRANSFER_IN, Category.TRANSFER_OUT):
        raise DomainError(_("A transfer between merged funds is not reversed."))
    date = _date(date, fund)
    if date < entry.date:
        raise DomainError(_("A reversing entry cannot be dated before the entry."), "date")
    reason = _text(reason, "reason", max_length=400)
    return _write_entry(
        fund,
        by=by,
        kind=entry.kind,
        date=date,
        amount=-entry.amount,
        category=entry.category,
        counterparty=entry.counterparty,
        method=entry.method,
        description=_("Reverses %(voucher)s: %(reason)s")
        % {
            "voucher": entry.voucher,
            "reason": reason,
        },
        named_publicly=False,
        reverses=entry,
    )


@transaction.atomic
def transfer_fund(fund, successor, *, by, date):
    """Pass a merged unit's fund to its successor's: a payment out of one and a receipt into
    the other, of the whole balance, linked; the old fund ends. Reports leave both out of the
    receipts and payments, so that nothing counts twice."""
    first, second = sorted([fund, successor], key=lambda f: f.pk)
    first, second = lock_fund(first), lock_fund(second)
    fund, successor = (first, second) if first.pk == fund.pk else (second, first)
    if fund.pk == successor.pk:
        raise DomainError(_("A fund cannot pass to itself."), "successor")
    steps.guard(workflow.check_transfer(by, fund, successor))
    if not fund.is_open:
        raise DomainError(_("This fund has ended already."))
    if not successor.is_open:
        raise DomainError(_("The successor's fund has ended."), "successor")
    date = _date(date, successor)
    out = inn = None
    if fund.balance > 0:
        out = _write_entry(
            fund,
            by=by,
            kind=EntryKind.PAYMENT,
            date=date,
            amount=fund.balance,
            category=Category.TRANSFER_OUT,
            counterparty=successor.name,
            method=Method.BANK,
            description=_("Passed to %(fund)s (%(unit)s)")
            % {"fund": successor.name, "unit": successor.unit.name},
        )
        inn = _write_entry(
            successor,
            by=by,
            kind=EntryKind.RECEIPT,
            date=date,
            amount=out.amount,
            category=Category.TRANSFER_IN,
            counterparty=fund.name,
            method=Method.BANK,
            description=_("Received from %(fund)s (%(unit)s)")
            % {"fund": fund.name, "unit": fund.unit.name},
            counterpart=out,
        )
    Fund.objects.filter(pk=fund.pk).update(successor=successor, ended_on=date)
    fund.successor, fund.ended_on = successor, date
    audit(
        by=by,
        action="funds.fund.transfer",
        target=fund,
        unit=fund.unit,
        changes={"successor": successor.pk, "amount": out.amount if out else 0},
    )
    return out, inn
