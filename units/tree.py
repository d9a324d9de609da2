"""The unit tree as it stood on a day, one level at a time, with counts and figures rolled up.

A page of the tree never holds the whole country: it shows the user's top units (or the unit
they opened) and one page of children; each child opens on demand (htmx fetches its first page,
a plain link opens it without JavaScript). The counts of the nodes shown come from three
GROUP BY queries over their subtrees, whatever their size.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import StrIndex, Substr
from django.utils.formats import localize, number_format
from django.utils.translation import gettext, ngettext

from .models import Level, Unit, UnitYearFigures
from .scoping import scoped

CHILDREN_PER_PAGE = 50
NODE_FIELDS = (
    "id",
    "name",
    "level",
    "parent_id",
    "path",
    "depth",
    "valid_from",
    "valid_to",
    "admin_code",
    "division_type",
)


@dataclass
class Node:
    unit: Unit
    communes: int = 0
    branches: int = 0
    members: int = 0
    population: int = 0

    @property
    def ratio(self):
        return self.members / self.population if self.population else None

    @property
    def meta(self):
        """The counts beside the node's name, as one text: a template tag for each count of
        each node cost a page of 50 children more than its queries."""
        parts = []
        if self.unit.level != Level.COMMUNE:
            parts.append(
                ngettext("%(counter)s commune", "%(counter)s communes", self.communes)
                % {"counter": localize(self.communes)}
            )
        parts.append(
            ngettext("%(counter)s branch", "%(counter)s branches", self.branches)
            % {"counter": localize(self.branches)}
        )
        if self.members:
            members = number_format(self.members, 0, force_grouping=True)
            parts.append(gettext("%(members)s members") % {"members": members})
        return " · ".join(parts)

    @property
    def has_children(self):
        """Communes are the leaves of the tree (their branches are on the commune's page)."""
        return self.unit.level not in (Level.COMMUNE, Level.BRANCH)


def tree_units(user, day):
    """The units of the tree (no branches) that `user` may read and that existed on `day`."""
    return scoped(Unit.objects.valid_on(day), user).exclude(level=Level.BRANCH)


def roots_on(user, day, year=None):
    """The user's top units on `day` (those whose parent is not in their tree), with counts."""
    units = tree_units(user, day)
    roots = list(
        units.filter(Q(parent__isnull=True) | ~Q(parent__in=units.values("pk")))
        .only(*NODE_FIELDS)
        .order_by("name", "pk")
    )
    return with_counts(user, day, year, [Node(unit) for unit in roots])


def children_on(user, unit, day, page_number=1, year=None):
    """One page of `unit`'s children on `day` (districts first, then communes, each by name),
    with counts: (nodes, page)."""
    children = (
        tree_units(user, day)
        .filter(parent=unit)
        .only(*NODE_FIELDS)
        .order_by(Case(When(level=Level.DISTRICT, then=Value(0)), default=Value(1)), "name", "pk")
    )
    page = Paginator(children, CHILDREN_PER_PAGE).get_page(page_number)
    nodes = [Node(child) for child in page.object_list]
    return with_counts(user, day, year, nodes, parent_path=unit.path), page


def with_counts(user, day, year, nodes, parent_path=None):
    """Fill the nodes' communes, branches, members and population from their subtrees (three
    GROUP BY queries; none without nodes). Siblings under the unit at `parent_path` are keyed
    by the child's segment of the path; roots (few) by a CASE on their paths."""
    if not nodes:
        return nodes
    year = year or day.year
    by_key = {str(node.unit.pk): node for node in nodes}

    def grouped(queryset, path_field, *aggregates):
        if parent_path is not None:
            rest = Substr(path_field, len(parent_path) + 1)
            key = Substr(rest, 1, StrIndex(rest, Value("/")) - 1)
        else:
            key = Case(
                *(
                    When(**{f"{path_field}__startswith": n.unit.path}, then=Value(str(n.unit.pk)))
                    for n in nodes
                ),
                default=Value(""),
            )
        # Only the nodes' subtrees: a page of a province's children reads its 50 communes'
        # rows, not the 1,100 of all its children.
        queryset = queryset.filter(
            Q(pk__in=[])
            | Q(*[(f"{path_field}__startswith", n.unit.path) for n in nodes], _connector=Q.OR)
        )
        return queryset.annotate(node=key).values_list("node").annotate(*aggregates).order_by()

    communes = tree_units(user, day).filter(level=Level.COMMUNE)
    for key, count in grouped(communes, "path", Count("id")):
        if key in by_key:
            by_key[key].communes = count
    branches = scoped(Unit.objects.valid_on(day).filter(level=Level.BRANCH), user)
    for key, count in grouped(branches, "path", Count("id")):
        if key in by_key:
            by_key[key].branches = count
    figures = UnitYearFigures.objects.filter(year=year, unit__in=communes.values("pk"))
    for key, members, population in grouped(
        figures, "unit__path", Sum("members"), Sum("population", output_field=IntegerField())
    ):
        if key in by_key:
            by_key[key].members, by_key[key].population = members or 0, population or 0
    return nodes


def parent_path(unit):
    """The path of `unit`'s parent ("/" above a root), from its own path."""
    return unit.path[: unit.path.rstrip("/").rfind("/") + 1]


def ancestors_within(user, unit, day):
    """The units above `unit` that the user may read, top first (the path to it)."""
    ids = [int(pk) for pk in unit.path.strip("/").split("/")[:-1]]
    return list(
        scoped(Unit.objects.filter(pk__in=ids), user).only("id", "name", "depth").order_by("depth")
    )
