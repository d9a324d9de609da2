"""Every write to units, their lineage, villages, figures and accounts: one function each."""

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from lib.dates import this_year
from lib.errors import DomainError
from lib.text import nfc

from . import hooks
from .accounts import accounts_manageable_by, manages_unit, units_manageable_by
from .models import (
    ALLOWED_PARENT_LEVELS,
    AuditEntry,
    Level,
    Membership,
    Role,
    Unit,
    UnitChange,
    UnitYearFigures,
    Village,
    unplaced_path,
)
from .scoping import can_edit_unit, forget_scope, grantable_roles


def audit(*, by, action, target, unit=None, changes=None):
    """Write one audit row (who, when, what)."""
    return AuditEntry.objects.create(
        actor=by if by is not None and by.is_authenticated else None,
        action=action,
        unit=unit,
        target=str(target)[:255],
        changes=changes or {},
    )


def check_unit(unit):
    """Raise DomainError if `unit` (saved or not) breaks a rule of the tree."""
    if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
        raise DomainError(_("The end of validity must not be before its start."), "valid_to")
    parent = unit.parent
    allowed = ALLOWED_PARENT_LEVELS[Level(unit.level)]
    if parent is None and allowed:
        raise DomainError(_("This level of unit needs a parent unit."), "parent")
    if parent is not None and parent.level not in allowed:
        raise DomainError(
            _("A %(level)s cannot be placed under a %(parent)s.")
            % {
                "level": Level(unit.level).label.lower(),
                "parent": parent.get_level_display().lower(),
            },
            "parent",
        )
    if (
        parent is not None
        and unit.pk
        and (parent.pk == unit.pk or parent.path.startswith(unit.path))
    ):
        raise DomainError(
            _("A unit cannot be placed under itself or one of its own units."), "parent"
        )
    if unit.level == Level.BRANCH and not unit.kind:
        raise DomainError(_("Choose the kind of branch or board."), "kind")
    if unit.level != Level.BRANCH and unit.kind:
        raise DomainError(_("Only branches and boards have a kind."), "kind")
    if unit.admin_code:
        # Provinces, districts and communes are numbered separately (province 4 and ward 4).
        clash = Unit.objects.filter(admin_code=unit.admin_code, level=unit.level).exclude(
            pk=unit.pk
        )
        # Codes are reused across periods: they must be unique only among units valid together.
        if unit.valid_to:
            clash = clash.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=unit.valid_to))
        if unit.valid_from:
            clash = clash.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=unit.valid_from))
        other = clash.first()
        if other is not None:
            raise DomainError(
                _("The official code %(code)s is already used by %(unit)s in the same period.")
                % {"code": unit.admin_code, "unit": other.name},
                "admin_code",
            )


def _place(unit):
    unit.depth = unit.parent.depth + 1 if unit.parent else 0
    unit.path = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"


def _save_checked(unit, **save):
    """Save `unit`; if the database refuses it (someone took its code a moment ago, which
    PostgreSQL's own constraint caught), say so through check_unit's message."""
    try:
        with transaction.atomic():
            unit.save(**save)
    except IntegrityError:
        check_unit(unit)
        raise


@transaction.atomic
def create_unit(*, by, **fields):
    """Create a unit in the tree, checked, with its path, and audited."""
    unit = Unit(**fields)
    check_unit(unit)
    unit.depth = unit.parent.depth + 1 if unit.parent else 0
    unit.path = unplaced_path(unit.parent)
    _save_checked(unit)
    _place(unit)
    unit.save(update_fields=["path", "depth"])
    audit(by=by, action="unit.create", target=unit, unit=unit, changes={"name": unit.name})
    return unit


@transaction.atomic
def update_unit(unit, *, by, **fields):
    """Change a unit; a new parent moves its whole subtree in one UPDATE."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = {name: str(getattr(unit, name)) for name in fields}
    old_path, old_depth = unit.path, unit.depth
    for name, value in fields.items():
        setattr(unit, name, value)
    check_unit(unit)
    if "parent" in fields:
        _place(unit)
    _save_checked(unit)
    if unit.path != old_path:
        Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
            path=Concat(Value(unit.path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (unit.depth - old_depth),
        )
    changes = {
        n: [before[n], str(getattr(unit, n))] for n in fields if before[n] != str(getattr(unit, n))
    }
    audit(by=by, action="unit.update", target=unit, unit=unit, changes=changes)
    return unit


@transaction.atomic
def record_change(*, by, predecessor, successor, kind, date, legal_basis="", note=""):
    """Link a former unit to the unit it became (merge, split, rename or move)."""
    if predecessor.pk == successor.pk:
        raise DomainError(_("A unit cannot be its own successor."))
    change, created = UnitChange.objects.get_or_create(
        predecessor=predecessor,
        successor=successor,
        defaults={"kind": kind, "date": date, "legal_basis": legal_basis, "note": note},
    )
    if created:
        audit(by=by, action="unit.change", target=change, unit=successor)
    return change


# --- Villages, branches and yearly figures of a commune -------------------------------------

FIRST_FIGURES_YEAR = 2010


def _require_editable(commune, by):
    """A current commune, and (for a person) one they may edit: officers and managers above."""
    if commune.level != Level.COMMUNE:
        raise DomainError(_("Villages, branches and figures belong to a commune."))
    if not commune.is_current:
        raise DomainError(_("%(unit)s has ended: its records are read-only.") % {"unit": commune})
    if by is not None and not can_edit_unit(by, commune):
        raise DomainError(_("You may not change the records of %(unit)s.") % {"unit": commune})


def village_named(commune, name, exclude_pk=None):
    """The village of `commune` called `name`, whatever the case (names are unique so), or
    None."""
    others = Village.objects.filter(commune=commune).exclude(pk=exclude_pk)
    return next((v for v in others if v.name.casefold() == name.casefold()), None)


def _check_village_name(commune, name, exclude_pk=None):
    if not name:
        raise DomainError(_("Enter the name of the village."), "name")
    other = village_named(commune, name, exclude_pk)
    if other is not None:
        raise DomainError(
            _("%(commune)s already has a village named %(name)s.")
            % {"commune": commune, "name": other.name},
            "name",
        )


def _save_village(village, **save):
    """Save `village`; if the database refuses its name (another of the same name, whatever
    its case, was added a moment ago), say so through the name check's message."""
    try:
        with transaction.atomic():
            village.save(**save)
    except IntegrityError:
        _check_village_name(village.commune, village.name, exclude_pk=village.pk)
        raise


@transaction.atomic
def add_village(commune, *, by, name, kind):
    """Add a village (thôn, bản, tổ dân phố) to a current commune; names are unique there."""
    _require_editable(commune, by)
    name = nfc(name)
    _check_village_name(commune, name)
    village = Village(commune=commune, name=name, kind=kind)
    _save_village(village)
    audit(
        by=by,
        action="village.create",
        target=village,
        unit=commune,
        changes={"name": name, "kind": kind},
    )
    return village


@transaction.atomic
def update_village(village, *, by, name, kind, valid_to=None):
    """Rename a village, change its kind or end it; the name stays unique in the commune, and
    the apps that copy village names refresh their copies (units.hooks)."""
    # The village row alone, and not as a key change: locking the commune row too would
    # deadlock with a village being added to it (whose foreign key check needs that row).
    village = (
        Village.objects.select_for_update(of=("self",), no_key=True)
        .select_related("commune")
        .get(pk=village.pk)
    )
    commune = village.commune
    _require_editable(commune, by)
    name = nfc(name)
    _check_village_name(commune, name, exclude_pk=village.pk)
    after = {"name": name, "kind": kind, "valid_to": valid_to}
    changes = {
        field: [str(getattr(village, field)), str(value)]
        for field, value in after.items()
        if getattr(village, field) != value
    }
    for field, value in after.items():
        setattr(village, field, value)
    _save_village(village, update_fields=list(after))
    audit(by=by, action="village.update", target=village, unit=commune, changes=changes)
    if "name" in changes:
        hooks.village_renamed(village)
    return village


def _check_branch_name(commune, name, exclude_pk=None):
    if not name:
        raise DomainError(_("Enter the name of the branch or board."), "name")
    others = (
        Unit.objects.current()
        .filter(parent=commune, level=Level.BRANCH)
        .exclude(pk=exclude_pk)
        .values_list("name", flat=True)
    )
    for other in others:
        if other.casefold() == name.casefold():
            raise DomainError(
                _("%(commune)s already has a branch or board named %(name)s.")
                % {"commune": commune, "name": other},
                "name",
            )


@transaction.atomic
def create_branch(commune, *, by, name, kind, valid_from=None, valid_to=None):
    """Add a branch or board under a current commune (through create_unit: checked, audited)."""
    if commune.level == Level.COMMUNE:
        _require_editable(commune, by)
    name = nfc(name)
    _check_branch_name(commune, name)
    return create_unit(
        by=by,
        name=name,
        level=Level.BRANCH,
        parent=commune,
        kind=kind,
        valid_from=valid_from,
        valid_to=valid_to,
    )


@transaction.atomic
def update_branch(branch, *, by, name, kind, valid_from=None, valid_to=None):
    """Change a branch's name, kind or validity (through update_unit: checked, audited)."""
    if branch.level != Level.BRANCH:
        raise DomainError(_("Only a branch or board can be changed here."))
    commune = Unit.objects.get(pk=branch.parent_id)
    _require_editable(commune, by)
    name = nfc(name)
    _check_branch_name(commune, name, exclude_pk=branch.pk)
    return update_unit(
        branch, by=by, name=name, kind=kind, valid_from=valid_from, valid_to=valid_to
    )


def figures_years():
    """The years for which figures may be entered: 2010 to next year."""
    return range(FIRST_FIGURES_YEAR, this_year() + 2)


FIGURE_FIELDS = ("members", "population", "households", "branches", "boards")


@transaction.atomic
def set_year_figures(commune, year, *, by, **values):
    """Create or replace a commune's figures for a year; districts and the province sum them."""
    _require_editable(commune, by)
    if year not in figures_years():
        raise DomainError(
            _("Figures can be entered for the years %(first)s to %(last)s.")
            % {"first": figures_years()[0], "last": figures_years()[-1]}
        )
    if (commune.valid_from and year < commune.valid_from.year) or (
        commune.valid_to and year > commune.valid_to.year
    ):
        raise DomainError(
            _("%(unit)s did not exist in %(year)s.") % {"unit": commune, "year": year}
        )
    values = {name: values[name] for name in FIGURE_FIELDS}
    for name, value in values.items():
        if value is None or value < 0:
            raise DomainError(_("Enter a number of zero or more."), name)
    if values["members"] > values["population"]:
        raise DomainError(_("Members cannot outnumber the population."), "members")
    figures = UnitYearFigures.objects.select_for_update().filter(unit=commune, year=year).first()
    if figures is None:
        figures = UnitYearFigures.objects.create(unit=commune, year=year, **values)
        changes = {name: [None, value] for name, value in values.items()}
    else:
        changes = {
            name: [getattr(figures, name), value]
            for name, value in values.items()
            if getattr(figures, name) != value
        }
        for name, value in values.items():
            setattr(figures, name, value)
        figures.save(update_fields=list(values))
    audit(by=by, action="figures.set", target=figures, unit=commune, changes=changes)
    return figures


# --- Accounts and memberships ---------------------------------------------------------------


def _require_account_manager(by, user):
    if user.is_superuser:
        raise DomainError(_("Administrator accounts are managed in the administration site."))
    if not accounts_manageable_by(by).filter(pk=user.pk).exists():
        raise DomainError(_("This account is outside the units you manage."))


def _require_grantable(by, unit, role):
    if not units_manageable_by(by).filter(pk=unit.pk).exists():
        raise DomainError(_("%(unit)s is outside the units you manage.") % {"unit": unit}, "unit")
    if role not in grantable_roles(by, unit):
        raise DomainError(
            _("You cannot grant the role “%(role)s” in %(unit)s: it is above your own.")
            % {"role": Role(role).label, "unit": unit},
            "role",
        )


def _split_full_name(full_name):
    """Vietnamese order: family and middle names first, the given name last."""
    parts = nfc(full_name).split(" ")
    return " ".join(parts[:-1]), parts[-1]


def _account_state(user):
    return {"full_name": user.get_full_name(), "email": user.email, "is_active": user.is_active}


@transaction.atomic
def create_account(*, by, username, full_name, email, password, unit, role):
    """Create a staff account with its first membership, inside the creator's subtree."""
    User = get_user_model()
    username = (username or "").strip()
    _require_grantable(by, unit, role)
    if not username:
        raise DomainError(_("Enter a username."), "username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("The username %(name)s is taken.") % {"name": username}, "username")
    if not nfc(full_name):
        raise DomainError(_("Enter the person's full name."), "full_name")
    first_name, last_name = _split_full_name(full_name)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email or "")
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), "password") from error
    user.set_password(password)
    user.save()
    membership = Membership.objects.create(user=user, unit=unit, role=role)
    audit(
        by=by,
        action="account.create",
        target=user.username,
        unit=unit,
        changes={**_account_state(user), "membership": [str(unit), role]},
    )
    forget_scope(user)
    return user, membership


@transaction.atomic
def update_account(user, *, by, full_name, email, is_active):
    """Change an account's name, e-mail or active flag (never a superuser, never self-lockout)."""
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_account_manager(by, user)
    if user.pk == by.pk and not is_active:
        raise DomainError(_("You cannot deactivate your own account."), "is_active")
    if not nfc(full_name):
        raise DomainError(_("Enter the person's full name."), "full_name")
    before = _account_state(user)
    user.first_name, user.last_name = _split_full_name(full_name)
    user.email = email or ""
    user.is_active = is_active
    user.save(update_fields=["first_name", "last_name", "email", "is_active"])
    after = _account_state(user)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    audit(by=by, action="account.update", target=user.username, changes=changes)
    return user


@transaction.atomic
def add_membership(user, *, by, unit, role):
    """Give an account a role in a unit of the manager's subtree, never above their own."""
    _require_account_manager(by, user)
    _require_grantable(by, unit, role)
    if role == Role.TREASURER and user.pk == by.pk and not by.is_superuser:
        # Who keeps the money is decided by someone else: no one names themselves keeper.
        raise DomainError(
            _("You cannot make yourself the fund keeper: ask another manager."), "role"
        )
    if Membership.objects.filter(user=user, unit=unit, role=role).exists():
        raise DomainError(
            _("%(user)s already has this role in %(unit)s.") % {"user": user, "unit": unit},
            "role",
        )
    membership = Membership.objects.create(user=user, unit=unit, role=role)
    audit(
        by=by,
        action="membership.add",
        target=user.username,
        unit=unit,
        changes={"membership": [str(unit), role]},
    )
    forget_scope(user)
    forget_scope(by)
    return membership


@transaction.atomic
def remove_membership(membership, *, by):
    """Take a role away; the last membership of an account and one's own last manager role stay."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "unit")
        .get(pk=membership.pk)
    )
    user = membership.user
    _require_account_manager(by, user)
    if not manages_unit(by, membership.unit):
        raise DomainError(
            _("%(unit)s is outside the units you manage.") % {"unit": membership.unit}
        )
    others = Membership.objects.filter(user=user).exclude(pk=membership.pk)
    if (
        user.pk == by.pk
        and membership.role == Role.MANAGER
        and not others.filter(role=Role.MANAGER).exists()
    ):
        raise DomainError(_("You cannot remove your own last manager role."))
    if not others.exists():
        raise DomainError(_("This is the account's only role: deactivate the account instead."))
    membership.delete()
    audit(
        by=by,
        action="membership.remove",
        target=user.username,
        unit=membership.unit,
        changes={"membership": [str(membership.unit), membership.role]},
    )
    forget_scope(user)
    forget_scope(by)
    return user
