"""The workflow's steps on a registration: score, propose, approve (or recognise), return,
reject, withdraw, and many approvals at once. One function per move, each atomic, locked,
guarded by its predicate of `models_learning.workflow`, logged by one event."""

from django.db import transaction
from django.utils.translation import gettext as _

from lib.dates import local_today
from lib.errors import DomainError
from lib.limits import integer_max
from units.models import Level, Unit

from .. import notifications, workflow
from ..ended_levels import pass_on
from ..models import Registration, RegistrationEvent, Score
from ..scoring import assess, parse_points
from ..selectors import approving_units, registrations_visible_to
from ..workflow import Action, Status
from ._common import ItemResult, clean_text, guard, lock, move
from .recognitions import recognise


@transaction.atomic
def save_scores(registration, *, by, points, notes=None):
    """Save the scores: every criterion with points moves the file to scored, some left
    empty keep it registered (a draft); nothing changes if any is invalid, or if the sheet
    would hold no points at all (an empty form scores nothing).

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
    if not rows and len(cleared) == len(existing):
        raise DomainError(
            _(
                "Nothing to save: enter the points of the criteria (0 is a value). A file is"
                " scored once every criterion has its points."
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
        Action.SCORE if result.complete else Action.SCORE_PARTLY,
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
    largest = integer_max(Registration._meta.pk)
    for pk in registration_ids:
        try:
            number = int(pk)
        except (TypeError, ValueError):
            continue
        # An id no row can have (past the column's range) is not found, not a database error.
        if 0 < number <= largest:
            ids.append(number)
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


@transaction.atomic
def pass_on_from_ended_levels(*, day=None):
    """Files waiting at a unit that ended before `day` (default today) now wait at the next
    level of their chain that exists, each with a "pass_on" event saying why (README,
    "Files waiting at a level that ended"). Idempotent; returns how many moved."""
    return pass_on(
        day or local_today(), registrations=Registration, events=RegistrationEvent, units=Unit
    )
