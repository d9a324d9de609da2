"""Which units a unit was formed from and which it became: the one place that follows the
UnitChange links (merges, moves, renames, splits).

Each function reads one generation of links per query (two or three generations in practice:
Điện Biên's 2020 moves, then the 2025 mergers) and stops after MAX_STEPS, so that a loop in
the data can never hang a page.
"""

from django.db.models import Q

from .models import Level, Unit, UnitChange

MAX_STEPS = 20


def _backwards(links):
    """Follow `links` (a UnitChange queryset) to their predecessors, then theirs, and so on:
    the (predecessor id, predecessor path) of every link found, each unit once."""
    found, seen = [], set()
    for _step in range(MAX_STEPS):
        rows = list(links.values_list("predecessor_id", "predecessor__path"))
        frontier = {pk for pk, _path in rows} - seen
        if not frontier:
            break
        seen |= frontier
        found.extend(row for row in rows if row[0] in frontier)
        links = UnitChange.objects.filter(successor_id__in=frontier)
    return found


def predecessor_ids(unit_ids):
    """Ids of every unit that became, through one or more changes, one of `unit_ids`."""
    return {pk for pk, _path in _backwards(UnitChange.objects.filter(successor_id__in=unit_ids))}


def predecessor_paths(unit_ids):
    """Paths of every unit that became, through one or more changes, one of `unit_ids`."""
    return {path for _pk, path in _backwards(UnitChange.objects.filter(successor_id__in=unit_ids))}


def predecessor_paths_under(paths):
    """Paths of every unit that became, through one or more changes, a unit of the subtrees at
    `paths`: the files they hold belong, mapped onto today, to those subtrees."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(successor__path__startswith=path)
    return {path for _pk, path in _backwards(UnitChange.objects.filter(condition))}


def chain(unit, towards):
    """Every change reached from `unit` going back ("predecessor") or forward ("successor"),
    with `predecessor` and `successor` loaded and a `generation` (1 = a direct change of
    `unit`); nearest generation first, then by date and name."""
    end, other = (
        ("successor", "predecessor") if towards == "predecessor" else ("predecessor", "successor")
    )
    links, frontier, seen = [], {unit.pk}, {unit.pk}
    for generation in range(1, MAX_STEPS + 1):
        if not frontier:
            break
        found = UnitChange.objects.filter(**{f"{end}_id__in": frontier}).select_related(
            "predecessor", "successor"
        )
        frontier = set()
        for link in sorted(found, key=lambda c: (c.date, getattr(c, other).name)):
            link.generation = generation
            links.append(link)
            next_id = getattr(link, f"{other}_id")
            if next_id not in seen:
                seen.add(next_id)
                frontier.add(next_id)
    return links


def unit_on(unit, day):
    """The unit `unit` had become on `day` (itself if still valid then), following merges and
    moves into communes; None when its line ends before."""
    seen = {unit.pk}
    for _step in range(MAX_STEPS):
        if unit.valid_to is None or unit.valid_to >= day:
            return unit
        links = (
            UnitChange.objects.filter(successor__level=Level.COMMUNE, predecessor=unit)
            .select_related("successor")
            .order_by("successor_id")
        )
        unit = next((link.successor for link in links if link.successor_id not in seen), None)
        if unit is None:
            return None
        seen.add(unit.pk)
    return None


def current_successor(unit_id):
    """The current unit an ended unit became, as a dict with its `id` and `name`; None when its
    line ends. One query per step (the lowest successor id where a unit split)."""
    current = unit_id
    for _step in range(MAX_STEPS):
        link = (
            UnitChange.objects.filter(predecessor_id=current)
            .order_by("successor_id")
            .values("successor_id", "successor__name", "successor__valid_to")
            .first()
        )
        if link is None:
            return None
        if link["successor__valid_to"] is None:
            return {"id": link["successor_id"], "name": link["successor__name"]}
        current = link["successor_id"]
    return None


def current_units(unit_ids):
    """{unit id: id of the current unit it became}, following the links forward.

    A unit still current maps onto itself; one whose line ends maps onto None. Were a unit
    ever split (none in Điện Biên: every commune merged whole), the lowest successor id is
    taken, so that a count is never doubled.
    """
    result, origins = {}, {}
    for pk, valid_to in Unit.objects.filter(pk__in=unit_ids).values_list("pk", "valid_to"):
        if valid_to is None:
            result[pk] = pk
        else:
            origins[pk] = {pk}
    for _step in range(MAX_STEPS):
        if not origins:
            break
        successor_of = {}
        for predecessor, successor, valid_to in (
            UnitChange.objects.filter(predecessor_id__in=list(origins))
            .order_by("predecessor_id", "successor_id")
            .values_list("predecessor_id", "successor_id", "successor__valid_to")
        ):
            successor_of.setdefault(predecessor, (successor, valid_to))
        following = {}
        for unit_id, started_from in origins.items():
            successor, valid_to = successor_of.get(unit_id, (None, None))
            for origin in started_from:
                if successor is None:
                    result[origin] = None
                elif valid_to is None:
                    result[origin] = successor
                else:
                    following.setdefault(successor, set()).add(origin)
        origins = following
    for started_from in origins.values():  # a loop in the data: give up on these
        for origin in started_from:
            result[origin] = None
    return result
