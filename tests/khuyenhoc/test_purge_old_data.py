"""`manage.py purge_old_data`: expired sessions, old import sheets and old job results go; the
rows stay with their counts."""

import datetime
import io
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from jobs.models import Job, JobStatus
from lib.errors import DomainError
from tests.imports.conftest import check, filled, household_row
from tests.models_learning.factories import VillageFactory
from transfers.imports import services as import_services
from transfers.models import ImportBatch, ImportMode, ImportStatus

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.RETENTION_IMPORT_DAYS = 90
    settings.RETENTION_JOB_DAYS = 30


def purge(*args):
    out = io.StringIO()
    call_command("purge_old_data", *args, stdout=out)
    return out.getvalue()


def age(model, obj, days):
    model.objects.filter(pk=obj.pk).update(created_at=timezone.now() - days * DAY)
    obj.refresh_from_db()
    return obj


def on_disk(field_file):
    return Path(field_file.storage.path(field_file.name))


@pytest.fixture
def sheets(tree, criteria_sets, officer):
    """Three checked uploads of households: 100 days old, 10 days old, and old but busy."""
    village = VillageFactory(commune=tree["commune"], name="Bản Co Muông")
    batches = []
    for name in ("Lò Văn Một", "Lò Văn Hai", "Lò Văn Ba"):
        data = filled("households", tree["commune"], [household_row(village, name=name)])
        batches.append(check(officer, "households", tree["commune"], data))
    old, recent, busy = batches
    assert old.status == ImportStatus.READY and old.count("new") == 1
    ImportBatch.objects.filter(pk=busy.pk).update(status=ImportStatus.IMPORTING)
    return {
        "old": age(ImportBatch, old, 100),
        "recent": age(ImportBatch, recent, 10),
        "busy": age(ImportBatch, busy, 100),
    }


@pytest.fixture
def results(officer):
    """Two finished jobs with a PDF each: 40 days old and 5 days old."""
    jobs = []
    for days in (40, 5):
        job = Job.objects.create(
            kind="certificates-batch",
            title="Giấy công nhận",
            requested_by=officer,
            status=JobStatus.DONE,
            result_name="giay-cong-nhan.pdf",
        )
        job.result.save("giay-cong-nhan.pdf", ContentFile(b"%PDF-1.7 personal data"))
        jobs.append(age(Job, job, days))
    return {"old": jobs[0], "recent": jobs[1]}


def test_old_sheets_are_deleted_and_their_batches_kept_with_their_counts(sheets):
    old_file = on_disk(sheets["old"].file)
    assert old_file.exists()
    output = purge()
    assert "1 import sheets older than 90 days" in output
    assert not old_file.exists()
    old = ImportBatch.objects.get(pk=sheets["old"].pk)
    assert not old.file
    assert (old.status, old.count("new"), old.original_name) == (
        ImportStatus.READY,
        1,
        "danh-sach.xlsx",
    )
    for kept in ("recent", "busy"):  # too young, or being read right now
        assert on_disk(ImportBatch.objects.get(pk=sheets[kept].pk).file).exists()


def test_a_batch_whose_sheet_was_deleted_says_so_and_cannot_be_imported(client, officer, sheets):
    purge()
    old = ImportBatch.objects.get(pk=sheets["old"].pk)
    assert import_services.import_modes(old, officer) == set()
    with translation.override("en"), pytest.raises(DomainError, match="deleted"):
        import_services.import_batch(old, by=officer, mode=ImportMode.ALL)
    client.force_login(officer)
    page = client.get(reverse("imports:batch-detail", args=[old.pk])).content.decode()
    assert 'data-testid="file-deleted"' in page
    assert reverse("imports:batch-import", args=[old.pk]) not in page


def test_old_job_results_are_deleted_and_the_jobs_kept(client, officer, results):
    old_file = on_disk(results["old"].result)
    purge()
    assert not old_file.exists()
    old = Job.objects.get(pk=results["old"].pk)
    assert (old.result.name, old.result_name, old.status) == ("", "giay-cong-nhan.pdf", "done")
    assert on_disk(Job.objects.get(pk=results["recent"].pk).result).exists()
    client.force_login(officer)
    assert client.get(reverse("jobs:job-download", args=[old.pk])).status_code == 404
    page = client.get(reverse("jobs:job-detail", args=[old.pk])).content.decode()
    assert 'data-testid="result-deleted"' in page


def test_expired_sessions_are_deleted_and_live_ones_kept():
    live = SessionStore()
    live["user"] = 1
    live.create()
    expired = SessionStore()
    expired.create()
    Session.objects.filter(pk=expired.session_key).update(expire_date=timezone.now() - DAY)
    assert "1 expired sessions" in purge()
    assert list(Session.objects.values_list("pk", flat=True)) == [live.session_key]


def test_a_dry_run_counts_and_deletes_nothing_and_a_second_run_finds_nothing(sheets, results):
    files = [on_disk(sheets["old"].file), on_disk(results["old"].result)]
    assert "would delete: 0 expired sessions, 1 import sheets" in purge("--dry-run")
    assert all(path.exists() for path in files)
    purge()
    assert "deleted: 0 expired sessions, 0 import sheets" in purge()
    assert ", 0 job result files" in purge()


def test_the_retention_periods_are_settings(settings, sheets, results):
    settings.RETENTION_IMPORT_DAYS = 5
    settings.RETENTION_JOB_DAYS = 50
    purge()
    assert not ImportBatch.objects.get(pk=sheets["recent"].pk).file
    assert Job.objects.get(pk=results["old"].pk).result
