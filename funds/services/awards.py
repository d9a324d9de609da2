"""Award and scholarship programmes: their list of recipients, and paying the list at once."""

from django.db import transaction
from django.utils.translation import gettext as _

from lib import workflow as steps
from lib.errors import DomainError
from units.services import audit

from .. import workflow
from ..models import (
    AWARD_PURPOSES,
    AwardProgramme,
    Category,
    EntryKind,
    Method,
    ProgrammeStatus,
    Recipient,
)
from .books import _date, _text, _write_entry, _year, lock_fund, vnd

# --- award programmes ---------------------------------------------------------------------


@transaction.atomic
def create_programme(
    fund, *, by, name, year, category=Category.SCHOLARSHIP, rules="", default_amount=0
):
    """A scholarship or award round of `fund`, its list to be filled, then paid at once."""
    fund = lock_fund(fund)
    steps.guard(workflow.check_post_entry(by, fund))
    name = _text(name, "name")
    year = _year(year)
    if category not in AWARD_PURPOSES:
        raise DomainError(_("Choose a kind of award."), "category")
    amount = vnd(default_amount, "default_amount") if default_amount else 0
    if AwardProgramme.objects.filter(fund=fund, name__iexact=name).exists():
        raise DomainError(_("This fund already has a programme of that name."), "name")
    return AwardProgramme.objects.create(
        fund=fund,
        name=name,
        year=year,
        category=category,
        rules=_text(rules, "rules", required=False, max_length=4000),
        default_amount=amount,
    )


def lock_programme(programme):
    return steps.lock(
        AwardProgramme.objects.select_related("fund__unit"),
        programme.pk,
        _("This programme no longer exists."),
    )


@transaction.atomic
def add_recipient(
    programme, *, by, name, amount=None, school="", grade="", achievement="", household=""
):
    """Put a pupil, student or teacher on an unpaid list (the programme's amount by default)."""
    programme = lock_programme(programme)
    steps.guard(workflow.check_edit_programme(by, programme))
    amount = vnd(amount if amount not in (None, "") else programme.default_amount or None)
    return Recipient.objects.create(
        programme=programme,
        name=_text(name, "name"),
        school=_text(school, "school", required=False),
        grade=_text(grade, "grade", required=False, max_length=50),
        achievement=_text(achievement, "achievement", required=False, max_length=300),
        household=_text(household, "household", required=False),
        amount=amount,
    )


@transaction.atomic
def remove_recipient(recipient, *, by):
    """Take a recipient off an unpaid list."""
    programme = lock_programme(recipient.programme)
    steps.guard(workflow.check_edit_programme(by, programme))
    Recipient.objects.filter(pk=recipient.pk, entry__isnull=True).delete()


@transaction.atomic
def pay_programme(programme, *, by, date, method=Method.CASH):
    """Pay the whole list: one payment voucher per recipient, all in one transaction (the
    fund's balance checked for the total first); the list is then closed."""
    programme = lock_programme(programme)
    steps.guard(workflow.check_edit_programme(by, programme))
    fund = lock_fund(programme.fund)
    steps.guard(workflow.check_post_entry(by, fund))
    date = _date(date, fund)
    if method not in Method.values:
        raise DomainError(_("Choose cash or bank transfer."), "method")
    recipients = list(programme.recipients.filter(entry__isnull=True).order_by("id"))
    if not recipients:
        raise DomainError(_("The list has no recipient yet."))
    total = sum(r.amount for r in recipients)
    if fund.balance - total < 0 and not fund.allow_negative:
        raise DomainError(
            _("The list totals %(total)s đ but the fund holds %(balance)s đ.")
            % {
                "total": f"{total:,}".replace(",", "."),
                "balance": f"{fund.balance:,}".replace(",", "."),
            }
        )
    for recipient in recipients:
        entry = _write_entry(
            fund,
            by=by,
            kind=EntryKind.PAYMENT,
            date=date,
            amount=recipient.amount,
            category=programme.category,
            counterparty=recipient.name,
            method=method,
            description=programme.name[:500],
        )
        Recipient.objects.filter(pk=recipient.pk).update(entry=entry)
    programme.status, programme.paid_on = ProgrammeStatus.PAID, date
    programme.save(update_fields=["status", "paid_on"])
    audit(
        by=by,
        action="funds.programme.pay",
        target=programme,
        unit=fund.unit,
        changes={"recipients": len(recipients), "total": total},
    )
    return programme
