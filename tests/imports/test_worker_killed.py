"""A real worker killed with SIGKILL in the middle of an import, then a worker started again:
the batch ends interrupted (with "import again") and then imported, never "importing" for
ever, and not one row of the killed import is left behind.

The worker is `manage.py db_worker` in a process of its own, on this test run's database (a
file on SQLite, the test database on PostgreSQL), as in production (TASKS_BACKEND=database).
"""

import signal
import time

import pytest
from django.urls import reverse
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.models import Job, JobStatus
from models_learning.models import Registration
from tests.faults.workers import start_worker, stop_worker, wait_for
from tests.imports.conftest import check, filled, household_row
from transfers.imports import services
from transfers.models import ImportBatch, ImportMode, ImportStatus

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 600
# The workers write a sign of life twice a second; one silent for 3 s is dead. They import row
# by row through the services (IMPORT_CHUNK_ROWS=0): in chunks, the rows are written before
# the kill can land (the chunk path's all-or-nothing is the same one transaction). 600 rows:
# the row path reads faster since the sheet reader's expat pass, and 150 were sometimes all
# imported before the kill on an idle machine.
WORKER_ENV = {"JOB_HEARTBEAT_INTERVAL": 0.5, "JOB_STALE_AFTER": 3, "IMPORT_CHUNK_ROWS": 0}


def test_a_worker_killed_mid_import_leaves_an_interrupted_batch_that_imports_again(
    client, officer, villages, tree, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    data = filled(
        "households",
        tree["commune"],
        [
            household_row(villages[i % 3], name=f"Lò Văn {i}", birth=1940 + i % 60)
            for i in range(ROWS)
        ],
    )
    settings.IMPORT_INLINE_MAX_BYTES = 10_000_000  # the check inline, in this process
    batch = check(officer, "households", tree["commune"], data)
    assert (batch.status, batch.count("new")) == (ImportStatus.READY, ROWS)
    settings.IMPORT_INLINE_MAX_BYTES = 0  # the import goes to the worker
    batch = services.import_batch(batch, by=officer, mode=ImportMode.ALL)
    log = tmp_path / "workers.log"

    first = start_worker(log, **WORKER_ENV)
    try:
        running = wait_for(
            lambda: Job.objects.filter(pk=batch.job_id, status=JobStatus.RUNNING).exists(), 20
        )
        assert running, log.read_text()
        time.sleep(0.7)  # well into the import
        assert Job.objects.get(pk=batch.job_id).status == JobStatus.RUNNING, "finished too soon"
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        stop_worker(first)
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.IMPORTING
    assert Registration.objects.count() in (0, ROWS)  # all or nothing, never part of the file

    second = start_worker(log, **WORKER_ENV)
    try:
        interrupted = wait_for(
            lambda: ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.FAILED).first(), 20
        )
        assert interrupted, log.read_text()
        assert interrupted.interrupted_step == "import"
        assert Registration.objects.count() in (0, ROWS)
        assert Job.objects.get(pk=batch.job_id).status == JobStatus.FAILED
        client.force_login(officer)
        page = client.get(reverse("imports:batch-detail", args=[batch.pk]))
        assert "Nhập lại tệp" in page.text
        assert 'hx-trigger="every 2s"' not in page.text

        client.post(reverse("imports:batch-retry", args=[batch.pk]))
        imported = wait_for(
            lambda: ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.IMPORTED).first(),
            90,
        )
        assert imported, log.read_text()
    finally:
        stop_worker(second)
    assert imported.result["new"] + imported.result["unchanged"] == ROWS
    assert Registration.objects.count() == ROWS
    # Nothing stuck: no job waiting or running, no queue entry a dead worker left running.
    assert not Job.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists()
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()
