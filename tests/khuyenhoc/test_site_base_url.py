"""SITE_BASE_URL: required without DEBUG (check --deploy), and `make run` follows its PORT."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from models_learning import certificates

ROOT = Path(__file__).resolve().parents[2]
# What .ci/run passes to `check --deploy`, less SITE_BASE_URL.
DEPLOY_ENV = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "khuyenhoc.example.org",
    "SECRET_KEY": "ci-check-deploy-" + "k7Qx9vLm2Rt5Wz8Np3Hs6Jd4Fg1Bc0Ya" * 2,
    "EMAIL_URL": "smtp://mail.example.org:587/?tls=1",
}


def deploy_ids(**options):
    return {m.id for m in run_checks(include_deployment_checks=True, **options)}


def check_deploy(**environ):
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for the whole session; a
    # deployment never has it (check --deploy refuses it), so neither does this one.
    unset = {"SITE_BASE_URL", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(DEPLOY_ENV, **environ)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_fails_without_site_base_url_and_passes_with_it():
    without = check_deploy()
    assert without.returncode != 0
    assert "khuyenhoc.E001" in without.stderr
    wrong = check_deploy(SITE_BASE_URL="khuyenhoc.example.org")
    assert wrong.returncode != 0
    assert "khuyenhoc.E001" in wrong.stderr
    right = check_deploy(SITE_BASE_URL="https://khuyenhoc.example.org")
    assert right.returncode == 0, right.stderr


@pytest.mark.parametrize(
    ("value", "debug", "error"),
    [
        ("", False, True),
        ("ftp://khuyenhoc.example.org", False, True),
        ("https://", False, True),
        ("http://127.0.0.1:8301", False, False),
        ("https://khuyenhoc.dienbien.gov.vn", False, False),
        ("", True, False),  # a developer's machine
        ("khuyenhoc.example.org", True, True),
    ],
)
def test_site_base_url_must_be_an_http_address_without_debug(settings, value, debug, error):
    settings.SITE_BASE_URL, settings.DEBUG = value, debug
    assert ("khuyenhoc.E001" in deploy_ids()) is error


def test_check_deploy_warns_when_mail_is_only_printed(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert "khuyenhoc.W001" in deploy_ids()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert "khuyenhoc.W001" not in deploy_ids()


def test_no_certificate_is_made_without_an_address_for_its_qr_code(settings):
    settings.SITE_BASE_URL = ""
    with pytest.raises(ImproperlyConfigured, match="SITE_BASE_URL"):
        certificates.verify_url("DB-2026-ABCDEF")


def make_run_environment(port, **environ):
    """SITE_BASE_URL as the commands of `make run PORT=port` would see it."""
    plan = subprocess.run(
        ["make", "-n", "run", f"PORT={port}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    server = next(line for line in plan.splitlines() if "runserver" in line or "sh -c" in line)
    assignments = re.match(r"((?:\w+=\S+\s+)+)", server).group(1)
    env = {k: v for k, v in os.environ.items() if k != "SITE_BASE_URL"} | environ
    shown = subprocess.run(
        ["sh", "-c", f"{assignments} sh -c 'printf %s \"$SITE_BASE_URL\"'"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return plan, shown.stdout


def test_make_run_points_qr_codes_at_the_port_it_serves():
    plan, site = make_run_environment(8301)
    assert "runserver 127.0.0.1:8301" in plan
    assert site == "http://127.0.0.1:8301"
    _plan, kept = make_run_environment(8301, SITE_BASE_URL="https://demo.example.org")
    assert kept == "https://demo.example.org"
