"""The app servers' gunicorn (deploy/gunicorn.conf.py) answers /healthz while every page
thread is busy: a load balancer never drops a server that is only busy.

bench/healthz_load.py measures it under real load (README, "Faults survived").
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.faults.servers import free_port
from tests.faults.workers import database_url, wait_for

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


def get(url, timeout):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


def test_healthz_is_answered_while_the_only_page_thread_is_busy(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": database_url(),
        "SECRET_KEY": "gunicorn-test-only",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "1",
    }
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "khuyenhoc.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    slow = socket.socket()
    try:
        up = wait_for(lambda: _answers(base + "/healthz"), 30, step=0.2)
        assert up, (tmp_path / "gunicorn.log").read_text()
        # A client that starts a page request and never finishes it holds the page thread.
        slow.connect(("127.0.0.1", port))
        slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(0.5)
        started = time.monotonic()
        status, body = get(base + "/healthz", timeout=5)
        took = time.monotonic() - started
    finally:
        slow.close()
        server.terminate()
        server.wait(20)
        log.close()
    assert status == 200 and b'"database": "ok"' in body
    assert took < 1.0


def _answers(url):
    try:
        return get(url, timeout=1)[0] in (200, 503)
    except OSError:
        return False
