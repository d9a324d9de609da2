"""Score arithmetic: totals, the pass mark and required criteria. Pure functions, no writes.

The scoring form shows the same answer live (`assess`) that `propose_registration` enforces.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from lib.errors import DomainError

HALF = Decimal("0.5")


@dataclass
class Assessment:
    total: Decimal
    complete: bool  # every criterion has points
    meets_pass_mark: bool
    missing: list = field(default_factory=list)  # criteria without points
    unmet_required: list = field(default_factory=list)  # required criteria below their bar
    band: str = ""

    @property
    def passes(self):
        """Complete, at or above the pass mark, and every required criterion met."""
        return self.complete and self.meets_pass_mark and not self.unmet_required


def assess(criteria_set, criteria, points):
    """Assess `points` ({criterion id: Decimal or None}) against the set's `criteria`."""
    total = Decimal(0)
    missing, unmet = [], []
    for criterion in criteria:
        value = points.get(criterion.pk)
        if value is None:
            missing.append(criterion)
            if criterion.required:
                unmet.append(criterion)
            continue
        total += value
        if criterion.required and value < criterion.points_to_meet:
            unmet.append(criterion)
    return Assessment(
        total=total,
        complete=not missing,
        meets_pass_mark=total >= criteria_set.pass_mark,
        missing=missing,
        unmet_required=unmet,
        band=criteria_set.band_for(total),
    )


def assess_registration(registration):
    """The assessment of a registration's saved scores (two queries)."""
    criteria = list(registration.criteria_set.criteria.all())
    points = dict(registration.scores.values_list("criterion_id", "points"))
    return assess(registration.criteria_set, criteria, points)


def parse_points(value, criterion, half_points, field=None):
    """`value` as Decimal points for `criterion`, or DomainError saying what is wrong.

    Accepts "7", "7.5", "7,5" (Vietnamese decimal comma), numbers; "" and None give None.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        points = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise DomainError(
            _("Criterion %(number)s: enter a number of points.") % {"number": criterion.number},
            field,
        ) from None
    if not points.is_finite():
        raise DomainError(
            _("Criterion %(number)s: enter a number of points.") % {"number": criterion.number},
            field,
        )
    if points < 0:
        raise DomainError(
            _("Criterion %(number)s: points cannot be negative.") % {"number": criterion.number},
            field,
        )
    if points > criterion.max_points:
        raise DomainError(
            _("Criterion %(number)s: at most %(max)s points.")
            % {"number": criterion.number, "max": _points_text(criterion.max_points)},
            field,
        )
    step = HALF if half_points else Decimal(1)
    if points % step:
        message = (
            _("Criterion %(number)s: points go in steps of 0.5.")
            if half_points
            else _("Criterion %(number)s: points must be whole numbers.")
        )
        raise DomainError(message % {"number": criterion.number}, field)
    return points.quantize(Decimal("0.1"))


def _points_text(value):
    return f"{value.normalize():f}"
