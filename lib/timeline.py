"""One line of a history, as the shared partial templates/partials/timeline.html shows it.

Each app turns its event rows into entries (models_learning.pages.timeline for a
registration, centers.history.timeline for a centre rating), so that the partial knows no
app, no status and no action: what an event means is said in Python, once.
"""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    action: str  # the event's action code (data-action on the page, for tests and styles)
    title: str  # what happened, for a person
    at: datetime.datetime
    actor: str = ""  # who acted; "" is the system (seeded rows, loading)
    unit: str = ""  # where, when the step belongs to a level of the chain
    change: tuple = ()  # (from, to) status labels when the step moved the status
    facts: tuple = ()  # short lines: a total, a decision, a score changed and why
    reason: str = ""  # why (a return, a rejection, a revocation)
    note: str = ""  # a note given with the step
    notes: tuple = ()  # what to fix, per criterion
    tone: str = ""  # the colour of its mark: "success", "warning", "danger" or none


def actor_name(user):
    """The name of who acted (full name, else username); "" when no one is recorded."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def status_change(event, label):
    """(from, to) labels of `event`'s status change, `label` naming a status; () if none."""
    if not event.from_status or event.from_status == event.to_status:
        return ()
    return (label(event.from_status), label(event.to_status))
