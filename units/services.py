"""Every write to units, their lineage, villages, figures and accounts: one function each."""

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from khuyenhoc.errors import DomainError

from .models import ALLOWED_PARENT_LEVELS, AuditEntry, Level, Unit, UnitChange


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


@transaction.atomic
def create_unit(*, by, **fields):
    """Create a unit in the tree, checked, with its path, and audited."""
    unit = Unit(**fields)
    check_unit(unit)
    unit.path = "/"
    unit.save()
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
    unit.save()
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
