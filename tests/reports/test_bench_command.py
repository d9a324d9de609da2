"""generate_bench_data --registrations: the data the scale measurements run on, small here."""

import pytest
from django.core.management import CommandError, call_command

from lib.dates import this_year
from lib.text import normalise
from models_learning.models import Recognition, Registration
from reporting.reports.folding import AS_WAS, TODAY
from reporting.reports.roots import default_root
from reporting.reports.yearly import yearly_report
from tests.factories import UserFactory
from units.models import Level, Unit

pytestmark = pytest.mark.django_db


def test_the_bench_makes_exactly_the_registrations_asked_under_correct_paths(capsys):
    call_command(
        "generate_bench_data",
        registrations=660,
        communes=10,
        provinces=2,
        years=3,
        batch_size=100,
    )
    assert Registration.objects.count() == 660
    provinces = list(Unit.objects.filter(level=Level.PROVINCE, admin_code__startswith="BN"))
    assert len(provinces) == 2
    for commune in Unit.objects.filter(level=Level.COMMUNE):
        assert commune.path == f"{commune.parent.path}{commune.pk}/"
    admin = UserFactory(is_superuser=True)
    for view in (AS_WAS, TODAY):
        report = yearly_report(admin, default_root(admin), this_year() - 1, view)
        assert [row.name for row in report.rows] == ["Tỉnh Thử nghiệm 1", "Tỉnh Thử nghiệm 2"]
        assert report.total.registered + _withdrawn(this_year() - 1) == 660 // 3
        assert report.total.rated == 10
        assert report.total.population > 0
    # As the services leave them: a recognised or revoked file has its recognition, a
    # family's file carries its household's name.
    public = Registration.objects.filter(status__in=["recognized", "revoked"])
    assert public.exists()
    assert not public.filter(recognition__isnull=True).exists()
    assert not Recognition.objects.exclude(registration__status__in=["recognized", "revoked"])
    assert (
        Recognition.objects.filter(revoked_at__isnull=False).count()
        == public.filter(status="revoked").count()
    )
    families = Registration.objects.filter(kind="family").select_related("household")
    assert all(r.subject_name == r.household.head_name for r in families)
    assert all(r.search_text == normalise(r.subject_name) for r in Registration.objects.all())
    with pytest.raises(CommandError, match="already here"):
        call_command("generate_bench_data", registrations=660, communes=10, years=3)


def _withdrawn(year):
    return Registration.objects.filter(year=year, status="withdrawn").count()


def test_the_bench_refuses_too_few_registrations_for_the_communes(db):
    with pytest.raises(CommandError):
        call_command("generate_bench_data", registrations=10, communes=10, years=3)


def test_the_bench_makes_one_set_at_a_time(db):
    with pytest.raises(CommandError, match="one of the arguments"):
        call_command("generate_bench_data")
    with pytest.raises(CommandError, match="not allowed with"):
        call_command("generate_bench_data", "--registrations", "660", "--recognitions", "5")
    assert not Registration.objects.exists()
