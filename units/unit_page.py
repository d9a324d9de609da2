"""What a unit's page shows: its place, children, villages, figures, lineage and audit trail.

A fixed handful of queries whatever the size of the subtree: counts and sums come from
GROUP BY queries, never from loops over rows.
"""

from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from lib.dates import this_year

from .models import AuditEntry, Level, Village
from .scoping import can_edit_unit, can_enter_figures, is_within, scoped
from .selectors import lineage_of, yearly_totals
from .services import figures_years

AUDIT_ROWS = 10

ACTION_LABELS = {
    "unit.create": _("Unit created"),
    "unit.update": _("Unit changed"),
    "unit.change": _("Lineage recorded"),
    "village.create": _("Village added"),
    "village.update": _("Village changed"),
    "figures.set": _("Yearly figures entered"),
    "account.create": _("Account created"),
    "account.update": _("Account changed"),
    "membership.add": _("Role given"),
    "membership.remove": _("Role removed"),
}


def with_action_labels(entries):
    """Audit entries, each with a readable `action_label`."""
    entries = list(entries)
    for entry in entries:
        entry.action_label = ACTION_LABELS.get(entry.action, entry.action)
    return entries


def figures_years_of(unit):
    """The years for which figures of `unit` may be entered: the unit existed then."""
    first = unit.valid_from.year if unit.valid_from else None
    last = unit.valid_to.year if unit.valid_to else None
    return [
        year
        for year in figures_years()
        if (first is None or year >= first) and (last is None or year <= last)
    ]


CHILDREN_PER_PAGE = 50


def _children(user, unit, page_number=None):
    """One page of the units under `unit` (a province's 1,100 communes come 50 at a time)."""
    page = Paginator(
        scoped(unit.children.all(), user)
        .annotate(
            all_children=Count("children"),
            current_children=Count("children", filter=Q(children__valid_to__isnull=True)),
        )
        .order_by(F("valid_to").desc(nulls_first=True), "name", "pk"),
        CHILDREN_PER_PAGE,
    ).get_page(page_number)
    children = list(page.object_list)
    for child in children:
        # A unit that ended is shown with everything it had; a current one with what is left.
        child.child_count = child.current_children if child.is_current else child.all_children
    return children, page


def _figures(unit, editable_years):
    if unit.level != Level.COMMUNE:
        return yearly_totals(unit)
    rows = []
    for figures in unit.figures.order_by("-year"):
        row = {
            name: getattr(figures, name)
            for name in ("year", "members", "population", "households", "branches", "boards")
        }
        row["percent"] = figures.ratio * 100 if figures.ratio is not None else None
        row["editable"] = figures.year in editable_years
        rows.append(row)
    return rows


def _with_visibility(user, links, attribute):
    """Mark each lineage link whose far end the viewer may open (names are shown anyway)."""
    for link in links:
        link.visible = is_within(user, getattr(link, attribute))
    return links


def unit_page(user, unit, page_number=None):
    """The context of the unit page, with the answers of the permission predicates."""
    children, children_page = _children(user, unit, page_number)
    is_commune = unit.level == Level.COMMUNE
    parent = unit.parent
    can_edit = is_commune and can_edit_unit(user, unit)
    can_figures = is_commune and can_enter_figures(user, unit)
    editable_years = figures_years_of(unit) if can_figures else []
    figures = _figures(unit, editable_years)
    year_now = this_year()
    present = {row["year"] for row in figures}
    lineage = lineage_of(unit)
    return {
        "unit": unit,
        "parent_visible": parent is not None and is_within(user, parent),
        "is_commune": is_commune,
        "children": children,
        "children_page": children_page,
        "villages": list(Village.objects.filter(commune=unit)) if is_commune else [],
        "figures": figures,
        "figures_are_sums": not is_commune,
        "missing_years": [
            year
            for year in (year_now - 1, year_now)
            if year in editable_years and year not in present
        ],
        "formerly": _with_visibility(user, lineage["predecessors"], "predecessor"),
        "became": _with_visibility(user, lineage["successors"], "successor"),
        "audit_entries": with_action_labels(
            AuditEntry.objects.filter(unit=unit).select_related("actor")[:AUDIT_ROWS]
        ),
        "can_edit": can_edit,
        "can_enter_figures": can_figures,
        "can_edit_branch": (
            unit.level == Level.BRANCH and parent is not None and can_edit_unit(user, parent)
        ),
    }
