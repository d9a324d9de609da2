"""How many self-assessment sheets (and unknown links) one address may send: a printed QR
code is public, so a script must not fill a commune's inbox. Counted in the cache, which the
portal can do without (lib.optional_cache: without it, no limit rather than no page)."""

from django.conf import settings

from lib import optional_cache
from lib.client import client_address


def limit():
    return getattr(settings, "CITIZENS_SELF_LIMIT", 20)


def window():
    return getattr(settings, "CITIZENS_SELF_WINDOW", 3600)


def _key(request):
    return f"citizen-self:{client_address(request)}"


def is_limited(request):
    key = _key(request)
    return (optional_cache.attempt(lambda cache: cache.get(key), default=0) or 0) >= limit()


def count(request):
    key = _key(request)

    def add(cache):
        cache.add(key, 0, timeout=window())
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window())

    optional_cache.attempt(add)
