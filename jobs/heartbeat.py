"""Signs of life written by a thread of their own while the main thread works.

A running job and a worker each record when they were last seen (Job.heartbeat_at,
WorkerBeat.seen_at). The main thread may be busy for minutes in one import, so a `Beat`
thread writes them every JOB_HEARTBEAT_INTERVAL seconds. A beat that fails (the database is
restarting; on SQLite, the job's own import holds the write lock) is skipped, not fatal: the
next one tries again on a fresh connection.
"""

import logging
import threading

from django.db import Error, connections

logger = logging.getLogger(__name__)


class Beat:
    """Call `touch()` every `interval` seconds in a daemon thread, from start() to stop()."""

    def __init__(self, touch, interval, *, name):
        self.touch = touch
        self.interval = interval
        self.name = name
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()
        # A beat waiting for a lock is not waited for: it is a daemon and finds `_stopping` set.
        self._thread.join(timeout=1)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def _run(self):
        try:
            while not self._stopping.wait(self.interval):
                try:
                    self.touch()
                except Error:
                    logger.warning("%s: a sign of life was not written", self.name, exc_info=True)
                    close_connections()
        finally:
            close_connections()


def close_connections():
    """Close this thread's connections (they are its own), even broken ones."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Error:
            logger.debug("closing a broken connection failed", exc_info=True)
