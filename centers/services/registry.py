"""The registry of learning centres: register, edit, attach to the commune a merger made,
merge the legacy centres of one commune. Each change is audited."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from lib.dates import local_today
from lib.errors import DomainError
from lib.workflow import actor, guard
from units import lineage
from units.services import audit

from .. import workflow
from ..models import CenterChange, LearningCenter, RatingStatus
from ._common import lock_center

CENTER_FIELDS = (
    "name",
    "founding_decision",
    "founded_on",
    "director",
    "phone",
    "email",
    "address",
    "premises",
    "full_time_staff",
    "seconded_teachers",
    "volunteers",
    "valid_from",
)


def _check_center(center):
    if not (center.name or "").strip():
        raise DomainError(_("Give the centre a name."), "name")
    for name in ("full_time_staff", "seconded_teachers", "volunteers"):
        value = getattr(center, name)
        if value is None or value < 0:
            raise DomainError(_("Enter a whole number, 0 or more."), name)
    if center.valid_from and center.valid_from > local_today():
        raise DomainError(_("The start of validity cannot be in the future."), "valid_from")


@transaction.atomic
def create_center(*, by, commune, **fields):
    """Register a learning centre in a current commune (its officer, or province staff)."""
    guard(workflow.check_create_center(by, commune), "commune")
    unknown = set(fields) - set(CENTER_FIELDS)
    if unknown:
        raise ValueError(f"unknown centre fields: {sorted(unknown)}")
    center = LearningCenter(commune=commune, **fields)
    _check_center(center)
    center.save()
    audit(by=by, action="center.create", target=center, unit=commune, changes={"name": center.name})
    return center


@transaction.atomic
def update_center(center, *, by, **fields):
    """Change a centre's registry data (not its commune: see carry_centers_over)."""
    center = lock_center(center)
    guard(workflow.check_edit_center(by, center))
    unknown = set(fields) - set(CENTER_FIELDS)
    if unknown:
        raise ValueError(f"unknown centre fields: {sorted(unknown)}")
    before = {name: str(getattr(center, name)) for name in fields}
    for name, value in fields.items():
        setattr(center, name, value)
    _check_center(center)
    center.save(update_fields=[*fields, "updated_at"])
    changes = {
        n: [before[n], str(getattr(center, n))]
        for n in fields
        if before[n] != str(getattr(center, n)) and n not in ("phone", "email")
    }
    audit(by=by, action="center.update", target=center, unit=center.commune, changes=changes)
    return center


@transaction.atomic
def carry_centers_over(*, by, day=None):
    """Attach each current centre whose commune ended before `day` to the commune it became.

    A centre outlives its commune's merger: it stays, attached to the new commune, until
    province staff merge it (merge_centers). Returns (centres moved, centres left without a
    successor commune).
    """
    day = day or local_today()
    guard(workflow.check_carry_over(by))
    centers = list(
        LearningCenter.objects.select_for_update()
        .filter(valid_to__isnull=True, commune__valid_to__lt=day)
        .select_related("commune")
        .order_by("pk")
    )
    if not all(workflow.is_province_staff(by, center.commune) for center in centers):
        raise DomainError(_("Some of these centres are outside your province."))
    moved, stuck = [], []
    for center in centers:
        old = center.commune
        new = lineage.unit_on(old, day)
        if new is None or new.pk == old.pk:
            stuck.append(center)
            continue
        center.commune = new
        center.save(update_fields=["commune", "updated_at"])
        audit(
            by=by,
            action="center.carry_over",
            target=center,
            unit=new,
            changes={"commune": [old.name, new.name], "day": day.isoformat()},
        )
        moved.append(center)
    return moved, stuck


@transaction.atomic
def merge_centers(successor, predecessors, *, by, date, legal_basis="", note=""):
    """Record that the legacy centres `predecessors` of one commune merged into `successor`.

    The merged centres end the day before `date` and keep their reports and ratings; the
    link is the centres' lineage, like the units'.
    """
    ids = sorted({successor.pk, *(p.pk for p in predecessors)})
    locked = {
        c.pk: c
        for c in LearningCenter.objects.select_for_update()
        .select_related("commune")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    successor = locked[successor.pk]
    predecessors = [locked[p.pk] for p in predecessors if p.pk != successor.pk]
    guard(workflow.check_merge_centers(by, successor))
    if not predecessors:
        raise DomainError(_("Choose at least one other centre to merge."), "predecessors")
    if date is None:
        raise DomainError(_("Give the date of the merger."), "date")
    if date > local_today():
        raise DomainError(_("The date of the merger cannot be in the future."), "date")
    for center in predecessors:
        if not center.is_current:
            raise DomainError(
                _("%(center)s has already ended.") % {"center": center.name}, "predecessors"
            )
        if center.commune_id != successor.commune_id:
            raise DomainError(
                _("%(center)s belongs to another commune: only centres of one commune merge.")
                % {"center": center.name},
                "predecessors",
            )
        if center.valid_from and center.valid_from >= date:
            raise DomainError(
                _("The merger date must come after %(center)s was founded.")
                % {"center": center.name},
                "date",
            )
        open_rating = center.ratings.exclude(status=RatingStatus.PUBLISHED).order_by("year").first()
        if open_rating is not None:
            raise DomainError(
                _(
                    "%(center)s has an unfinished rating for %(year)s: publish it first, "
                    "or merge later."
                )
                % {"center": center.name, "year": open_rating.year},
                "predecessors",
            )
    last_day = date - datetime.timedelta(days=1)
    for center in predecessors:
        center.valid_to = last_day
        center.save(update_fields=["valid_to", "updated_at"])
        CenterChange.objects.create(
            predecessor=center,
            successor=successor,
            date=date,
            legal_basis=legal_basis,
            note=note,
            recorded_by=actor(by),
        )
    audit(
        by=by,
        action="center.merge",
        target=successor,
        unit=successor.commune,
        changes={"merged": [c.name for c in predecessors], "date": date.isoformat()},
    )
    return successor
