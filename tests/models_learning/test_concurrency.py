"""Two people acting on one file at the same moment: the row lock lets exactly one win."""

import threading

import pytest
from django.db import connection

from lib.errors import DomainError
from models_learning import services
from models_learning.models import Recognition
from models_learning.workflow import Action, Status

from .factories import fresh, proposed_family

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def _at_once(count, work):
    barrier = threading.Barrier(count)
    outcomes = []

    def run():
        try:
            barrier.wait()
            outcomes.append(("ok", work()))
        except DomainError as error:
            outcomes.append(("refused", error.message))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(kind for kind, _value in outcomes)


def test_two_approvers_approving_the_same_proposal_at_once_exactly_one_wins(
    criteria_sets, officer, province_staff, village
):
    registration = proposed_family(officer, village)
    outcomes = _at_once(2, lambda: services.approve_registration(registration, by=province_staff))
    assert outcomes == ["ok", "refused"]
    assert fresh(registration).status == Status.RECOGNIZED
    assert Recognition.objects.filter(registration=registration).count() == 1
    assert registration.events.filter(action=Action.RECOGNIZE).count() == 1


def test_approving_and_returning_at_once_cannot_both_happen(
    criteria_sets, officer, province_staff, village
):
    registration = proposed_family(officer, village)
    calls = iter(
        [
            lambda: services.approve_registration(registration, by=province_staff),
            lambda: services.return_registration(registration, by=province_staff, reason="x"),
        ]
    )
    lock = threading.Lock()

    def work():
        with lock:
            call = next(calls)
        return call()

    assert _at_once(2, work) == ["ok", "refused"]
    assert registration.events.filter(action__in=[Action.RECOGNIZE, Action.RETURN]).count() == 1


def test_the_search_column_has_a_trigram_index(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ml_registration_search_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition


def test_the_approver_who_loses_the_race_sees_the_file_as_it_is_now(
    client, criteria_sets, officer, province_staff, village
):
    """The loser's page said "already recognised" beside a badge still reading "Đã đề nghị":
    it showed the file as read before the service's lock."""
    from django.urls import reverse

    from tests.races import second_writer_outcome

    registration = proposed_family(officer, village)
    client.force_login(province_staff)
    url = reverse("models_learning:registration-approve", args=[registration.pk])
    kind, response = second_writer_outcome(
        lambda: services.approve_registration(registration, by=province_staff),
        lambda: client.post(url, {"note": ""}),
    )
    assert kind == "ok" and response.status_code == 200
    badge = response.text.split('data-testid="status"', 1)[1].split("</span>", 1)[0]
    assert "Được công nhận" in badge and "Đã đề nghị" not in badge
    assert 'data-testid="problem"' in response.text
    assert fresh(registration).status == Status.RECOGNIZED
    assert registration.events.filter(action=Action.RECOGNIZE).count() == 1
