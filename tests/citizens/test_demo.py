"""The demo's learning citizens are believable against the targets, and loaded once."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from citizens import demo
from citizens.models import CitizenResult, SelfAssessment
from citizens.selectors import shares_by_commune, shares_by_year
from units.models import Level, Unit

pytestmark = pytest.mark.django_db


def test_the_demo_shares_grow_towards_the_target_and_the_mountains_stay_lower(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    province = Unit.objects.get(level=Level.PROVINCE, valid_to__isnull=True)
    shares = shares_by_year([province.path], range(2022, 2027))
    assert [round(shares[y].share) for y in range(2022, 2027)] == sorted(
        round(shares[y].share) for y in range(2022, 2027)
    )
    assert shares[2022].share < 20 and 30 < shares[2025].share < 45
    names = dict(Unit.objects.values_list("pk", "name"))
    by_commune = shares_by_commune(2025)
    remote = [s for pk, s in by_commune.items() if demo._remote(names[pk])]
    others = [s for pk, s in by_commune.items() if not demo._remote(names[pk])]
    share = lambda rows: sum(s.achieved for s in rows) / sum(s.adults for s in rows)  # noqa: E731
    assert share(remote) < share(others)
    assert SelfAssessment.objects.filter(status="received").count() == 2
    count = CitizenResult.objects.count()
    output = io.StringIO()
    with translation.override("vi"):  # as seed_demo runs it
        demo.seed(output)
    assert CitizenResult.objects.count() == count
    assert "không thêm gì" in output.getvalue()


def test_the_demo_staff_of_organisations_grow_towards_60_percent(settings):
    from citizens.models import StaffMember
    from citizens.selectors import grouped_by_commune

    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert StaffMember.objects.count() >= 40
    assert StaffMember.objects.exclude(position__endswith="(mẫu)").count() == 0
    shares = {}
    for year in range(2022, 2027):
        rows = grouped_by_commune(year)["staff"].values()
        shares[year] = sum(s.achieved for s in rows) * 100 / sum(s.adults for s in rows)
    assert shares[2022] < 40 and 50 < shares[2025] < 75
    assert shares[2022] < shares[2023] < shares[2024] < shares[2025] < shares[2026]
    assert CitizenResult.objects.filter(staff_member__isnull=False, year=2025).exists()
    count = CitizenResult.objects.count()
    output = io.StringIO()
    with translation.override("vi"):
        demo.seed(output)
    assert CitizenResult.objects.count() == count
