"""Demo data of the units app: the real Điện Biên tree, villages, branches, yearly figures.

Figures are demo values shaped to the founding report (2014–2019), written in mid-2019:
members were 23,2% of the population in 2014 and 27,2% in 2018; "hiện nay" (mid-2019) the
province has 156.879 members, kept as the 2019 figure (the nearest year end; yearly figures
describe 31 December); 2.825 branches and boards. The population is a demo value (the report
gives ratios). Each commune's share is fixed from its code, so every run produces the same
numbers and the sums are exact.
"""

import datetime

from django.core.management import call_command
from django.db import transaction
from django.utils.translation import gettext as _

from .models import BranchKind, Level, Unit, UnitYearFigures, Village, VillageKind
from .services import create_unit

FIRST_YEAR, LAST_YEAR = 2014, 2025
POPULATION_2018 = 570_000  # a demo value: the founding report gives the members' shares
MEMBERS_2019 = 156_879  # "hiện nay" in the founding report, counted in mid-2019
MEMBER_RATIO = {
    2014: 0.232, 2015: 0.242, 2016: 0.252, 2017: 0.262, 2018: 0.272, 2019: None,
    2020: 0.280, 2021: 0.284, 2022: 0.288, 2023: 0.292, 2024: 0.296, 2025: 0.300,
}  # fmt: skip
BRANCHES_2018, BOARDS_2018 = 2_210, 615  # 2.825 branches and boards in the founding report

VILLAGES = {
    # Today's Xã Mường Phăng and the old communes it was formed from, and the pilot communes.
    "Xã Mường Phăng": [
        "Bản Mường Phăng", "Bản Co Muông", "Bản Khá", "Bản Kéo", "Bản Ten", "Bản Che Căn",
        "Bản Giói", "Bản Phăng", "Bản Nà Nhạn", "Bản Pá Khoang",
    ],
    "Xã Thanh Chăn": ["Bản Chăn 1", "Bản Chăn 2", "Bản Chăn 3", "Bản Pa Ngam", "Bản Bông"],
    "Xã Mường Nhà": ["Bản Na Pheo", "Bản Pa Đông", "Bản Xôm", "Bản Tạu", "Bản Phi Lĩnh"],
}  # fmt: skip
WARD_GROUPS = {"Phường Mường Thanh": 12, "Phường Điện Biên Phủ": 8}


def seed(stdout):
    call_command("load_units", stdout=stdout)
    with transaction.atomic():
        _seed_villages_and_branches()
        created = _seed_figures()
    stdout.write(
        _("Units demo: villages, branches and %(count)s yearly figures rows.") % {"count": created}
    )


def _communes_named(name):
    return Unit.objects.filter(level=Level.COMMUNE, name=name)


def _seed_villages_and_branches():
    for commune_name, village_names in VILLAGES.items():
        for commune in _communes_named(commune_name):
            for name in village_names:
                Village.objects.get_or_create(commune=commune, name=name)
    for ward_name, count in WARD_GROUPS.items():
        for ward in _communes_named(ward_name):
            for number in range(1, count + 1):
                Village.objects.get_or_create(
                    commune=ward,
                    name=f"Tổ dân phố {number}",
                    defaults={"kind": VillageKind.TO_DAN_PHO},
                )
    # Today's communes of the demo accounts get their branches and boards.
    for commune in Unit.objects.current().filter(
        level=Level.COMMUNE, name__in=["Xã Mường Phăng", "Phường Mường Thanh"]
    ):
        if commune.children.exists():
            continue
        for village in commune.villages.all():
            create_unit(
                by=None,
                name=f"Chi hội khuyến học {village.name}",
                level=Level.BRANCH,
                kind=BranchKind.VILLAGE_BRANCH,
                parent=commune,
                valid_from=datetime.date(2025, 7, 1),
            )
        create_unit(
            by=None,
            name=f"Ban khuyến học Trường THCS {commune.name.split(' ', 1)[1]}",
            level=Level.BRANCH,
            kind=BranchKind.SCHOOL_BOARD,
            parent=commune,
            valid_from=datetime.date(2025, 7, 1),
        )


def _weight(unit, salt):
    digits = int("".join(ch for ch in unit.admin_code if ch.isdigit()) or unit.pk)
    return 60 + (digits * salt) % 90


def _split(total, weights):
    """Whole numbers proportional to `weights` that add up exactly to `total`."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    parts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _seed_figures():
    rows = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        communes = list(
            Unit.objects.valid_on(datetime.date(year, 12, 31))
            .filter(level=Level.COMMUNE, path__startswith=_province_path())
            .order_by("admin_code", "pk")
        )
        if not communes or UnitYearFigures.objects.filter(year=year, unit__in=communes).exists():
            continue
        growth = 1.015 ** (year - 2018)
        population = round(POPULATION_2018 * growth)
        members = MEMBERS_2019 if year == 2019 else round(population * MEMBER_RATIO[year])
        households = round(population / 4.4)
        branches = round(BRANCHES_2018 * growth)
        boards = round(BOARDS_2018 * growth)
        weights = [_weight(c, 37) for c in communes]
        member_weights = [w * _weight(c, 13) for w, c in zip(weights, communes, strict=True)]
        columns = zip(
            _split(population, weights),
            _split(members, member_weights),
            _split(households, weights),
            _split(branches, weights),
            _split(boards, weights),
            strict=True,
        )
        for commune, (pop, mem, hh, br, bo) in zip(communes, columns, strict=True):
            rows.append(
                UnitYearFigures(
                    unit=commune, year=year, population=pop, members=mem,
                    households=hh, branches=br, boards=bo,
                )
            )  # fmt: skip
    UnitYearFigures.objects.bulk_create(rows)
    return len(rows)


def _province_path():
    return Unit.objects.get(level=Level.PROVINCE, admin_code="11").path
