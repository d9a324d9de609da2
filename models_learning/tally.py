"""Registrations counted ahead (models.RegistrationTally), kept by the database itself.

Why: a national year is ten million registrations, and the yearly report, the dashboard and
the inbox count them per commune, title and step. Counted live, the country's report read the
whole year on every view (7–45 s at 10M, README "A national year"); counted ahead, it adds up
a few rows per commune.

How, and why this way:

- **Triggers, not signals.** Files are written by the services one at a time, but also by
  imports (`bulk_create`), `QuerySet.update`, the admin and COPY. Only the database sees every
  one, so triggers on the registrations table write the tally, in the writer's transaction:
  a file and its count commit or roll back together. PostgreSQL: one statement-level trigger
  per operation, reading the statement's transition tables (a 10,000-row import adds one row
  per commune, title and step it touched, not 10,000); SQLite: row triggers.
- **Deltas, not counters.** A trigger *adds* a row (+n or -n) instead of updating a shared
  counter, so two officers registering in one commune at once never wait on each other's
  counter row, and no two transactions can deadlock on counters taken in another order.
  A key's count is the sum of its rows, which every reader takes anyway (GROUP BY).
- **Merged in the background.** `merge()` folds the deltas of each key into one row (the
  `tally_registrations` command: a systemd timer or cron every few minutes, README). Readers
  are exact whether it ran or not; it only keeps the table small.
- **Checked and rebuilt.** `check()` compares the tally with a live GROUP BY; `rebuild()`
  recomputes it (after a load that skipped triggers, such as `generate_bench_data` or a
  restore with `session_replication_role = replica`). `ensure()`, run after every `migrate`,
  puts the triggers back if a schema change dropped them (SQLite rebuilds a table to alter
  it, and its triggers go with the old table) and rebuilds the tally then.
"""

from django.db import connections, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce

from .models import Registration, RegistrationTally

REGISTRATIONS = Registration._meta.db_table
TALLY = RegistrationTally._meta.db_table
# The key of a tally row: the registration's columns the readers group or filter by.
KEY = ("year", "unit_id", "kind", "status", "is_returned", "awaiting_unit_id")
# The triggers' names carry the version of their SQL: a change to it (a column added to KEY)
# takes a new version, which `ensure` finds missing and installs in place of the old ones.
VERSION = "v1"
PREFIX = "ml_tally_"
INSERTED, UPDATED, DELETED, TRUNCATED = (
    f"{PREFIX}{VERSION}_{event}" for event in ("inserted", "updated", "deleted", "truncated")
)
TRIGGERS = {
    # TRUNCATE fires no row or statement trigger of its own kind: PostgreSQL has one for it.
    "postgresql": (INSERTED, UPDATED, DELETED, TRUNCATED),
    "sqlite": (INSERTED, UPDATED, DELETED),
}
# pg_advisory_xact_lock key: one merge or rebuild at a time (any number of writers).
LOCK_KEY = 715_112_001


def files_sum(condition=None):
    """The readers' aggregate over tally rows: the files of the rows that meet `condition`
    (a Q on the key's columns), 0 over no row."""
    return Coalesce(Sum("files", filter=condition), 0)


_COLUMNS = ", ".join(KEY)
_INSERT = f"INSERT INTO {TALLY} ({_COLUMNS}, files, merged)"


def _prefixed(alias):
    return ", ".join(f"{alias}.{column}" for column in KEY)


# --- PostgreSQL ----------------------------------------------------------------------------

_CHANGED = f"({_prefixed('o')}) IS DISTINCT FROM ({_prefixed('n')})"

_POSTGRES_FUNCTIONS = {
    INSERTED: f"""
        {_INSERT}
        SELECT {_COLUMNS}, count(*), false FROM new_rows GROUP BY {_COLUMNS}""",
    DELETED: f"""
        {_INSERT}
        SELECT {_COLUMNS}, -count(*), false FROM old_rows GROUP BY {_COLUMNS}""",
    # Only the files whose key changed: saving scores or a name adds nothing.
    UPDATED: f"""
        {_INSERT}
        SELECT {_COLUMNS}, sum(files), false FROM (
            SELECT {_prefixed("o")}, -1 AS files
            FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {_CHANGED}
            UNION ALL
            SELECT {_prefixed("n")}, 1
            FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {_CHANGED}
        ) AS moved
        GROUP BY {_COLUMNS} HAVING sum(files) <> 0""",
    TRUNCATED: f"""
        DELETE FROM {TALLY}""",
}
_POSTGRES_TRIGGERS = {
    INSERTED: "AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows",
    UPDATED: "AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    DELETED: "AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows",
    TRUNCATED: "AFTER TRUNCATE ON {table}",
}


def _postgres_install(cursor):
    for name, body in _POSTGRES_FUNCTIONS.items():
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN{body};\n    RETURN NULL;\nEND $$"
        )
        event = _POSTGRES_TRIGGERS[name].format(table=REGISTRATIONS)
        cursor.execute(
            f"CREATE TRIGGER {name} {event} FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )


_POSTGRES_MERGE = f"""
    WITH keys AS (
        SELECT DISTINCT {_COLUMNS} FROM {TALLY} WHERE NOT merged
    ), moved AS (
        DELETE FROM {TALLY} t USING keys k
        WHERE t.year = k.year AND t.unit_id = k.unit_id AND t.kind = k.kind
          AND t.status = k.status AND t.is_returned = k.is_returned
          AND t.awaiting_unit_id IS NOT DISTINCT FROM k.awaiting_unit_id
        RETURNING {_prefixed("t")}, t.files
    )
    {_INSERT}
    SELECT {_COLUMNS}, sum(files), true FROM moved
    GROUP BY {_COLUMNS} HAVING sum(files) <> 0"""


# --- SQLite --------------------------------------------------------------------------------

_SQLITE_KEY_CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in KEY)
_SQLITE_TRIGGERS = {
    INSERTED: f"""AFTER INSERT ON {REGISTRATIONS} BEGIN
        {_INSERT} VALUES ({_prefixed("NEW")}, 1, 0); END""",
    UPDATED: f"""AFTER UPDATE ON {REGISTRATIONS} WHEN {_SQLITE_KEY_CHANGED} BEGIN
        {_INSERT} VALUES ({_prefixed("OLD")}, -1, 0);
        {_INSERT} VALUES ({_prefixed("NEW")}, 1, 0); END""",
    # An empty tally while a file is deleted means the tally itself was emptied first: Django's
    # `flush` on SQLite (tests) deletes every table in no set order, and a delta written then
    # would outlive its table's flush and point at deleted units. (A tally holding files
    # is never empty: its rows add up to the number of registrations.)
    DELETED: f"""AFTER DELETE ON {REGISTRATIONS}
        WHEN EXISTS (SELECT 1 FROM {TALLY}) BEGIN
        {_INSERT} VALUES ({_prefixed("OLD")}, -1, 0); END""",
}


def _sqlite_install(cursor):
    for name, body in _SQLITE_TRIGGERS.items():
        cursor.execute(f"CREATE TRIGGER {name} {body}")


# The keys with deltas up to `last`, matched null-safely (`IS`).
_SQLITE_TO_MERGE = f"""
    t.id <= %s AND EXISTS (
        SELECT 1 FROM {TALLY} d WHERE d.merged = 0 AND d.id <= %s
        AND {" AND ".join(f"d.{c} IS t.{c}" for c in KEY)})"""


def _sqlite_merge(cursor):
    # Settings open SQLite transactions IMMEDIATE: no other writer until this one commits,
    # so the rows up to `last` stay exactly those read.
    cursor.execute(f"SELECT max(id) FROM {TALLY}")
    last = cursor.fetchone()[0]
    if last is None:
        return
    cursor.execute(
        f"""{_INSERT} SELECT {_prefixed("t")}, sum(t.files), 1 FROM {TALLY} t
        WHERE {_SQLITE_TO_MERGE} GROUP BY {_prefixed("t")} HAVING sum(t.files) <> 0""",
        [last, last],
    )
    cursor.execute(f"DELETE FROM {TALLY} AS t WHERE {_SQLITE_TO_MERGE}", [last, last])


# --- both ----------------------------------------------------------------------------------


def _present(cursor, vendor):
    """{name: enabled} of the tally's triggers on the registrations table, of any version."""
    if vendor == "postgresql":
        cursor.execute(
            "SELECT tgname, tgenabled <> 'D' FROM pg_trigger "
            "WHERE tgrelid = %s::regclass AND tgname LIKE %s",
            [REGISTRATIONS, PREFIX + "%"],
        )
    else:
        cursor.execute(
            "SELECT name, 1 FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
            "AND name LIKE %s",
            [REGISTRATIONS, PREFIX + "%"],
        )
    return dict(cursor.fetchall())


def _installed(cursor, vendor):
    """Exactly this version's triggers, each enabled (ALTER TABLE … DISABLE TRIGGER counts as
    missing)."""
    present = _present(cursor, vendor)
    return set(present) == set(TRIGGERS[vendor]) and all(present.values())


def _drop_all(cursor, vendor):
    """Drop the tally's triggers of every version (and PostgreSQL's functions)."""
    for name in _present(cursor, vendor):
        if vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {REGISTRATIONS}")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    if vendor == "postgresql":
        cursor.execute(
            "SELECT proname FROM pg_proc WHERE proname LIKE %s AND prorettype = 'trigger'::regtype",
            [PREFIX + "%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")


def _lock(cursor, vendor, writers=False):
    """One merge or rebuild at a time; with `writers`, registrations' writers wait too (their
    triggers would write deltas the rebuild is about to replace). SQLite: the IMMEDIATE
    transaction already excludes every other writer."""
    if vendor != "postgresql":
        return
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    if writers:
        # SHARE: readers go on; writers (ROW EXCLUSIVE) wait until this transaction ends.
        cursor.execute(f"LOCK TABLE {REGISTRATIONS} IN SHARE MODE")


def _refill(cursor, vendor):
    merged = "true" if vendor == "postgresql" else "1"
    cursor.execute(f"DELETE FROM {TALLY}")
    cursor.execute(
        f"{_INSERT} SELECT {_COLUMNS}, count(*), {merged} FROM {REGISTRATIONS} GROUP BY {_COLUMNS}"
    )


def uninstall(using="default"):
    """Drop the triggers (and PostgreSQL's functions): the tally stops following."""
    connection = connections[using]
    with connection.cursor() as cursor:
        _drop_all(cursor, connection.vendor)


def install(using="default"):
    """Create (or replace) the triggers and recount the tally from the registrations."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        _lock(cursor, connection.vendor, writers=True)
        _drop_all(cursor, connection.vendor)
        if connection.vendor == "postgresql":
            _postgres_install(cursor)
        else:
            _sqlite_install(cursor)
        _refill(cursor, connection.vendor)


def ensure(using="default"):
    """Install the triggers if any is missing (and recount then). True when it had to."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if _installed(cursor, connection.vendor):
            return False
    install(using)
    return True


def rebuild(using="default"):
    """Recount the tally from the registrations (writers wait meanwhile)."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        _lock(cursor, connection.vendor, writers=True)
        _refill(cursor, connection.vendor)


def merge(using="default"):
    """Fold each key's deltas into one row. Returns the rows the table had and has."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        _lock(cursor, connection.vendor)
        cursor.execute(f"SELECT count(*) FROM {TALLY}")
        before = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_MERGE)
        else:
            _sqlite_merge(cursor)
        cursor.execute(f"SELECT count(*) FROM {TALLY}")
        return before, cursor.fetchone()[0]


def differences(using="default"):
    """[(key, counted live, tallied)] of every key where the tally is wrong: empty when right."""
    connection = connections[using]
    # Both counts from one moment: a write committed between them is no difference.
    # PostgreSQL: one REPEATABLE READ snapshot (unless called inside a transaction already);
    # SQLite: the IMMEDIATE transaction holds the writers off.
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if snapshot:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute(f"SELECT {_COLUMNS}, count(*) FROM {REGISTRATIONS} GROUP BY {_COLUMNS}")
        live = {tuple(row[:-1]): row[-1] for row in cursor.fetchall()}
        cursor.execute(f"SELECT {_COLUMNS}, sum(files) FROM {TALLY} GROUP BY {_COLUMNS}")
        tallied = {tuple(row[:-1]): row[-1] for row in cursor.fetchall()}
    keys = sorted(set(live) | set(tallied), key=repr)
    # SQLite returns booleans as 0/1 on both sides; PostgreSQL as booleans on both.
    return [
        (key, live.get(key, 0), tallied.get(key, 0))
        for key in keys
        if live.get(key, 0) != (tallied.get(key) or 0)
    ]
