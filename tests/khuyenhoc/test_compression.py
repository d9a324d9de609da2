"""Pages go over the wire compressed (GZipMiddleware in settings, so `make run`'s runserver
and plain gunicorn alike), and none is over 150 KB compressed (the country-scale figures are
bench/staff_pages.py's; README, "Figures at country scale")."""

import gzip
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from tests.faults.servers import free_port
from tests.faults.workers import database_url, wait_for
from tests.files import body
from tests.urltable import all_rows

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 150 * 1024
PUBLIC = ["/", "/stats/", "/recognitions/", "/centers/", "/recognitions/?q=nguyen"]


def _pages(request):
    """Every page the URL table reads with GET, for province staff, and the public pages."""
    urls = list(PUBLIC)
    for row in all_rows():
        if row.method != "get" or row.expected.get("province_staff") != 200:
            continue
        for name in row.fixtures:
            request.getfixturevalue(name)
        urls.append(reverse(row.name, kwargs=row.kwargs(request) if row.kwargs else {}))
    return urls


@pytest.mark.django_db
def test_every_html_page_is_sent_gzipped_and_under_150_kb(request, persona_client, tree):
    client = persona_client("province_staff")
    checked = 0
    for url in _pages(request):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
        content = body(response)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        if response.get("Content-Encoding") is None and not content.lstrip().lower().startswith(
            b"<!doctype html>"
        ):
            continue  # a short htmx fragment, which GZip leaves as it is when it would not gain
        assert response.get("Content-Encoding") == "gzip", url
        assert "Accept-Encoding" in response["Vary"], url
        assert len(content) <= LIMIT, (url, len(content))
        assert gzip.decompress(content).decode().lstrip().lower().startswith("<!doctype html>"), url
        checked += 1
    assert checked >= 20


@pytest.mark.django_db
def test_a_client_that_does_not_accept_gzip_gets_plain_html(client, tree):
    response = client.get("/")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert response.content.lstrip().lower().startswith(b"<!doctype html>")


@pytest.mark.django_db(transaction=True)
def test_plain_gunicorn_sends_compressed_html(tmp_path):
    """gunicorn started with no config file at all, as a newcomer would."""
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": database_url(),
        "SECRET_KEY": "gzip-test-only",
        # DEBUG on only so that {% static %} needs no collectstatic; the middleware list is
        # the same either way.
        "DEBUG": "1",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "khuyenhoc.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        up = wait_for(lambda: _get(port, "/healthz", {}) is not None, 30, step=0.2)
        assert up, (tmp_path / "gunicorn.log").read_text()
        headers, content = _get(port, "/accounts/login/", {"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] == "gzip"
        assert b"<form" in gzip.decompress(content)
        headers, content = _get(port, "/accounts/login/", {})
        assert "Content-Encoding" not in headers
        assert b"<form" in content
    finally:
        server.terminate()
        server.wait(10)
        log.close()


def _get(port, path, headers):
    try:
        req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
        with urllib.request.urlopen(req, timeout=5) as response:
            return response.headers, response.read()
    except urllib.error.HTTPError as error:
        raise AssertionError(f"{path}: {error.code} {error.read()[:500]!r}") from error
    except OSError:  # not listening yet
        return None
