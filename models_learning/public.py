"""Public reads of recognitions: what anyone may see, and nothing else.

Every read here selects named columns (`.values()`), so a public page never even loads a
phone number, a birth year, family members, scores, notes or evidence: it gets a
`PublicRecognition` holding the title, year, name, village and commune, the decision and the
certificate's validity. Only recognitions are public (never a mere registration); a revoked
one stays visible and says so.

The search is built for millions of rows:
- `q` is normalised like the stored `Registration.search_text` (lower case, no diacritics,
  "đ" read as "d") and matched as the start of a word there: one `LIKE` that the trigram
  GIN index serves on PostgreSQL (migration 0002) and a plain scan of the stored column on
  SQLite. Digits are dropped from `q`: the stored text holds the head's year of birth, which
  must not be searchable from outside.
- filters on the title, the year and the commune (or an old district, or a commune of either
  tree with the communes it was formed from) use indexed columns;
- the order (newest year, then name) is a partial index over recognised files (migration
  0003), so a page without a selective filter reads only the rows it shows;
- the count is capped (`COUNT_CAP`): no `COUNT(*)` over everything, and page numbers past
  the cap are refused.
"""

import dataclasses
import datetime
import math
import re

from django.db import connection, models
from django.db.models import CharField, ExpressionWrapper, F, IntegerField, Max, Min, Value
from django.db.models.functions import Concat, StrIndex
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from lib.dates import local_today
from lib.text import normalise
from units import lineage
from units.models import Level, Unit

from .models import PUBLIC_STATUSES, ModelKind, Registration
from .workflow import Status

PAGE_SIZE = 20
MAX_PAGES = 50
COUNT_CAP = PAGE_SIZE * MAX_PAGES
MAX_QUERY_LENGTH = 100
# Certificate codes look like "DB-2026-7KQ4M2": letters, digits and dashes.
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,19}$")
ORDER = ("-year", "search_text", "id")


class State(models.TextChoices):
    VALID = "valid", pgettext_lazy("certificate state", "Valid")
    EXPIRED = "expired", pgettext_lazy("certificate state", "Expired")
    REVOKED = "revoked", pgettext_lazy("certificate state", "Revoked")


@dataclasses.dataclass(frozen=True)
class PublicRecognition:
    """The facts of a recognition that a public page may show."""

    code: str
    kind: str
    year: int
    name: str
    village: str
    commune: str
    state: str
    valid_from: datetime.date
    valid_to: datetime.date
    revoked_on: datetime.date | None = None
    decision_number: str = ""
    decision_date: datetime.date | None = None
    issuing_unit: str = ""
    # Where the commune of that year has ended: today's commune it became part of.
    commune_today: str = ""

    @property
    def kind_label(self):
        return ModelKind(self.kind).label

    @property
    def state_label(self):
        return State(self.state).label


# Columns read for a list row, and the extra ones a recognition's own page shows.
ROW_COLUMNS = (
    "id",
    "kind",
    "year",
    "subject_name",
    "status",
    "unit__name",
    "household__village__name",
    "recognition__certificate_code",
    "recognition__valid_from",
    "recognition__valid_to",
    "recognition__revoked_at",
)
DETAIL_COLUMNS = (
    *ROW_COLUMNS,
    "unit_id",
    "unit__valid_to",
    "recognition__decision_number",
    "recognition__decision_date",
    "recognition__issuing_unit__name",
)


def recognised():
    """Registrations that were recognised (including those revoked since) by a decision
    already issued, with their recognition: the only learning-model rows a public page may
    read. Until its decision is issued a recognition is a draft (its certificate prints
    "Bản nháp"): not listed, and its code is unknown to the public check."""
    return recognised_files()


def recognised_files():
    """The same files, what the search scans: the status is what the ordered partial indexes
    hold; the decision being issued is one probe of the recognition's unique index per row
    read (a recognised or revoked file always has its recognition: the services write both
    in one transaction)."""
    return recognised_by_status().filter(recognition__issued_at__isnull=False)


def recognised_by_status():
    """Files by their status alone, issued or not, without the join: only for the bounds of
    the search's year list, which the ordered indexes answer from their ends."""
    return Registration.objects.filter(status__in=PUBLIC_STATUSES)


def state_of(valid_to, revoked_at, status, today=None):
    if revoked_at is not None or status == Status.REVOKED:
        return State.REVOKED.value
    today = today or local_today()
    return State.EXPIRED.value if valid_to < today else State.VALID.value


def _public(row, today, **extra):
    revoked_at = row["recognition__revoked_at"]
    kind = row["kind"]
    if kind == ModelKind.COMMUNITY:
        village = row["subject_name"]  # the village community is the village itself
    else:
        village = row["household__village__name"] or ""
    return PublicRecognition(
        code=row["recognition__certificate_code"],
        kind=kind,
        year=row["year"],
        name=row["subject_name"],
        village=village,
        commune=row["unit__name"],
        state=state_of(row["recognition__valid_to"], revoked_at, row["status"], today),
        valid_from=row["recognition__valid_from"],
        valid_to=row["recognition__valid_to"],
        revoked_on=timezone.localdate(revoked_at) if revoked_at else None,
        **extra,
    )


# --- codes ----------------------------------------------------------------------------------


def clean_code(raw):
    """A typed certificate code in its stored form (upper case, no spaces), or None when it
    cannot be a code at all (then no query is made)."""
    code = "".join((raw or "").split()).upper()
    return code if CODE_PATTERN.match(code) else None


def recognition_by_code(code):
    """The PublicRecognition with certificate `code` (already cleaned), or None."""
    row = recognised().filter(recognition__certificate_code=code).values(*DETAIL_COLUMNS).first()
    if row is None:
        return None
    today_name = ""
    if row["unit__valid_to"] is not None:
        today_name = commune_today(row["unit_id"])
    return _public(
        row,
        local_today(),
        decision_number=row["recognition__decision_number"],
        decision_date=row["recognition__decision_date"],
        issuing_unit=row["recognition__issuing_unit__name"] or "",
        commune_today=today_name,
    )


def commune_today(unit_id):
    """The name of the current unit an ended commune became part of ("" when none)."""
    current = lineage.current_successor(unit_id)
    return current["name"] if current else ""


# --- search ---------------------------------------------------------------------------------


def search_phrase(q):
    """`q` as matched against the stored text: normalised, digits dropped, single spaces."""
    text = normalise((q or "")[: MAX_QUERY_LENGTH * 2])
    return " ".join(re.sub(r"\d+", " ", text).split())[:MAX_QUERY_LENGTH]


def unit_ids_for(unit):
    """Ids of the communes a `unit` filter keeps (`unit`: a Unit or a UnitOption).

    An old district: its communes of the time (communes stand right under their district).
    A commune of either tree: the commune and every commune it was formed from, through all
    generations of UnitChange (today's Xã Mường Phăng keeps the files of old Xã Nà Nhạn).
    One query, plus one per generation of lineage for a commune.
    """
    if unit.level == Level.DISTRICT:
        return list(
            Unit.objects.filter(parent_id=unit.pk, level=Level.COMMUNE).values_list("pk", flat=True)
        )
    return sorted({unit.pk, *lineage.predecessor_ids([unit.pk])})


@dataclasses.dataclass
class Search:
    """A search of recognised files: one filtered queryset, or one per commune of a `unit`
    filter (see `search`)."""

    parts: list
    # With `q` and a unit filter, the order must not steer the plan (see `search`).
    sort_by_expression: bool = False

    def ordered(self, part):
        if self.sort_by_expression:
            # `year + 0` is the same order, but no index has it: PostgreSQL then combines the
            # trigram and commune indexes and sorts the few matches.
            part = part.annotate(sort_year=ExpressionWrapper(F("year") + 0, IntegerField()))
            return part.order_by("-sort_year", "search_text", "id")
        return part.order_by(*ORDER)

    def first_ids(self, limit):
        """Ids of the first `limit` matches in the public order: one query."""
        if len(self.parts) == 1:
            return list(self.ordered(self.parts[0]).values_list("id", flat=True)[:limit])
        # One ordered, limited scan per commune, merged by the database (MergeAppend): each
        # reads at most `limit` entries of the (unit, year, name) index.
        scans = [
            self.ordered(part).values_list("id", "year", "search_text")[:limit]
            for part in self.parts
        ]
        merged = scans[0].union(*scans[1:], all=True).order_by(*ORDER)[:limit]
        return [row[0] for row in merged]


def search(*, q="", kind=None, year=None, unit=None, unit_ids=None):
    """The recognised files matching the filters, newest year first, then by name.

    `unit` is a Unit or a UnitOption (see `unit_ids_for`; `unit_ids`: its ids when the caller
    has them already); unknown values are the caller's business (the form refuses them).
    Query plans at a million rows:
    - no filter, or the title or year: the ordered partial indexes of migration 0003, reading
      only the rows shown;
    - `q`: the trigram index finds the matches (one LIKE on the stored normalised text), then
      they are sorted; or, for a common name, the ordered index is read until enough match;
    - a unit filter without `q`: one ordered scan per commune of the unit (a district's
      communes, or a commune and those it was formed from; index of migration 0004), merged;
      a single ordered scan with `unit IN (…)` would read years of other communes before
      reaching the first match, since old communes only have old years. On SQLite (no
      ordered parts in a UNION) one query with `unit IN (…)`;
    - `q` with a unit filter: one query, ordered by an expression so that the trigram and
      commune indexes find the matches and only those are sorted.
    """
    rows = recognised_files()
    phrase = search_phrase(q)
    if phrase:
        # The phrase anywhere: one scan of the trigram index. Then at the start of a word, a
        # recheck of the rows found: strpos(" " + text, " " + phrase) > 0 is served by no
        # index and the planner gives it a plain one-in-three estimate (as an OR of two LIKEs
        # it would cost two index scans; as a LIKE on an expression, a far too selective
        # estimate that makes it sort a quarter of the table for "nguyen").
        rows = rows.annotate(
            word_start=StrIndex(
                Concat(Value(" "), "search_text", output_field=CharField()), Value(f" {phrase}")
            )
        ).filter(search_text__contains=phrase, word_start__gt=0)
    if kind:
        rows = rows.filter(kind=kind)
    if year:
        rows = rows.filter(year=year)
    if unit is None:
        return Search([rows])
    ids = unit_ids if unit_ids is not None else unit_ids_for(unit)
    if phrase:
        return Search([rows.filter(unit_id__in=ids)], sort_by_expression=True)
    if len(ids) > 1 and connection.features.supports_slicing_ordering_in_compound:
        return Search([rows.filter(unit_id=pk) for pk in ids])
    return Search([rows.filter(unit_id__in=ids)])


@dataclasses.dataclass
class Page:
    """One page of results with a capped count: `count` is exact up to COUNT_CAP; above,
    `more` is True and the page says "more than 1,000"."""

    number: int
    rows: list
    count: int
    more: bool

    @property
    def num_pages(self):
        return max(1, min(MAX_PAGES, math.ceil(min(self.count, COUNT_CAP) / PAGE_SIZE)))

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.num_pages

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def has_other_pages(self):
        return self.num_pages > 1

    @property
    def start_index(self):
        return (self.number - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def paginator(self):
        return self  # for templates/partials/pagination.html: page.paginator.num_pages


class PageOutOfRange(Exception):
    pass


def page_of(search, number, first_ids=None):
    """Page `number` (1-based) of a `Search`: two queries whatever the number of matches.

    The first reads the ids of the first COUNT_CAP + 1 matches in order: their number is the
    (capped) count, and the page is a slice of them (`first_ids(limit)`, when given, answers
    instead of `search.first_ids`: the view keeps them in the cache). The second reads the
    public columns of that page's rows. Raises PageOutOfRange past the last page or past
    MAX_PAGES (page 1 always exists).
    """
    if number < 1 or number > MAX_PAGES:
        raise PageOutOfRange
    ids = (first_ids or search.first_ids)(COUNT_CAP + 1)
    page = Page(number=number, rows=[], count=min(len(ids), COUNT_CAP), more=len(ids) > COUNT_CAP)
    if number > page.num_pages:
        raise PageOutOfRange
    start = (number - 1) * PAGE_SIZE
    wanted = ids[start : start + PAGE_SIZE]
    if wanted:
        today = local_today()
        found = {
            row["id"]: row
            for row in recognised().filter(pk__in=wanted).order_by().values(*ROW_COLUMNS)
        }
        page.rows = [_public(found[pk], today) for pk in wanted if pk in found]
    return page


# --- filter choices -----------------------------------------------------------------------


def year_range():
    """(first, last) year of the recognitions, or None when there are none: one query that
    the ordered indexes answer from their ends."""
    bounds = recognised_by_status().aggregate(first=Min("year"), last=Max("year"))
    if bounds["first"] is None:
        return None
    return bounds["first"], bounds["last"]


def filter_units(province):
    """The units a visitor may filter by, grouped: today's communes, the old districts and the
    old communes (each labelled with the district it stood under, since a commune that moved
    in 2020 appears under two districts). One query; plain (id, label, level) tuples."""
    groups = {"today": [], "districts": [], "old": []}
    if province is None:
        return groups
    rows = (
        Unit.objects.filter(
            path__startswith=province.path, level__in=[Level.DISTRICT, Level.COMMUNE]
        )
        .order_by("name", "valid_from", "pk")
        .values_list("pk", "name", "level", "valid_to", "parent__name", "parent__level")
    )
    for pk, name, level, valid_to, parent_name, parent_level in rows:
        if level == Level.DISTRICT:
            groups["districts"].append(UnitOption(pk, name, level))
        elif valid_to is None:
            groups["today"].append(UnitOption(pk, name, level))
        else:
            label = f"{name} – {parent_name}" if parent_level == Level.DISTRICT else name
            groups["old"].append(UnitOption(pk, label, level))
    return groups


@dataclasses.dataclass(frozen=True)
class UnitOption:
    pk: int
    label: str
    level: str
