"""A check or an import cut off (its worker killed, its server gone, the database lost) never
stays "being checked" or "importing": the reaper marks it interrupted, its page says so and
offers to run it again from the start, which finishes it. Nothing of a cut-off step is kept.

A real worker killed with SIGKILL mid-import: tests/imports/test_worker_killed.py.
"""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs import reaper
from jobs.models import Job, JobStatus
from jobs.runner import run_job
from lib.errors import DomainError
from models_learning.models import Registration
from tests.imports.conftest import check, filled, household_row
from transfers.imports import engine, importers, services
from transfers.models import ImportBatch, ImportMode, ImportStatus

pytestmark = pytest.mark.django_db

ROWS = 12
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def ago(seconds):
    return timezone.now() - timedelta(seconds=seconds)


def rows(villages):
    return [household_row(villages[i % 3], name=f"Lò Văn {i}", birth=1960 + i) for i in range(ROWS)]


@pytest.fixture
def checked(officer, villages, tree):
    """A checked file of ROWS new households, ready to import."""
    batch = check(
        officer,
        "households",
        tree["commune"],
        filled("households", tree["commune"], rows(villages)),
    )
    assert batch.status == ImportStatus.READY
    return batch


@pytest.fixture
def importing(checked, officer, settings, django_capture_on_commit_callbacks):
    """The import of `checked` queued for a worker (the database queue, as in production)."""
    settings.IMPORT_INLINE_MAX_BYTES = 0
    settings.TASKS = DATABASE_QUEUE
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.import_batch(checked, by=officer, mode=ImportMode.ALL)
    assert batch.status == ImportStatus.IMPORTING
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    return batch


def worker_died_running(job, *, silent_for):
    """What a worker killed mid-job leaves: the queue entry it took, the job running, its last
    sign of life `silent_for` seconds ago (the import's own transaction died with it)."""
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=ago(silent_for))
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=ago(silent_for))


def test_an_import_whose_worker_died_is_interrupted_and_imports_again_from_the_start(
    client, officer, importing, settings, django_capture_on_commit_callbacks
):
    settings.JOB_STALE_AFTER = 60
    worker_died_running(importing.job, silent_for=61)
    assert [job.pk for job in reaper.reap()] == [importing.job_id]
    job = Job.objects.get(pk=importing.job_id)
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert "dừng trước khi xong" in job.message
    entry = DBTaskResult.objects.get()
    assert (entry.status, entry.exception_class_path) == (TaskResultStatus.FAILED, reaper.LOST)
    batch = ImportBatch.objects.get(pk=importing.pk)
    assert (batch.status, batch.interrupted_step) == (ImportStatus.FAILED, "import")
    assert "Việc nhập tệp này bị gián đoạn" in batch.message
    assert not Registration.objects.exists()

    client.force_login(officer)
    page = client.get(reverse("imports:batch-detail", args=[batch.pk]))
    assert 'data-testid="retry"' in page.text and "Nhập lại tệp" in page.text
    assert "Bị gián đoạn" in page.text
    assert "Tải lên tệp đã sửa" not in page.text  # nothing to correct in the file
    assert 'hx-trigger="every 2s"' not in page.text  # the page no longer polls

    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:batch-retry", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.result["new"], batch.message) == (ImportStatus.IMPORTED, ROWS, "")
    assert batch.interrupted_step is None
    assert batch.job_id != job.pk and batch.job.status == JobStatus.DONE
    assert Registration.objects.count() == ROWS
    # Started once more (a second interruption after all), nothing is imported twice.
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.FAILED, result={"interrupted": "import"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:batch-retry", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.result["new"], batch.result["unchanged"]) == (
        ImportStatus.IMPORTED,
        0,
        ROWS,
    )
    assert Registration.objects.count() == ROWS


def test_jobs_that_still_show_signs_of_life_or_wait_in_the_queue_are_left_alone(
    importing, settings
):
    settings.JOB_STALE_AFTER = 60
    Job.objects.filter(pk=importing.job_id).update(created_at=ago(3600))  # queued for an hour
    assert reaper.reap() == []
    worker_died_running(importing.job, silent_for=59)
    assert reaper.reap() == []
    assert Job.objects.get(pk=importing.job_id).status == JobStatus.RUNNING
    assert ImportBatch.objects.get(pk=importing.pk).status == ImportStatus.IMPORTING
    assert list(reaper.stuck_jobs()) == []
    assert list(reaper.stuck_jobs(now=timezone.now() + timedelta(seconds=2))) == [importing.job]


def test_a_queued_check_that_nothing_will_run_is_interrupted_and_checked_again(
    client, officer, villages, tree, settings, django_capture_on_commit_callbacks
):
    settings.JOB_STALE_AFTER = 60
    settings.IMPORT_INLINE_MAX_BYTES = 0
    settings.TASKS = DATABASE_QUEUE
    # Queued, but the queue entry never written (the request died before its commit hook).
    batch = check(
        officer,
        "households",
        tree["commune"],
        filled("households", tree["commune"], rows(villages)),
    )
    assert batch.status == ImportStatus.CHECKING and not DBTaskResult.objects.exists()
    assert reaper.reap() == []
    Job.objects.filter(pk=batch.job_id).update(created_at=ago(61))
    assert [job.pk for job in reaper.reap()] == [batch.job_id]
    batch.refresh_from_db()
    assert (batch.status, batch.interrupted_step) == (ImportStatus.FAILED, "check")
    assert "Việc kiểm tra tệp này bị gián đoạn" in batch.message
    client.force_login(officer)
    assert "Kiểm tra lại tệp" in client.get(reverse("imports:batch-detail", args=[batch.pk])).text
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:batch-retry", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.count("new")) == (ImportStatus.READY, ROWS)
    assert not Registration.objects.exists()


def test_a_step_run_inside_a_request_whose_server_died_is_swept(officer, checked, settings):
    settings.JOB_STALE_AFTER = 60
    # The import of a small file ran inside a request; the server died before it ended.
    ImportBatch.objects.filter(pk=checked.pk).update(
        status=ImportStatus.IMPORTING, mode=ImportMode.ALL, imported_at=ago(30)
    )
    reaper.reap()
    assert ImportBatch.objects.get(pk=checked.pk).status == ImportStatus.IMPORTING  # may still run
    ImportBatch.objects.filter(pk=checked.pk).update(imported_at=ago(61))
    reaper.reap()
    batch = ImportBatch.objects.get(pk=checked.pk)
    assert (batch.status, batch.interrupted_step) == (ImportStatus.FAILED, "import")
    batch = services.retry_batch(batch, by=officer)  # small: inline again
    assert (batch.status, batch.result["new"]) == (ImportStatus.IMPORTED, ROWS)


def test_only_the_uploader_starts_an_interrupted_step_again_and_only_that(
    officer, sibling_officer, checked
):
    with pytest.raises(DomainError):
        services.retry_batch(checked, by=officer)  # READY: nothing was interrupted
    ImportBatch.objects.filter(pk=checked.pk).update(status=ImportStatus.CHECKING)
    engine.interrupt(ImportBatch.objects.filter(pk=checked.pk))
    checked.refresh_from_db()
    assert not services.can_retry(checked, sibling_officer)
    with pytest.raises(DomainError):
        services.retry_batch(checked, by=sibling_officer)
    assert services.can_retry(checked, officer)


def test_an_import_job_that_lost_its_database_is_interrupted_not_failed_for_good(
    officer, importing, settings, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    real = importers.HouseholdImporter.apply

    def losing_the_database(self, values):
        calls.append(values)
        if len(calls) == 5:
            raise OperationalError("server closed the connection unexpectedly")
        return real(self, values)

    monkeypatch.setattr(importers.HouseholdImporter, "apply", losing_the_database)
    run_job.call(importing.job_id)  # as the worker does
    batch = ImportBatch.objects.get(pk=importing.pk)
    assert (batch.status, batch.interrupted_step) == (ImportStatus.FAILED, "import")
    assert batch.job.status == JobStatus.FAILED
    assert not Registration.objects.exists()
