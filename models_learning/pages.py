"""What the staff pages of learning models show, built from the selectors, the workflow
predicates and the score arithmetic, so that views stay thin and templates hold no logic.

Each page runs a fixed number of queries whatever the number of rows: lists come joined from
the selectors, counts from GROUP BY queries, the page of one registration from its prefetches.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.template.defaultfilters import floatformat
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from lib.timeline import Entry, actor_name, status_change
from units import lineage
from units.choice import register_scope
from units.models import Level, Role, Unit, Village
from units.scoping import is_within, scope_of, under_paths, units_visible_to

from . import selectors, workflow
from .forms import (
    ApproveForm,
    BulkApproveForm,
    EvidenceForm,
    ReasonForm,
    RegistrationFilterForm,
    ReturnForm,
    WithdrawForm,
)
from .household_facts import household_facts
from .models import SUBJECT_FIELDS, Clan, Household, ModelKind, Organisation, Registration
from .scoring import assess
from .workflow import Action, Status

PER_PAGE = 50
# Counting a huge filtered list stops here: the pager then says "10.000+".
COUNT_CAP = 10_000
INBOX_ROWS = 20


# --- paging and sorting -------------------------------------------------------------------


class CappedPaginator(Paginator):
    """A Paginator whose count stops at `cap` rows: one cheap COUNT over a LIMITed subquery."""

    def __init__(self, object_list, per_page, cap=COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def count(self):
        # Without the list's order: counting the first `cap` rows needs no sort.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self):
        return self.count > self.cap


def paginate(request, queryset, per_page=PER_PAGE, param="page"):
    """The requested page of `queryset` (a bad or too high page number gives the last one)."""
    return CappedPaginator(queryset, per_page).get_page(request.GET.get(param))


def querystring(params, drop=("page",), **changes):
    """`params` (a QueryDict) as a query string without `drop`, with `changes` applied."""
    pairs = [(k, v) for k, values in params.lists() if k not in drop for v in values if v != ""]
    pairs = [(k, v) for k, v in pairs if k not in changes]
    pairs += [(k, v) for k, v in changes.items() if v not in ("", None)]
    return urlencode(pairs)


SORT_COLUMNS = ("name", "year", "unit", "status", "total")


def sort_links(params, current):
    """For each sortable column: the link that sorts by it (descending when already
    ascending) and whether the list is sorted by it now (None, "asc" or "desc")."""
    links = {}
    for column in SORT_COLUMNS:
        if current == column:
            key, state = f"-{column}", "asc"
        elif current == f"-{column}":
            key, state = column, "desc"
        else:
            key, state = column, None
        links[column] = {"query": querystring(params, sort=key), "state": state}
    return links


def filtered_registrations(user, params):
    """The registration list as its filters in `params` ask: (form, search, registrations).

    The list page and its exports all read it, so that an export holds what the page lists.
    """
    units = units_visible_to(user).filter(level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE])
    form = RegistrationFilterForm(params or None, units=units)
    search = form.search()
    queryset = selectors.search_registrations(selectors.registrations_visible_to(user), **search)
    return form, search, queryset


# --- who registers where ------------------------------------------------------------------


def registering_communes(user):
    """Communes where `user` may register subjects (workflow.check_register), current first."""
    communes = Unit.objects.filter(level=Level.COMMUNE)
    scope = scope_of(user)
    if not scope.is_superuser:
        paths = [m.unit.path for m in scope.memberships if m.role == Role.OFFICER]
        if not paths:
            return communes.none()
        communes = communes.filter(under_paths(paths))
    return communes.order_by("valid_to", "name", "pk")


# Carry-over and a new registration (a user of several communes) offer these communes as a
# short list and a search box (`units.choice`).
register_scope("registering", registering_communes)


def registering_villages(user):
    """Villages (still existing) of the communes where `user` registers."""
    return (
        Village.objects.filter(commune__in=registering_communes(user), valid_to__isnull=True)
        .select_related("commune")
        .order_by("commune__name", "name", "pk")
    )


def households_of(user):
    return Household.objects.filter(commune__in=registering_communes(user)).select_related(
        "village", "commune"
    )


def clans_of(user):
    return Clan.objects.filter(commune__in=registering_communes(user)).select_related("commune")


def organisations_of(user):
    return Organisation.objects.filter(commune__in=registering_communes(user)).select_related(
        "commune"
    )


def duplicate_rows(user, matches):
    """The matches of a DuplicateWarning, each with whether `user` may open its registration
    (a match in another commune is named but not linked) and may register its household."""
    registrable = set(households_of(user).values_list("pk", flat=True))
    rows = []
    for match in matches:
        registration = match.registration
        rows.append(
            {
                "match": match,
                "household": match.household,
                "registration": registration,
                "can_open": registration is not None and is_within(user, registration.unit),
                "can_register": registration is None and match.household.pk in registrable,
            }
        )
    return rows


# --- the registration page -----------------------------------------------------------------


def is_final_level(registration):
    """Would approving now recognise the registration (no level of the chain after this)?"""
    if registration.status != Status.PROPOSED:
        return False
    return not [
        step
        for step in selectors.approving_units(registration)
        if step[0] > registration.current_level
    ]


def last_return(registration):
    """The return event the officer must answer now (None unless returned and not resent)."""
    if not registration.is_returned:
        return None
    returns = [e for e in registration.events.all() if e.action == Action.RETURN]
    return returns[-1] if returns else None


def score_rows(registration, return_event=None):
    """The score sheet with, per criterion, what the last return asked to fix."""
    to_fix = {}
    if return_event is not None:
        to_fix = {n.get("criterion"): n.get("note", "") for n in return_event.criterion_notes}
    rows = selectors.score_sheet(registration)
    for row in rows:
        row["to_fix"] = to_fix.get(row["criterion"].pk, "")
    return rows


def assessment_of(registration):
    """scoring.assess of the saved scores, from the prefetched rows (no query)."""
    criteria = list(registration.criteria_set.criteria.all())
    points = {s.criterion_id: s.points for s in registration.scores.all()}
    return assess(registration.criteria_set, criteria, points)


def subject_facts(registration):
    """The subject (and a household's members) under the name the template shows it by."""
    subject = registration.subject
    kind = ModelKind(registration.kind)
    if kind == ModelKind.FAMILY:
        return {"household": subject, "members": list(subject.members.all())}
    if kind == ModelKind.CLAN:
        return {"clan": subject}
    if kind == ModelKind.COMMUNITY:
        return {"village": subject}
    return {"organisation": subject}


def action_forms(registration, actions, final):
    """Empty forms of the steps `user` may take, each with its own ids on the page."""
    makers = {
        Action.APPROVE: ("approve", lambda ids: ApproveForm(final=final, auto_id=ids)),
        Action.RETURN: (
            "return",
            lambda ids: ReturnForm(registration=registration, auto_id=ids),
        ),
        Action.REJECT: ("reject", lambda ids: ReasonForm(auto_id=ids)),
        Action.WITHDRAW: ("withdraw", lambda ids: WithdrawForm(auto_id=ids)),
        Action.REVOKE: ("revoke", lambda ids: ReasonForm(auto_id=ids)),
        Action.ATTACH_EVIDENCE: ("evidence", lambda ids: EvidenceForm(auto_id=ids)),
    }
    forms = {}
    for action, (name, make) in makers.items():
        if action in actions:
            forms[name] = make(f"id_{name}_%s")
    return forms


# The colour of a step's mark in the history, and the steps whose text is a reason (the
# others carry a note).
TONES = {
    Action.RETURN: "warning",
    Action.RECOGNIZE: "success",
    Action.REJECT: "danger",
    Action.REVOKE: "danger",
}
REASONED = frozenset({Action.RETURN, Action.REJECT, Action.REVOKE, Action.WITHDRAW, Action.PASS_ON})


def _facts(event):
    data = event.data or {}
    facts = []
    if data.get("total"):
        facts.append(_("Total: %(total)s points") % {"total": floatformat(data["total"], -1)})
    if data.get("decision_number"):
        decision = _("Decision %(number)s") % {"number": data["decision_number"]}
        if data.get("certificate_code"):
            decision += " · " + _("certificate %(code)s") % {"code": data["certificate_code"]}
        facts.append(decision)
    if data.get("name"):
        facts.append(data["name"])
    if data.get("carried_over_from"):
        facts.append(_("Carried over from last year's registration."))
    return tuple(facts)


def timeline(events):
    """The registration's history as the shared timeline (templates/partials/timeline.html)
    shows it: one entry per RegistrationEvent, its actor and unit joined by the caller."""
    return [
        Entry(
            action=event.action,
            title=event.get_action_display(),
            at=event.at,
            actor=actor_name(event.actor),
            unit=event.unit.name if event.unit else "",
            change=status_change(event, lambda status: Status(status).label),
            facts=_facts(event),
            reason=event.reason if event.action in REASONED else "",
            note="" if event.action in REASONED else event.reason,
            notes=tuple(
                _("Criterion %(number)s (%(title)s)")
                % {"number": note["number"], "title": note["title"]}
                + f": {note['note']}"
                for note in event.criterion_notes or ()
            ),
            tone=TONES.get(event.action, ""),
        )
        for event in events
    ]


def registration_page(user, registration):
    """Everything the page of one registration shows, with the actions `user` may take."""
    actions = workflow.allowed_actions(user, registration)
    return_event = last_return(registration)
    recognition = getattr(registration, "recognition", None)
    final = Action.APPROVE in actions and is_final_level(registration)
    events = list(registration.events.all())
    return {
        "registration": registration,
        "subject": subject_facts(registration),
        "household_facts": household_facts(registration),
        "criteria_set": registration.criteria_set,
        "rows": score_rows(registration, return_event),
        "assessment": assessment_of(registration),
        "evidence": list(registration.evidence.all()),
        "events": events,
        "timeline": timeline(events),
        "return_event": return_event,
        "recognition": recognition,
        "actions": {str(action) for action in actions},
        "final_level": final,
        "forms": action_forms(registration, actions, final),
    }


def subject_field(kind):
    return SUBJECT_FIELDS[ModelKind(kind)]


# --- carry-over ---------------------------------------------------------------------------


def carry_over_sources(user, unit, year):
    """Last year's registrations of `unit` and the communes it was formed from, each marked
    `already` when its subject is registered for `year` already (two queries)."""
    units = {unit.pk, *lineage.predecessor_ids([unit.pk])}
    sources = (
        selectors.registrations_visible_to(user)
        .filter(year=year - 1, unit_id__in=units)
        .order_by("subject_name", "id")
    )
    return sources


def already_registered(sources, year):
    """{(kind, subject id)} among `sources` (a page of rows) registered for `year` already."""
    wanted = Q(pk__in=[])
    for field in SUBJECT_FIELDS.values():
        ids = [getattr(r, f"{field}_id") for r in sources if getattr(r, f"{field}_id")]
        if ids:
            wanted |= Q(**{f"{field}_id__in": ids})
    taken = set()
    for row in Registration.objects.filter(wanted, year=year).values(
        "kind", *(f"{f}_id" for f in SUBJECT_FIELDS.values())
    ):
        taken.add((row["kind"], row[f"{subject_field(row['kind'])}_id"]))
    return taken


# --- the inbox ----------------------------------------------------------------------------


INBOX_COUNTS_PER_PAGE = 25
INBOX_COUNTS_PARAM = "communes_page"


def _counts_links(request, page):
    def link(number):
        return "?" + querystring(
            request.GET, drop=(INBOX_COUNTS_PARAM,), **{INBOX_COUNTS_PARAM: number}
        )

    return {
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "next": link(page.next_page_number()) if page.has_next() else None,
    }


def inbox_page(request):
    """The staff home: what waits for the user's action, counts per commune, and the
    proposals they may approve in bulk (paged)."""
    user = request.user
    inbox = selectors.inbox_for(user)
    counts = inbox.counts
    totals = {
        key: sum(row[key] for row in counts)
        for key in ("to_score", "to_propose", "to_fix", "to_approve", "total")
    }
    # The counts per commune come a page at a time (the totals cover them all), so that a
    # province's 1,100 communes do not make the page 1,100 rows long.
    counts_page = Paginator(counts, INBOX_COUNTS_PER_PAGE).get_page(
        request.GET.get(INBOX_COUNTS_PARAM)
    )
    return {
        "inbox": inbox,
        "counts": counts,
        "counts_page": counts_page,
        "counts_links": _counts_links(request, counts_page),
        "totals": totals,
        "to_fix": list(inbox.to_fix[:INBOX_ROWS]) if totals["to_fix"] else [],
        "to_score": list(inbox.to_score[:INBOX_ROWS]) if totals["to_score"] else [],
        "to_propose": list(inbox.to_propose[:INBOX_ROWS]) if totals["to_propose"] else [],
        "to_approve": paginate(request, inbox.to_approve) if totals["to_approve"] else None,
        "bulk_form": BulkApproveForm(auto_id="id_bulk_%s"),
        "inbox_rows": INBOX_ROWS,
        "can_register": registering_communes(user).exists(),
    }
