"""The demo data keeps the contract of the design: see models_learning/demo.py."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from models_learning import demo
from models_learning.models import Registration, RegistrationEvent
from models_learning.workflow import Status

pytestmark = pytest.mark.django_db


def test_the_demo_tells_the_story_of_the_founding_report_and_is_idempotent():
    call_command("load_units", stdout=io.StringIO())
    demo.seed(io.StringIO())
    total = Registration.objects.count()

    recognised = Registration.objects.filter(
        kind="family", status__in=[Status.RECOGNIZED, Status.REVOKED]
    )
    assert recognised.values("household").distinct().count() >= 200
    assert recognised.values("unit").distinct().count() >= 10
    assert set(Status) <= set(Registration.objects.values_list("status", flat=True))

    # QĐ 281's pilot in Huyện Điện Biên; the pilot sites of the other districts beside it.
    in_other_districts = Registration.objects.filter(year=2015).exclude(
        unit__parent__name="Huyện Điện Biên"
    )
    assert dict(in_other_districts.values_list("kind").annotate(n=Count("id")).order_by()) == {
        "family": 316,
        "clan": 18,
        "community": 18,
    }
    assert in_other_districts.values("unit").distinct().count() == 9
    pilot = Registration.objects.filter(year__in=[2014, 2015], unit__parent__name="Huyện Điện Biên")
    assert dict(pilot.values_list("kind").annotate(n=Count("id"))) == {
        "family": 30,
        "clan": 6,
        "community": 6,
    }
    assert set(pilot.values_list("status", flat=True)) == {Status.RECOGNIZED}
    assert set(pilot.values_list("unit__name", flat=True)) == {
        "Xã Thanh Chăn",
        "Xã Mường Phăng",
        "Xã Mường Nhà",
    }
    assert set(pilot.values_list("criteria_set__code", flat=True)) >= {"family-qd448-2016"}

    assert RegistrationEvent.objects.filter(action="return").exclude(reason="").exists()
    assert RegistrationEvent.objects.filter(action="revoke").exclude(reason="").exists()
    assert RegistrationEvent.objects.filter(action="register", data__has_key="carried_over_from")

    this_year = Registration.objects.filter(
        unit__name="Xã Mường Phăng",
        unit__valid_to__isnull=True,
        year=demo.timezone.localdate().year,
    )
    waiting = set(this_year.values_list("status", "is_returned"))
    assert {
        (Status.REGISTERED, False),
        (Status.SCORED, False),
        (Status.SCORED, True),
        (Status.PROPOSED, False),
    } <= waiting
    assert not RegistrationEvent.objects.filter(registration__year=2015, at__year=2026).exists()

    demo.seed(io.StringIO())
    assert Registration.objects.count() == total
