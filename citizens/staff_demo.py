"""Demo staff of organisations and their learning-citizen results (2022–2026), called by
`citizens.demo.seed` (so by `manage.py seed_demo`) once the learning models' demo made the
organisations.

Believable against QĐ 677/QĐ-TTg (60% of the staff of organisations by 2025, 80% by 2030):
a handful of the demo's organisations (those of Xã Mường Phăng first, the demo-commune
account's, then others, a remote mountain commune among them) get 8–14 staff each, some who
joined late or left; the share of learning citizens grows from about a quarter in 2022 to
about 60% in 2025, lower in the remote communes. The positions say "(mẫu)": demo people, not
real ones. Written in bulk, deterministic (fixed seed), only when there are no staff yet.
"""

import datetime
import random

from django.db import transaction
from django.utils.translation import gettext as _

from lib.dates import this_year
from lib.text import normalise
from models_learning.models import Organisation, Registration

from . import services
from .demo import _remote
from .models import CitizenResult, Source, StaffMember

YEARS = range(2022, 2027)
# Share of the staff assessed, and of the staff who are learning citizens, per year: each
# person has a fixed readiness, so that whoever reached the title keeps it the next year.
ASSESSED = {2022: 0.5, 2023: 0.6, 2024: 0.7, 2025: 0.88, 2026: 0.92}
ACHIEVED = {2022: 0.24, 2023: 0.34, 2024: 0.46, 2025: 0.64, 2026: 0.72}
DIGITAL = {2022: 0.5, 2023: 0.6, 2024: 0.7, 2025: 0.78, 2026: 0.82}
REMOTE_FACTOR = 0.75
ORGANISATIONS = 8
SURNAMES = ("Lò", "Quàng", "Cà", "Lường", "Nguyễn", "Trần", "Vì", "Điêu", "Lê", "Phạm", "Tòng")
MIDDLE = ("Văn", "Thị", "Thị Thu", "Văn Minh", "Thị Hồng", "Đức", "Thị Ngọc")
GIVEN = ("Hoa", "Sơn", "Lan", "Tuấn", "Mai", "Hùng", "Thảo", "Bình", "Hương", "Dũng", "Xuân")
POSITIONS = {
    "school": ("Hiệu trưởng", "Phó hiệu trưởng", "Giáo viên", "Giáo viên", "Nhân viên"),
    "agency": ("Chủ tịch", "Phó Chủ tịch", "Công chức", "Công chức", "Viên chức"),
    "enterprise": ("Giám đốc", "Kế toán", "Công nhân", "Công nhân", "Nhân viên"),
}


def _organisations():
    chosen = list(
        Organisation.objects.filter(commune__name="Xã Mường Phăng")
        .select_related("commune")
        .order_by("pk")[:3]
    )
    others = Organisation.objects.exclude(pk__in=[o.pk for o in chosen]).select_related("commune")
    remote = [o for o in others.order_by("pk")[:200] if _remote(o.commune.name)][:2]
    rest = others.exclude(pk__in=[o.pk for o in remote]).order_by("pk")
    return chosen + remote + list(rest[: max(0, ORGANISATIONS - len(chosen) - len(remote))])


def _places(organisations):
    """{organisation id: {year: commune id}}: where it was filed each year (its registration
    of the latest year up to it, else its first one, else its commune), as the shares read."""
    filed = {}
    for organisation_id, year, unit_id in (
        Registration.objects.filter(organisation__in=organisations)
        .order_by("organisation_id", "year", "pk")
        .values_list("organisation_id", "year", "unit_id")
    ):
        filed.setdefault(organisation_id, {}).setdefault(year, unit_id)
    places = {}
    for organisation in organisations:
        years = filed.get(organisation.pk, {})
        places[organisation.pk] = {}
        for year in YEARS:
            before = [y for y in years if y <= year]
            after = sorted(y for y in years if y > year)
            if before:
                places[organisation.pk][year] = years[max(before)]
            elif after:
                places[organisation.pk][year] = years[after[0]]
            else:
                places[organisation.pk][year] = organisation.commune_id
    return places


def _staff_of(organisation, rng):
    positions = POSITIONS.get(organisation.kind, POSITIONS["agency"])
    people = []
    for index in range(rng.randint(8, 14)):
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        first_year = rng.choice([2010, 2015, 2018, 2020, 2021, 2022, 2023, 2024])
        left = rng.random() < 0.12 and first_year < 2024
        people.append(
            StaffMember(
                organisation=organisation,
                name=name,
                name_normalised=normalise(name),
                birth_year=rng.randint(1968, 2000),
                position=f"{positions[0] if index == 0 else rng.choice(positions[1:])} (mẫu)",
                first_year=first_year,
                last_year=rng.randint(max(first_year, 2022), 2024) if left else None,
            )
        )
    return people


def seed_staff(stdout):
    if StaffMember.objects.exists():
        stdout.write(_("Demo staff of organisations: already there, nothing added."))
        return
    rng = random.Random(60)
    with transaction.atomic():
        organisations = _organisations()
        if not organisations:
            return
        staff = []
        for organisation in organisations:
            staff.extend(_staff_of(organisation, rng))
        StaffMember.objects.bulk_create(staff, batch_size=500)
        criteria = {year: services.criteria_set_for(year) for year in YEARS}
        numbers = {year: [c.number for c in criteria[year].criteria.all()] for year in YEARS}
        places = _places(organisations)
        by_pk = {o.pk: o for o in organisations}
        rows = []
        for person in StaffMember.objects.filter(organisation__in=organisations).order_by("pk"):
            organisation = by_pk[person.organisation_id]
            factor = REMOTE_FACTOR if _remote(organisation.commune.name) else 1.0
            readiness, willing = rng.random(), rng.random()
            for year in YEARS:
                on_staff = person.first_year <= year and (
                    person.last_year is None or year <= person.last_year
                )
                achieved = readiness < ACHIEVED[year] * factor
                if year > this_year() or not on_staff:
                    continue
                if not achieved and willing >= ASSESSED[year]:
                    continue
                met = len(numbers[year]) if achieved else rng.randint(1, 3)
                answers = {str(n): i < met for i, n in enumerate(numbers[year])}
                total, achieved, _level, answers = services.score_answers(criteria[year], answers)
                rows.append(
                    CitizenResult(
                        staff_member=person,
                        year=year,
                        commune_id=places[organisation.pk][year],
                        village_id=None,
                        achieved=achieved,
                        digital_skills=achieved and rng.random() < DIGITAL[year],
                        source=rng.choice([Source.OFFICER, Source.IMPORTED]),
                        criteria_set=criteria[year],
                        answers=answers,
                        total=total,
                        assessed_on=datetime.date(year, 10, rng.randint(1, 28)),
                    )
                )
        CitizenResult.objects.bulk_create(rows, batch_size=2000)
    stdout.write(
        _(
            "Demo staff of organisations: %(staff)s people in %(organisations)s organisations, "
            "%(results)s results for 2022–2026."
        )
        % {"staff": len(staff), "organisations": len(organisations), "results": len(rows)}
    )
