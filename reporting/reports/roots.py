"""What a report is about and for which year and view: the report's parameters, parsed from
a query string, and its root (one unit, or several side by side)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from lib.dates import this_year
from lib.text import name_key
from units.models import Level, Unit
from units.scoping import scope_of

from .folding import AS_WAS, VIEWS

FIRST_YEAR, YEAR_MIN, YEAR_MAX = 2014, 1990, 2100


class ReportError(Exception):
    """The report cannot be made as asked; the message says why, for the person."""


def report_years():
    """The years the report's form offers, newest first: 2014 (QĐ 281) to this year."""
    return list(range(max(this_year(), FIRST_YEAR), FIRST_YEAR - 1, -1))


def parse_year(raw, default=None):
    """The year in `raw` (a query parameter) or `default` when empty; ReportError if bad."""
    if raw is None or not str(raw).strip():
        return default if default is not None else this_year()
    raw = str(raw).strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4) or not (
        YEAR_MIN <= int(raw) <= YEAR_MAX
    ):
        raise ReportError(_("Enter the year as four digits, such as 2024."))
    return int(raw)


def parse_view(raw, default=AS_WAS):
    if raw is None or raw == "":
        return default
    if raw not in VIEWS:
        raise ReportError(_("Choose how the units are shown from the list."))
    return raw


@dataclass
class Root:
    """What a report is about: one unit, or several top units side by side (`unit` None: the
    whole country for an administrator, or the units of someone with several memberships)."""

    unit: Unit | None
    tops: list = field(default_factory=list)
    name: str = ""

    @property
    def paths(self):
        return [self.unit.path] if self.unit is not None else [u.path for u in self.tops]

    @property
    def pk(self):
        return self.unit.pk if self.unit is not None else None


def _minimal(units):
    kept = []
    for unit in sorted(units, key=lambda u: len(u.path)):
        if not any(unit.path.startswith(k.path) for k in kept):
            kept.append(unit)
    return sorted(kept, key=lambda u: name_key(u.name))


def default_root(user):
    """The user's top unit; several side by side when they have more than one (an
    administrator: every province). None when the user belongs to no unit."""
    scope = scope_of(user)
    if scope.is_superuser:
        tops = list(Unit.objects.filter(parent__isnull=True).exclude(level=Level.BRANCH))
    else:
        tops = [m.unit for m in scope.memberships if m.unit.level != Level.BRANCH]
        tops = tops or [m.unit.parent for m in scope.memberships if m.unit.parent_id]
    tops = _minimal(tops)
    if not tops:
        return None
    if len(tops) == 1:
        return Root(tops[0], name=tops[0].name)
    name = _("All provinces") if scope.is_superuser else _("All my units")
    return Root(None, tops, str(name))


def unit_root(unit):
    return Root(unit, name=unit.name)
