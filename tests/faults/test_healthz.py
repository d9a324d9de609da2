"""/healthz for the load balancer and monitoring: JSON {status, database, cache, worker,
stuck_jobs}; 200 while the database answers ("degraded" when the cache, the worker or a job
is not well), 503 when it does not."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import Job, JobStatus, WorkerBeat
from lib import optional_cache
from tests.faults.servers import database_unreachable, free_port, redis_cache, stalling_server

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.JOB_STALE_AFTER = 60
    optional_cache.resume()
    yield
    optional_cache.resume()


def worker_seen(seconds_ago):
    now = timezone.now()
    return WorkerBeat.objects.create(
        worker_id=f"w{seconds_ago}",
        host="app-1",
        pid=1234,
        started_at=now - timedelta(hours=1),
        seen_at=now - timedelta(seconds=seconds_ago),
    )


@pytest.mark.django_db
def test_all_well_is_ok_with_the_age_of_the_newest_worker(client):
    worker_seen(300)
    worker_seen(4)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "database", "cache", "worker", "stuck_jobs"}
    assert (body["status"], body["database"], body["cache"], body["stuck_jobs"]) == (
        "ok",
        "ok",
        "ok",
        0,
    )
    assert 4 <= body["worker"] < 10
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_without_a_live_worker_it_is_degraded_but_still_200(client, settings):
    body = client.get("/healthz").json()
    assert (body["status"], body["worker"]) == ("degraded", None)
    worker_seen(61)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded" and response.json()["worker"] >= 61
    # Jobs run inside the requests: no worker is needed.
    settings.TASKS = IMMEDIATE
    assert client.get("/healthz").json()["status"] == "ok"


@pytest.mark.django_db
def test_a_job_silent_past_the_limit_is_counted_stuck(client, officer):
    worker_seen(1)
    Job.objects.create(
        kind="imports-apply",
        title="Nhập tệp",
        requested_by=officer,
        status=JobStatus.RUNNING,
        heartbeat_at=timezone.now() - timedelta(seconds=61),
    )
    Job.objects.create(
        kind="imports-apply",
        title="Nhập tệp",
        requested_by=officer,
        status=JobStatus.RUNNING,
        heartbeat_at=timezone.now(),
    )
    response = client.get("/healthz")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["stuck_jobs"]) == ("degraded", 1)


@pytest.mark.django_db
def test_a_cache_that_is_down_or_stalls_is_degraded_and_answers_in_time(client, settings):
    worker_seen(1)
    settings.CACHES = redis_cache(free_port())
    response = client.get("/healthz")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cache"]) == ("degraded", "error")
    with stalling_server() as port:
        settings.CACHES = redis_cache(port)
        started = time.monotonic()
        response = client.get("/healthz")
        took = time.monotonic() - started
    assert response.status_code == 200
    assert (response.json()["database"], response.json()["cache"]) == ("ok", "error")
    assert took < 1.5


@pytest.mark.django_db(transaction=True)
def test_without_the_database_it_answers_503(client):
    with database_unreachable():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "error",
        "cache": "ok",
        "worker": None,
        "stuck_jobs": None,
    }
