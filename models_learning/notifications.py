"""E-mails of the workflow: a proposal arrives at a level; a file is returned to its officer.

Sent once the change is committed (nothing is sent for a change that fails), to users
who have an e-mail address; the console backend prints them in development.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from units.models import Membership

from .workflow import APPROVING_ROLES


def _link(registration):
    return f"{settings.SITE_BASE_URL}/portal/registrations/{registration.pk}/"


def _send_later(subject, body, recipients):
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=True))


def proposal_arrived(registration):
    """Tell the reviewers/approvers of the unit the proposal now waits at."""
    unit = registration.awaiting_unit
    roles = APPROVING_ROLES.get(unit.level, ())
    emails = Membership.objects.filter(unit=unit, role__in=roles, user__is_active=True).values_list(
        "user__email", flat=True
    )
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
    _send_later(subject, body, emails)


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
    _send_later(subject, body, [officer.email])
