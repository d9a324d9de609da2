"""Reads of learning-model data, always from what the viewer may see.

Every staff view starts from `registrations_visible_to(user)` (or the evidence / recognition
equivalents): another unit's row is simply not in the queryset, so `get_object_or_404` on it
answers 404. Rows come with what the list, the page and the workflow predicates need joined,
so lists run a constant number of queries.
"""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from lib.text import normalise
from units.models import Level, Role, Unit
from units.scoping import scope_of, scoped, under_paths

from .models import (
    CriteriaSet,
    Criterion,
    Evidence,
    Recognition,
    Registration,
    RegistrationEvent,
    RegistrationTally,
    Score,
)
from .tally import files_sum
from .workflow import APPROVING_ROLES, Status

# Joined on every registration row: enough for lists, the page header and the predicates.
ROW_RELATED = ("unit", "awaiting_unit", "criteria_set", "recognition", "recognition__issuing_unit")


def registrations_visible_to(user):
    """Registrations of the units `user` may read (their subtrees and their lineage)."""
    return scoped(Registration.objects.select_related(*ROW_RELATED), user, "unit__path")


def registration_page_queryset(user):
    """As `registrations_visible_to`, with the subject, scores, events and evidence prefetched."""
    return (
        registrations_visible_to(user)
        .select_related("household__village", "clan", "village", "organisation", "entered_by")
        .prefetch_related(
            "household__members",
            Prefetch("scores", queryset=Score.objects.select_related("criterion")),
            Prefetch(
                "events",
                queryset=RegistrationEvent.objects.select_related("actor", "unit").order_by(
                    "at", "id"
                ),
            ),
            Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")),
            Prefetch("criteria_set__criteria", queryset=Criterion.objects.order_by("number")),
        )
    )


def evidence_visible_to(user):
    """Evidence files of registrations `user` may read (served only through a scoped view)."""
    return scoped(
        Evidence.objects.select_related("registration__unit"), user, "registration__unit__path"
    )


def recognitions_visible_to(user):
    """Recognitions of registrations `user` may read."""
    return scoped(
        Recognition.objects.select_related("registration__unit", "issuing_unit"),
        user,
        "registration__unit__path",
    )


def score_sheet(registration):
    """One row per criterion of the registration's set, with its saved points and note.

    [{"criterion": Criterion, "points": Decimal | None, "note": str}, …] in criterion order.
    """
    scores = {s.criterion_id: s for s in registration.scores.all()}
    rows = []
    for criterion in registration.criteria_set.criteria.all():
        score = scores.get(criterion.pk)
        rows.append(
            {
                "criterion": criterion,
                "points": score.points if score else None,
                "note": score.note if score else "",
            }
        )
    return sorted(rows, key=lambda row: row["criterion"].number)


def _count_of(model):
    rows = (
        model.objects.filter(criteria_set=OuterRef("pk"))
        .order_by()
        .values("criteria_set")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


# The list says how many registrations use a set up to this many, then "more than": a full
# count reads a hundred thousand index entries per set at a million registrations (1.2–1.8 s).
REGISTRATIONS_COUNTED = 1000


def _registrations_up_to(limit):
    """COUNT(*) of at most `limit` + 1 registrations of the set: reads at most that many."""
    registrations = Registration._meta.db_table
    column = Registration._meta.get_field("criteria_set").column
    sets = CriteriaSet._meta.db_table
    return RawSQL(
        f'SELECT COUNT(*) FROM (SELECT 1 FROM "{registrations}" WHERE '
        f'"{registrations}"."{column}" = "{sets}"."id" LIMIT %s) AS "capped"',
        (limit + 1,),
        output_field=IntegerField(),
    )


def criteria_sets(kind=None, current_only=False):
    """Criteria sets for the staff list (not unit-scoped: the province's, shown to staff).
    `registrations_count` stops at REGISTRATIONS_COUNTED + 1 ("more than" that many)."""
    sets = CriteriaSet.objects.annotate(
        # Subqueries, not joined counts: joined, the criteria and the registrations
        # multiply (40 s at a million registrations, 1 s at country scale apart).
        criteria_count=_count_of(Criterion),
        registrations_count=_registrations_up_to(REGISTRATIONS_COUNTED),
    )
    if kind:
        sets = sets.filter(kind=kind)
    if current_only:
        sets = sets.filter(is_current=True)
    return sets


# --- lists and search ---------------------------------------------------------------------

ORDERINGS = {
    "year": ("year", "subject_name", "id"),
    "-year": ("-year", "subject_name", "id"),
    "name": ("subject_name", "id"),
    "-name": ("-subject_name", "-id"),
    "status": ("status", "-year", "subject_name", "id"),
    "-status": ("-status", "-year", "subject_name", "id"),
    "unit": ("unit__name", "-year", "subject_name", "id"),
    "-unit": ("-unit__name", "-year", "subject_name", "id"),
    "total": ("total_score", "id"),
    "-total": ("-total_score", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
}
DEFAULT_ORDERING = "-year"


def search_registrations(
    queryset, *, q="", year=None, kind=None, status=None, unit=None, returned=None, ordering=None
):
    """`queryset` filtered as the list's form asks and sorted by a known key.

    `q` ignores case and Vietnamese diacritics ("nguyen van an" finds "Nguyễn Văn An",
    "duc" finds "Đức"): the normalised phrase is looked for inside the stored normalised
    `search_text` (name, village, year of birth), which a trigram index serves on PostgreSQL.
    `unit` keeps that unit's subtree; `status` may be one status or a list. An unknown
    `ordering` falls back to the newest year first.
    """
    phrase = normalise(q)
    if phrase:
        queryset = queryset.filter(search_text__contains=phrase)
    if year:
        queryset = queryset.filter(year=year)
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        statuses = [status] if isinstance(status, str) else list(status)
        queryset = queryset.filter(status__in=statuses)
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    if returned is not None:
        queryset = queryset.filter(is_returned=returned)
    return queryset.order_by(*ORDERINGS.get(ordering or DEFAULT_ORDERING, ORDERINGS["-year"]))


# --- inbox ------------------------------------------------------------------------------


@dataclass
class Inbox:
    """What waits for a user's action, as querysets, with counts per commune."""

    to_score: object  # registered: the commune enters scores
    to_propose: object  # scored and not returned: the commune proposes
    to_fix: object  # returned for correction: the commune fixes and proposes again
    to_approve: object  # proposed and waiting at a unit where the user approves
    counts: list = field(default_factory=list)  # one dict per commune, see `inbox_for`

    @property
    def total(self):
        return sum(row["total"] for row in self.counts)


def _officer_condition(user):
    scope = scope_of(user)
    if scope.is_superuser:
        return Q()
    paths = [m.unit.path for m in scope.memberships if m.role == Role.OFFICER]
    return under_paths(paths, "unit__path")


def _approver_condition(user):
    scope = scope_of(user)
    if scope.is_superuser:
        return Q()
    unit_ids = [
        m.unit_id for m in scope.memberships if m.role in APPROVING_ROLES.get(m.unit.level, ())
    ]
    return Q(awaiting_unit_id__in=unit_ids)


def inbox_for(user):
    """What waits for `user`: files to score, propose or fix in their communes (as officer),
    proposals waiting at the units where they review or approve, and counts per commune.

    `counts` rows: {"unit_id", "unit_name", "to_score", "to_propose", "to_fix", "to_approve",
    "total"}, ordered by commune name; one GROUP BY query.
    """
    base = Registration.objects.select_related(*ROW_RELATED)
    officer = _officer_condition(user) if user.is_authenticated else Q(pk__in=[])
    approver = _approver_condition(user) if user.is_authenticated else Q(pk__in=[])
    to_score = Q(status=Status.REGISTERED) & officer
    to_propose = Q(status=Status.SCORED, is_returned=False) & officer
    to_fix = Q(status=Status.SCORED, is_returned=True) & officer
    to_approve = Q(status=Status.PROPOSED) & approver
    # Counted ahead by the database (models_learning.tally: the same columns, a few rows per
    # commune); a commune whose deltas cancel out has nothing waiting.
    counts = (
        RegistrationTally.objects.filter(to_score | to_propose | to_fix | to_approve)
        .values("unit_id", "unit__name")
        .annotate(
            to_score=files_sum(to_score),
            to_propose=files_sum(to_propose),
            to_fix=files_sum(to_fix),
            to_approve=files_sum(to_approve),
        )
        .filter(Q(to_score__gt=0) | Q(to_propose__gt=0) | Q(to_fix__gt=0) | Q(to_approve__gt=0))
        .order_by("unit__name", "unit_id")
    )
    rows = [
        {
            "unit_id": row["unit_id"],
            "unit_name": row["unit__name"],
            "to_score": row["to_score"],
            "to_propose": row["to_propose"],
            "to_fix": row["to_fix"],
            "to_approve": row["to_approve"],
            "total": row["to_score"] + row["to_propose"] + row["to_fix"] + row["to_approve"],
        }
        for row in counts
    ]
    # Left longest without a change first (updated_at moves with every save of the file), read
    # in order from an index (status, …, updated_at): the first rows of a list of a million
    # files cost what those of ten do.
    order = ("updated_at", "id")
    return Inbox(
        to_score=base.filter(to_score).order_by(*order),
        to_propose=base.filter(to_propose).order_by(*order),
        to_fix=base.filter(to_fix).order_by(*order),
        to_approve=base.filter(to_approve).order_by(*order),
        counts=rows,
    )


def approving_units(registration):
    """[(index, level, unit)] of the set's chain above the commune, in order.

    A level with no unit above the registration's commune (no district after 1 July 2025)
    is left out. One query.
    """
    levels = registration.criteria_set.approval_levels
    ancestors = {u.level: u for u in Unit.objects.filter(pk__in=registration.unit.ancestor_ids())}
    return [
        (index, level, ancestors[level])
        for index, level in enumerate(levels)
        if index > 0 and level != Level.COMMUNE and level in ancestors
    ]
