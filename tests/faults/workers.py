"""Real background workers for the fault tests: `manage.py db_worker` in a process of its
own, on the test run's database (a file on SQLite, the test database on PostgreSQL)."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url():
    """The test database, as DATABASE_URL for another process."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    auth = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    host, port = config["HOST"] or "127.0.0.1", config["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{config['NAME']}"


def start_worker(log_path, *, interval=0.1, **env):
    """A worker process polling every `interval` s; `env` adds settings from the environment."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SECRET_KEY": "worker-test-only",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "database",
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "LOG_LEVEL": "INFO",
        **{key: str(value) for key, value in env.items()},
    }
    log = open(log_path, "ab")  # noqa: SIM115 (closed by stop_worker)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload",
         "--interval", str(interval)],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    process.log = log
    return process


def stop_worker(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
    process.log.close()


def wait_for(condition, timeout, step=0.05):
    """Poll `condition()` until it is true (returned) or `timeout` seconds pass (None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None
