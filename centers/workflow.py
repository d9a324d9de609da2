"""The rating workflow as data, and who may do what: services enforce it, templates show it.

self_assessed ──submit──▶ submitted ──rate──▶ rated ──publish──▶ published
      ▲                       │                 │
      └──── save ◀─ returned ◀┴──── return ─────┘      (rate again while rated: allowed)

A commune officer acts for the centres of their own (current) commune; province staff are
approvers or managers of a province (the rating, its return and publication need approver).
`by=None` is the system itself (demo data, management commands), never a request.

Each `check_<action>(user, …)` returns None when the user may act now, else the reason as a
sentence for the person; `can_<action>` is the same answer as a boolean, for the buttons.
The services guard with the checks; the staff pages show the reason in place of the action.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.workflow import Moves
from units.models import Level, Role
from units.scoping import has_role, scope_of

from .models import RatingStatus

S = RatingStatus


class Action(models.TextChoices):
    SELF_ASSESS = "self_assess", _("Self-assessed")
    SUBMIT = "submit", _("Submitted")
    RATE = "rate", _("Rated")
    RETURN = "return", _("Returned for correction")
    PUBLISH = "publish", _("Published")


# THE table of allowed moves: action -> (statuses it starts from, status it ends in);
# None is "no rating yet".
MOVES = Moves(
    {
        Action.SELF_ASSESS: ({None, S.SELF_ASSESSED, S.RETURNED}, S.SELF_ASSESSED),
        Action.SUBMIT: ({S.SELF_ASSESSED}, S.SUBMITTED),
        Action.RATE: ({S.SUBMITTED, S.RATED}, S.RATED),
        Action.RETURN: ({S.SUBMITTED, S.RATED}, S.RETURNED),
        Action.PUBLISH: ({S.RATED}, S.PUBLISHED),
    },
    statuses=RatingStatus,
    not_now=_("This cannot be done now: the rating is %(status)s."),
)
EVIDENCE_STATUSES = {S.SELF_ASSESSED, S.RETURNED}
allows = MOVES.allows
target = MOVES.target


def _has_role(user, unit, *roles):
    return user is None or has_role(user, unit, *roles)


def _status(rating):
    return RatingStatus(rating.status).label.lower()


def is_province_staff(user, unit=None, roles=(Role.APPROVER, Role.MANAGER)):
    """Does `user` hold one of `roles` in a province (over `unit`, if given)?"""
    if user is None:
        return True
    scope = scope_of(user)
    if scope.is_superuser:
        return True
    return any(
        m.role in roles
        and m.unit.level == Level.PROVINCE
        and (unit is None or unit.path.startswith(m.unit.path))
        for m in scope.memberships
    )


def is_province_approver(user, rating):
    """Rating, returning and publishing: an approver of the centre's province."""
    return is_province_staff(user, rating.center.commune, roles=(Role.APPROVER,))


def is_commune_officer(user, center):
    """The officer of the centre's commune (or above it), while that commune is current."""
    return center.commune.is_current and _has_role(user, center.commune, Role.OFFICER)


def _officer_problem(user, center, ended):
    """The centre must be current (else `ended`) and `user` its commune's officer."""
    if not center.is_current or not center.commune.is_current:
        return ended
    if not is_commune_officer(user, center):
        return gettext("Only an officer of %(commune)s can do this.") % {
            "commune": center.commune.name
        }
    return None


def _approver_problem(user, rating):
    if not is_province_approver(user, rating):
        return gettext("Only an approver of the province rates, returns and publishes ratings.")
    return None


# --- the registry, reports, mergers, schemes ------------------------------------------------


def check_create_center(user, commune):
    if not (
        commune.level == Level.COMMUNE
        and commune.is_current
        and (_has_role(user, commune, Role.OFFICER) or is_province_staff(user, commune))
    ):
        return gettext("You cannot register a centre in this commune.")
    return None


def check_edit_center(user, center):
    if not center.is_current:
        return gettext("This centre has ended: it can no longer be changed.")
    if not (is_commune_officer(user, center) or is_province_staff(user, center.commune)):
        return gettext("Only an officer of %(commune)s or province staff can change it.") % {
            "commune": center.commune.name
        }
    return None


def check_file_report(user, center):
    return _officer_problem(
        user, center, gettext("This centre has ended: its reports can no longer be filed.")
    )


def check_merge_centers(user, center):
    """Province staff; a merger of the past (e.g. 2020) may be recorded too."""
    if not is_province_staff(user, center.commune):
        return gettext("Only province staff can merge the centres of this commune.")
    if not center.is_current:
        return gettext("The centre to merge into has itself ended.")
    return None


def check_carry_over(user):
    if not is_province_staff(user):
        return gettext("Only province staff can attach centres to the new communes.")
    return None


def check_manage_schemes(user):
    if not is_province_staff(user):
        return gettext("Only province staff can manage rating schemes.")
    return None


# --- the rating's steps ----------------------------------------------------------------------


def check_self_assess(user, center, rating=None):
    """The commune's own scores, while its rating of the year (if any) is still its own."""
    problem = _officer_problem(
        user, center, gettext("This centre has ended: it is no longer assessed.")
    )
    if problem is None and rating is not None and not allows(Action.SELF_ASSESS, rating.status):
        problem = gettext(
            "The rating for %(year)s already exists and is %(status)s: "
            "the commune can no longer change it."
        ) % {"year": rating.year, "status": _status(rating)}
    return problem


def check_submit(user, rating):
    problem = _officer_problem(
        user, rating.center, gettext("This centre has ended: it is no longer assessed.")
    )
    if problem is None and not allows(Action.SUBMIT, rating.status):
        problem = gettext(
            "Only a self-assessed rating can be submitted; this one is %(status)s."
        ) % {"status": _status(rating)}
    return problem


def check_add_evidence(user, rating):
    problem = _officer_problem(
        user, rating.center, gettext("This centre has ended: it is no longer assessed.")
    )
    if problem is None and rating.status not in EVIDENCE_STATUSES:
        problem = gettext(
            "Evidence is added while the commune self-assesses; this rating is %(status)s."
        ) % {"status": _status(rating)}
    return problem


def check_rate(user, rating):
    problem = _approver_problem(user, rating)
    if problem is None and not allows(Action.RATE, rating.status):
        problem = gettext("Only a submitted rating can be rated; this one is %(status)s.") % {
            "status": _status(rating)
        }
    return problem


def check_return(user, rating):
    problem = _approver_problem(user, rating)
    if problem is None and not allows(Action.RETURN, rating.status):
        problem = gettext(
            "Only a submitted or rated rating can be returned; this one is %(status)s."
        ) % {"status": _status(rating)}
    return problem


def check_publish(user, rating):
    problem = _approver_problem(user, rating)
    if problem is None and not allows(Action.PUBLISH, rating.status):
        problem = gettext("Only a rated centre can be published; this rating is %(status)s.") % {
            "status": _status(rating)
        }
    return problem


# --- the same answers as booleans, for the buttons --------------------------------------------


def can_create_center(user, commune):
    return check_create_center(user, commune) is None


def can_edit_center(user, center):
    return check_edit_center(user, center) is None


def can_file_report(user, center):
    return check_file_report(user, center) is None


def can_merge_centers(user, center):
    return check_merge_centers(user, center) is None


def can_manage_schemes(user):
    return check_manage_schemes(user) is None


def can_self_assess(user, center, rating=None):
    return check_self_assess(user, center, rating) is None


def can_submit(user, rating):
    return check_submit(user, rating) is None


def can_add_evidence(user, rating):
    return check_add_evidence(user, rating) is None


def can_rate(user, rating):
    return check_rate(user, rating) is None


def can_return(user, rating):
    return check_return(user, rating) is None


def can_publish(user, rating):
    return check_publish(user, rating) is None


def rating_actions(user, rating):
    """The buttons a rating page shows: the answers of the predicates above."""
    return {
        "self_assess": can_self_assess(user, rating.center, rating),
        "submit": can_submit(user, rating),
        "evidence": can_add_evidence(user, rating),
        "rate": can_rate(user, rating),
        "return": can_return(user, rating),
        "publish": can_publish(user, rating),
    }
