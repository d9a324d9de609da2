"""Reads that may be a moment stale go to the PostgreSQL replica; everything else to the primary.

With REPLICA_DATABASE_URL set (README "Scaling out"), settings add the database alias
`replica` (a streaming replica of the primary) and this router. A read goes to the replica only
while `stale_reads_allowed()` is on, which khuyenhoc.middleware.ReplicaReadsMiddleware turns on
for the pages listed in REPLICA_READ_VIEWS (the public search, the public figures, the
reports), and never:

- for sessions, accounts, login throttling, jobs and the task queue (PRIMARY_ONLY_APPS): who
  is logged in and what a job is doing must be read where they were written;
- inside a transaction on the primary (a read that a write depends on);
- for a browser that wrote within REPLICA_PIN_SECONDS (the middleware's cookie): an approver
  who has just approved a file reads the primary, so the report never shows it unapproved
  because the replica is a moment behind;
- for REPLICA_PAUSE_SECONDS after the replica failed (the middleware then answers the page
  from the primary).

Writes always go to the primary; migrations run only there (the replica copies them).
"""

import contextvars
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# Apps whose rows are always read on the primary, whatever the page.
PRIMARY_ONLY_APPS = frozenset(
    {"sessions", "auth", "axes", "admin", "contenttypes", "jobs", "django_tasks_db"}
)

_stale_ok = contextvars.ContextVar("stale_reads_ok", default=False)
# time.monotonic() until which this process leaves a failed replica alone.
_paused_until = 0.0


@contextmanager
def stale_reads():
    """Within this block, reads of the domain's tables may go to the replica."""
    token = _stale_ok.set(True)
    try:
        yield
    finally:
        _stale_ok.reset(token)


def stale_reads_allowed():
    return _stale_ok.get() and stale_reads_allowed_now()


def stale_reads_allowed_now():
    """False for a while after the replica failed in this process."""
    return time.monotonic() >= _paused_until


def pause_replica(seconds):
    """The replica failed: read the primary for `seconds` in this process."""
    global _paused_until
    _paused_until = time.monotonic() + seconds
    if REPLICA in settings.DATABASES:
        connections[REPLICA].close()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            stale_reads_allowed()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
