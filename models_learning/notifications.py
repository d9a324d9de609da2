"""E-mails of the workflow: a proposal arrives at a level; a file is returned to its officer.

Queued once the change is committed (nothing is sent for a change that fails), to users who
have an e-mail address, and sent by the worker (`send_notification`, a django-tasks task), not
inside the request: a slow or broken mail server never holds a page. A failed send is logged
and tried again after each delay of settings.EMAIL_RETRY_DELAYS (at once when the tasks
backend cannot defer, TASKS_BACKEND=immediate); after the last it is logged as an error, with
the unit the recipients belong to. Never silent.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lib import province
from units.models import Membership, Unit

from .workflow import APPROVING_ROLES

logger = logging.getLogger(__name__)


def _link(registration):
    return f"{settings.SITE_BASE_URL}/portal/registrations/{registration.pk}/"


def _signature():
    return "\n\n--\n" + province.current().association_name


def _place(unit):
    """ "Xã Mường Phăng (unit 42), Tỉnh Điện Biên": which unit, and under which province."""
    top = Unit.objects.filter(pk=unit.ancestor_ids()[0]).values_list("name", flat=True).first()
    place = f"{unit.name} (unit {unit.pk})"
    return place if top in (None, unit.name) else f"{place}, {top}"


def _queue(subject, body, recipients, *, unit, registration):
    """Queue one e-mail to `recipients` [(user id, address)] once the transaction commits."""
    recipients = sorted({(user_id, email) for user_id, email in recipients if email})
    if not recipients:
        return
    message = {
        "subject": subject,
        "body": body + _signature(),
        "to": [email for _user_id, email in recipients],
        # For the logs: who (user ids, not addresses) and where, should it fail.
        "user_ids": [user_id for user_id, _email in recipients],
        "place": _place(unit),
        "registration_id": registration.pk,
    }
    transaction.on_commit(lambda: _enqueue(message, attempt=1))


def _enqueue(message, *, attempt, delay=None):
    queued = send_notification
    if delay and queued.get_backend().supports_defer:
        queued = queued.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    try:
        queued.enqueue(message, attempt)
    except Exception:  # the change is committed: say loudly that its e-mail is lost
        logger.exception(
            "Notification %r to users %s of %s could not be queued.",
            message["subject"],
            message["user_ids"],
            message["place"],
            extra=_log_fields(message, attempt),
        )


def _log_fields(message, attempt):
    return {
        "notification_to_users": message["user_ids"],
        "notification_unit": message["place"],
        "registration_id": message["registration_id"],
        "attempt": attempt,
    }


class NotificationNotSent(Exception):
    """The last attempt failed (the task is then marked failed, after the logged error)."""


@task()
def send_notification(message, attempt=1):
    """Send one queued e-mail; on failure queue the next attempt, or log an error after the last."""
    try:
        EmailMessage(message["subject"], message["body"], None, message["to"]).send()
    except Exception as error:
        delays = settings.EMAIL_RETRY_DELAYS
        attempts = len(delays) + 1
        fields = _log_fields(message, attempt)
        if attempt < attempts:
            delay = delays[attempt - 1]
            logger.warning(
                "Notification %r to users %s of %s failed (attempt %s of %s: %s); "
                "trying again in %s s.",
                message["subject"],
                message["user_ids"],
                message["place"],
                attempt,
                attempts,
                error,
                delay,
                extra=fields,
            )
            _enqueue(message, attempt=attempt + 1, delay=delay)
            return "retrying"
        logger.error(
            "Notification %r to users %s of %s NOT SENT after %s attempts.",
            message["subject"],
            message["user_ids"],
            message["place"],
            attempts,
            exc_info=error,
            extra=fields,
        )
        raise NotificationNotSent(str(error)) from error
    return "sent"


def proposal_arrived(registration):
    """Tell the reviewers/approvers of the unit the proposal now waits at."""
    unit = registration.awaiting_unit
    roles = APPROVING_ROLES.get(unit.level, ())
    recipients = Membership.objects.filter(
        unit=unit, role__in=roles, user__is_active=True
    ).values_list("user_id", "user__email")
    subject = _("Proposal waiting for you: %(name)s (%(year)s)") % {
        "name": registration.subject_name,
        "year": registration.year,
    }
    body = _(
        "%(unit)s proposes %(name)s for the title %(kind)s %(year)s "
        "(total %(total)s points).\n\nOpen it: %(link)s"
    ) % {
        "unit": registration.unit,
        "name": registration.subject_name,
        "kind": registration.get_kind_display(),
        "year": registration.year,
        "total": registration.total_score,
        "link": _link(registration),
    }
    _queue(subject, body, recipients, unit=unit, registration=registration)


def registration_returned(registration, reason):
    """Tell the officer who entered the file that it came back, and why."""
    officer = registration.entered_by
    if officer is None or not officer.is_active:
        return
    subject = _("Returned for correction: %(name)s (%(year)s)") % {
        "name": registration.subject_name,
        "year": registration.year,
    }
    body = _("Reason: %(reason)s\n\nFix it and propose it again: %(link)s") % {
        "reason": reason,
        "link": _link(registration),
    }
    _queue(
        subject,
        body,
        [(officer.pk, officer.email)],
        unit=registration.unit,
        registration=registration,
    )
