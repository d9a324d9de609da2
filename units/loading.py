"""Loading the administrative units: Điện Biên with its history, or another province today.

Điện Biên comes from the data files in `units/data/` as three dated states of one tree:

- 2014–2019: 10 districts, 130 communes (Xã Tà Lèng, and four communes under Huyện Điện Biên);
- 2020 to 30 June 2025: 129 communes (Nghị quyết 815/NQ-UBTVQH14: Tà Lèng merged into Thanh
  Minh; Nà Tấu, Nà Nhạn, Mường Phăng, Pá Khoang moved into Thành phố Điện Biên Phủ);
- from 1 July 2025: 45 communes directly under the province (Nghị quyết 1661/NQ-UBTVQH15),
  each linked from every commune it was formed from.

A commune that only moved keeps one row per parent, linked by a "move" change, so that a
subtree stays one prefix filter on the path. Any other province is loaded as it is today
(province → communes) from the `vietnam-provinces` package.

Every row goes through `units.services`, so the audit trail records the load (by nobody).
Loading twice changes nothing: a unit is found again by its level, code and period of
validity, a change by its two units.
"""

import datetime
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from lib.errors import DomainError

from . import services
from .models import ChangeKind, Level, Unit, UnitChange

DATA_DIR = Path(__file__).resolve().parent / "data"
DIEN_BIEN_CODE = 11
HISTORY_END = datetime.date(2025, 6, 30)
MERGER_DAY = datetime.date(2025, 7, 1)
PROVINCE_DIVISION_TYPES = {"tỉnh": "Tỉnh"}


class LoadError(Exception):
    """The data cannot be loaded as it is: the message says what is wrong and where."""


@dataclass
class LoadReport:
    province: Unit | None = None
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)


def read_dien_bien():
    """The three Điện Biên data files, parsed."""
    names = {
        "units_2019": "dien-bien-units-2019.json",
        "changes_2020": "dien-bien-changes-2020.json",
        "units_2025": "dien-bien-units-2025.json",
    }
    return {
        key: json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
        for key, name in names.items()
    }


def validate_dien_bien(data):
    """Raise LoadError listing every inconsistency between the three files."""
    problems = []
    old = {}  # code of a 2020–2025 commune -> (name, district code)
    districts = {}
    for district in data["units_2019"]["districts"]:
        districts[district["code"]] = district["name"]
        for commune in district["communes"]:
            if commune["code"] in old:
                problems.append(
                    _("Commune code %(code)s appears twice in the 2020–2025 list.")
                    % {"code": commune["code"]}
                )
            old[commune["code"]] = (commune["name"], district["code"])

    move, merge = _changes_2020(data)
    if move["from_district"]["code"] not in districts:
        problems.append(
            _("District %(code)s (moved from) is not in the list.")
            % {"code": move["from_district"]["code"]}
        )
    for code in move["units"]:
        if old.get(code, (None, None))[1] != move["to_district"]["code"]:
            problems.append(
                _("Moved commune %(code)s is not under district %(district)s in 2020–2025.")
                % {"code": code, "district": move["to_district"]["code"]}
            )
    if merge["into"]["code"] not in old:
        problems.append(
            _("Commune %(code)s (merged into in 2020) is not in the 2020–2025 list.")
            % {"code": merge["into"]["code"]}
        )
    gone = _gone_in_2020(merge)
    if len(gone) != 1 or not gone[0].get("local_code") or gone[0]["district"] not in districts:
        problems.append(_("The 2020 merger must name one former commune with a local code."))

    mapped = defaultdict(list)  # old code -> names of the 2025 communes it went into
    new_codes = Counter()
    for commune in data["units_2025"]["communes"]:
        new_codes[commune["code"]] += 1
        if not commune["formed_from"]:
            problems.append(
                _("%(name)s (%(code)s) is formed from no former commune.")
                % {"name": commune["name"], "code": commune["code"]}
            )
        for code in commune["formed_from"]:
            mapped[code].append(commune["name"])
            if code not in old:
                problems.append(
                    _("%(name)s is formed from commune %(code)s, which is not in 2020–2025.")
                    % {"name": commune["name"], "code": code}
                )
    for code, count in sorted(new_codes.items()):
        if count > 1:
            problems.append(
                _("Code %(code)s is given to %(count)s communes of 2025.")
                % {"code": code, "count": count}
            )
    for code, (name, _district) in sorted(old.items()):
        targets = mapped.get(code, [])
        if len(targets) != 1:
            problems.append(
                _(
                    "%(name)s (%(code)s) must be merged into exactly one commune of 2025, "
                    "not %(count)s (%(targets)s)."
                )
                % {
                    "name": name,
                    "code": code,
                    "count": len(targets),
                    "targets": ", ".join(targets) or "-",
                }
            )
    if problems:
        raise LoadError(_("The Điện Biên data is inconsistent:") + "\n- " + "\n- ".join(problems))


def _changes_2020(data):
    changes = {c["kind"]: c for c in data["changes_2020"]["changes"]}
    return changes[ChangeKind.MOVE], changes[ChangeKind.MERGE]


def _gone_in_2020(merge):
    """The communes merged away in 2020 (Tà Lèng): those not carrying the code merged into."""
    return [c for c in merge["from"] if c["code"] != merge["into"]["code"]]


def _day(text):
    return datetime.date.fromisoformat(text)


class _Writer:
    """Creates what is missing under one province, counting what it created and found."""

    def __init__(self, report):
        self.report = report
        self.units = {}
        self.links = set()

    def index(self, province):
        """Remember the province's subtree and links as they are before the load."""
        for unit in Unit.objects.within(province).exclude(admin_code=""):
            self.units[(unit.level, unit.admin_code, unit.valid_from, unit.valid_to)] = unit
        self.links = set(
            UnitChange.objects.filter(successor__path__startswith=province.path).values_list(
                "predecessor_id", "successor_id"
            )
        )

    def unit(self, *, level, admin_code, valid_from=None, valid_to=None, **fields):
        admin_code = str(admin_code)
        key = (level, admin_code, valid_from, valid_to)
        unit = self.units.get(key)
        if unit is not None:
            self.report.existing["units"] += 1
            return unit
        unit = services.create_unit(
            by=None,
            level=level,
            admin_code=admin_code,
            valid_from=valid_from,
            valid_to=valid_to,
            **fields,
        )
        self.units[key] = unit
        self.report.created["units"] += 1
        return unit

    def link(self, predecessor, successor, **fields):
        if (predecessor.pk, successor.pk) in self.links:
            self.report.existing["changes"] += 1
            return
        services.record_change(by=None, predecessor=predecessor, successor=successor, **fields)
        self.links.add((predecessor.pk, successor.pk))
        self.report.created["changes"] += 1


def _province(writer, *, code, name, division_type):
    province = (
        Unit.objects.filter(level=Level.PROVINCE, admin_code=str(code), valid_to__isnull=True)
        .order_by("pk")
        .first()
    )
    if province is not None:
        writer.index(province)
    return writer.unit(
        level=Level.PROVINCE, admin_code=code, name=name, division_type=division_type
    )


def load_dien_bien(data=None):
    """Load Điện Biên's three states and the changes between them (see the module doc)."""
    data = data or read_dien_bien()
    validate_dien_bien(data)
    report = LoadReport()
    try:
        with transaction.atomic():
            _write_dien_bien(_Writer(report), data, report)
    except DomainError as error:
        raise LoadError(error.message) from error
    return report


def _write_dien_bien(writer, data, report):
    units_2019, units_2025 = data["units_2019"], data["units_2025"]
    move, merge = _changes_2020(data)
    day_2020 = _day(data["changes_2020"]["effective_date"])
    basis_2020 = data["changes_2020"]["legal_basis"]
    note_2020 = data["changes_2020"]["change_note"]
    last_old_day = day_2020 - datetime.timedelta(days=1)

    info = units_2019["province"]
    province = _province(
        writer, code=info["code"], name=info["name"], division_type=info["division_type"]
    )
    report.province = province

    districts = {}
    for district in units_2019["districts"]:
        districts[district["code"]] = writer.unit(
            level=Level.DISTRICT,
            admin_code=district["code"],
            name=district["name"],
            division_type=district["division_type"],
            parent=province,
            valid_to=HISTORY_END,
        )

    moved = set(move["units"])
    until_2025 = {}  # code -> the commune row that ended on 30 June 2025
    for district in units_2019["districts"]:
        for commune in district["communes"]:
            fields = {
                "level": Level.COMMUNE,
                "admin_code": commune["code"],
                "name": commune["name"],
                "division_type": commune["division_type"],
            }
            if commune["code"] in moved:
                before = writer.unit(
                    **fields,
                    parent=districts[move["from_district"]["code"]],
                    valid_to=last_old_day,
                )
                after = writer.unit(
                    **fields,
                    parent=districts[district["code"]],
                    valid_from=day_2020,
                    valid_to=HISTORY_END,
                )
                writer.link(
                    before,
                    after,
                    kind=ChangeKind.MOVE,
                    date=day_2020,
                    legal_basis=basis_2020,
                    note=note_2020,
                )
            else:
                after = writer.unit(
                    **fields, parent=districts[district["code"]], valid_to=HISTORY_END
                )
            until_2025[commune["code"]] = after

    into = until_2025[merge["into"]["code"]]
    for gone in _gone_in_2020(merge):
        old = writer.unit(
            level=Level.COMMUNE,
            admin_code=gone["local_code"],
            admin_code_is_local=True,
            name=gone["name"],
            division_type=gone["division_type"],
            note=gone["unit_note"],
            parent=districts[gone["district"]],
            valid_to=last_old_day,
        )
        writer.link(
            old,
            into,
            kind=ChangeKind.MERGE,
            date=day_2020,
            legal_basis=basis_2020,
            note=note_2020,
        )

    day_2025 = _day(units_2025["effective_date"])
    for commune in units_2025["communes"]:
        new = writer.unit(
            level=Level.COMMUNE,
            admin_code=commune["code"],
            name=commune["name"],
            division_type=commune["division_type"],
            parent=province,
            valid_from=day_2025,
        )
        note = (
            units_2025["secondary_evidence_note"]
            if commune.get("evidence_level") == "secondary"
            else ""
        )
        for code in commune["formed_from"]:
            writer.link(
                until_2025[code],
                new,
                kind=ChangeKind.MERGE,
                date=day_2025,
                legal_basis=units_2025["legal_basis"],
                note=note,
            )


def package_province(code):
    """The province `code` of the `vietnam-provinces` package (today's 34), or LoadError."""
    from vietnam_provinces import Province

    try:
        return Province.from_code(int(str(code).strip()))
    except ValueError as error:
        known = ", ".join(f"{p.code.value} {p.name}" for p in Province.iter_all())
        raise LoadError(
            _("Unknown province code %(code)s. The province codes are: %(known)s.")
            % {"code": code, "known": known}
        ) from error


def load_province(code):
    """Load a province as it is today (province → communes) from `vietnam-provinces`.

    Điện Biên is loaded with its history from the project's own data instead.
    """
    from vietnam_provinces import Ward

    source = package_province(code)
    if source.code.value == DIEN_BIEN_CODE:
        return load_dien_bien()
    division_type = source.division_type.value
    prefix = PROVINCE_DIVISION_TYPES.get(division_type)
    name = source.name
    if prefix and not name.startswith(prefix):
        name = f"{prefix} {name}"
    report = LoadReport()
    try:
        with transaction.atomic():
            writer = _Writer(report)
            province = _province(
                writer, code=source.code.value, name=name, division_type=division_type
            )
            report.province = province
            wards = sorted(Ward.iter_by_province(source.code), key=lambda w: w.code.value)
            for ward in wards:
                writer.unit(
                    level=Level.COMMUNE,
                    admin_code=ward.code.value,
                    name=ward.name,
                    division_type=ward.division_type.value,
                    parent=province,
                    valid_from=MERGER_DAY,
                )
    except DomainError as error:
        raise LoadError(error.message) from error
    return report
