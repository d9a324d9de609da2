"""Pieces every service shares: the guard, the row lock and the event row."""

from django.utils.translation import gettext as _

from lib.errors import DomainError

from .. import workflow
from ..models import Registration, RegistrationEvent


def guard(problem, field=None):
    """Raise the predicate's reason (None means the user may act)."""
    if problem:
        raise DomainError(problem, field)


def lock(registration):
    """The registration re-read under a row lock (select_for_update; a no-op on SQLite).

    Whoever comes second waits here and then sees the first one's result, so the
    predicate checked after the lock refuses a second approval.
    """
    try:
        return (
            Registration.objects.select_related("unit", "criteria_set", "awaiting_unit")
            .select_for_update(of=("self",))
            .get(pk=registration.pk)
        )
    except Registration.DoesNotExist:
        raise DomainError(_("This registration no longer exists.")) from None


def move(
    registration,
    action,
    *,
    by,
    fields=(),
    level="",
    unit=None,
    reason="",
    criterion_notes=None,
    data=None,
):
    """Apply `action` from the table of moves, save the changed fields, write the event."""
    before = registration.status
    if not workflow.allows(action, before):
        raise DomainError(
            _("This cannot be done now: the registration is %(status)s.")
            % {"status": workflow.Status(before).label.lower()}
        )
    registration.status = workflow.target(action, before)
    update = {"updated_at", *fields}
    if registration.status != before:
        update.add("status")
    registration.save(update_fields=sorted(update))
    return record(
        registration,
        action,
        by=by,
        from_status=before,
        level=level,
        unit=unit,
        reason=reason,
        criterion_notes=criterion_notes,
        data=data,
    )


def record(
    registration,
    action,
    *,
    by,
    from_status="",
    level="",
    unit=None,
    reason="",
    criterion_notes=None,
    data=None,
):
    """Write one RegistrationEvent: who did what, when, at which level, and why."""
    return RegistrationEvent.objects.create(
        registration=registration,
        action=action,
        from_status=from_status,
        to_status=registration.status,
        level=level,
        unit=unit,
        actor=by if by is not None and by.is_authenticated else None,
        reason=reason,
        criterion_notes=criterion_notes or [],
        data=data or {},
    )


def clean_text(value, *, field, required_message=None, max_length=None):
    """`value` stripped; DomainError when empty and required, or too long."""
    text = (value or "").strip()
    if required_message and not text:
        raise DomainError(required_message, field)
    if max_length and len(text) > max_length:
        raise DomainError(
            _("At most %(count)s characters.") % {"count": max_length},
            field,
        )
    return text
