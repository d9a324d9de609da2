"""Pieces every service shares: the guard, the row lock, the step and the event row."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from lib import workflow as steps
from lib.errors import DomainError
from lib.workflow import guard

from .. import workflow
from ..models import Registration

__all__ = ["ItemResult", "clean_text", "event", "guard", "lock", "move", "record"]


def lock(registration):
    """The registration re-read under a row lock (select_for_update; a no-op on SQLite).

    Whoever comes second waits here and then sees the first one's result, so the
    predicate checked after the lock refuses a second approval.
    """
    return steps.lock(
        Registration.objects.select_related("unit", "criteria_set", "awaiting_unit"),
        registration.pk,
        _("This registration no longer exists."),
    )


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
    return steps.transition(
        registration,
        action,
        moves=workflow.MOVES,
        by=by,
        fields=fields,
        level=level,
        unit=unit,
        reason=reason,
        criterion_notes=criterion_notes or [],
        data=data or {},
    )


def event(
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
    """The RegistrationEvent `record` writes, not yet saved (a bulk writer saves many at once)."""
    return steps.event_for(
        registration,
        action,
        by=by,
        from_status=from_status,
        level=level,
        unit=unit,
        reason=reason,
        criterion_notes=criterion_notes or [],
        data=data or {},
    )


def record(registration, action, **fields):
    """Write one RegistrationEvent: who did what, when, at which level, and why."""
    row = event(registration, action, **fields)
    row.save(force_insert=True)
    return row


@dataclass
class ItemResult:
    """What happened to one item of a bulk action."""

    source_id: int
    ok: bool
    message: str
    registration: Registration | None = None


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
