"""The registration workflow as data: statuses, the one table of allowed moves, who may act.

    registered ──score──▶ scored ──propose──▶ proposed(level L)
                            ▲                     │ approve at L, not the last → proposed(L+1)
                            └──── return ─────────┤ approve at the last level → recognized
                                                  └ reject → not_recognized
    recognized ──revoke──▶ revoked          registered/scored/proposed ──withdraw──▶ withdrawn

"score" is a sheet with points for every criterion (0 is points); a sheet saved with some
criteria left empty is a draft ("score_partly"), which keeps the file registered (or puts
a scored file back there), and a save that leaves no points at all is refused.

A registration is created directly as `registered` (the design's "draft" is the form before
saving). The approval chain is `criteria_set.approval_levels`, e.g. ["commune", "district",
"province"]. Its first entry is always the commune, the level that registers, scores and
proposes; `registration.current_level` is an index into that list: 0 while the commune works
on the file, then the index of the level whose approvers must act now, and
`registration.awaiting_unit` is that unit (the district or province above the commune). A level
of the chain with no unit above the commune (no district after 1 July 2025) is skipped.

Each `check_<action>(user, registration)` returns None when the user may act now, else the
reason as a sentence for the person; `can_<action>` is the same answer as a boolean, for
templates. The services enforce the checks; views use them to decide which buttons to show.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.workflow import Moves
from units.models import Level, Role
from units.scoping import has_role, is_within, scope_of


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    SCORED = "scored", _("Scored")
    PROPOSED = "proposed", _("Proposed")
    RECOGNIZED = "recognized", _("Recognised")
    NOT_RECOGNIZED = "not_recognized", _("Not recognised")
    REVOKED = "revoked", _("Revoked")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses in which the commune still works on the file.
OPEN = frozenset({Status.REGISTERED, Status.SCORED, Status.PROPOSED})
# No move leaves these (a recognition can still be revoked, so it is not here).
FINAL = frozenset({Status.NOT_RECOGNIZED, Status.REVOKED, Status.WITHDRAWN})


class Action(models.TextChoices):
    REGISTER = "register", _("Registered")
    SCORE = "score", _("Scores saved")
    SCORE_PARTLY = "score_partly", _("Scores saved, not complete")
    PROPOSE = "propose", _("Proposed for recognition")
    APPROVE = "approve", _("Approved and sent on")
    RECOGNIZE = "recognize", _("Approved and recognised")
    RETURN = "return", _("Returned for correction")
    REJECT = "reject", _("Not recognised")
    REVOKE = "revoke", _("Recognition revoked")
    WITHDRAW = "withdraw", _("Withdrawn")
    ATTACH_EVIDENCE = "attach_evidence", _("Evidence attached")
    REMOVE_EVIDENCE = "remove_evidence", _("Evidence removed")
    EDIT_DECISION = "edit_decision", _("Decision edited")
    ISSUE_DECISION = "issue_decision", _("Decision issued")
    PASS_ON = "pass_on", _("Passed on: the level ended")


# THE table of allowed moves: action -> (statuses it may start from, status it leads to).
# None as the target keeps the status (the action is recorded but moves nothing).
MOVES = Moves(
    {
        Action.REGISTER: ((), Status.REGISTERED),
        # A file counts as scored only when every criterion has points (0 is points): a
        # sheet saved with some left empty is a draft, and the file waits for scores.
        Action.SCORE: ({Status.REGISTERED, Status.SCORED}, Status.SCORED),
        Action.SCORE_PARTLY: ({Status.REGISTERED, Status.SCORED}, Status.REGISTERED),
        Action.PROPOSE: ({Status.SCORED}, Status.PROPOSED),
        Action.APPROVE: ({Status.PROPOSED}, Status.PROPOSED),
        Action.RECOGNIZE: ({Status.PROPOSED}, Status.RECOGNIZED),
        Action.RETURN: ({Status.PROPOSED}, Status.SCORED),
        Action.REJECT: ({Status.PROPOSED}, Status.NOT_RECOGNIZED),
        Action.REVOKE: ({Status.RECOGNIZED}, Status.REVOKED),
        Action.WITHDRAW: (OPEN, Status.WITHDRAWN),
        Action.ATTACH_EVIDENCE: ({Status.REGISTERED, Status.SCORED}, None),
        Action.REMOVE_EVIDENCE: ({Status.REGISTERED, Status.SCORED}, None),
        Action.EDIT_DECISION: ({Status.RECOGNIZED}, None),
        Action.ISSUE_DECISION: ({Status.RECOGNIZED}, None),
        # The rule, not a person: a file waiting at a unit that ended (the districts, on
        # 30 June 2025) waits at the next level of its chain (models_learning.ended_levels).
        Action.PASS_ON: ({Status.PROPOSED}, None),
    },
    statuses=Status,
    not_now=_("This cannot be done now: the registration is %(status)s."),
)
allows = MOVES.allows
target = MOVES.target


# Who acts at each approving level: a district reviewer forwards or returns; only approvers
# decide (recognise, reject, revoke).
APPROVING_ROLES = {
    Level.DISTRICT: frozenset({Role.REVIEWER, Role.APPROVER}),
    Level.PROVINCE: frozenset({Role.APPROVER}),
}
DECIDING_ROLES = frozenset({Role.APPROVER})
COMMUNE_ROLES = frozenset({Role.OFFICER})

# Levels in the order a file climbs; a set's chain must follow it.
LEVEL_ORDER = [Level.COMMUNE, Level.DISTRICT, Level.PROVINCE]


def check_approval_levels(levels):
    """None if `levels` is a valid chain, else what is wrong (for criteria-set forms)."""
    if (
        not isinstance(levels, list | tuple)
        or len(levels) < 2
        or levels[0] != Level.COMMUNE
        or any(level not in LEVEL_ORDER for level in levels)
        or [LEVEL_ORDER.index(level) for level in levels]
        != sorted({LEVEL_ORDER.index(level) for level in levels})
    ):
        return gettext(
            "The approval chain must start at the commune and climb, e.g. commune, province."
        )
    return None


# --- who may act -------------------------------------------------------------------------


def _is_staff_of(user, unit, roles):
    """Holds one of `roles` through a membership of `unit` or above (lineage is read-only)."""
    return bool(user.is_authenticated) and has_role(user, unit, *roles)


def _holds_exactly(user, unit_id, roles_by_level):
    """Holds a role fit for the unit's level through a membership of exactly that unit."""
    if not user.is_authenticated or unit_id is None:
        return False
    scope = scope_of(user)
    if scope.is_superuser:
        return True
    return any(
        m.unit_id == unit_id and m.role in roles_by_level.get(m.unit.level, ())
        for m in scope.memberships
    )


def _status_text(registration):
    return Status(registration.status).label


def _not_now(registration):
    return MOVES.not_now_in(registration.status)


def _officer_problem(user, unit):
    if not _is_staff_of(user, unit, COMMUNE_ROLES):
        return gettext("Only an officer of %(unit)s can do this.") % {"unit": unit}
    return None


def check_register(user, unit):
    """May `user` register subjects of the commune `unit`? (Takes the unit: no file yet.)"""
    if unit is None or unit.level != Level.COMMUNE:
        return gettext("Registrations are made by a commune.")
    return _officer_problem(user, unit)


def _commune_action(action, user, registration):
    return _officer_problem(user, registration.unit) or MOVES.refusal(action, registration.status)


def check_score(user, registration):
    return _commune_action(Action.SCORE, user, registration)


def check_propose(user, registration):
    if registration.status == Status.REGISTERED and not _officer_problem(user, registration.unit):
        return gettext("Score every criterion before proposing (0 is a value).")
    return _commune_action(Action.PROPOSE, user, registration)


def check_withdraw(user, registration):
    return _commune_action(Action.WITHDRAW, user, registration)


def check_attach_evidence(user, registration):
    return _commune_action(Action.ATTACH_EVIDENCE, user, registration)


def _awaiting_problem(user, registration, roles_by_level):
    if registration.status != Status.PROPOSED:
        return gettext("This registration is not waiting for approval: it is %(status)s.") % {
            "status": _status_text(registration).lower()
        }
    if not _holds_exactly(user, registration.awaiting_unit_id, roles_by_level):
        return gettext("It waits for a decision at %(unit)s; you cannot act at that level.") % {
            "unit": registration.awaiting_unit
        }
    return None


def check_approve(user, registration):
    return _awaiting_problem(user, registration, APPROVING_ROLES)


def check_return(user, registration):
    return _awaiting_problem(user, registration, APPROVING_ROLES)


def check_reject(user, registration):
    return _awaiting_problem(user, registration, dict.fromkeys(APPROVING_ROLES, DECIDING_ROLES))


def _recognition_problem(action, user, registration):
    if not allows(action, registration.status):
        return MOVES.refusal(action, registration.status)
    recognition = getattr(registration, "recognition", None)
    if recognition is None:
        return _not_now(registration)
    if not _is_staff_of(user, recognition.issuing_unit, DECIDING_ROLES):
        return gettext("Only an approver of %(unit)s can do this.") % {
            "unit": recognition.issuing_unit
        }
    return None


def check_revoke(user, registration):
    return _recognition_problem(Action.REVOKE, user, registration)


def check_edit_decision(user, registration):
    problem = _recognition_problem(Action.EDIT_DECISION, user, registration)
    if problem is None and registration.recognition.issued_at is not None:
        problem = gettext("The decision has been issued: it can no longer be edited.")
    return problem


def check_issue_decision(user, registration):
    return check_edit_decision(user, registration)


def check_view(user, registration):
    if not is_within(user, registration.unit):
        return gettext("This registration is outside your units.")
    return None


CHECKS = {
    Action.SCORE: check_score,  # also a draft (score_partly): the same form and button
    Action.PROPOSE: check_propose,
    Action.APPROVE: check_approve,
    Action.RETURN: check_return,
    Action.REJECT: check_reject,
    Action.REVOKE: check_revoke,
    Action.WITHDRAW: check_withdraw,
    Action.ATTACH_EVIDENCE: check_attach_evidence,
    Action.REMOVE_EVIDENCE: check_attach_evidence,
    Action.EDIT_DECISION: check_edit_decision,
    Action.ISSUE_DECISION: check_issue_decision,
}


def can_register(user, unit):
    return check_register(user, unit) is None


def can_view(user, registration):
    return check_view(user, registration) is None


def can_score(user, registration):
    return check_score(user, registration) is None


def can_propose(user, registration):
    return check_propose(user, registration) is None


def can_approve(user, registration):
    return check_approve(user, registration) is None


def can_return(user, registration):
    return check_return(user, registration) is None


def can_reject(user, registration):
    return check_reject(user, registration) is None


def can_revoke(user, registration):
    return check_revoke(user, registration) is None


def can_withdraw(user, registration):
    return check_withdraw(user, registration) is None


def can_attach_evidence(user, registration):
    return check_attach_evidence(user, registration) is None


def can_edit_decision(user, registration):
    return check_edit_decision(user, registration) is None


def allowed_actions(user, registration):
    """The actions `user` may take on `registration` now (for the buttons of its page).

    "approve" stands for both approve-and-send-on and the final approval. No query when the
    registration comes from the selectors (unit, awaiting unit and recognition joined).
    """
    actions = {action for action, check in CHECKS.items() if check(user, registration) is None}
    return actions


def can_manage_criteria(user):
    """Criteria sets are the province's: its managers and approvers create and edit them."""
    if not user.is_authenticated:
        return False
    scope = scope_of(user)
    return scope.is_superuser or any(
        m.unit.level == Level.PROVINCE and m.role in {Role.MANAGER, Role.APPROVER}
        for m in scope.memberships
    )
