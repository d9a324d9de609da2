"""The certificate checks and their cache: Redis from CACHE_URL works end to end; a cache that
is down or stalls costs the check its rate limit (with a warning), never the page."""

import re
import runpy
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from lib import optional_cache
from tests.faults import servers
from tests.faults.servers import free_port, redis_cache, stalling_server

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# A Redis database of these tests' own at 127.0.0.1:6379 (its keys carry a prefix of the run).
REDIS_DB = 13


def verify_url(code):
    return reverse("models_learning-public:verify", args=[code])


def detail_url(code):
    return reverse("models_learning-public:recognition-detail", args=[code])


@pytest.fixture(autouse=True)
def _cache_in_use(_clean_cache, settings):
    """The working cache is back before the package's fixture clears it."""
    working = settings.CACHES
    optional_cache.resume()
    yield
    settings.CACHES = working
    optional_cache.resume()


@pytest.fixture
def local_redis():
    """A client of the Redis that runs here and in CI; the test fails in CI without it."""
    client = servers.local_redis(REDIS_DB)
    yield client
    client.close()


def test_the_redis_client_is_pinned_in_the_requirements():
    import redis

    pins = dict(
        re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", (ROOT / "requirements.txt").read_text(), re.M)
    )
    assert pins.get("redis") == redis.__version__


def test_settings_built_from_a_redis_cache_url_work_end_to_end(
    monkeypatch, settings, client, states, local_redis
):
    monkeypatch.setenv("CACHE_URL", f"redis://127.0.0.1:6379/{REDIS_DB}")
    built = runpy.run_path(str(ROOT / "khuyenhoc" / "settings.py"))["CACHES"]["default"]
    assert built["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert built["OPTIONS"] == {
        "socket_connect_timeout": django_settings.CACHE_CONNECT_TIMEOUT,
        "socket_timeout": django_settings.CACHE_SOCKET_TIMEOUT,
    }
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {**built, "KEY_PREFIX": prefix}}
    settings.VERIFY_FAILURE_LIMIT = 3
    try:
        valid = states["valid"].certificate_code
        assert client.get(verify_url(valid)).status_code == 200
        assert [client.get(verify_url(f"DB-2026-ZZZZZ{i}")).status_code for i in range(3)] == [
            404
        ] * 3
        # The counter is in Redis, where another app server would read it.
        keys = local_redis.keys(f"{prefix}:*")
        assert len(keys) == 1 and b"public-code-failures" in keys[0]
        assert int(local_redis.get(keys[0])) == 3
        assert 0 < local_redis.ttl(keys[0]) <= 600
        assert client.get(detail_url(valid)).status_code == 429
    finally:
        for key in local_redis.keys(f"{prefix}:*"):
            local_redis.delete(key)


def test_with_the_cache_port_closed_the_checks_answer_without_the_limit(
    settings, client, states, caplog
):
    settings.CACHES = redis_cache(free_port())
    settings.VERIFY_FAILURE_LIMIT = 1
    valid = states["valid"].certificate_code
    with caplog.at_level("WARNING", logger="lib.optional_cache"):
        assert client.get(verify_url(valid)).status_code == 200
        assert client.get(detail_url(valid)).status_code == 200
        assert client.get(verify_url("DB-2026-ZZZZZ1")).status_code == 404
        assert client.get(verify_url("DB-2026-ZZZZZ2")).status_code == 404  # no 429: fails open
    assert "The cache 'default' failed" in caplog.text


def test_with_a_cache_that_accepts_and_never_answers_the_checks_answer_in_time(
    settings, client, states, caplog
):
    valid = states["valid"].certificate_code
    with stalling_server() as port, caplog.at_level("WARNING", logger="lib.optional_cache"):
        settings.CACHES = redis_cache(port)
        started = time.monotonic()
        first = client.get(verify_url(valid))
        first_took = time.monotonic() - started
        started = time.monotonic()
        unknown = client.get(verify_url("DB-2026-ZZZZZ1"))
        second = client.get(detail_url(valid))
        next_took = time.monotonic() - started
    assert (first.status_code, unknown.status_code, second.status_code) == (200, 404, 200)
    # One read timeout (0.5 s), then the cache is left alone: the next pages do not wait.
    assert first_took < 2.0
    assert next_took < 0.5
    assert "Timeout" in caplog.text


def test_the_limit_applies_again_once_the_cache_answers(settings, client, states):
    settings.CACHES = redis_cache(free_port())
    assert client.get(verify_url("DB-2026-ZZZZZ1")).status_code == 404
    settings.VERIFY_FAILURE_LIMIT = 1
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert client.get(verify_url("DB-2026-ZZZZZ2")).status_code == 404
    assert client.get(verify_url(states["valid"].certificate_code)).status_code == 429
