import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from models_learning import tally
from models_learning.models import RegistrationTally
from units.models import Level, Unit, UnitChange, UnitYearFigures
from units.scoping import units_visible_to
from units.selectors import headline_figures

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Unit.objects.count(),
        UnitChange.objects.count(),
        UnitYearFigures.objects.count(),
        get_user_model().objects.count(),
    )


def test_seed_demo_loads_dien_bien_as_the_founding_report_tells_and_is_idempotent(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = _counts()
    # The registrations' tally matches the files, its deltas folded (one row a key).
    assert tally.differences() == []
    assert not RegistrationTally.objects.filter(merged=False).exists()
    call_command("seed_demo", stdout=out)
    assert _counts() == first
    # Everything it says is Vietnamese (the accounts' names and the password aside).
    for english in (
        "demo:",
        "Demo accounts",
        "password:",
        "already there",
        "superuser ",
        "approver",
    ):
        assert english not in out.getvalue(), english
    assert "Tài khoản mẫu" in out.getvalue()
    assert "demo-province   Tỉnh Điện Biên Người phê duyệt, Quản lý tài khoản" in out.getvalue()

    communes_on = {
        day: Unit.objects.valid_on(day).filter(level=Level.COMMUNE).count()
        for day in (datetime.date(2018, 6, 1), datetime.date(2022, 6, 1), datetime.date(2026, 1, 1))
    }
    assert list(communes_on.values()) == [130, 129, 45]

    years = {row["year"]: row for row in headline_figures()["years"]}
    # The founding report's 156.879 members were counted in mid-2019 ("hiện nay").
    assert years[2019]["members"] == 156_879
    assert round(years[2018]["percent"], 1) == 27.2
    assert round(years[2014]["percent"], 1) == 23.2
    assert years[2018]["branches"] + years[2018]["boards"] == 2_825
    assert years[2025]["communes"] == 45

    # The pilot sites of the other nine districts (founding report), registered in 2015.
    from models_learning.models import Registration

    pilot = Registration.objects.filter(year=2015).exclude(unit__parent__name="Huyện Điện Biên")
    assert pilot.values("unit").distinct().count() == 9
    assert pilot.values("unit__parent").distinct().count() == 9
    kinds = dict(pilot.values_list("kind").annotate(n=Count("id")).order_by())
    assert kinds == {"family": 316, "clan": 18, "community": 18}

    User = get_user_model()
    province_staff = User.objects.get(username="demo-province")
    commune_officer = User.objects.get(username="demo-commune")
    ward_officer = User.objects.get(username="demo-commune-2")
    assert User.objects.get(username="demo-admin").is_superuser
    assert units_visible_to(province_staff).count() == Unit.objects.count()
    officer_units = set(units_visible_to(commune_officer).values_list("name", flat=True))
    assert {"Xã Mường Phăng", "Xã Nà Nhạn", "Xã Pá Khoang"} <= officer_units
    assert "Phường Mường Thanh" not in officer_units
    assert "Xã Mường Phăng" not in set(
        units_visible_to(ward_officer).values_list("name", flat=True)
    )


def test_seed_demo_refuses_to_create_accounts_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()


def test_seed_demo_if_empty_leaves_an_existing_database_alone(settings, tree):
    settings.DEBUG = True
    before = _counts()
    call_command("seed_demo", "--if-empty", stdout=io.StringIO())
    assert _counts() == before


def test_public_home_shows_the_province_headline_figures(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--no-accounts", stdout=io.StringIO())
    response = client.get("/")
    assert response.status_code == 200
    latest = headline_figures()["years"][0]
    assert f"{latest['members']:,}".replace(",", ".") in response.text
    assert "156.879" in response.text  # 2019, among the years beside the latest
    assert "27,2%" in response.text
