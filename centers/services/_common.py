"""Pieces the centres' services share: row locks, the rating's step, numbers and years."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lib import workflow as steps
from lib.dates import local_today
from lib.errors import DomainError
from lib.text import normalise
from units import lineage
from units.models import Level, Unit

from .. import workflow
from ..models import YEAR_MAX, YEAR_MIN, CenterRating, CenterYearReport, LearningCenter


def lock_center(center):
    """The centre re-read under a row lock (select_for_update; a no-op on SQLite)."""
    return steps.lock(
        LearningCenter.objects.select_related("commune"),
        center.pk,
        _("This centre no longer exists."),
    )


def lock_rating(rating):
    """The rating re-read under a row lock: a second person acting at once waits, then
    sees the first one's step, so the predicate checked after the lock refuses it."""
    return steps.lock(
        CenterRating.objects.select_related("center__commune", "scheme"),
        rating.pk,
        _("This rating no longer exists."),
    )


def move(rating, action, *, by, problem=None, fields=(), reason="", changes=None):
    """Take `action` of the rating workflow's table on the locked `rating`: guard, new status,
    save(update_fields=…), one CenterRatingEvent (lib.workflow.transition)."""
    return steps.transition(
        rating,
        action,
        moves=workflow.MOVES,
        by=by,
        problem=problem,
        fields=fields,
        reason=reason,
        changes=changes or {},
    )


def whole_number(value, field, maximum=None):
    """`value` as a whole number, 0 or more (at most `maximum`); else DomainError on `field`."""
    if isinstance(value, bool):
        raise DomainError(_("Enter a whole number, 0 or more."), field)
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise DomainError(_("Enter a whole number, 0 or more."), field) from None
    if number < 0:
        raise DomainError(_("Enter a whole number, 0 or more."), field)
    if maximum is not None and number > maximum:
        raise DomainError(
            _("Enter a whole number of at most %(max)s.") % {"max": number_format(maximum)},
            field,
        )
    return number


def decimal_number(value, field):
    """`value` (a decimal comma allowed) as a finite Decimal; else DomainError on `field`."""
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("Enter a number."), field) from None
    if not number.is_finite():
        raise DomainError(_("Enter a number."), field)
    return number


def center_year(year, center, field="year"):
    """`year` as a number: up to this year, and one in which `center` existed."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError(_("Enter a year."), field) from None
    if not YEAR_MIN <= year <= YEAR_MAX or year > local_today().year:
        raise DomainError(_("Choose a year up to this one."), field)
    if center.valid_from and year < center.valid_from.year:
        raise DomainError(_("The centre did not exist yet in %(year)s.") % {"year": year}, field)
    if center.valid_to and year > center.valid_to.year:
        raise DomainError(_("The centre had ended by %(year)s.") % {"year": year}, field)
    return year


def _there_on(unit, day):
    return (unit.valid_from is None or unit.valid_from <= day) and (
        unit.valid_to is None or unit.valid_to >= day
    )


def commune_of_year(center, year):
    """The commune `center` belonged to in `year`, on 31 December (the day yearly figures
    describe): a year's rating and report are counted there, "as the units were".

    Its commune now, if it was there then; else the commune of its own records of a year
    when that commune was there; else the one commune, among those its commune was formed
    from, that was there (or whose name the centre bears). A DomainError when that cannot be
    told.
    """
    day = datetime.date(year, 12, 31)
    if _there_on(center.commune, day):
        return center.commune
    for model in (CenterYearReport, CenterRating):
        for record in model.objects.filter(center=center).select_related("commune"):
            if _there_on(record.commune, day):
                return record.commune
    candidates = [
        unit
        for unit in Unit.objects.filter(
            pk__in=lineage.predecessor_ids([center.commune_id]), level=Level.COMMUNE
        ).order_by("pk")
        if _there_on(unit, day)
    ]
    if len(candidates) > 1:
        name = normalise(center.name)
        named = [unit for unit in candidates if normalise(unit.name.split(" ", 1)[-1]) in name]
        candidates = named if len(named) == 1 else candidates
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return center.commune
    raise DomainError(
        _(
            "%(center)s was in one of %(communes)s in %(year)s, and its records do not say"
            " which: ask province staff to record it."
        )
        % {
            "center": center.name,
            "communes": ", ".join(unit.name for unit in candidates),
            "year": year,
        }
    )
