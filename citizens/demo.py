"""Demo learning-citizen results (2022–2026) for the demo's households: `seed(stdout)` is
called by `manage.py seed_demo` after the learning models' demo (which made the households).

Believable against the QĐ 677/QĐ-TTg targets (40% of adults by 2025): the shares grow each
year from about 15% in 2022; communes of the city and its edge reach the target in 2025, the
remote mountain communes stay lower. About a third of the learning citizens had digital skills
in 2022, more each year. Results are written in bulk (thousands of rows: the services' checks
are for people typing, the demo's values are made right here), deterministic (fixed seed),
and only when there are none yet. A village link of Xã Mường Phăng holds two self-assessments
waiting for the demo-commune officer.
"""

import datetime
import random

from django.db import transaction
from django.utils.translation import gettext as _

from lib.dates import this_year
from models_learning.models import HouseholdMember
from units.models import Role

from . import services
from .adults import is_adult
from .models import CitizenResult, SelfAssessment, Source

YEARS = range(2022, 2027)
# Share of adults assessed, and of those assessed who reach the title, per year.
ASSESSED = {2022: 0.35, 2023: 0.5, 2024: 0.62, 2025: 0.75, 2026: 0.8}
ACHIEVED = {2022: 0.45, 2023: 0.5, 2024: 0.55, 2025: 0.58, 2026: 0.62}
DIGITAL = {2022: 0.35, 2023: 0.45, 2024: 0.55, 2025: 0.65, 2026: 0.7}
# Remote mountain communes (of the demo's tracks, then and now): fewer reach it.
REMOTE = ("Chà Cang", "Mường Pồn", "Quài Nưa", "Chiềng Sinh", "Mường Đăng", "Búng Lao", "Nà Tấu")
REMOTE_FACTOR = 0.6


def _remote(commune_name):
    return any(word in commune_name for word in REMOTE)


def seed(stdout):
    from .staff_demo import seed_staff

    _seed_households(stdout)
    seed_staff(stdout)


def _seed_households(stdout):
    if CitizenResult.objects.filter(member__isnull=False).exists():
        stdout.write(_("Learning citizens demo: results already there, nothing added."))
        return
    rng = random.Random(677)
    with transaction.atomic():
        criteria = {year: services.criteria_set_for(year) for year in YEARS}
        numbers = {year: [c.number for c in criteria[year].criteria.all()] for year in YEARS}
        members = HouseholdMember.objects.select_related(
            "household__commune", "household__village"
        ).order_by("pk")
        rows = []
        for member in members.iterator(chunk_size=2000):
            household = member.household
            factor = REMOTE_FACTOR if _remote(household.commune.name) else 1.0
            for year in YEARS:
                if year > this_year() or not is_adult(member, year):
                    continue
                if rng.random() >= ASSESSED[year]:
                    continue
                achieved = rng.random() < ACHIEVED[year] * factor
                met = len(numbers[year]) if achieved else rng.randint(1, 3)
                answers = {str(n): i < met for i, n in enumerate(numbers[year])}
                total, achieved, _level, answers = services.score_answers(criteria[year], answers)
                rows.append(
                    CitizenResult(
                        member=member,
                        year=year,
                        commune_id=household.commune_id,
                        village_id=household.village_id,
                        achieved=achieved,
                        digital_skills=achieved and rng.random() < DIGITAL[year],
                        source=rng.choice([Source.OFFICER, Source.OFFICER, Source.SELF]),
                        criteria_set=criteria[year],
                        answers=answers,
                        total=total,
                        assessed_on=datetime.date(year, 11, rng.randint(1, 28)),
                    )
                )
        CitizenResult.objects.bulk_create(rows, batch_size=2000)
        sheets = _self_assessments()
    stdout.write(
        _(
            "Learning citizens demo: %(results)s results for 2022–2026, %(sheets)s"
            " self-assessments waiting in Xã Mường Phăng."
        )
        % {"results": len(rows), "sheets": sheets}
    )


def _self_assessments():
    """Two sheets received through a village link of Xã Mường Phăng (demo-commune's)."""
    from units.models import Membership

    membership = (
        Membership.objects.filter(
            role=Role.OFFICER, unit__name="Xã Mường Phăng", unit__valid_to__isnull=True
        )
        .select_related("user", "unit")
        .first()
    )
    if membership is None:
        return 0
    member = (
        HouseholdMember.objects.filter(
            household__commune=membership.unit,
            household__village__valid_to__isnull=True,
            birth_year__lte=this_year() - 18,
        )
        .select_related("household__village")
        .order_by("pk")
        .first()
    )
    if member is None:
        return 0
    link = services.open_village_link(
        member.household.village, by=membership.user, year=this_year()
    )
    all_met = {str(n): True for n in range(1, 6)}
    services.receive_self_assessment(
        link,
        name=member.name,
        birth_year=member.birth_year,
        head_name=member.household.head_name,
        answers=all_met,
        digital_skills=True,
    )
    services.receive_self_assessment(
        link,
        name="Người Lạ Chưa Đăng Ký",
        birth_year=1990,
        head_name="",
        answers={**all_met, "3": False},
        digital_skills=False,
    )
    return SelfAssessment.objects.filter(link=link).count()
