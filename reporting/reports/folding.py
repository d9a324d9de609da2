"""Folding grouped rows onto a report's rows: as the units were, or mapped onto today's
communes through the units' lineage (see yearly.py)."""

import datetime

from django.db.models import BigIntegerField, Case, CharField, F, Q, Value, When
from django.db.models.functions import Cast, StrIndex, Substr
from django.utils.translation import gettext_lazy as _

from lib.cursor_rows import cursor_rows
from units import lineage
from units.models import Unit
from units.scoping import path_filter, under_paths

AS_WAS, TODAY = "as_was", "today"
VIEWS = {AS_WAS: _("As the units were"), TODAY: _("Mapped onto today's communes")}
SELF, UNMAPPED = "", None  # row keys besides the children's ids


def year_bounds(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def existed_in(unit, year):
    first, last = year_bounds(year)
    return (unit.valid_from is None or unit.valid_from <= last) and (
        unit.valid_to is None or unit.valid_to >= first
    )


def grouped_rows(queryset):
    """The rows of a `.values(…).annotate(…)` GROUP BY as dicts, read straight from the cursor
    (lib.cursor_rows: the ORM's converters on a province's 8,000 grouped rows cost more than
    the SQL; a SUM over a bigint column is a Decimal on PostgreSQL: fund_table makes it int)."""
    query = queryset.query
    # The columns' order, as QuerySet.values() reads it (ValuesIterable).
    if query.selected:
        names = list(query.selected)
    else:
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
    return [dict(zip(names, row, strict=True)) for row in cursor_rows(queryset)]


def _prefixes(paths):
    kept = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return kept


class Folding:
    """Groups a table's rows by report row: in SQL as the units were, in Python for today."""

    def __init__(self, user, root, year, view):
        self.user, self.root, self.year, self.view = user, root, year, view
        if view == TODAY:
            self.source = _prefixes([*root.paths, *lineage.predecessor_paths_under(root.paths)])
        else:
            self.source = _prefixes(root.paths)
        self.followed = set()  # ids of the units to follow onto today's (today only)
        self.today_key = {}

    def _source_filter(self, path_field):
        condition = under_paths(self.source, path_field)
        visible = path_filter(self.user, path_field)
        return condition if visible is None else condition & visible

    def _key_expression(self, path_field):
        """The report row of a table row as SQL: the child's id from the unit path."""
        root = self.root
        if root.unit is None and any(u.parent_id is not None for u in root.tops):
            return Case(
                *[
                    When(**{f"{path_field}__startswith": u.path}, then=Value(str(u.pk)))
                    for u in root.tops
                ],
                default=Value(SELF),
                output_field=CharField(),
            )
        base = root.unit.path if root.unit is not None else "/"
        rest = Substr(F(path_field), len(base) + 1)
        return Case(
            When(**{path_field: base}, then=Value(SELF)),
            default=Substr(rest, 1, StrIndex(rest, Value("/")) - 1),
            output_field=CharField(),
        )

    def fetch(self, queryset, path_field, unit_field, extra, aggregates):
        """Grouped rows of `queryset` as [(row reference, values)]: one query."""
        return self.collect(self.grouped(queryset, path_field, unit_field, extra, aggregates))

    def grouped(self, queryset, path_field, unit_field, extra, aggregates, follow_all=False):
        """The grouped rows of `queryset`, not yet read: `collect` reads them (alone, or
        several tables' joined by a UNION ALL). `follow_all`: the path and unit are
        annotations (no `valid_to` to join), so mapped onto today every unit is followed."""
        queryset = queryset.filter(self._source_filter(path_field))
        if self.view == AS_WAS:
            return (
                queryset.annotate(report_row=self._key_expression(path_field))
                .values("report_row", *extra)
                .annotate(**aggregates)
                .order_by()
            )
        # A current unit inside the root is grouped in SQL by its row, as above; only the
        # units that ended (or lie outside the root: predecessors) are grouped one by one and
        # followed through their lineage in `resolve` (a few hundred at most).
        if follow_all:
            return (
                queryset.annotate(
                    report_row=Value(None, output_field=CharField()),
                    followed=Cast(F(unit_field), BigIntegerField()),
                )
                .values("report_row", "followed", *extra)
                .annotate(**aggregates)
                .order_by()
            )
        unit = path_field.rsplit("__", 1)[0]
        inside = Q(**{f"{unit}__valid_to__isnull": True}) & self._within_root(path_field)
        return (
            queryset.annotate(
                report_row=Case(
                    When(inside, then=self._key_expression(path_field)),
                    default=Value(None),
                    output_field=CharField(),
                ),
                followed=Case(
                    When(inside, then=Value(None)),
                    default=F(unit_field),
                    output_field=BigIntegerField(),
                ),
            )
            .values("report_row", "followed", *extra)
            .annotate(**aggregates)
            .order_by()
        )

    def collect(self, grouped):
        """[(row reference, values)] of grouped rows (see `grouped`): one query."""
        if self.view == AS_WAS:
            return [(row["report_row"], row) for row in grouped_rows(grouped)]
        result = []
        for row in grouped_rows(grouped):
            if row["followed"] is None:
                reference = ("row", row["report_row"])
            else:
                reference = ("unit", row["followed"])
                self.followed.add(row["followed"])
            result.append((reference, row))
        return result

    def _within_root(self, path_field):
        return under_paths(self.root.paths, path_field)

    def resolve(self):
        """Fold the units followed by `fetch` onto today's units, and those onto report rows:
        one query per step of lineage, none when no unit had to be followed."""
        if self.view != TODAY or not self.followed:
            return
        mapping = lineage.current_units(self.followed)
        successors = {pk for pk in mapping.values() if pk is not None}
        today_paths = (
            dict(Unit.objects.filter(pk__in=successors).values_list("pk", "path"))
            if successors
            else {}
        )
        for unit_id in self.followed:
            self.today_key[unit_id] = self._key_of_path(today_paths.get(mapping.get(unit_id)))

    def _key_of_path(self, path):
        if path is None:
            return UNMAPPED
        if self.root.unit is None:
            for top in self.root.tops:
                if path.startswith(top.path):
                    return str(top.pk)
            return UNMAPPED
        base = self.root.unit.path
        if path == base:
            return SELF
        if not path.startswith(base):
            return UNMAPPED
        return path[len(base) :].split("/", 1)[0]

    def key(self, reference):
        if self.view == AS_WAS:
            return reference
        kind, value = reference
        return value if kind == "row" else self.today_key.get(value, UNMAPPED)
