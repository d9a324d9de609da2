"""The rating workflow as data, and who may do what: services enforce it, templates show it.

self_assessed ──submit──▶ submitted ──rate──▶ rated ──publish──▶ published
      ▲                       │                 │
      └──── save ◀─ returned ◀┴──── return ─────┘      (rate again while rated: allowed)

A commune officer acts for the centres of their own (current) commune; province staff are
approvers or managers of a province (the rating, its return and publication need approver).
`by=None` is the system itself (demo data, management commands), never a request.
"""

from units.models import Level, Role
from units.scoping import has_role, scope_of

from .models import RatingStatus

S = RatingStatus

# action -> (statuses it starts from, status it ends in); None is "no rating yet".
MOVES = {
    "self_assess": ({None, S.SELF_ASSESSED, S.RETURNED}, S.SELF_ASSESSED),
    "submit": ({S.SELF_ASSESSED}, S.SUBMITTED),
    "rate": ({S.SUBMITTED, S.RATED}, S.RATED),
    "return": ({S.SUBMITTED, S.RATED}, S.RETURNED),
    "publish": ({S.RATED}, S.PUBLISHED),
}
EVIDENCE_STATUSES = {S.SELF_ASSESSED, S.RETURNED}


def allowed(action, status):
    return status in MOVES[action][0]


def target(action):
    return MOVES[action][1]


def _has_role(user, unit, *roles):
    return user is None or has_role(user, unit, *roles)


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


def is_commune_officer(user, center):
    """The officer of the centre's commune (or above it), while that commune is current."""
    return center.commune.is_current and _has_role(user, center.commune, Role.OFFICER)


def can_edit_center(user, center):
    return center.is_current and (
        is_commune_officer(user, center) or is_province_staff(user, center.commune)
    )


def can_create_center(user, commune):
    return (
        commune.level == Level.COMMUNE
        and commune.is_current
        and (_has_role(user, commune, Role.OFFICER) or is_province_staff(user, commune))
    )


def can_file_report(user, center):
    return center.is_current and is_commune_officer(user, center)


def can_self_assess(user, center, rating=None):
    status = rating.status if rating is not None else None
    return center.is_current and is_commune_officer(user, center) and allowed("self_assess", status)


def can_submit(user, rating):
    return is_commune_officer(user, rating.center) and allowed("submit", rating.status)


def can_add_evidence(user, rating):
    return is_commune_officer(user, rating.center) and rating.status in EVIDENCE_STATUSES


def can_rate(user, rating):
    return is_province_approver(user, rating) and allowed("rate", rating.status)


def can_return(user, rating):
    return is_province_approver(user, rating) and allowed("return", rating.status)


def can_publish(user, rating):
    return is_province_approver(user, rating) and allowed("publish", rating.status)


def is_province_approver(user, rating):
    """Rating, returning and publishing: an approver of the centre's province."""
    return is_province_staff(user, rating.center.commune, roles=(Role.APPROVER,))


def can_merge_centers(user, commune):
    """Province staff; a merger of the past (e.g. 2020) may be recorded too."""
    return is_province_staff(user, commune)


def can_manage_schemes(user):
    return is_province_staff(user)


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
