"""Workflow e-mails: queued after the commit, sent by the worker, retried, never lost silently."""

import datetime
import logging
import smtplib
import socket

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lib.errors import DomainError
from models_learning import services
from models_learning.workflow import Status

from .factories import fresh, proposed_family

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LOGGER = "models_learning.notifications"


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message, as a full mailbox or a bad login does."""

    attempts = 0

    def send_messages(self, messages):
        RefusingBackend.attempts += 1
        raise smtplib.SMTPException("451 try again later")


@pytest.fixture
def approver_with_email(province_staff):
    province_staff.email = "tinh@example.org"
    province_staff.save()
    return province_staff


@pytest.fixture
def officer_with_email(officer):
    officer.email = "xa@example.org"
    officer.save()
    return officer


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def refusing(settings):
    RefusingBackend.attempts = 0
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    settings.EMAIL_RETRY_DELAYS = [60, 300]


def test_a_proposal_mails_the_approvers_and_a_return_mails_the_officer(
    immediate,
    criteria_sets,
    officer_with_email,
    approver_with_email,
    village,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = proposed_family(officer_with_email, village)
    assert [m.to for m in mail.outbox] == [["tinh@example.org"]]
    assert registration.subject_name in mail.outbox[0].subject
    assert f"http://testserver/portal/registrations/{registration.pk}/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.return_registration(registration, by=approver_with_email, reason="Thiếu biên bản")
    assert mail.outbox[1].to == ["xa@example.org"]
    assert "Thiếu biên bản" in mail.outbox[1].body


def test_the_mail_is_signed_with_the_configured_association(
    immediate,
    settings,
    criteria_sets,
    officer,
    approver_with_email,
    village,
    django_capture_on_commit_callbacks,
):
    settings.PORTAL_ASSOCIATION_NAME = "Hội Khuyến học thành phố Hà Nội"
    with django_capture_on_commit_callbacks(execute=True):
        proposed_family(officer, village)
    assert mail.outbox[0].body.endswith("\n--\nHội Khuyến học thành phố Hà Nội")


# The worker takes its own transaction: the test's data must be committed.
@pytest.mark.django_db(transaction=True)
def test_the_request_only_queues_the_mail_and_the_worker_sends_it(
    settings,
    criteria_sets,
    officer,
    approver_with_email,
    village,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = DATABASE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        proposed_family(officer, village)
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "models_learning.notifications.send_notification"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert [m.to for m in mail.outbox] == [["tinh@example.org"]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_nothing_is_queued_for_a_change_that_fails(
    immediate, criteria_sets, officer, approver_with_email, village
):
    registration = proposed_family(officer, village)
    with pytest.raises(DomainError, match="Say why"):
        services.return_registration(registration, by=approver_with_email, reason="")
    assert mail.outbox == []


def test_a_refused_mail_is_retried_then_logged_as_an_error_with_the_unit(
    immediate,
    refusing,
    tree,
    criteria_sets,
    officer,
    approver_with_email,
    village,
    caplog,
    django_capture_on_commit_callbacks,
):
    caplog.set_level(logging.INFO, logger=LOGGER)
    with django_capture_on_commit_callbacks(execute=True):
        registration = proposed_family(officer, village)
    # The workflow went on: the e-mail's failure is the mail server's, not the officer's.
    assert fresh(registration).status == Status.PROPOSED
    assert RefusingBackend.attempts == 3
    records = [r for r in caplog.records if r.name == LOGGER]
    assert [r.levelname for r in records] == ["WARNING", "WARNING", "ERROR"]
    error = records[-1]
    assert "NOT SENT after 3 attempts" in error.getMessage()
    assert f"Tỉnh Điện Biên (unit {tree['province'].pk})" in error.getMessage()
    assert str(approver_with_email.pk) in error.getMessage()
    assert error.exc_info and "451 try again later" in str(error.exc_info[1])
    assert error.notification_unit == f"Tỉnh Điện Biên (unit {tree['province'].pk})"
    assert error.registration_id == registration.pk
    assert "tinh@example.org" not in error.getMessage()


def test_a_returned_file_names_the_officers_commune_and_province_when_it_fails(
    immediate,
    refusing,
    tree,
    criteria_sets,
    officer_with_email,
    province_staff,
    village,
    caplog,
    django_capture_on_commit_callbacks,
):
    registration = proposed_family(officer_with_email, village)
    caplog.set_level(logging.INFO, logger=LOGGER)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_registration(registration, by=province_staff, reason="Thiếu biên bản")
    error = [r for r in caplog.records if r.name == LOGGER and r.levelname == "ERROR"][-1]
    commune = tree["commune"]
    assert error.notification_unit == f"{commune.name} (unit {commune.pk}), Tỉnh Điện Biên"


# The worker takes its own transaction: the test's data must be committed.
@pytest.mark.django_db(transaction=True)
def test_with_the_worker_a_failed_attempt_is_queued_again_after_the_delay(
    settings,
    refusing,
    criteria_sets,
    officer,
    approver_with_email,
    village,
    caplog,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = DATABASE
    caplog.set_level(logging.INFO, logger=LOGGER)
    with django_capture_on_commit_callbacks(execute=True):
        proposed_family(officer, village)
    before = timezone.now()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert RefusingBackend.attempts == 1
    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == "SUCCESSFUL"  # this attempt's work is done: it queued the next one
    assert retry.status == "READY"
    assert retry.args_kwargs["args"][1] == 2
    delay = retry.run_after - before
    assert datetime.timedelta(seconds=55) < delay < datetime.timedelta(seconds=65)
    assert [r.levelname for r in caplog.records if r.name == LOGGER] == ["WARNING"]


def test_a_closed_smtp_port_is_logged_not_swallowed(
    immediate,
    settings,
    criteria_sets,
    officer,
    approver_with_email,
    village,
    caplog,
    django_capture_on_commit_callbacks,
):
    with socket.socket() as probe:  # a port on this machine that nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_RETRY_DELAYS = [1]
    caplog.set_level(logging.INFO, logger=LOGGER)
    with django_capture_on_commit_callbacks(execute=True):
        proposed_family(officer, village)
    errors = [r for r in caplog.records if r.name == LOGGER and r.levelname == "ERROR"]
    assert len(errors) == 1
    assert isinstance(errors[0].exc_info[1], ConnectionRefusedError)
