"""Registrations and their workflow: register, carry over, score, propose, approve, return,
reject, withdraw, bulk approve. One function per move, each atomic, guarded, logged."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lib.errors import DomainError
from lib.text import normalise
from units import lineage
from units.models import Level, Village
from units.services import audit, village_named

from .. import notifications, workflow
from ..models import (
    SUBJECT_FIELDS,
    Clan,
    CriteriaSet,
    Household,
    ModelKind,
    Organisation,
    Registration,
    Score,
)
from ..scoring import assess, parse_points
from ..selectors import approving_units, registrations_visible_to
from ..workflow import Action, Status
from ._common import clean_text, guard, lock, move, record
from .criteria import criteria_set_for
from .recognitions import recognise
from .subjects import DuplicateWarning, create_household, find_duplicates

KIND_OF_SUBJECT = {
    Household: ModelKind.FAMILY,
    Clan: ModelKind.CLAN,
    Village: ModelKind.COMMUNITY,
    Organisation: ModelKind.ORGANISATION,
}


def subject_texts(subject):
    """(display name, normalised search text) of a subject, stored on its registrations."""
    if isinstance(subject, Household):
        name = subject.head_name
        extra = [subject.village.name, str(subject.head_birth_year or "")]
    elif isinstance(subject, Clan):
        name = f"{subject.surname} ({subject.branch})" if subject.branch else subject.surname
        extra = [subject.representative]
    elif isinstance(subject, Village):
        name = subject.name
        extra = []
    else:
        name = subject.name
        extra = []
    return name[:255], normalise(" ".join([name, *extra]))[:500]


def refresh_subject_text(subject):
    """Copy a subject's (new) name onto its registrations' name and search columns."""
    name, search = subject_texts(subject)
    field = SUBJECT_FIELDS[KIND_OF_SUBJECT[type(subject)]]
    Registration.objects.filter(**{field: subject}).update(subject_name=name, search_text=search)


def _subject_commune(subject):
    return subject.commune


def _check_year(unit, year):
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError(_("Enter the year, such as 2026."), "year") from None
    if not 1990 <= year <= 2100:
        raise DomainError(_("Enter the year, such as 2026."), "year")
    if unit.valid_from and year < unit.valid_from.year:
        raise DomainError(
            _("%(unit)s only exists from %(date)s.")
            % {"unit": unit, "date": unit.valid_from.strftime("%d/%m/%Y")},
            "year",
        )
    if unit.valid_to and year > unit.valid_to.year:
        raise DomainError(
            _("%(unit)s ended on %(date)s: register under the commune that replaced it.")
            % {"unit": unit, "date": unit.valid_to.strftime("%d/%m/%Y")},
            "year",
        )
    return year


def _check_set(criteria_set, kind, year, unit):
    if criteria_set is None:
        return criteria_set_for(kind, year, unit)
    if criteria_set.kind != kind or not criteria_set.covers(year):
        raise DomainError(_("This criteria set is not for this title and year."), "criteria_set")
    if not criteria_set.is_current:
        raise DomainError(
            _("This criteria set has a newer version: use the newest one."), "criteria_set"
        )
    return criteria_set


def _already(subject, kind, year):
    return _("%(subject)s is already registered as %(kind)s for %(year)s.") % {
        "subject": subject_texts(subject)[0],
        "kind": ModelKind(kind).label.lower(),
        "year": year,
    }


def _register(*, by, kind, year, unit, subject, criteria_set=None, data=None):
    year = _check_year(unit, year)
    criteria_set = _check_set(criteria_set, kind, year, unit)
    field = SUBJECT_FIELDS[kind]
    if Registration.objects.filter(**{field: subject, "kind": kind, "year": year}).exists():
        raise DomainError(_already(subject, kind, year))
    name, search = subject_texts(subject)
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                kind=kind,
                year=year,
                unit=unit,
                criteria_set=criteria_set,
                subject_name=name,
                search_text=search,
                entered_by=by if by is not None and by.is_authenticated else None,
                **{field: subject},
            )
    except IntegrityError:
        # Someone registered the same subject a moment ago: the constraint held.
        raise DomainError(_already(subject, kind, year)) from None
    # The set is now in use: later edits make a new version.
    CriteriaSet.objects.filter(pk=criteria_set.pk, is_frozen=False).update(is_frozen=True)
    criteria_set.is_frozen = True
    record(
        registration,
        Action.REGISTER,
        by=by,
        level=Level.COMMUNE,
        unit=unit,
        data=data,
    )
    return registration


@transaction.atomic
def register_household(
    *, by, year, household=None, new_household=None, criteria_set=None, confirm_duplicate=False
):
    """Register a household as a learning family for `year` (creating it if `new_household`).

    `new_household` is a dict of `create_household` arguments (village, head_name,
    head_birth_year, address, phone, members). Unless `confirm_duplicate`, a likely
    duplicate raises DuplicateWarning (a DomainError) whose `matches` list them.
    """
    if household is None and not new_household:
        raise DomainError(_("Choose a household or enter a new one."), "household")
    if household is not None:
        unit = household.commune
        guard(workflow.check_register(by, unit))
    else:
        village = new_household.get("village")
        if not isinstance(village, Village):
            raise DomainError(_("Choose the village."), "village")
        unit = village.commune
        guard(workflow.check_register(by, unit))
        year = _check_year(unit, year)
        if not confirm_duplicate:
            matches = find_duplicates(
                head_name=new_household.get("head_name", ""),
                head_birth_year=new_household.get("head_birth_year"),
                village=village,
                year=year,
            )
            if matches:
                raise DuplicateWarning(matches)
        household = create_household(by=by, **new_household)
    return _register(
        by=by,
        kind=ModelKind.FAMILY,
        year=year,
        unit=unit,
        subject=household,
        criteria_set=criteria_set,
    )


@transaction.atomic
def register_subject(*, by, year, subject, criteria_set=None):
    """Register a clan, a village community or an organisation (or a household) for `year`.

    The title follows the subject: Clan → learning clan, Village → learning community,
    Organisation → learning organisation. The registering commune is the subject's commune.
    """
    kind = KIND_OF_SUBJECT.get(type(subject))
    if kind is None:
        raise DomainError(_("Choose what to register."), "subject")
    unit = _subject_commune(subject)
    guard(workflow.check_register(by, unit))
    return _register(
        by=by, kind=kind, year=year, unit=unit, subject=subject, criteria_set=criteria_set
    )


@dataclass
class ItemResult:
    """What happened to one item of a bulk action."""

    source_id: int
    ok: bool
    message: str
    registration: Registration | None = None


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
    year = _check_year(unit, year)
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
                registration = _register(
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


@transaction.atomic
def save_scores(registration, *, by, points, notes=None):
    """Save the scores as a draft (registered → scored). Nothing changes if any is invalid.

    `points` maps a criterion (or its id) to points ("7", "7,5", Decimal, None to clear);
    `notes` likewise to a note. Each value is checked on the server: the criterion belongs to
    the registration's set, 0 ≤ points ≤ maximum, whole or half points as the set says. A
    DomainError names the form field `criterion_<id>`.
    """
    registration = lock(registration)
    guard(workflow.check_score(by, registration))
    criteria_set = registration.criteria_set
    criteria = {c.pk: c for c in criteria_set.criteria.all()}
    notes = {getattr(k, "pk", k): v for k, v in (notes or {}).items()}
    values = {getattr(k, "pk", k): v for k, v in points.items()}
    for key in [*values, *notes]:
        try:
            known = int(key) in criteria
        except (TypeError, ValueError):
            known = False
        if not known:
            raise DomainError(_("A score was sent for a criterion of another criteria set."))
    values = {int(k): v for k, v in values.items()}
    notes = {int(k): v for k, v in notes.items()}
    parsed = {
        pk: parse_points(value, criteria[pk], criteria_set.half_points, f"criterion_{pk}")
        for pk, value in values.items()
    }
    cleaned_notes = {
        pk: clean_text(note, field=f"criterion_{pk}", max_length=500) for pk, note in notes.items()
    }
    existing = {s.criterion_id: s for s in registration.scores.all()}
    cleared = [pk for pk, value in parsed.items() if value is None and pk in existing]
    rows = []
    for pk in {*parsed, *cleaned_notes}:
        value = parsed.get(pk, existing[pk].points if pk in existing else None)
        if value is None:
            continue
        note = cleaned_notes.get(pk, existing[pk].note if pk in existing else "")
        rows.append(
            Score(
                registration=registration,
                criterion_id=pk,
                points=value,
                max_points=criteria[pk].max_points,
                note=note,
            )
        )
    if cleared:
        registration.scores.filter(criterion_id__in=cleared).delete()
    Score.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["registration", "criterion"],
        update_fields=["points", "max_points", "note", "updated_at"],
    )
    saved = dict(registration.scores.values_list("criterion_id", "points"))
    result = assess(criteria_set, list(criteria.values()), saved)
    move(
        registration,
        Action.SCORE,
        by=by,
        level=Level.COMMUNE,
        unit=registration.unit,
        data={"total": str(result.total), "scored": len(saved), "criteria": len(criteria)},
    )
    return registration


@transaction.atomic
def propose_registration(registration, *, by, note=""):
    """Propose for recognition (scored → proposed at the first level above the commune).

    Needs every criterion scored, the pass mark reached and required criteria met; the
    total is frozen into the registration and the event.
    """
    registration = lock(registration)
    guard(workflow.check_propose(by, registration))
    criteria_set = registration.criteria_set
    criteria = list(criteria_set.criteria.all())
    result = assess(
        criteria_set, criteria, dict(registration.scores.values_list("criterion_id", "points"))
    )
    if not result.complete:
        raise DomainError(
            _("Score every criterion before proposing; missing: %(numbers)s.")
            % {"numbers": ", ".join(str(c.number) for c in result.missing)}
        )
    if result.unmet_required:
        raise DomainError(
            _("Required criteria not met: %(numbers)s.")
            % {"numbers": ", ".join(str(c.number) for c in result.unmet_required)}
        )
    if not result.meets_pass_mark:
        raise DomainError(
            _("The total of %(total)s points is below the pass mark of %(pass_mark)s.")
            % {
                "total": f"{result.total.normalize():f}",
                "pass_mark": f"{criteria_set.pass_mark.normalize():f}",
            }
        )
    steps = approving_units(registration)
    if not steps:
        raise DomainError(_("No unit above this commune can approve this registration."))
    index, _level, unit = steps[0]
    registration.total_score = result.total
    registration.current_level = index
    registration.awaiting_unit = unit
    registration.is_returned = False
    move(
        registration,
        Action.PROPOSE,
        by=by,
        fields=("total_score", "current_level", "awaiting_unit", "is_returned"),
        level=Level.COMMUNE,
        unit=registration.unit,
        reason=clean_text(note, field="note", max_length=2000),
        data={"total": str(result.total)},
    )
    notifications.proposal_arrived(registration)
    return registration


@transaction.atomic
def approve_registration(registration, *, by, note="", decision_number=None, decision_date=None):
    """Approve at the level the registration waits at: forward it to the next level of the
    chain, or at the last level recognise it (a Recognition with decision number and
    certificate code). Approving twice or at a level not one's own is refused."""
    registration = lock(registration)
    guard(workflow.check_approve(by, registration))
    acting_unit = registration.awaiting_unit
    level = acting_unit.level
    reason = clean_text(note, field="note", max_length=2000)
    following = [s for s in approving_units(registration) if s[0] > registration.current_level]
    if following:
        index, _next_level, unit = following[0]
        registration.current_level = index
        registration.awaiting_unit = unit
        move(
            registration,
            Action.APPROVE,
            by=by,
            fields=("current_level", "awaiting_unit"),
            level=level,
            unit=acting_unit,
            reason=reason,
            data={"next_unit": unit.pk},
        )
        notifications.proposal_arrived(registration)
        return registration
    registration.awaiting_unit = None
    recognition = recognise(
        registration,
        issuing_unit=acting_unit,
        decision_number=decision_number,
        decision_date=decision_date,
    )
    move(
        registration,
        Action.RECOGNIZE,
        by=by,
        fields=("awaiting_unit",),
        level=level,
        unit=acting_unit,
        reason=reason,
        data={
            "decision_number": recognition.decision_number,
            "certificate_code": recognition.certificate_code,
        },
    )
    return registration


@transaction.atomic
def return_registration(registration, *, by, reason, criterion_notes=None):
    """Send a proposal back to the commune for correction (proposed → scored).

    `reason` is required; `criterion_notes` ({criterion or id: note}) says what to fix per
    criterion. The officer sees both, fixes the scores and proposes again.
    """
    registration = lock(registration)
    guard(workflow.check_return(by, registration))
    reason = clean_text(
        reason,
        field="reason",
        required_message=_("Say why the registration is returned."),
        max_length=2000,
    )
    criteria = {c.pk: c for c in registration.criteria_set.criteria.all()}
    notes = []
    for key, note in (criterion_notes or {}).items():
        pk = getattr(key, "pk", key)
        try:
            criterion = criteria[int(pk)]
        except (KeyError, TypeError, ValueError):
            raise DomainError(
                _("A note was sent for a criterion of another criteria set.")
            ) from None
        text = clean_text(note, field=f"criterion_{criterion.pk}", max_length=1000)
        if text:
            notes.append(
                {
                    "criterion": criterion.pk,
                    "number": criterion.number,
                    "title": criterion.title,
                    "note": text,
                }
            )
    notes.sort(key=lambda n: n["number"])
    acting_unit = registration.awaiting_unit
    registration.current_level = 0
    registration.awaiting_unit = None
    registration.is_returned = True
    registration.total_score = None
    move(
        registration,
        Action.RETURN,
        by=by,
        fields=("current_level", "awaiting_unit", "is_returned", "total_score"),
        level=acting_unit.level,
        unit=acting_unit,
        reason=reason,
        criterion_notes=notes,
    )
    notifications.registration_returned(registration, reason)
    return registration


@transaction.atomic
def reject_registration(registration, *, by, reason):
    """Decide not to recognise a proposal (proposed → not recognised); reason required."""
    registration = lock(registration)
    guard(workflow.check_reject(by, registration))
    reason = clean_text(
        reason,
        field="reason",
        required_message=_("Say why the registration is not recognised."),
        max_length=2000,
    )
    acting_unit = registration.awaiting_unit
    registration.awaiting_unit = None
    move(
        registration,
        Action.REJECT,
        by=by,
        fields=("awaiting_unit",),
        level=acting_unit.level,
        unit=acting_unit,
        reason=reason,
    )
    return registration


@transaction.atomic
def withdraw_registration(registration, *, by, reason=""):
    """Withdraw a registration that is not decided yet (the subject gives up this year)."""
    registration = lock(registration)
    guard(workflow.check_withdraw(by, registration))
    registration.awaiting_unit = None
    move(
        registration,
        Action.WITHDRAW,
        by=by,
        fields=("awaiting_unit",),
        level=Level.COMMUNE,
        unit=registration.unit,
        reason=clean_text(reason, field="reason", max_length=2000),
    )
    return registration


def bulk_approve(registration_ids, *, by, decision_date=None, one_decision=False):
    """Approve several proposals, each on its own: checked, locked and logged like one.

    Ids the user cannot see are reported as not found. With `one_decision`, the files
    recognised share the decision number of the first one. Returns one ItemResult per id.
    """
    ids = []
    for pk in registration_ids:
        try:
            ids.append(int(pk))
        except (TypeError, ValueError):
            continue
    visible = {r.pk: r for r in registrations_visible_to(by).filter(pk__in=ids)}
    shared_number = None
    results = []
    for pk in dict.fromkeys(ids):
        registration = visible.get(pk)
        if registration is None:
            results.append(ItemResult(pk, False, _("Registration not found.")))
            continue
        try:
            registration = approve_registration(
                registration,
                by=by,
                decision_number=shared_number,
                decision_date=decision_date,
            )
        except DomainError as error:
            results.append(ItemResult(pk, False, str(error.message), registration))
            continue
        if registration.status == Status.RECOGNIZED:
            if one_decision and shared_number is None:
                shared_number = registration.recognition.decision_number
            message = _("Recognised.")
        else:
            message = _("Approved and sent on to %(unit)s.") % {"unit": registration.awaiting_unit}
        results.append(ItemResult(pk, True, message, registration))
    return results
