"""The cache as an optimisation, never a point of failure.

Whatever the portal keeps in the cache (the certificate checks' count of failed look-ups) it
can do without: `attempt` runs one use of the cache and, when the cache errors or stalls past
its timeouts (CACHE_CONNECT_TIMEOUT, CACHE_SOCKET_TIMEOUT), logs a warning and returns the
caller's default instead of failing the page. After a failure this process leaves the cache
alone for PAUSE_SECONDS, so that a cache that is down costs one timeout per pause, not one
per request.
"""

import logging
import time

from django.core.cache import caches
from django.core.signals import setting_changed

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 15.0
# alias -> time.monotonic() until which that cache is left alone.
_paused_until = {}


def attempt(use, *, default=None, alias="default"):
    """`use(cache)`, or `default` when the cache failed now or within the last pause."""
    if time.monotonic() < _paused_until.get(alias, 0.0):
        return default
    try:
        return use(caches[alias])
    except Exception:  # any failure of an optional service: a refused port, a timeout, a reset
        _paused_until[alias] = time.monotonic() + PAUSE_SECONDS
        logger.warning(
            "The cache %r failed; going on without it for %.0f s.",
            alias,
            PAUSE_SECONDS,
            exc_info=True,
        )
        return default


def is_paused(alias="default"):
    return time.monotonic() < _paused_until.get(alias, 0.0)


def resume(alias=None):
    """Use the cache again at once (all of them without `alias`): after the settings change."""
    if alias is None:
        _paused_until.clear()
    else:
        _paused_until.pop(alias, None)


def _on_setting_changed(*, setting, **kwargs):
    if setting == "CACHES":
        resume()


setting_changed.connect(_on_setting_changed)
