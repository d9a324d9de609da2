"""A fund year's closing as the shared timeline (templates/partials/timeline.html) shows it."""

from django.utils.translation import gettext as _

from lib.timeline import Entry, actor_name, status_change

from .models import PeriodStatus
from .templatetags.funds_tags import format_vnd
from .workflow import Action

TONES = {Action.RETURN: "warning", Action.APPROVE: "success"}


def _facts(event):
    data = event.data if isinstance(event.data, dict) else {}
    if event.action != Action.CLOSE or "closing_balance" not in data:
        return ()
    return (
        _("Opening balance %(amount)s") % {"amount": format_vnd(data["opening_balance"])},
        _("Receipts %(amount)s") % {"amount": format_vnd(data["receipts"])},
        _("Payments %(amount)s") % {"amount": format_vnd(data["payments"])},
        _("Closing balance %(amount)s") % {"amount": format_vnd(data["closing_balance"])},
    )


def timeline(events):
    """The entries of `events` (with their actors joined), oldest first as given."""
    return [
        Entry(
            action=event.action,
            title=Action(event.action).label,
            at=event.at,
            actor=actor_name(event.actor),
            change=status_change(event, lambda status: PeriodStatus(status).label),
            facts=_facts(event),
            reason=event.reason if event.action == Action.RETURN else "",
            note="" if event.action == Action.RETURN else event.reason,
            tone=TONES.get(event.action, ""),
        )
        for event in events
    ]
