"""Criteria sets: create, edit (a new version once frozen), pick one for a registration."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from lib.errors import DomainError
from units.models import Unit
from units.services import audit

from .. import workflow
from ..models import CriteriaKind, CriteriaSet, Criterion, default_approval_levels
from ._common import guard

SET_FIELDS = (
    "name",
    "legal_basis",
    "note",
    "valid_from_year",
    "valid_to_year",
    "max_score",
    "pass_mark",
    "half_points",
    "bands",
    "approval_levels",
    "validity_years",
    "provisional",
)
CRITERION_FIELDS = (
    "number",
    "title",
    "guidance",
    "sub_items",
    "max_points",
    "required",
    "min_points",
    "provisional",
)


def _decimal(value, field, message):
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, TypeError):
        raise DomainError(message, field) from None
    if not number.is_finite():
        raise DomainError(message, field)
    return number


def _check_set_fields(values):
    """Raise DomainError on the first bad field of a set; return the cleaned values."""
    values = dict(values)
    values["name"] = (values.get("name") or "").strip()
    if not values["name"]:
        raise DomainError(_("Give the criteria set a name."), "name")
    try:
        first, last = int(values["valid_from_year"]), int(values["valid_to_year"])
    except (TypeError, ValueError, KeyError):
        raise DomainError(
            _("Enter the first and last year of validity."), "valid_from_year"
        ) from None
    if not 1990 <= first <= 2100 or not 1990 <= last <= 2100:
        raise DomainError(_("Years must lie between 1990 and 2100."), "valid_from_year")
    if last < first:
        raise DomainError(_("The last year must not be before the first."), "valid_to_year")
    values["valid_from_year"], values["valid_to_year"] = first, last
    max_score = _decimal(values.get("max_score"), "max_score", _("Enter the maximum score."))
    if max_score <= 0:
        raise DomainError(_("The maximum score must be above zero."), "max_score")
    pass_mark = _decimal(values.get("pass_mark"), "pass_mark", _("Enter the pass mark."))
    if not 0 <= pass_mark <= max_score:
        raise DomainError(_("The pass mark must lie between 0 and the maximum score."), "pass_mark")
    values["max_score"], values["pass_mark"] = max_score, pass_mark
    levels = values.get("approval_levels") or default_approval_levels()
    guard(workflow.check_approval_levels(list(levels)), "approval_levels")
    values["approval_levels"] = [str(level) for level in levels]
    validity = values.get("validity_years", 1)
    if not isinstance(validity, int) or validity < 1:
        raise DomainError(_("A recognition stays valid at least one year."), "validity_years")
    bands = values.get("bands") or []
    for band in bands:
        if not isinstance(band, dict) or not str(band.get("label", "")).strip():
            raise DomainError(_("Each grading band needs a label and a minimum."), "bands")
        low = _decimal(
            band.get("min"), "bands", _("Each grading band needs a label and a minimum.")
        )
        if not 0 <= low <= max_score:
            raise DomainError(_("A band's minimum must lie within the maximum score."), "bands")
    values["bands"] = [{"label": str(b["label"]).strip(), "min": float(b["min"])} for b in bands]
    return values


def _check_criteria(criteria, *, max_score, half_points):
    """Raise DomainError on the first bad criterion; return cleaned dicts."""
    if not criteria:
        raise DomainError(_("A criteria set needs at least one criterion."), "criteria")
    cleaned, numbers, total = [], set(), Decimal(0)
    for position, item in enumerate(criteria, start=1):
        number = item.get("number") or position
        if number in numbers:
            raise DomainError(
                _("Criterion number %(number)s is used twice.") % {"number": number}, "criteria"
            )
        numbers.add(number)
        title = (item.get("title") or "").strip()
        if not title:
            raise DomainError(
                _("Criterion %(number)s needs a title.") % {"number": number}, "criteria"
            )
        message = _("Criterion %(number)s: enter its maximum points.") % {"number": number}
        max_points = _decimal(item.get("max_points"), "criteria", message)
        if max_points <= 0:
            raise DomainError(message, "criteria")
        if max_points % (Decimal("0.5") if half_points else Decimal(1)):
            raise DomainError(
                _("Criterion %(number)s: its maximum must be whole points.") % {"number": number},
                "criteria",
            )
        min_points = item.get("min_points")
        if min_points not in (None, ""):
            min_points = _decimal(min_points, "criteria", message)
            if not 0 <= min_points <= max_points:
                raise DomainError(
                    _("Criterion %(number)s: the points to meet it must lie within its maximum.")
                    % {"number": number},
                    "criteria",
                )
        else:
            min_points = None
        sub_items = item.get("sub_items") or []
        if not isinstance(sub_items, list):
            raise DomainError(
                _("Criterion %(number)s: items must be a list.") % {"number": number}, "criteria"
            )
        total += max_points
        cleaned.append(
            {
                "number": int(number),
                "title": title,
                "guidance": (item.get("guidance") or "").strip(),
                "sub_items": sub_items,
                "max_points": max_points,
                "required": bool(item.get("required")),
                "min_points": min_points,
                "provisional": bool(item.get("provisional")),
            }
        )
    if total != max_score:
        raise DomainError(
            _("The criteria add up to %(total)s points but the maximum score is %(max)s.")
            % {"total": f"{total.normalize():f}", "max": f"{max_score.normalize():f}"},
            "criteria",
        )
    return cleaned


def _criteria_of(criteria_set):
    return [
        {name: getattr(c, name) for name in CRITERION_FIELDS} for c in criteria_set.criteria.all()
    ]


def _save_criteria(criteria_set, criteria):
    criteria_set.criteria.all().delete()
    Criterion.objects.bulk_create(Criterion(criteria_set=criteria_set, **c) for c in criteria)


def _create(*, code, kind, criteria, by=None, **fields):
    if kind not in CriteriaKind.values:
        raise DomainError(_("Choose the title the set is for."), "kind")
    values = _check_set_fields(fields)
    cleaned = _check_criteria(
        criteria, max_score=values["max_score"], half_points=values.get("half_points", False)
    )
    if CriteriaSet.objects.filter(code=code).exists():
        raise DomainError(_("A criteria set with this code already exists."), "code")
    criteria_set = CriteriaSet.objects.create(code=code, kind=kind, **values)
    _save_criteria(criteria_set, cleaned)
    audit(by=by, action="criteria_set.create", target=criteria_set, changes={"code": code})
    return criteria_set


@transaction.atomic
def create_criteria_set(*, by, code, kind, criteria, **fields):
    """Create a criteria set with its criteria, checked (the criteria add up to the maximum)."""
    guard(
        None if workflow.can_manage_criteria(by) else _("Only province staff manage criteria sets.")
    )
    code = (code or "").strip()
    if not code:
        raise DomainError(_("Give the criteria set a code."), "code")
    return _create(by=by, code=code, kind=kind, criteria=criteria, **fields)


@transaction.atomic
def update_criteria_set(criteria_set, *, by, criteria=None, **fields):
    """Edit a set; returns the set to use from now on.

    A set not yet used changes in place. A frozen one (used by a registration) is left as it
    is and a new version is made with the changes: old registrations keep the old version,
    new registrations take the new one. Only the current version can be edited.
    """
    guard(
        None if workflow.can_manage_criteria(by) else _("Only province staff manage criteria sets.")
    )
    unknown = set(fields) - set(SET_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    current = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if not current.is_current:
        raise DomainError(_("Only the newest version of a criteria set can be edited."))
    values = _check_set_fields({**{n: getattr(current, n) for n in SET_FIELDS}, **fields})
    cleaned = _check_criteria(
        _criteria_of(current) if criteria is None else criteria,
        max_score=values["max_score"],
        half_points=values["half_points"],
    )
    frozen = current.is_frozen or current.registrations.exists()
    if not frozen:
        for name, value in values.items():
            setattr(current, name, value)
        current.save()
        _save_criteria(current, cleaned)
        audit(
            by=by, action="criteria_set.update", target=current, changes={"fields": sorted(fields)}
        )
        return current
    current.is_current = False
    current.is_frozen = True
    current.save(update_fields=["is_current", "is_frozen", "updated_at"])
    new = CriteriaSet.objects.create(
        code=current.code,
        kind=current.kind,
        version=current.version + 1,
        previous_version=current,
        **values,
    )
    _save_criteria(new, cleaned)
    audit(
        by=by,
        action="criteria_set.new_version",
        target=new,
        changes={"from_version": current.version, "version": new.version},
    )
    return new


def criteria_set_for(kind, year, unit):
    """The current set for `kind` covering `year` whose approval chain fits the commune.

    How the chain is chosen: by the set. Before 1 July 2025 a commune stood under a district,
    so a set approving commune → district → province fits it; today's communes stand directly
    under the province, so only commune → province fits. Among the sets that fit, the one
    using most levels wins (a 2025 file of a former commune keeps the district step), then
    the newest. When none fits, the newest covering set is used and missing levels are skipped.
    """
    candidates = list(
        CriteriaSet.objects.filter(
            kind=kind, is_current=True, valid_from_year__lte=year, valid_to_year__gte=year
        )
    )
    if not candidates:
        raise DomainError(
            _(
                "There is no criteria set for %(kind)s in %(year)s: "
                "ask the province staff to create one."
            )
            % {"kind": CriteriaKind(kind).label.lower(), "year": year}
        )
    present = set(Unit.objects.filter(pk__in=unit.ancestor_ids()).values_list("level", flat=True))
    fitting = [s for s in candidates if set(s.approval_levels) <= present]
    if fitting:
        return max(fitting, key=lambda s: (len(s.approval_levels), s.valid_from_year, s.pk))
    return max(candidates, key=lambda s: (s.valid_from_year, s.pk))


@transaction.atomic
def load_criteria_sets(*, by=None):
    """Create the seeded sets (models_learning/criteria_data.py) that are missing, by code.

    Idempotent; a set already there (perhaps edited by staff) is left alone. Returns the
    number created.
    """
    from ..criteria_data import CRITERIA_SETS

    created = 0
    for data in CRITERIA_SETS:
        if CriteriaSet.objects.filter(code=data["code"]).exists():
            continue
        _create(by=by, **data)
        created += 1
    return created
