"""Logging from the environment: a line per request, errors with tracebacks, JSON on demand,
and Sentry only when SENTRY_DSN is set."""

import json
import logging

import pytest
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from lib.log_format import JsonFormatter
from tests.factories import UserFactory

from .processes import run_python

REQUESTS = "khuyenhoc.requests"


@login_not_required
def broken(request):
    raise RuntimeError("the page fell over")


urlpatterns = [path("broken/", broken)]


@pytest.mark.django_db
def test_each_request_is_one_line_with_method_path_status_duration_and_user(client, caplog):
    user = UserFactory()
    client.force_login(user)
    caplog.set_level(logging.INFO, logger=REQUESTS)
    client.get("/recognitions/?q=nguyen+van+an")
    (line,) = [r for r in caplog.records if r.name == REQUESTS]
    assert (line.method, line.path, line.status, line.user_id) == (
        "GET",
        "/recognitions/",
        200,
        user.pk,
    )
    assert 0 < line.duration_ms < 60_000
    assert "nguyen" not in line.getMessage()  # searches hold people's names
    assert line.getMessage().startswith("GET /recognitions/ 200 ")


@pytest.mark.django_db
def test_an_anonymous_request_has_no_user_id(client, caplog):
    caplog.set_level(logging.INFO, logger=REQUESTS)
    client.get("/portal/")
    (line,) = [r for r in caplog.records if r.name == REQUESTS]
    assert (line.status, line.user_id) == (302, None)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_an_error_is_logged_with_its_traceback_and_its_request_line(client, caplog):
    client.raise_request_exception = False
    caplog.set_level(logging.INFO)
    assert client.get("/broken/").status_code == 500
    (line,) = [r for r in caplog.records if r.name == REQUESTS]
    assert (line.status, line.levelname) == (500, "WARNING")
    (error,) = [r for r in caplog.records if r.name == "django.request"]
    assert error.levelname == "ERROR"
    entry = json.loads(JsonFormatter().format(error))
    assert entry["level"] == "ERROR"
    assert "RuntimeError: the page fell over" in entry["traceback"]
    assert entry["status_code"] == 500


def test_json_lines_carry_the_extra_fields():
    record = logging.LogRecord("khuyenhoc.requests", logging.INFO, "", 0, "GET %s", ("/",), None)
    record.status, record.user_id = 200, 7
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "GET /"
    assert (entry["status"], entry["user_id"], entry["logger"]) == (200, 7, "khuyenhoc.requests")
    assert entry["time"].endswith("+00:00")


def test_log_format_and_level_come_from_the_environment():
    code = (
        "log = logging.getLogger('models_learning.notifications')\n"
        "log.info('not shown')\n"
        "log.warning('Gửi thư lỗi', extra={'notification_unit': 'Xã Mường Phăng'})\n"
    )
    result = run_python(code, LOG_FORMAT="json", LOG_LEVEL="warning")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert [(e["level"], e["message"]) for e in lines] == [("WARNING", "Gửi thư lỗi")]
    assert lines[0]["notification_unit"] == "Xã Mường Phăng"
    text = run_python("logging.getLogger('x').warning('plain line')", LOG_FORMAT="text")
    assert text.stderr.strip().endswith("WARNING x: plain line")


def test_an_unknown_log_format_is_refused():
    result = run_python("", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be text or json" in result.stderr


def test_sentry_is_off_without_a_dsn_and_configured_with_one():
    code = (
        "import sentry_sdk\n"
        "client = sentry_sdk.get_client()\n"
        "print(client.is_active(), client.dsn, client.options['send_default_pii'],"
        " client.options['environment'])\n"
    )
    without = run_python(code)
    assert without.returncode == 0, without.stderr
    assert without.stdout.split()[:2] == ["False", "None"]
    dsn = "https://0123456789abcdef@errors.example.invalid/42"
    with_dsn = run_python(code, SENTRY_DSN=dsn, SENTRY_ENVIRONMENT="dienbien-test")
    assert with_dsn.returncode == 0, with_dsn.stderr
    assert with_dsn.stdout.split() == ["True", dsn, "False", "dienbien-test"]
