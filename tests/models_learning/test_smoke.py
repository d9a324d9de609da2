import pytest

from models_learning import services
from models_learning.workflow import Status

from .factories import fresh, proposed_family

pytestmark = pytest.mark.django_db


def test_a_family_goes_from_registration_to_recognition(
    criteria_sets, officer, province_staff, village
):
    registration = proposed_family(officer, village)
    assert registration.status == Status.PROPOSED
    services.approve_registration(registration, by=province_staff)
    registration = fresh(registration)
    assert registration.status == Status.RECOGNIZED
    assert registration.recognition.decision_number == "1/QĐ-HKH"
    assert registration.events.count() == 4
