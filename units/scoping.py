"""Who may see and touch which units: the one place every app asks.

A membership (user, unit, role) reaches the unit's whole subtree. Reading also reaches back
through lineage: the officer of a commune formed in 2025 reads the files of the communes it
was formed from (and of theirs), so that last year's work can be carried over. Writing stays
inside the current subtree of the membership itself.
"""

from functools import cache

from django.db import connections, router
from django.db.models import Q

from . import lineage
from .models import Membership, Role, Unit, UnitChange

# Rank of the working roles; "manager" (accounts) is granted only by a manager.
ROLE_RANK = {Role.VIEWER: 0, Role.OFFICER: 1, Role.REVIEWER: 2, Role.APPROVER: 3}

_CACHE_ATTR = "_khuyenhoc_scope"


class Scope:
    """A user's memberships and the lineage paths they may read, computed once per request."""

    def __init__(self, user):
        self.is_superuser = bool(user.is_active and user.is_superuser)
        if not user.is_authenticated or not user.is_active:
            self.memberships, formed_from = [], set()
        else:
            self.memberships, formed_from = _memberships_of(user.pk)
        own_paths = {m.unit.path for m in self.memberships}
        # Lineage is followed only from the units some change formed: usually none, no query.
        predecessors = lineage.predecessor_paths(formed_from) if formed_from else set()
        self.read_paths = _minimal_prefixes(own_paths | predecessors)

    def roles_at(self, unit):
        """The roles whose membership subtree holds `unit`."""
        return {m.role for m in self.memberships if unit.path.startswith(m.unit.path)}

    def units_with(self, *roles):
        return [m.unit for m in self.memberships if m.role in roles]


@cache
def _memberships_sql(vendor):
    """The memberships of a user with their units, and whether a change formed each unit.

    Built once per process: on every staff request the ORM's compilation of the same query
    cost more than running it."""
    del vendor  # one statement per database vendor (quoting)
    quote = connections[router.db_for_read(Membership)].ops.quote_name
    membership, unit, change = Membership._meta, Unit._meta, UnitChange._meta
    columns = ", ".join(f"u.{quote(f.column)}" for f in unit.concrete_fields)
    successor = quote(change.get_field("successor").column)
    return (
        f"SELECT {columns}, m.{quote(membership.pk.column)} AS membership_id, "
        f"m.{quote(membership.get_field('role').column)} AS membership_role, "
        f"EXISTS (SELECT 1 FROM {quote(change.db_table)} c WHERE c.{successor} = "
        f"u.{quote(unit.pk.column)}) AS formed_by_change "
        f"FROM {quote(membership.db_table)} m INNER JOIN {quote(unit.db_table)} u "
        f"ON u.{quote(unit.pk.column)} = m.{quote(membership.get_field('unit').column)} "
        f"WHERE m.{quote(membership.get_field('user').column)} = %s "
        f"ORDER BY u.{quote(unit.get_field('path').column)}, "
        f"m.{quote(membership.get_field('role').column)}"
    )


def _memberships_of(user_id):
    """([Membership with its unit loaded], {ids of its units that a change formed}): one query."""
    using = router.db_for_read(Membership)
    sql = _memberships_sql(connections[using].vendor)
    memberships, formed_from = [], set()
    for unit in Unit.objects.raw(sql, [user_id]).using(using):
        membership = Membership.from_db(
            using,
            ["id", "user_id", "unit_id", "role"],
            [unit.membership_id, user_id, unit.pk, unit.membership_role],
        )
        membership.unit = unit
        memberships.append(membership)
        if unit.formed_by_change:
            formed_from.add(unit.pk)
    return memberships, formed_from


def _minimal_prefixes(paths):
    """Drop paths already covered by a shorter one, so filters stay few."""
    kept = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return sorted(kept)


def scope_of(user):
    scope = getattr(user, _CACHE_ATTR, None)
    if scope is None:
        scope = Scope(user)
        if user.is_authenticated:
            setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user):
    """Call after a user's memberships change within the same request or test."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def under_paths(paths, field="path"):
    """A Q on `field` (a path column) matching what lies under any of `paths`; none if empty."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def path_filter(user, field="path"):
    """A Q on `field` (a path column, e.g. "unit__path") limited to what `user` may read.

    Returns None for a superuser (no limit). Every other app builds its selectors on this.
    """
    scope = scope_of(user)
    if scope.is_superuser:
        return None
    return under_paths(scope.read_paths, field)


def scoped(queryset, user, field="path"):
    """`queryset` cut down to the rows whose `field` path `user` may read."""
    condition = path_filter(user, field)
    return queryset if condition is None else queryset.filter(condition)


def units_visible_to(user):
    """Every unit the user may read: their subtrees and those of their units' predecessors."""
    return scoped(Unit.objects.all(), user)


def is_within(user, unit):
    """May `user` read `unit`?"""
    scope = scope_of(user)
    return scope.is_superuser or any(unit.path.startswith(p) for p in scope.read_paths)


def has_role(user, unit, *roles):
    """Does `user` hold one of `roles` over `unit`, through a membership of the unit or above?

    History reached only through lineage is read-only: it answers False here.
    """
    scope = scope_of(user)
    if scope.is_superuser:
        return True
    return bool(scope.roles_at(unit) & set(roles))


def can_edit_unit(user, unit):
    """Villages, branches and figures of a current commune: its officers, and managers above."""
    return unit.is_current and has_role(user, unit, Role.OFFICER, Role.MANAGER)


def can_enter_figures(user, unit):
    return can_edit_unit(user, unit)


def can_manage_accounts(user, unit=None):
    """Account management: a manager, inside their own subtree."""
    scope = scope_of(user)
    if scope.is_superuser:
        return True
    if unit is None:
        return bool(scope.units_with(Role.MANAGER))
    return Role.MANAGER in scope.roles_at(unit)


def grantable_roles(user, unit):
    """Roles `user` may give over `unit`: none above their own working role there."""
    scope = scope_of(user)
    if scope.is_superuser:
        return list(Role.values)
    held = scope.roles_at(unit)
    if Role.MANAGER not in held:
        return []
    best = max((ROLE_RANK[r] for r in held if r in ROLE_RANK), default=-1)
    roles = [r for r, rank in ROLE_RANK.items() if rank <= best]
    # A fund keeper handles money: named by a manager who works there (an officer or above)
    # or keeps the funds there themselves, never by a manager who only manages accounts.
    keeper = best >= ROLE_RANK[Role.OFFICER] or Role.TREASURER in held
    return [*roles, Role.MANAGER, *([Role.TREASURER] if keeper else [])]
