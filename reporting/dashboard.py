"""The staff dashboard above the inbox: this year's cycle for the user's subtree, progress per
child unit against the targets, the communes that have not started, the last changes.

Built on the yearly report's GROUP BY (`reporting.reports.yearly`), so the number of queries
is the same for a commune and for the whole province. Drill down with `?unit=ID` (a unit the
user may read, else 404); sort the progress table with `?sort=` (a fixed list of keys, works
without JavaScript).
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Window
from django.utils.translation import gettext_lazy as _

from lib.dates import this_year
from models_learning.models import ModelKind, Registration, RegistrationEvent
from models_learning.workflow import Status
from units.models import AuditEntry, Level, Unit
from units.scoping import scoped, under_paths

from .reports import paging, screen
from .reports.folding import AS_WAS
from .reports.roots import default_root, unit_root
from .reports.views import unit_param
from .reports.yearly import KINDS, yearly_report

NOT_STARTED_SHOWN = 30
# The progress table shows this many units a page (the totals row on every page), so that a
# province of 1,100 communes sends as much as one of 50: a report page's size, so that in the
# report's own order the report folds only that page's rows (paging.py). Change the size
# there, not here: the report pages by its own size.
PROGRESS_PER_PAGE = paging.ROWS_PER_PAGE
PROGRESS_PAGE_PARAM = "units_page"
# The chart draws the first rows of the table in its order; the table lists them all.
CHART_BARS = 40
# Up to this many units the progress table starts open; a longer one waits for a click, so
# that the inbox below stays in sight.
OPEN_PROGRESS_ROWS = 12
LAST_CHANGES = 10
DEFAULT_SORT = "name"
# ?sort= keys -> how a progress row is sorted (ascending; "-key" reverses).
SORT_COLUMNS = {
    "name": _("Unit"),
    "registered": _("Registered"),
    "recognised": _("Recognised"),
    "rate": _("Rate"),
    **{kind.value: kind.label for kind in KINDS},
}
# Labels of the audit trail's actions (units, accounts, centres); others show as written.
AUDIT_ACTIONS = {
    "unit.create": _("Unit created"),
    "unit.update": _("Unit changed"),
    "unit.change": _("Unit change recorded"),
    "village.create": _("Village added"),
    "village.update": _("Village changed"),
    "figures.set": _("Yearly figures entered"),
    "membership.add": _("Role given"),
    "membership.remove": _("Role taken away"),
    "account.create": _("Account created"),
    "account.update": _("Account changed"),
    "center.create": _("Centre added"),
    "center.update": _("Centre changed"),
    "center.merge": _("Centres merged"),
    "center.carry_over": _("Centre carried over"),
    "center.report.file": _("Centre report filed"),
    "center.report.update": _("Centre report corrected"),
    "center.evidence.add": _("Centre evidence added"),
}


def parse_sort(raw):
    """(key, descending) from `?sort=`; anything unknown sorts by name."""
    raw = (raw or "").strip()
    key = raw[1:] if raw.startswith("-") else raw
    if key not in SORT_COLUMNS:
        return DEFAULT_SORT, False
    return key, raw.startswith("-")


def _sort_value(row, key):
    if key in ("registered", "recognised"):
        return getattr(row, key)
    rate = row.rate if key == "rate" else row.cell(key).rate
    return -1 if rate is None else rate


def _sorted_rows(rows, key, descending):
    """`rows` come in the report's order, which sorting by unit keeps (or turns around)."""
    if key == DEFAULT_SORT:
        return rows[::-1] if descending else list(rows)
    return sorted(rows, key=lambda row: _sort_value(row, key), reverse=descending)


def _query(**params):
    return urlencode({k: v for k, v in params.items() if v})


def _sort_links(unit_id, key, descending):
    links = []
    for column, label in SORT_COLUMNS.items():
        active = column == key
        target = f"-{column}" if active and not descending else column
        query = _query(unit=unit_id, sort=target)
        links.append(
            {
                "key": column,
                "label": label,
                "url": f"?{query}",
                "active": active,
                "descending": active and descending,
            }
        )
    return links


def not_started(user, paths, year):
    """Today's communes under `paths` with no registration in `year` (a withdrawn file does
    not count, as in the progress table's "registered"): the first few by name, and how many
    there are (one query)."""
    files = Registration.objects.filter(unit=OuterRef("pk"), year=year).exclude(
        status=Status.WITHDRAWN
    )
    communes = (
        scoped(Unit.objects.current().filter(level=Level.COMMUNE), user)
        .filter(under_paths(paths, "path"))
        .filter(~Exists(files))
    )
    # The count rides along on each row (a window over the whole set, before the LIMIT).
    first = list(
        communes.annotate(total=Window(Count("id")))
        .only("id", "name")
        .order_by("name", "pk")[:NOT_STARTED_SHOWN]
    )
    return {"count": first[0].total if first else 0, "units": first}


def last_changes(user, paths, limit=LAST_CHANGES):
    """The newest registration events and audit entries under `paths`, newest first."""
    events = (
        scoped(RegistrationEvent.objects.all(), user, "registration__unit__path")
        .filter(under_paths(paths, "registration__unit__path"))
        .select_related("actor", "registration__unit")
        .only(
            "at",
            "action",
            "actor__username",
            "actor__first_name",
            "actor__last_name",
            "registration__id",
            "registration__subject_name",
            "registration__kind",
            "registration__year",
            "registration__unit__name",
        )
        .order_by("-at", "-id")[:limit]
    )
    entries = (
        scoped(AuditEntry.objects.all(), user, "unit__path")
        .filter(under_paths(paths, "unit__path"))
        .select_related("actor", "unit")
        .order_by("-at", "-id")[:limit]
    )
    changes = [
        {
            "at": event.at,
            "actor": event.actor,
            "action": event.get_action_display(),
            "target": event.registration.subject_name,
            "detail": f"{ModelKind(event.registration.kind).label} {event.registration.year}",
            "unit": event.registration.unit.name,
            "registration_id": event.registration.pk,
        }
        for event in events
    ]
    changes += [
        {
            "at": entry.at,
            "actor": entry.actor,
            "action": AUDIT_ACTIONS.get(entry.action, entry.action),
            "target": entry.target,
            "detail": "",
            "unit": entry.unit.name if entry.unit else "",
            "registration_id": None,
        }
        for entry in entries
    ]
    changes.sort(key=lambda change: change["at"], reverse=True)
    return changes[:limit]


def _chart_label(name, limit=22):
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _page_links(page, unit_id, sort):
    """Previous / next of the progress table, keeping the drill-down and the sort."""

    def link(number):
        return "?" + _query(unit=unit_id, sort=sort, **{PROGRESS_PAGE_PARAM: number})

    return {
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "next": link(page.next_page_number()) if page.has_next() else None,
    }


def dashboard(user, unit=None, sort=None, year=None, page=None):
    """Everything the dashboard shows for `user` (at `unit`, default their top unit), or None
    when the user belongs to no unit. The progress table is paged (`page`), its totals row
    always shown."""
    root = unit_root(unit) if unit is not None else default_root(user)
    if root is None:
        return None
    year = year or this_year()
    key, descending = parse_sort(sort)
    parts = ("steps", "citizens")
    if key == DEFAULT_SORT and not descending:
        # The report's own order (the unit's own files, then its children by level, then by
        # name, then anything not mapped onto them): the report makes a row of this page's
        # units only, as a report page does; the totals are still every unit's. Another
        # order needs every row's figures to sort them.
        report = yearly_report(user, root, year, AS_WAS, parts=parts, page=page or 1)
        progress = report.rows_page
        rows = report.rows
    else:
        report = yearly_report(user, root, year, AS_WAS, parts=parts)
        all_rows = _sorted_rows(report.rows, key, descending)
        progress = Paginator(all_rows, PROGRESS_PER_PAGE).get_page(page)
        rows = list(progress.object_list)
    unit_count = progress.paginator.count
    screen.prepare(report, rows)
    return {
        "root": root,
        "year": year,
        "report": report,
        "cycle": [
            {"label": kind.label, "cell": cell, "kind": kind.value}
            for kind, cell in zip(KINDS, report.total.cells, strict=True)
        ],
        "rows": rows,
        "unit_count": unit_count,
        "progress": progress,
        "progress_links": _page_links(
            progress, root.pk, f"{'-' if descending else ''}{key}" if sort else None
        ),
        "chart": [
            {"label": _chart_label(row.name), "rate": row.rate or 0}
            for row in rows
            if row.registered
        ][:CHART_BARS],
        "sort_links": _sort_links(root.pk, key, descending),
        "not_started": not_started(user, root.paths, year),
        "changes": last_changes(user, root.paths),
        "can_drill": root.unit is None or root.unit.level != Level.COMMUNE,
        "drilled": unit is not None,
        "progress_open": unit_count <= OPEN_PROGRESS_ROWS or sort is not None or page is not None,
    }


def dashboard_context(request):
    """The dashboard's part of the staff home's context: {"dashboard": … or None}."""
    unit = unit_param(request)
    return {
        "dashboard": dashboard(
            request.user,
            unit,
            request.GET.get("sort"),
            page=request.GET.get(PROGRESS_PAGE_PARAM),
        )
    }
