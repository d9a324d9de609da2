"""Recognitions: decision numbers per issuing unit and year, certificate codes, validity,
editing before issue, revocation, bulk approval."""

import datetime
import re

import pytest

from lib.dates import local_today
from lib.errors import DomainError
from models_learning import services
from models_learning.models import Recognition, Registration
from models_learning.services.recognitions import CODE_ALPHABET, validity
from models_learning.workflow import Action, Status

from .factories import fresh, in_status, proposed_family, recognised_family

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def recognised(criteria_sets, officer, province_staff, village):
    return recognised_family(officer, province_staff, village)


def test_the_final_approval_creates_a_numbered_decision_and_a_certificate_code(recognised, tree):
    recognition = recognised.recognition
    assert recognition.decision_number == "1/QĐ-HKH"
    assert recognition.issuing_unit == tree["province"]
    assert re.fullmatch(rf"DB-2026-[{CODE_ALPHABET}]{{6}}", recognition.certificate_code)
    assert not set("01OIL") & set(recognition.certificate_code[8:])
    assert recognition.valid_from == recognition.decision_date
    event = recognised.events.get(action=Action.RECOGNIZE)
    assert event.data == {
        "decision_number": "1/QĐ-HKH",
        "certificate_code": recognition.certificate_code,
    }


def test_decision_numbers_count_per_issuing_unit_and_year(
    criteria_sets, officer, province_staff, village
):
    numbers = []
    for day in (datetime.date(2026, 3, 1), datetime.date(2026, 4, 1), datetime.date(2025, 12, 1)):
        registration = proposed_family(officer, village, year=day.year)
        services.approve_registration(registration, by=province_staff, decision_date=day)
        numbers.append(fresh(registration).recognition.decision_number)
    assert numbers == ["1/QĐ-HKH", "2/QĐ-HKH", "1/QĐ-HKH"]


def test_certificate_codes_are_unique(criteria_sets, officer, province_staff, village):
    for _i in range(5):
        recognised_family(officer, province_staff, village)
    codes = list(Recognition.objects.values_list("certificate_code", flat=True))
    assert len(set(codes)) == 5


def test_validity_runs_the_sets_years_from_the_decision():
    assert validity(datetime.date(2026, 3, 10), 1) == (
        datetime.date(2026, 3, 10),
        datetime.date(2027, 3, 9),
    )
    assert validity(datetime.date(2024, 2, 29), 3)[1] == datetime.date(2027, 2, 27)


def test_the_decision_is_edited_until_it_is_issued(recognised, province_staff, officer):
    day = datetime.date(2026, 5, 2)
    services.update_decision(
        recognised, by=province_staff, decision_number=" 15/QĐ-HKH ", decision_date=day
    )
    recognition = Recognition.objects.get(registration=recognised)
    assert (recognition.decision_number, recognition.decision_date) == ("15/QĐ-HKH", day)
    assert recognition.valid_to == datetime.date(2027, 5, 1)
    assert recognised.events.last().action == Action.EDIT_DECISION

    with pytest.raises(DomainError):
        services.update_decision(recognition, by=officer, decision_number="1/QĐ", decision_date=day)
    with pytest.raises(DomainError) as error:
        services.update_decision(
            recognition, by=province_staff, decision_number="", decision_date=day
        )
    assert error.value.field == "decision_number"
    with pytest.raises(DomainError, match="future"):
        services.update_decision(
            recognition,
            by=province_staff,
            decision_number="16/QĐ-HKH",
            decision_date=local_today() + datetime.timedelta(days=30),
        )

    services.issue_decision(recognition, by=province_staff)
    with pytest.raises(DomainError, match="issued"):
        services.update_decision(
            recognition, by=province_staff, decision_number="17/QĐ-HKH", decision_date=day
        )
    assert Recognition.objects.get(pk=recognition.pk).decision_number == "15/QĐ-HKH"


def test_revoking_keeps_the_recognition_and_says_why(recognised, province_staff):
    recognition = services.revoke_recognition(
        recognised.recognition, by=province_staff, reason="Kê khai sai"
    )
    assert recognition.is_revoked
    assert recognition.revoke_reason == "Kê khai sai"
    assert not recognition.is_valid_on(recognition.valid_from)
    registration = fresh(recognised)
    assert registration.status == Status.REVOKED
    event = registration.events.last()
    assert (event.action, event.reason) == (Action.REVOKE, "Kê khai sai")
    with pytest.raises(DomainError):
        services.revoke_recognition(recognition, by=province_staff, reason="Lần nữa")


def test_bulk_approve_checks_and_logs_each_item(
    criteria_sets, officer, province_staff, village, sibling_officer, sibling_village
):
    ready = [proposed_family(officer, village) for _i in range(3)]
    not_ready = in_status(Status.SCORED, officer=officer, approver=province_staff, village=village)
    other = proposed_family(sibling_officer, sibling_village)
    ids = [r.pk for r in ready] + [not_ready.pk, 999_999, "abc"]

    results = services.bulk_approve(ids, by=province_staff, one_decision=True)

    assert [(r.source_id, r.ok) for r in results] == [
        (ready[0].pk, True),
        (ready[1].pk, True),
        (ready[2].pk, True),
        (not_ready.pk, False),
        (999_999, False),
    ]
    assert "not waiting" in results[3].message
    assert "not found" in results[4].message
    numbers = {fresh(r).recognition.decision_number for r in ready}
    assert numbers == {"1/QĐ-HKH"}
    assert Registration.objects.get(pk=other.pk).status == Status.PROPOSED


def test_bulk_approve_by_an_officer_approves_nothing(
    criteria_sets, officer, province_staff, village
):
    ready = proposed_family(officer, village)
    results = services.bulk_approve([ready.pk], by=officer)
    assert [r.ok for r in results] == [False]
    assert fresh(ready).status == Status.PROPOSED
