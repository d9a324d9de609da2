"""Carry-over: last year's files of a commune (and of the communes it was formed from)
registered again for this year, each subject moved onto today's commune and village."""

from django.db import transaction
from django.utils.translation import gettext as _

from lib.errors import DomainError
from units import lineage
from units.models import Village
from units.services import audit, village_named

from .. import workflow
from ..models import Household, Registration
from ..workflow import Status
from ._common import ItemResult, guard
from .registrations import add_registration, registration_year


def _village_in(unit, village, by):
    """`unit`'s village standing for `village` of a commune merged into it: the one of the same
    name, made if there is none (a merged commune's villages pass to the commune it became).
    The former commune keeps its own village rows, for its history."""
    if village.commune_id == unit.pk:
        return village
    here = village_named(unit, village.name)
    if here is None:
        # Not units.services.add_village: carrying over is the officer's right, while adding
        # villages by hand is the unit managers'.
        here = Village.objects.create(commune=unit, name=village.name, kind=village.kind)
        audit(
            by=by,
            action="village.create",
            target=here,
            unit=unit,
            changes={"name": here.name, "kind": here.kind, "from_village": village.pk},
        )
    return here


def _move_subject(subject, unit, by):
    """A subject of a former commune now belongs to the commune it was merged into, and a
    household or village community to that commune's village of the same name; the subject
    to register is returned."""
    if isinstance(subject, Village):
        return _village_in(unit, subject, by)
    fields = []
    if subject.commune_id != unit.pk:
        subject.commune = unit
        fields.append("commune")
    if isinstance(subject, Household) and subject.village.commune_id != unit.pk:
        subject.village = _village_in(unit, subject.village, by)
        fields.append("village")
    if fields:
        subject.save(update_fields=fields)
    return subject


def carry_over_registrations(*, by, unit, year, registration_ids=None):
    """Register for `year` last year's registrations of `unit` and of the communes it was
    formed from (all, or those in `registration_ids`).

    Each item is done on its own: one that is already registered, withdrawn, or fails is
    reported and the others go on. Returns one ItemResult per item, in name order.
    """
    guard(workflow.check_register(by, unit))
    year = registration_year(unit, year)
    units = {unit.pk, *lineage.predecessor_ids([unit.pk])}
    sources = (
        Registration.objects.filter(year=year - 1, unit_id__in=units)
        .select_related("household__village", "clan", "village", "organisation")
        .order_by("subject_name", "id")
    )
    results = []
    if registration_ids is not None:
        wanted = {int(pk) for pk in registration_ids}
        sources = sources.filter(pk__in=wanted)
        missing = wanted - set(sources.values_list("pk", flat=True))
        results += [
            ItemResult(pk, False, _("Not among last year's registrations of this commune."))
            for pk in sorted(missing)
        ]
    for source in sources:
        if source.status == Status.WITHDRAWN:
            results.append(
                ItemResult(source.pk, False, _("Withdrawn last year: not carried over."))
            )
            continue
        try:
            with transaction.atomic():
                subject = _move_subject(source.subject, unit, by)
                registration = add_registration(
                    by=by,
                    kind=source.kind,
                    year=year,
                    unit=unit,
                    subject=subject,
                    data={"carried_over_from": source.pk},
                )
        except DomainError as error:
            results.append(ItemResult(source.pk, False, str(error.message)))
            continue
        results.append(ItemResult(source.pk, True, _("Registered."), registration))
    return results
