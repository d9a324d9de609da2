"""E-mail settings from one variable, EMAIL_URL (lib/email_url.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from lib.email_url import BACKENDS, parse

from .processes import run_python

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_unset_prints_mail_to_the_log():
    assert parse("").backend == BACKENDS["console"]


def test_smtp_with_starttls_a_login_and_a_percent_encoded_password():
    mail = parse("smtp://hkh%40dienbien.gov.vn:p%40ss%3Aw0rd@mail.dienbien.gov.vn:587/?tls=1")
    assert (mail.backend, mail.host, mail.port) == (SMTP, "mail.dienbien.gov.vn", 587)
    assert (mail.user, mail.password) == ("hkh@dienbien.gov.vn", "p@ss:w0rd")
    assert (mail.use_tls, mail.use_ssl, mail.timeout) == (True, False, 10)


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://mail.example.vn", 25, False, False),
        ("smtp://mail.example.vn/?tls=1", 587, True, False),
        ("smtps://mail.example.vn", 465, False, True),
        ("smtp://mail.example.vn:2525/?ssl=yes", 2525, False, True),
    ],
)
def test_ports_follow_the_security_unless_given(url, port, tls, ssl):
    mail = parse(url)
    assert (mail.port, mail.use_tls, mail.use_ssl) == (port, tls, ssl)


def test_the_timeout_may_be_set():
    assert parse("smtp://mail.example.vn/?timeout=30").timeout == 30


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("imap://mail.example.vn", "unknown scheme"),
        ("smtps://mail.example.vn/?tls=1", "not both"),
        ("smtp://:587", "host name is missing"),
        ("smtp://mail.example.vn:port", "EMAIL_URL"),
        ("smtp://mail.example.vn/?timeout=soon", "EMAIL_URL"),
    ],
)
def test_a_bad_url_says_what_to_fix(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse(url)


def test_the_settings_read_email_url_from_the_environment():
    code = (
        "from django.conf import settings as s\n"
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER,"
        " s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_TIMEOUT)"
    )
    result = run_python(code, EMAIL_URL="smtp://hkh:secret@mail.example.vn:587/?tls=1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        SMTP,
        "mail.example.vn",
        "587",
        "hkh",
        "secret",
        "True",
        "False",
        "10",
    ]
