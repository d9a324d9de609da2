"""Which reads may go to the replica (lib/replica.py, ReplicaReadsMiddleware).

The routing through a real PostgreSQL streaming replica, with replay paused to make the lag
certain, is tested by tests/topology/run.py (run by .ci/run)."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.urls import reverse

from jobs.models import Job
from lib import replica
from lib.replica import REPLICA, ReplicaRouter
from models_learning.models import Registration
from units.models import Unit

COOKIE = "khuyenhoc_primary"


@pytest.fixture
def router():
    return ReplicaRouter()


@pytest.fixture(autouse=True)
def _replica_not_paused(monkeypatch):
    monkeypatch.setattr(replica, "_paused_until", 0.0)


def test_reads_go_to_the_primary_unless_stale_reads_are_allowed(router):
    assert router.db_for_read(Registration) == "default"
    with replica.stale_reads():
        assert router.db_for_read(Registration) == REPLICA
        assert router.db_for_read(Unit) == REPLICA
    assert router.db_for_read(Registration) == "default"


def test_sessions_accounts_and_jobs_are_always_read_on_the_primary(router):
    with replica.stale_reads():
        for model in (Session, get_user_model(), Job):
            assert router.db_for_read(model) == "default", model


def test_writes_and_migrations_only_on_the_primary(router):
    with replica.stale_reads():
        assert router.db_for_write(Registration) == "default"
    assert router.allow_migrate("default", "models_learning")
    assert not router.allow_migrate(REPLICA, "models_learning")


@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_transaction_on_the_primary_stays_there(router):
    with replica.stale_reads(), transaction.atomic():
        assert router.db_for_read(Registration) == "default"


def test_after_the_replica_failed_reads_stay_on_the_primary_for_the_pause(router):
    replica.pause_replica(0.2)
    with replica.stale_reads():
        assert router.db_for_read(Registration) == "default"
        time.sleep(0.25)
        assert router.db_for_read(Registration) == REPLICA


@pytest.fixture
def with_replica(settings):
    settings.REPLICA_READS = True
    settings.REPLICA_PIN_SECONDS = 30


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/stats/", "/recognitions/?q=nguyen"],
)
def test_public_search_and_figures_may_read_the_replica(client, with_replica, tree, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.wsgi_request.reads_from_replica is True


@pytest.mark.django_db
def test_the_certificate_check_reads_the_primary(client, with_replica, tree):
    response = client.get("/verify/DB-2026-ZZZZZZ/")
    assert response.status_code == 404
    assert response.wsgi_request.reads_from_replica is False


@pytest.mark.django_db
def test_reports_may_read_the_replica_but_still_need_a_login(client, with_replica, province_staff):
    url = reverse("reports:yearly")
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous.wsgi_request.reads_from_replica is False
    client.force_login(province_staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response.wsgi_request.reads_from_replica is True
    dashboard = client.get(reverse("portal-home"))
    assert dashboard.wsgi_request.reads_from_replica is False


@pytest.mark.django_db
def test_after_a_write_the_browser_reads_the_primary_for_the_pin(
    client, with_replica, province_staff
):
    client.force_login(province_staff)
    # Any POST counts as a write (here the language switcher).
    written = client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    cookie = written.cookies[COOKIE]
    assert cookie["max-age"] == 30
    assert cookie["httponly"]
    assert int(cookie.value) > time.time() + 25
    report = client.get(reverse("reports:yearly"))
    assert report.status_code == 200
    assert report.wsgi_request.reads_from_replica is False
    assert client.get("/stats/").wsgi_request.reads_from_replica is False
    # Once the pin is over, stale reads again.
    client.cookies[COOKIE] = str(int(time.time()) - 1)
    assert client.get(reverse("reports:yearly")).wsgi_request.reads_from_replica is True
    # A forged cookie only ever sends reads to the primary; garbage is ignored.
    client.cookies[COOKIE] = "soon"
    assert client.get("/stats/").wsgi_request.reads_from_replica is True


@pytest.mark.django_db
def test_without_a_replica_nothing_changes(client, settings, province_staff):
    settings.REPLICA_READS = False
    client.force_login(province_staff)
    written = client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert COOKIE not in written.cookies
    assert client.get("/stats/").wsgi_request.reads_from_replica is False
