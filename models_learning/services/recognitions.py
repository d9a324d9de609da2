"""Recognitions: the decision (numbered per issuing unit and year), the certificate code,
editing the decision before it is issued, issuing it, revoking it."""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib import province
from lib.counters import next_number
from lib.dates import local_today
from lib.errors import DomainError

from .. import workflow
from ..models import DecisionCounter, Recognition
from ..workflow import Action
from ._common import clean_text, guard, lock, move, record

# No 0/O and no 1/I/L: a code copied from paper or read aloud is not mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6


def decision_suffix():
    return province.current().decision_suffix


def certificate_prefix():
    return province.current().certificate_prefix


def next_decision_number(unit, year):
    """The next decision number of `unit` in `year`, e.g. "12/QĐ-HKH" (counter row locked)."""
    return f"{next_number(DecisionCounter, unit=unit, year=year)}/{decision_suffix()}"


def new_certificate_code(year):
    """A short public code such as "DB-2026-7KQ4M2": random, unique, unambiguous letters."""
    for _attempt in range(10):
        random_part = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        code = f"{certificate_prefix()}-{year}-{random_part}"
        if not Recognition.objects.filter(certificate_code=code).exists():
            return code
    raise RuntimeError("Could not draw a free certificate code.")  # pragma: no cover


def validity(decision_date, years):
    """(valid_from, valid_to): from the decision date for `years` years, to the day before."""
    try:
        end = decision_date.replace(year=decision_date.year + years)
    except ValueError:  # 29 February
        end = decision_date.replace(year=decision_date.year + years, day=28)
    return decision_date, end - datetime.timedelta(days=1)


def _check_decision(decision_number, decision_date):
    number = clean_text(
        decision_number,
        field="decision_number",
        required_message=_("Enter the decision number."),
        max_length=50,
    )
    if not isinstance(decision_date, datetime.date):
        raise DomainError(_("Enter the decision date."), "decision_date")
    if decision_date > local_today():
        raise DomainError(_("The decision date cannot be in the future."), "decision_date")
    return number, decision_date


def recognise(registration, *, issuing_unit, decision_number=None, decision_date=None):
    """Create the Recognition of a registration approved at its last level (no checks: the
    caller, approve_registration, has checked and locked)."""
    decision_date = decision_date or local_today()
    if decision_number:
        decision_number, decision_date = _check_decision(decision_number, decision_date)
    else:
        decision_number = next_decision_number(issuing_unit, decision_date.year)
    valid_from, valid_to = validity(decision_date, registration.criteria_set.validity_years)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return Recognition.objects.create(
                    registration=registration,
                    issuing_unit=issuing_unit,
                    decision_number=decision_number,
                    decision_date=decision_date,
                    valid_from=valid_from,
                    valid_to=valid_to,
                    certificate_code=new_certificate_code(registration.year),
                )
        except IntegrityError:
            if Recognition.objects.filter(registration=registration).exists():
                raise DomainError(_("This registration is already recognised.")) from None
    raise DomainError(_("This registration is already recognised."))  # pragma: no cover


def _registration_of(item):
    return item.registration if isinstance(item, Recognition) else item


@transaction.atomic
def revoke_recognition(recognition, *, by, reason):
    """Revoke a recognition (recognised → revoked): the verification page then says so.

    Takes the Recognition or its Registration; the reason is required.
    """
    registration = lock(_registration_of(recognition))
    guard(workflow.check_revoke(by, registration))
    reason = clean_text(
        reason,
        field="reason",
        required_message=_("Say why the recognition is revoked."),
        max_length=2000,
    )
    recognition = Recognition.objects.select_for_update().get(registration=registration)
    recognition.revoked_at = timezone.now()
    recognition.revoke_reason = reason
    recognition.save(update_fields=["revoked_at", "revoke_reason"])
    move(
        registration,
        Action.REVOKE,
        by=by,
        level=recognition.issuing_unit.level,
        unit=recognition.issuing_unit,
        reason=reason,
        data={"certificate_code": recognition.certificate_code},
    )
    return recognition


@transaction.atomic
def update_decision(recognition, *, by, decision_number, decision_date):
    """Correct the decision number and date (validity follows) until the decision is issued."""
    registration = lock(_registration_of(recognition))
    guard(workflow.check_edit_decision(by, registration))
    number, day = _check_decision(decision_number, decision_date)
    recognition = Recognition.objects.select_for_update().get(registration=registration)
    before = {
        "decision_number": recognition.decision_number,
        "decision_date": str(recognition.decision_date),
    }
    recognition.decision_number = number
    recognition.decision_date = day
    recognition.valid_from, recognition.valid_to = validity(
        day, registration.criteria_set.validity_years
    )
    recognition.save(update_fields=["decision_number", "decision_date", "valid_from", "valid_to"])
    record(
        registration,
        Action.EDIT_DECISION,
        by=by,
        from_status=registration.status,
        level=recognition.issuing_unit.level,
        unit=recognition.issuing_unit,
        data={"before": before, "decision_number": number, "decision_date": str(day)},
    )
    return recognition


@transaction.atomic
def issue_decision(recognition, *, by):
    """Mark the decision as issued: from now on its number and date are fixed."""
    registration = lock(_registration_of(recognition))
    guard(workflow.check_issue_decision(by, registration))
    recognition = Recognition.objects.select_for_update().get(registration=registration)
    recognition.issued_at = timezone.now()
    recognition.save(update_fields=["issued_at"])
    record(
        registration,
        Action.ISSUE_DECISION,
        by=by,
        from_status=registration.status,
        level=recognition.issuing_unit.level,
        unit=recognition.issuing_unit,
        data={"decision_number": recognition.decision_number},
    )
    return recognition
