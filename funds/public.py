"""What the public accounts (công khai tài chính, /funds/) read: aggregates per unit and year,
and the donors who agreed to be named. Never a recipient's name, a payment's counterparty, a
description, a scan or a keeper's note: only the named columns below leave this module."""

from django.db.models import Exists, OuterRef, Q, Sum

from units.models import Level, Unit

from . import statistics
from .models import DONATIONS, Entry, EntryKind, Fund, Period, PeriodStatus
from .selectors import year_summary


def _public_units(paths):
    """{path: the deepest province or commune at or above it} for fund units' `paths`."""
    ids = {int(part) for path in paths for part in path.strip("/").split("/") if part}
    units = Unit.objects.filter(pk__in=ids, level__in=[Level.PROVINCE, Level.COMMUNE]).only(
        "id", "name", "path", "level", "valid_from", "valid_to"
    )
    by_path = {unit.path: unit for unit in units}
    result = {}
    for path in paths:
        parts = path.strip("/").split("/")
        for depth in range(len(parts), 0, -1):
            unit = by_path.get("/" + "/".join(parts[:depth]) + "/")
            if unit is not None:
                result[path] = unit
                break
    return result


def years_with_entries():
    return sorted(set(Entry.objects.values_list("year", flat=True).distinct()), reverse=True)


def province_year(province, year):
    """Per province and commune (branches, schools, clans folded into their commune): the
    year's receipts, payments, awards and closing balance. Two GROUP BYs and one unit query."""
    under = Q(fund__unit__path__startswith=province.path) if province else Q()
    flows = {
        row["fund__unit__path"]: row
        for row in statistics.year_entries(year)
        .filter(under)
        .values("fund__unit__path")
        .annotate(**statistics.year_aggregates())
        .order_by()
    }
    balances = {
        row["fund__unit__path"]: (row["received"] or 0) - (row["paid"] or 0)
        for row in statistics.entries_up_to(year)
        .filter(under)
        .values("fund__unit__path")
        .annotate(**statistics.balance_aggregates())
        .order_by()
    }
    owners = _public_units(set(flows) | set(balances))
    rows = {}
    for path in set(flows) | set(balances):
        unit = owners.get(path)
        if unit is None:
            continue
        row = rows.setdefault(
            unit.pk,
            {
                "unit": unit,
                "receipts": 0,
                "payments": 0,
                "awards_count": 0,
                "awards_amount": 0,
                "balance": 0,
            },
        )
        flow = flows.get(path, {})
        for name in ("receipts", "payments", "awards_count", "awards_amount"):
            row[name] += flow.get(name) or 0
        row["balance"] += balances.get(path, 0)
    return sorted(
        rows.values(), key=lambda row: (row["unit"].level != Level.PROVINCE, row["unit"].name)
    )


def unit_year(unit, year):
    """One province's or commune's year: by source, by purpose, awards, closing balance, the
    state of its books, and the named donors (with their consent, reversed gifts left out)."""
    entries = Entry.objects.filter(fund__unit__path__startswith=unit.path)
    summary = year_summary(entries.filter(year=year))
    totals = entries.filter(year__lte=year).aggregate(**statistics.balance_aggregates())
    periods = Period.objects.filter(fund__unit__path__startswith=unit.path, year=year)
    statuses = set(periods.values_list("status", flat=True))
    donors = (
        entries.filter(
            year=year,
            kind=EntryKind.RECEIPT,
            category__in=DONATIONS,
            named_publicly=True,
            reverses__isnull=True,
        )
        .exclude(Exists(Entry.objects.filter(reverses=OuterRef("pk"))))
        .values("counterparty")
        .annotate(total=Sum("amount"))
        .order_by("-total", "counterparty")
    )
    return {
        "summary": summary,
        "balance": (totals["received"] or 0) - (totals["paid"] or 0),
        "approved": bool(statuses) and statuses == {PeriodStatus.APPROVED},
        "donors": [(row["counterparty"], row["total"]) for row in donors[:200]],
        "demo": Fund.objects.filter(unit__path__startswith=unit.path, demo=True).exists(),
    }
