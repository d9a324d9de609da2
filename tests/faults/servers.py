"""Real network peers for the fault tests: a port where nothing listens, and a server that
accepts connections and never answers (a cache or database that stalls)."""

import contextlib
import socket
import tempfile
import threading
from pathlib import Path


def free_port():
    """A loopback port nothing listens on (bound, then closed: free for the test to use)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def stalling_server():
    """A TCP server on loopback that accepts every connection and never says a word; yields
    its port. The connections it holds are closed when the block ends."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.2)
    held = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _address = server.accept()
            except OSError:  # the timeout, to look at `stop` again
                continue
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        for connection in held:
            connection.close()
        server.close()


def local_redis(db):
    """A client of database `db` of the Redis that runs here and in CI (127.0.0.1:6379); the
    test is skipped without it, and fails without it in CI."""
    import os

    import pytest
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=db, socket_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis at 127.0.0.1:6379")
    return client


def redis_cache(port, *, db=0, prefix=""):
    """Settings of one cache on Redis at 127.0.0.1:`port`, with the portal's short timeouts."""
    from django.conf import settings

    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/{db}",
            "KEY_PREFIX": prefix,
            "OPTIONS": {
                "socket_connect_timeout": getattr(settings, "CACHE_CONNECT_TIMEOUT", 0.5),
                "socket_timeout": getattr(settings, "CACHE_SOCKET_TIMEOUT", 0.5),
            },
        }
    }


@contextlib.contextmanager
def database_unreachable(alias="default"):
    """Inside the block this thread's connection points where no database is: a folder that
    does not exist (SQLite), a closed port (PostgreSQL). The next query opens it and fails as
    a lost database does. Yields `restore`, which brings the database back early (from any
    thread); it is back after the block in any case."""
    from django.db import connections

    connection = connections[alias]
    connection.close()
    saved = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        missing = Path(tempfile.gettempdir()) / "khuyenhoc-no-such-folder" / "gone.sqlite3"
        connection.settings_dict["NAME"] = str(missing)
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(free_port()))

    def restore():
        connection.settings_dict.update(saved)

    try:
        yield restore
    finally:
        connection.close()
        restore()
