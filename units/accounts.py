"""Which accounts and units a manager may manage: reads for the account pages and services.

A manager manages the accounts all of whose memberships lie inside the subtrees where they
hold the manager role, and may grant roles only in the current units of those subtrees.
Superuser accounts are managed in the administration site, never here.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from .models import Level, Membership, Role, Unit
from .scoping import scope_of, under_paths


def manager_paths(user):
    """Paths of the units where `user` is a manager (shortest prefixes only)."""
    kept = []
    for path in sorted((u.path for u in scope_of(user).units_with(Role.MANAGER)), key=len):
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return kept


def manages_unit(user, unit):
    """Is `unit` inside a subtree where `user` is a manager (or is `user` a superuser)?"""
    if scope_of(user).is_superuser:
        return True
    return any(unit.path.startswith(path) for path in manager_paths(user))


def units_manageable_by(user):
    """Current units in which `user` may grant roles."""
    units = Unit.objects.current()
    if scope_of(user).is_superuser:
        return units
    return units.filter(under_paths(manager_paths(user), "path"))


def grantable_units(user):
    """The units offered in the account forms: current units above the branches."""
    return units_manageable_by(user).exclude(level=Level.BRANCH).order_by("path")


def accounts_manageable_by(user):
    """Accounts `user` may see and edit: for a manager, those wholly inside their subtrees."""
    accounts = get_user_model().objects.filter(is_superuser=False)
    if scope_of(user).is_superuser:
        return accounts
    paths = manager_paths(user)
    if not paths:
        return accounts.none()
    memberships = Membership.objects.filter(user=OuterRef("pk"))
    return accounts.filter(Exists(memberships)).exclude(
        Exists(memberships.exclude(under_paths(paths, "unit__path")))
    )
