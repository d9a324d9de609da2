"""Sessions with a shared cache (khuyenhoc/sessions.py): read from Redis without a query, always
written to the database, so that a lost or unreachable cache costs no one their session."""

import runpy
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyenhoc import sessions
from lib import optional_cache
from tests.faults.servers import free_port, local_redis, redis_cache

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 13  # the Redis database of the cache tests (tests/public/test_verify_cache.py)


@pytest.fixture
def redis_sessions(settings):
    """The portal's sessions on the Redis that runs here and in CI, under a prefix of their own."""
    client = local_redis(REDIS_DB)
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = redis_cache(6379, db=REDIS_DB, prefix=prefix)
    settings.SESSION_ENGINE = "khuyenhoc.sessions"
    optional_cache.resume()
    yield client, prefix
    for key in client.keys(f"{prefix}:*"):
        client.delete(key)
    client.close()
    optional_cache.resume()


def _session_reads(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, sum("django_session" in q["sql"] for q in captured)


def test_a_redis_cache_url_puts_the_sessions_in_the_cache_and_the_database(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/13")
    assert runpy.run_path(str(ROOT / "khuyenhoc" / "settings.py"))["SESSION_ENGINE"] == (
        "khuyenhoc.sessions"
    )
    monkeypatch.setenv("CACHE_URL", "")
    built = runpy.run_path(str(ROOT / "khuyenhoc" / "settings.py"))
    assert built.get("SESSION_ENGINE", django_settings.SESSION_ENGINE) == (
        "django.contrib.sessions.backends.db"
    )


@pytest.mark.django_db
def test_a_signed_in_page_reads_its_session_from_the_cache(client, province_staff, redis_sessions):
    redis, prefix = redis_sessions
    client.force_login(province_staff)
    url = reverse("units:account-list")
    response, reads = _session_reads(client, url)
    assert response.status_code == 200 and reads == 0
    assert Session.objects.filter(session_key=client.session.session_key).exists()
    (key,) = redis.keys(f"{prefix}:*")
    assert 0 < redis.ttl(key) <= sessions.CACHE_SECONDS
    # Sign-out removes both copies: the next page asks to sign in.
    client.post(reverse("logout"))
    assert not redis.keys(f"{prefix}:*") and not Session.objects.exists()
    assert client.get(url).status_code == 302


@pytest.mark.django_db
def test_a_session_the_cache_lost_is_read_from_the_database(client, province_staff, redis_sessions):
    redis, prefix = redis_sessions
    client.force_login(province_staff)
    for key in redis.keys(f"{prefix}:*"):
        redis.delete(key)
    url = reverse("units:account-list")
    response, reads = _session_reads(client, url)
    assert response.status_code == 200 and reads == 1
    # …and kept in the cache again for the next page.
    assert _session_reads(client, url)[1] == 0


@pytest.mark.django_db
def test_with_the_cache_unreachable_sessions_live_in_the_database(
    client, settings, province_staff, caplog
):
    settings.CACHES = redis_cache(free_port())  # nothing listens there
    settings.SESSION_ENGINE = "khuyenhoc.sessions"
    optional_cache.resume()
    try:
        with caplog.at_level("WARNING", logger="lib.optional_cache"):
            client.force_login(province_staff)
            url = reverse("units:account-list")
            assert client.get(url).status_code == 200
            assert client.get(url).status_code == 200
            client.post(reverse("logout"))
            assert client.get(url).status_code == 302
        assert "The cache 'default' failed" in caplog.text
        assert not Session.objects.exists()
    finally:
        optional_cache.resume()


@pytest.mark.django_db
def test_a_sign_out_while_this_process_left_the_cache_alone_deletes_the_copy_afterwards(
    client, province_staff, redis_sessions
):
    """One slow call pauses the cache in this process only; the other app servers still read
    the session's copy there, so the sign-out's delete is made once the pause is over."""
    redis, prefix = redis_sessions
    client.force_login(province_staff)
    url = reverse("units:account-list")
    assert client.get(url).status_code == 200
    assert redis.keys(f"{prefix}:*")
    optional_cache._paused_until["default"] = float("inf")  # a slow call just happened here
    client.post(reverse("logout"))
    assert redis.keys(f"{prefix}:*"), "the copy is still there: the cache was left alone"
    assert len(sessions._undeleted) == 1
    optional_cache.resume()
    assert client.get(url).status_code == 302
    # The next page this process serves with a session (anyone's) deletes the copy.
    other = Client()
    other.force_login(province_staff)
    assert other.get(url).status_code == 200
    assert not sessions._undeleted
    assert len(redis.keys(f"{prefix}:*")) == 1  # the other browser's session only
