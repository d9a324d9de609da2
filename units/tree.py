"""The unit tree as it stood on a day, with counts and figures rolled up: a fixed few queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Sum

from .models import Level, Unit, UnitYearFigures
from .scoping import scoped


@dataclass
class Node:
    unit: Unit
    children: list = field(default_factory=list)
    communes: int = 0
    branches: int = 0
    members: int = 0
    population: int = 0

    @property
    def ratio(self):
        return self.members / self.population if self.population else None


def tree_on(user, day, year=None):
    """Roots of the tree (down to communes) visible to `user` on `day`, with rolled-up counts.

    Branch counts and the members of `year` (default: the year of `day`) come from two
    GROUP BY queries; a commune's numbers add up to its district and its province.
    """
    year = year or day.year
    units = list(
        scoped(Unit.objects.valid_on(day), user)
        .exclude(level=Level.BRANCH)
        .only(
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
        .order_by("depth", "name")
    )
    nodes = {u.pk: Node(u) for u in units}
    branch_counts = dict(
        scoped(Unit.objects.valid_on(day).filter(level=Level.BRANCH), user)
        .values_list("parent_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    figures = {
        unit_id: (members, population)
        for unit_id, members, population in scoped(
            UnitYearFigures.objects.filter(year=year, unit__level=Level.COMMUNE), user, "unit__path"
        )
        .values_list("unit_id")
        .annotate(Sum("members"), Sum("population"))
        .order_by()
    }
    roots = []
    # Deepest first, so that each node is complete before it is added to its parent.
    for node in sorted(nodes.values(), key=lambda n: -n.unit.depth):
        unit = node.unit
        if unit.level == Level.COMMUNE:
            node.communes = 1
            node.branches = branch_counts.get(unit.pk, 0)
            node.members, node.population = figures.get(unit.pk, (0, 0))
        parent = nodes.get(unit.parent_id)
        if parent is None:
            roots.append(node)
            continue
        parent.children.append(node)
        parent.communes += node.communes
        parent.branches += node.branches
        parent.members += node.members
        parent.population += node.population
    for node in nodes.values():
        # Districts first, then communes, each by name.
        node.children.sort(key=lambda n: (n.unit.level != Level.DISTRICT, n.unit.name))
    roots.sort(key=lambda n: n.unit.name)
    return roots
