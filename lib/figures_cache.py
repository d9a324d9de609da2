"""Public figures kept in the cache, keyed by what they show and dropped when it changes.

Strategy: invalidation by version, with a TTL as a backstop. Every entry's key holds two
version counters read from the cache: one per year ("v:<year>") and one for everything
("v:all"). A change to a registration (a new file, a step of the cycle, a recognition, a
revocation) bumps its year's counter and the "all" one once its transaction commits
(`bump`), so the next reader computes afresh; the old entries simply expire. Writes that
send no signal (a queryset's update(), bulk_create in a set-based import) are caught by the
TTL: figures are at most TTL seconds old after one. Everything goes through
lib.optional_cache: with the cache down, the figures are computed as before (fails open).

Several app servers need a shared cache (CACHE_URL on Redis); with each process's memory
(the default) another process sees a bump only after the TTL.

`cached(..., local=True)` also keeps the value in this process's memory under the same key
(the versions included), so that a page read on every request (the public search's unit
list, its rendered options) does not unpickle it each time; a bump changes the key, the TTL
still applies. A counter that is missing (a cache just started or cleared) starts at a
random value rather than 0, so that a process-local copy made under an earlier counter is
never mistaken for a fresh one.
"""

import secrets
import time

from django.db import transaction

from . import replica
from .optional_cache import attempt

TTL = 600
# Figures computed from the replica may be a moment behind a bump that was just committed on
# the primary: kept briefly, so that a lagging replica's figures are not shared for TTL.
REPLICA_TTL = 30
PREFIX = "public-figures"
ALL = "all"
_MISSING = object()
# key -> (expiry, value): the process-local copies (`local=True`), a few dozen at most.
_LOCAL = {}
LOCAL_MAX = 256


def _fresh_version():
    return secrets.randbelow(2**48) + 1


def _version_keys(year):
    return [f"{PREFIX}:v:{ALL}"] + ([f"{PREFIX}:v:{year}"] if year is not None else [])


def _versions(cache, keys):
    versions = cache.get_many(keys)
    missing = [key for key in keys if key not in versions]
    if missing:
        for key in missing:
            cache.add(key, _fresh_version(), None)
        versions = cache.get_many(keys)
    return ".".join(str(versions.get(key, 0)) for key in keys)


def cached(name, parts, compute, *, year=None, local=False):
    """`compute()`, kept under (name, parts, the versions of `year` and of everything).
    `parts` must name everything the value depends on, `year` included: the versions only
    tell a fresh value from an old one. `local`: also kept in this process's memory (see
    above; only for a few values read on every request)."""

    def key_of(cache):
        stamp = _versions(cache, _version_keys(year))
        return ":".join([PREFIX, name, stamp, *map(str, parts)])

    def read(cache):
        key = key_of(cache)
        if local:
            kept = _LOCAL.get(key)
            if kept is not None and kept[0] > time.monotonic():
                return key, kept[1], True
        return key, cache.get(key, _MISSING), False

    found = attempt(read)
    ttl = REPLICA_TTL if replica.stale_reads_allowed() else TTL
    if found is not None and found[1] is not _MISSING:
        if local and not found[2]:
            _keep_locally(found[0], found[1], ttl)
        return found[1]
    value = compute()
    if found is not None:
        attempt(lambda cache: cache.set(found[0], value, ttl))
        if local:
            _keep_locally(found[0], value, ttl)
    return value


def _keep_locally(key, value, ttl):
    if len(_LOCAL) >= LOCAL_MAX:
        _LOCAL.clear()
    _LOCAL[key] = (time.monotonic() + ttl, value)


class _Bump:
    """The commit callback of one year: queued once per transaction, however many rows of
    that year the transaction writes (an import of 10,000 rows bumps once)."""

    def __init__(self, year):
        self.year = year

    def __call__(self):
        attempt(self.increase)

    def increase(self, cache):
        for key in _version_keys(self.year):
            if not cache.add(key, _fresh_version(), None):
                cache.incr(key)


def bump(year=None):
    """Drop the figures of `year` (and everything's), once the current transaction commits."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(func, _Bump) and func.year == year
        for _sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_Bump(year))


def bump_on_change(model, year_of=lambda instance: None):
    """Bump the figures whenever a row of `model` is saved or deleted (`year_of(row)`: the
    year it counts in, None for everything)."""
    from django.db.models.signals import post_delete, post_save

    def changed(sender, instance, **kwargs):
        bump(year_of(instance))

    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"figures-{model.__name__}")
    post_delete.connect(
        changed, sender=model, weak=False, dispatch_uid=f"figures-del-{model.__name__}"
    )
