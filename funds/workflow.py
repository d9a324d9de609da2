"""Who may do what with a fund, and the closing of a year as data (lib.workflow).

open ──close──▶ closed ──approve──▶ approved
  ▲               │
  └── returned ◀──┘ return (reason)      (a returned year takes entries again, then closes)

The fund keeper (Role.TREASURER) of the fund's unit, or of a unit above it, posts entries,
prepares award lists and closes years, while the unit is current. The approver of the level
above the fund's unit (Role.APPROVER over its parent) approves or returns a closing. `by=None`
is the system itself (demo data, commands), never a request. Each `check_<action>` answers
None when the user may act now, else the reason as a sentence.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.workflow import Moves
from units.models import Role
from units.scoping import has_role, is_within

from .models import PeriodStatus, ProgrammeStatus

S = PeriodStatus


class Action(models.TextChoices):
    OPEN = "open", _("Year opened")
    CLOSE = "close", _("Year closed")
    APPROVE = "approve", _("Closing approved")
    RETURN = "return", _("Closing returned for correction")


MOVES = Moves(
    {
        Action.OPEN: ({None}, S.OPEN),
        Action.CLOSE: ({S.OPEN, S.RETURNED}, S.CLOSED),
        Action.APPROVE: ({S.CLOSED}, S.APPROVED),
        Action.RETURN: ({S.CLOSED}, S.RETURNED),
    },
    statuses=PeriodStatus,
    not_now=_("This cannot be done now: the year is %(status)s."),
)


def is_keeper(user, fund):
    """The fund keeper of the fund's unit (or above), while the unit and the fund are current."""
    return user is None or has_role(user, fund.unit, Role.TREASURER)


def is_approver_above(user, fund):
    """An approver of the level above the fund's unit (a province fund: an administrator)."""
    if user is None:
        return True
    parent = fund.unit.parent
    if parent is None:
        return bool(user.is_active and user.is_superuser)
    return has_role(user, parent, Role.APPROVER)


def _keeper_problem(user, fund):
    # The system (user None) writes history into an ended unit's fund (demo data, loading).
    if not fund.is_open or (user is not None and not fund.unit.is_current):
        return gettext("This fund has ended: its book takes no new entry.")
    if not is_keeper(user, fund):
        return gettext("Only the fund keeper of %(unit)s can do this.") % {"unit": fund.unit.name}
    return None


def check_post_entry(user, fund):
    return _keeper_problem(user, fund)


def check_create_fund(user, unit):
    if user is not None and not unit.is_current:
        return gettext("This unit has ended: it opens no new fund.")
    if not (user is None or has_role(user, unit, Role.TREASURER)):
        return gettext("Only the fund keeper of %(unit)s can do this.") % {"unit": unit.name}
    return None


def check_transfer(user, fund, successor):
    """The successor's keeper takes over a merged unit's fund that they read by lineage."""
    if user is not None and not is_within(user, fund.unit):
        return gettext("You cannot reach this fund.")
    return _keeper_problem(user, successor)


def check_close(user, period):
    """The keeper closes the year; a fund passed to its successor's (a merger) has its last
    years closed by the successor fund's keeper."""
    fund = period.fund
    if not fund.is_open and fund.successor_id is not None:
        successor = fund.successor
        problem = (
            None
            if is_keeper(user, successor)
            else gettext("Only the fund keeper of %(unit)s can do this.")
            % {"unit": successor.unit.name}
        )
    else:
        problem = _keeper_problem(user, fund)
    return problem or MOVES.refusal(Action.CLOSE, period.status)


def _approver_problem(user, period):
    if not is_approver_above(user, period.fund):
        return gettext("Only an approver of the level above approves or returns a closing.")
    return MOVES.refusal(Action.APPROVE, period.status)


def check_approve(user, period):
    return _approver_problem(user, period)


def check_return(user, period):
    return _approver_problem(user, period)


def check_edit_programme(user, programme):
    problem = _keeper_problem(user, programme.fund)
    if problem:
        return problem
    if programme.status != ProgrammeStatus.DRAFT:
        return gettext("This list is paid: it cannot change any more.")
    return None


def can(check, *args):
    return check(*args) is None
