"""Two writers at once on PostgreSQL, in a fixed order: the second checks while the first's
row is written but not committed, so its check finds nothing and only the database's own
constraint can stop it."""

import threading
import time

from django.db import connection, transaction

from lib.errors import DomainError


def _someone_waits_on_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def second_writer_outcome(first, second):
    """Run `first()` in a transaction of another connection; once it has written, run
    `second()` here; commit the first only when the second waits on its row. Returns what the
    second got: ("ok", result) or ("refused", message)."""
    written, failure = threading.Event(), []

    def hold():
        try:
            with transaction.atomic():
                first()
                written.set()
                deadline = time.monotonic() + 20
                while not _someone_waits_on_a_lock() and time.monotonic() < deadline:
                    time.sleep(0.05)
        except Exception as error:  # reported to the test below
            failure.append(error)
            written.set()
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert written.wait(20)
    try:
        outcome = ("ok", second())
    except DomainError as error:
        outcome = ("refused", error.message)
    thread.join(30)
    assert not failure, failure
    return outcome
