"""The yearly report (báo cáo kết quả năm): per unit and title, registered against recognised
and the programme's target; members and their share of the population; centres by band and
their participant-visits; the study-promotion funds (fund_table.py); a totals row.

A report is about one unit (the root) and its children, for one year, in one of two views:

- as the units were (`AS_WAS`): the children that existed that year (a district until
  30/06/2025, today's communes after), with everything filed under each child's subtree;
- mapped onto today's communes (`TODAY`): every unit a file was filed under is followed
  through its `UnitChange` links to the current unit it became (every old commune merged
  whole into one new commune), then folded onto today's children of the root.

Every figure is a GROUP BY on the child's segment of the unit path (a CASE/SUBSTR on the
path), so the database returns one row per child and title. Mapped onto today, the units that
ended (and only they) are grouped one by one and followed through their lineage, then folded
onto today's children in Python (a few hundred rows at most). The number of queries does not
depend on the size of the subtree, only on the generations of lineage (two or three).
"""

from dataclasses import dataclass, field
from operator import itemgetter

from django.db.models import Count, F, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from centers.models import (
    CLASS_FIELDS,
    PARTICIPANT_FIELDS,
    CenterRating,
    CenterYearReport,
    RatingBand,
    RatingStatus,
)
from citizens.shares import Shares
from lib.text import name_key
from models_learning.models import ModelKind, RegistrationTally
from models_learning.tally import files_sum
from models_learning.workflow import Status
from units.models import Level, Unit, UnitYearFigures
from units.selectors import counted_figures

from . import fund_table, paging
from . import targets as target_data
from .citizen_table import add_citizens, citizen_rows, citizens_line, set_citizen_targets
from .folding import AS_WAS, SELF, TODAY, UNMAPPED, VIEWS, Folding, existed_in, year_bounds
from .fund_table import FundFigures
from .roots import ReportError, Root

KINDS = list(ModelKind)
KIND_INDEX = {kind.value: index for index, kind in enumerate(KINDS)}
# Counted as registered: every file but those withdrawn. Recognised: holding the title now
# (a revoked title no longer counts), as on the public statistics page.
COUNTED = ~Q(status=Status.WITHDRAWN)
HOLDING = Q(status=Status.RECOGNIZED)
# The steps of this year's cycle, as the dashboard shows them.
STEPS = (Status.REGISTERED, Status.SCORED, Status.PROPOSED, Status.RECOGNIZED)
# (a step's value, its aggregate's name), read once: the fold below reads them for each of a
# province's 4,400 grouped rows, and an enum member's `.value` is a descriptor call.
STEP_KEYS = tuple((s.value, f"step_{s.value}") for s in STEPS)
# A centre's band counts once the province rated it (published or not yet).
RATED = (RatingStatus.RATED, RatingStatus.PUBLISHED)
LEVEL_ORDER = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2, Level.BRANCH: 3}


# --- one row of the report -----------------------------------------------------------------


@dataclass
class TitleCell:
    registered: int = 0
    recognised: int = 0
    target: int | None = None
    steps: dict = field(default_factory=dict)  # status -> files at that step now

    @property
    def rate(self):
        return self.recognised * 100 / self.registered if self.registered else None

    @property
    def meets(self):
        rate = self.rate
        return None if rate is None or self.target is None else rate >= self.target

    def add(self, other):
        self.registered += other.registered
        self.recognised += other.recognised
        for status, n in other.steps.items():
            self.steps[status] = self.steps.get(status, 0) + n


@dataclass
class Row:
    key: str | None  # the child's id as text, SELF for the root itself, UNMAPPED
    unit: Unit | paging.Child | None  # a Child (paging.py) for a child unit
    name: str
    note: str = ""
    cells: list = field(default_factory=lambda: [TitleCell() for _kind in KINDS])
    has_figures: bool = False
    members: int = 0
    population: int = 0
    households: int = 0
    bands: dict = field(default_factory=dict)  # band code -> centres
    reports: int = 0
    classes: int = 0
    participants: int = 0
    targets: object = None  # targets.Targets or None
    is_total: bool = False
    band_values: list = field(default_factory=list)  # centres per band, in the report's order
    citizens: Shares = field(default_factory=Shares)  # learning citizens among the adults
    funds: FundFigures = field(default_factory=FundFigures)  # study-promotion funds
    staff: Shares = field(default_factory=Shares)  # learning citizens among organisations' staff

    @property
    def registered(self):
        return sum(c.registered for c in self.cells)

    @property
    def recognised(self):
        return sum(c.recognised for c in self.cells)

    @property
    def rate(self):
        registered = self.registered
        return self.recognised * 100 / registered if registered else None

    @property
    def ratio(self):
        """Members as a percentage of the population (None without figures)."""
        if not self.has_figures or not self.population:
            return None
        return self.members * 100 / self.population

    @property
    def rated(self):
        return sum(self.bands.values())

    @property
    def is_commune(self):
        return self.unit is not None and self.unit.level == Level.COMMUNE

    @property
    def has_data(self):
        return bool(
            self.registered
            or self.has_figures
            or self.rated
            or self.reports
            or self.citizens.adults
            or self.staff.adults
        )

    def band_counts(self, bands):
        return [self.bands.get(band["code"], 0) for band in bands]

    def cell(self, kind):
        return self.cells[KIND_INDEX[kind]]

    def set_targets(self, targets):
        self.targets = targets
        for kind, cell in zip(KINDS, self.cells, strict=True):
            cell.target = targets.of(kind) if targets is not None else None

    def add(self, other):
        for mine, theirs in zip(self.cells, other.cells, strict=True):
            mine.add(theirs)
        self.has_figures = self.has_figures or other.has_figures
        self.members += other.members
        self.population += other.population
        self.households += other.households
        for code, n in other.bands.items():
            self.bands[code] = self.bands.get(code, 0) + n
        self.reports += other.reports
        self.classes += other.classes
        self.participants += other.participants
        self.citizens.add(other.citizens)
        self.funds.add(other.funds)
        self.staff.add(other.staff)


@dataclass
class Report:
    year: int
    view: str
    root: Root
    rows: list
    total: Row
    bands: list  # [{"code", "name"}], highest first
    targets: object  # the targets of the totals row (None outside the programmes)
    root_existed: bool = True
    parts: tuple = ()
    rows_page: object = None  # the Page of `rows` when only a page was folded (paging.py)

    @property
    def kinds(self):
        return [{"value": kind.value, "label": kind.label} for kind in KINDS]

    @property
    def view_label(self):
        return VIEWS[self.view]

    @property
    def steps(self):
        return [{"value": s.value, "label": s.label} for s in STEPS]

    @property
    def citizens_line(self):
        return citizens_line(self)

    @property
    def funds_line(self):
        return fund_table.definitions()


# --- the report ----------------------------------------------------------------------------


def _children(root, year, view):
    """{key: unit} of the units the report may show as rows: Units (the country's tops) or
    paging.Child tuples (a unit's children), which stand for Units in the rows."""
    units = root.tops if root.unit is None else paging.child_units(root.unit)
    if view == TODAY:
        units = [u for u in units if u.valid_to is None]
    return {str(u.id): u for u in units}


def _province_codes(units):
    """{unit id: official code of its province} from the first segment of each path. One
    query, none when the provinces are among `units` (a province's report, the country's)."""
    first = {u.pk: int(u.path.strip("/").split("/")[0]) for u in units if u is not None}
    codes = {u.pk: u.admin_code for u in units if u is not None and u.level == Level.PROVINCE}
    missing = set(first.values()) - set(codes)
    if missing:
        codes |= dict(
            Unit.objects.filter(pk__in=missing, level=Level.PROVINCE).values_list(
                "pk", "admin_code"
            )
        )
    return {pk: codes.get(top) for pk, top in first.items()}


def _note(unit, year, view):
    if view == TODAY or unit is None:
        return ""
    first, last = year_bounds(year)
    if unit.valid_to is not None and first <= unit.valid_to < last:
        return _("until %(date)s") % {"date": date_format(unit.valid_to, "SHORT_DATE_FORMAT")}
    if unit.valid_from is not None and first < unit.valid_from <= last:
        return _("from %(date)s") % {"date": date_format(unit.valid_from, "SHORT_DATE_FORMAT")}
    return ""


def _registration_aggregates(with_steps):
    aggregates = {
        "all_files": files_sum(),
        "registered": files_sum(COUNTED),
        "recognised": files_sum(HOLDING),
    }
    if with_steps:
        aggregates |= {name: files_sum(Q(status=status)) for status, name in STEP_KEYS}
    return aggregates


def _sum_of(fields):
    expression = F(fields[0])
    for name in fields[1:]:
        expression = expression + F(name)
    return Sum(expression)


def _bands_of_year(year):
    bands = {}
    for code, name, _threshold in (
        RatingBand.objects.filter(
            scheme__in=CenterRating.objects.filter(year=year).values("scheme_id")
        )
        .values_list("code", "name", "min_total")
        .order_by("-min_total", "code")
    ):
        bands.setdefault(code, {"code": code, "name": name})
    return list(bands.values())


def yearly_report(
    user,
    root,
    year,
    view=AS_WAS,
    parts=("titles", "members", "centres", "citizens", "funds"),
    page=None,
):
    """The report of `root` (a Root) for `year` in `view`, limited to what `user` may read.

    `parts` leaves out what a page does not show (the dashboard needs only "titles", with the
    steps of the cycle). With `page` (a page number, paging.ROWS_PER_PAGE rows a page),
    `rows` are only that page's (`rows_page`), the totals still every row's. Raises
    ReportError when the view cannot apply (today's communes of a unit that no longer exists).
    """
    if view == TODAY and root.unit is not None and not root.unit.is_current:
        raise ReportError(
            _(
                "%(unit)s no longer exists, so it has no communes today: "
                "show it as the units were, or choose a current unit."
            )
            % {"unit": root.unit.name}
        )
    folding = Folding(user, root, year, view)
    with_steps = "steps" in parts
    fetched = {}
    if "titles" in parts or with_steps:
        # Counted ahead by the database (a few rows per commune, not a national year's ten
        # million files); a key whose deltas cancel out (a file moved on) holds no file.
        fetched["titles"] = [
            (reference, values)
            for reference, values in folding.fetch(
                RegistrationTally.objects.filter(year=year),
                "unit__path",
                "unit_id",
                ("kind",),
                _registration_aggregates(with_steps),
            )
            if values["all_files"]
        ]
    if "members" in parts:
        fetched["members"] = folding.fetch(
            # As of 31 December: an ended commune's figures are its successor's (README).
            UnitYearFigures.objects.filter(
                counted_figures(year), year=year, unit__level=Level.COMMUNE
            ),
            "unit__path",
            "unit_id",
            (),
            {
                "members": Sum("members"),
                "population": Sum("population"),
                "households": Sum("households"),
            },
        )
    bands = []
    if "centres" in parts:
        fetched["ratings"] = folding.fetch(
            CenterRating.objects.filter(year=year, status__in=RATED, band__isnull=False),
            "commune__path",
            "commune_id",
            ("band__code",),
            {"centres": Count("id")},
        )
        fetched["reports"] = folding.fetch(
            CenterYearReport.objects.filter(year=year),
            "commune__path",
            "commune_id",
            (),
            {
                "reports": Count("id"),
                "classes": _sum_of(CLASS_FIELDS),
                "participants": _sum_of(PARTICIPANT_FIELDS),
            },
        )
        bands = _bands_of_year(year)
    if "citizens" in parts:
        # Adults of households and staff of organisations, with their result of the year:
        # one query (citizen_table.py), folded like every other table.
        fetched["citizens"] = citizen_rows(folding, year)
    if "funds" in parts:
        fetched["funds"] = fund_table.fetch(folding, year)
    folding.resolve()

    children = _children(root, year, view)

    def key_of(reference):
        key = folding.key(reference)
        if key not in (SELF, UNMAPPED) and key not in children:
            key = UNMAPPED  # under the root but under none of the rows (should not happen)
        return key

    # Every row shown: the children with anything filed, and those there in the year. Only
    # the rows of the page asked for are folded one by one; the others' figures go to `rest`,
    # which only the totals read (a province's 1,100 communes, 25 a page).
    references = set()
    for table in fetched.values():
        references.update(map(itemgetter(0), table))
    keys = {key_of(reference) for reference in references}
    keys |= {k for k, unit in children.items() if view == TODAY or existed_in(unit, year)}
    rest = Row(key=None, unit=None, name="")
    rows, rows_page = paging.rows_to_fold(
        keys,
        order=lambda key: _row_order(key, children.get(key)),
        make_row=lambda key: _new_row(
            key, root.unit if key == SELF else children.get(key), root, year, view
        ),
        page=page,
    )

    # The row each grouped row adds to: one dict lookup each (8,000 in a province's report).
    row_for = {reference: rows.get(key_of(reference), rest) for reference in references}.get

    for reference, values in fetched.get("titles", []):
        cell = row_for(reference).cell(values["kind"])
        cell.registered += values["registered"]
        cell.recognised += values["recognised"]
        for status, name in STEP_KEYS if with_steps else ():
            cell.steps[status] = cell.steps.get(status, 0) + values[name]
    for reference, values in fetched.get("members", []):
        row = row_for(reference)
        row.has_figures = True
        row.members += values["members"] or 0
        row.population += values["population"] or 0
        row.households += values["households"] or 0
    for reference, values in fetched.get("ratings", []):
        row = row_for(reference)
        code = values["band__code"]
        row.bands[code] = row.bands.get(code, 0) + values["centres"]
        if code not in {b["code"] for b in bands}:
            bands.append({"code": code, "name": code})
    for reference, values in fetched.get("reports", []):
        row = row_for(reference)
        row.reports += values["reports"]
        row.classes += values["classes"] or 0
        row.participants += values["participants"] or 0
    for reference, values in fetched.get("citizens", []):
        add_citizens(row_for(reference), values)
    for reference, values in fetched.get("funds", []):
        row_for(reference).funds.add_values(values)

    ordered = list(rows.values())
    total = Row(key=None, unit=root.unit, name=root.name, is_total=True)
    for row in [*ordered, rest]:
        total.add(row)
    _apply_targets(ordered, total, root, year)
    for row in [*ordered, total]:
        row.band_values = row.band_counts(bands)
        set_citizen_targets(row, year)
    return Report(
        year=year,
        view=view,
        root=root,
        rows=ordered,
        total=total,
        bands=bands,
        targets=total.targets,
        root_existed=root.unit is None or existed_in(root.unit, year),
        parts=tuple(parts),
        rows_page=rows_page,
    )


def _new_row(key, unit, root, year, view):
    if key == UNMAPPED:
        return Row(key, None, str(_("Not mapped onto a current unit")))
    if key == SELF:
        # A commune's files are filed under the commune itself: its row is the commune.
        note = "" if unit.level == Level.COMMUNE else str(_("filed directly under it"))
        return Row(key, unit, root.name, note=note)
    return Row(key, unit, unit.name, note=str(_note(unit, year, view)))


def _row_order(key, unit):
    if key == SELF:
        return (0, 0, ("", ""), "")
    if key == UNMAPPED:
        return (2, 0, ("", ""), "")
    # The key last: two units of the same name keep one order from one process to the next,
    # so that each page of the report or the dashboard shows each unit once.
    return (1, LEVEL_ORDER.get(unit.level, 9), name_key(unit.name), key)


def _apply_targets(rows, total, root, year):
    """Each row gets the targets of its province (mountain or not); the totals row those all
    rows share, else the general ones. One query."""
    units = [row.unit for row in rows if row.unit is not None]
    units.extend([root.unit] if root.unit is not None else root.tops)
    codes = _province_codes(units)
    mountain = {code: target_data.is_mountain(code) for code in set(codes.values())}
    by_flag = {flag: target_data.targets_for(year, mountain=flag) for flag in (False, True)}
    root_code = codes.get(root.unit.pk) if root.unit is not None else None
    for row in rows:
        code = codes.get(row.unit.pk) if row.unit is not None else root_code
        row.set_targets(by_flag[mountain.get(code, False)])
    if root.unit is not None:
        total.set_targets(by_flag[mountain.get(root_code, False)])
        return
    flags = {mountain.get(codes.get(top.pk), False) for top in root.tops}
    total.set_targets(by_flag[flags == {True}])
