"""The one shape of a workflow step, whatever the app: guard → change → save → event row.

An app's workflow is data in its own workflow.py: a TextChoices of statuses, one `Moves`
table of the allowed moves, and predicates `check_<action>(user, obj)` that answer None when
the user may act now, else the reason, a sentence the person can act on (`can_<action>` is
the same answer as a boolean, for the buttons). A service locks the row, guards with the
predicate, changes what the step changes and calls `transition`; a broken rule raises
`DomainError` and nothing has changed.

The event row is written through the object's `events` relation: the event model has
`action`, `from_status`, `to_status` and `actor` fields (models_learning.RegistrationEvent,
centers.CenterRatingEvent), plus whatever else the app records. This module knows no app.
"""

from lib.errors import DomainError


class Moves(dict):
    """THE table of allowed moves: action -> (statuses it may start from, status it leads to).

    None among the starting statuses is "no row yet" (a first step that creates the object);
    None as the target keeps the status (the step is recorded, nothing moves). `not_now` is
    the sentence when the table refuses, `%(status)s` being the current status in lower case.
    """

    def __init__(self, table, *, statuses, not_now):
        super().__init__(
            {action: (frozenset(starts), to) for action, (starts, to) in table.items()}
        )
        self.statuses = statuses
        self.not_now = not_now

    def allows(self, action, status):
        """May `action` start from `status`?"""
        return status in self[action][0]

    def target(self, action, status=None):
        """The status after `action` from `status` (unchanged for a record-only action)."""
        return self[action][1] or status

    def label(self, status):
        return self.statuses(status).label if status else ""

    def refusal(self, action, status):
        """None if `action` may start from `status`, else why not, for a person."""
        return None if self.allows(action, status) else self.not_now_in(status)

    def not_now_in(self, status):
        """The sentence saying that a step cannot be taken while the object is in `status`."""
        return str(self.not_now) % {"status": self.label(status).lower()}


def guard(problem, field=None):
    """Raise a predicate's reason as a DomainError (None: the user may act)."""
    if problem:
        raise DomainError(problem, field)


def actor(user):
    """Who to record as having acted: None for the system (`by=None`) or an anonymous user."""
    return user if user is not None and user.is_authenticated else None


def lock(queryset, pk, missing):
    """The row `pk` of `queryset` re-read under a row lock (select_for_update; a no-op on
    SQLite): whoever comes second waits here, then sees the first one's result, so the
    predicate checked after the lock refuses a second approval. `missing` is the sentence
    when the row has gone meanwhile."""
    try:
        return queryset.select_for_update(of=("self",)).get(pk=pk)
    except queryset.model.DoesNotExist:
        raise DomainError(missing) from None


def event_for(obj, action, *, by, from_status="", **event):
    """The event row of `obj` (not yet saved): who did what, from which status to which (and
    `event`). `record` saves one; a bulk writer (an import) saves many at once."""
    events = obj.events
    return events.model(
        **{events.field.name: obj},
        action=action,
        from_status=from_status or "",
        to_status=obj.status,
        actor=actor(by),
        **event,
    )


def record(obj, action, *, by, from_status="", **event):
    """Write one event row of `obj`: who did what, from which status to which (and `event`)."""
    row = event_for(obj, action, by=by, from_status=from_status, **event)
    row.save(force_insert=True)
    return row


def transition(obj, action, *, moves, by, problem=None, fields=(), **event):
    """Take the step `action` of the table `moves` on `obj`, locked by the caller.

    guard: `problem` (the predicate's answer for `by`, when the service has not guarded
    before checking its input), then the table itself, so that no step skips it;
    change: the new status; save: the status, the `fields` the caller changed for this step
    and `updated_at`, in one UPDATE; event: one row (`event` are its other fields).
    Returns the event row.
    """
    guard(problem)
    before = obj.status
    guard(moves.refusal(action, before))
    obj.status = moves.target(action, before)
    update = set(fields)
    if obj.status != before:
        update.add("status")
    if any(field.name == "updated_at" for field in obj._meta.concrete_fields):
        update.add("updated_at")
    obj.save(update_fields=sorted(update))
    return record(obj, action, by=by, from_status=before, **event)
