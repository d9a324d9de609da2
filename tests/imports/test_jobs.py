"""Large files: checked and imported by background jobs, with progress and a result page."""

import pytest
from django.db import connection
from django.urls import reverse

from jobs import runner as job_module
from jobs.models import Job, JobStatus
from models_learning.models import Registration
from tests.imports.conftest import filled, household_row, upload
from transfers.imports import engine, services
from transfers.models import ImportBatch, ImportMode, ImportStatus

pytestmark = pytest.mark.django_db

ROWS = 12


@pytest.fixture
def large(settings, monkeypatch):
    """Every file counts as large here; progress is reported every 5 rows."""
    settings.IMPORT_INLINE_MAX_BYTES = 0
    monkeypatch.setattr(engine, "PROGRESS_EVERY", 5)


@pytest.fixture
def progress_seen(monkeypatch):
    seen = []
    real = job_module._progress_of

    def recording(job):
        progress = real(job)

        def report(done, total=None):
            seen.append((job.kind, done, total))
            progress(done, total)

        return report

    monkeypatch.setattr(job_module, "_progress_of", recording)
    return seen


def rows(villages):
    return [household_row(villages[i % 3], name=f"Lò Văn {i}", birth=1960 + i) for i in range(ROWS)]


def test_a_large_file_is_checked_then_imported_by_jobs_with_progress(
    client, officer, villages, tree, large, progress_seen, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    data = filled("households", tree["commune"], rows(villages))
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "households", tree["commune"], data)
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("imports:batch-detail", args=[batch.pk])
    assert batch.status == ImportStatus.READY
    check_job = batch.job
    assert (check_job.kind, check_job.status) == ("imports-check", JobStatus.DONE)
    assert check_job.message == f"Đã kiểm tra: {ROWS} dòng, 0 dòng không hợp lệ."
    assert [(done, total) for kind, done, total in progress_seen] == [
        (0, ROWS),
        (5, ROWS),
        (10, ROWS),
        (ROWS, ROWS),
    ]
    assert not Registration.objects.exists()
    progress_seen.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:batch-import", args=[batch.pk]), {"mode": "all"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED
    assert batch.result["new"] == ROWS
    apply_job = batch.job
    assert (apply_job.kind, apply_job.status) == ("imports-apply", JobStatus.DONE)
    assert apply_job.summary["new"] == ROWS
    assert [(done, total) for kind, done, total in progress_seen][-1] == (ROWS, ROWS)
    assert Registration.objects.count() == ROWS
    job_page = client.get(reverse("jobs:job-detail", args=[apply_job.pk]))
    assert f"Đã nhập: {ROWS} mới" in job_page.text


def test_while_a_job_runs_the_page_shows_a_progress_bar_that_refreshes_itself(
    client, officer, villages, tree, large
):
    client.force_login(officer)
    # The database backend without a worker: the job waits in the queue.
    upload(
        client, "households", tree["commune"], filled("households", tree["commune"], rows(villages))
    )
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.CHECKING
    Job.objects.filter(pk=batch.job_id).update(done=5, total=ROWS)
    page = client.get(reverse("imports:batch-detail", args=[batch.pk]))
    assert 'data-testid="progress"' in page.text
    assert 'hx-trigger="every 2s"' in page.text
    assert '<meta http-equiv="refresh" content="3">' in page.text
    assert f"5 trên khoảng {ROWS} dòng" in page.text
    assert 'value="41"' in page.text  # percent
    with pytest.raises(Exception, match="không thể nhập"):
        services.import_batch(batch, by=officer, mode=ImportMode.ALL)


def test_a_failing_check_job_marks_the_batch_and_the_job_failed(
    client, officer, villages, tree, large, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(engine, "check", broken)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        upload(
            client,
            "households",
            tree["commune"],
            filled("households", tree["commune"], rows(villages)),
        )
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED
    assert "lỗi ngoài dự kiến" in batch.message
    assert batch.job.status == JobStatus.FAILED
    page = client.get(reverse("imports:batch-detail", args=[batch.pk]))
    assert page.status_code == 200
    assert "lỗi ngoài dự kiến" in page.text


def test_job_progress_falls_back_inside_a_transaction(officer):
    calls = []
    job = Job(pk=1, kind="imports-apply")
    with engine.job_progress(job, calls.append) as report:
        assert report == calls.append
    with engine.job_progress(None, calls.append) as report:
        assert report == calls.append
    assert connection.in_atomic_block
