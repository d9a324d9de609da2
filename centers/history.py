"""A centre rating's history as the shared timeline (templates/partials/timeline.html) shows
it: one entry per CenterRatingEvent, saying what each step means."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from lib.timeline import Entry, actor_name, status_change

from .bands import format_points
from .models import RatingStatus
from .workflow import Action

TONES = {Action.RETURN: "warning", Action.PUBLISH: "success"}


def _points(text):
    try:
        return format_points(Decimal(text))
    except (InvalidOperation, TypeError, ValueError):
        return text


def _score_changes(event):
    if event.action != Action.RATE or not isinstance(event.changes, dict):
        return ()
    return tuple(
        _("Criterion %(n)s: %(old)s → %(new)s (%(reason)s)")
        % {
            "n": change.get("criterion"),
            "old": _points(change.get("from")),
            "new": _points(change.get("to")),
            "reason": change.get("reason", ""),
        }
        for change in event.changes.get("scores", ())
    )


def _title(event):
    if event.action in Action.values:
        return Action(event.action).label
    return RatingStatus(event.to_status).label


def timeline(events):
    """The entries of `events` (with their actors joined), oldest first as given."""
    return [
        Entry(
            action=event.action,
            title=_title(event),
            at=event.at,
            actor=actor_name(event.actor),
            change=status_change(event, lambda status: RatingStatus(status).label),
            facts=_score_changes(event),
            reason=event.reason if event.action == Action.RETURN else "",
            note="" if event.action == Action.RETURN else event.reason,
            tone=TONES.get(event.action, ""),
        )
        for event in events
    ]
