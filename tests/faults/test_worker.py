"""The background worker survives a lost database, takes no lock while idle, and shows it is
alive; running jobs show they are alive; the reaper is also a command."""

import io
import sqlite3
import threading
import time

import pytest
from django.core.management import call_command, get_commands
from django.db import connection
from django.utils import timezone

from jobs import runner
from jobs.management.commands.db_worker import Worker
from jobs.models import Job, JobStatus, WorkerBeat
from tests.faults.servers import database_unreachable
from tests.faults.workers import start_worker, stop_worker, wait_for

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@runner.register("test-faults-quiet")
def _quiet(job, progress):
    """Works for a while without reporting progress, then tells its last sign of life."""
    time.sleep(job.params.get("seconds", 0))
    return {"heartbeat_at": Job.objects.get(pk=job.pk).heartbeat_at.isoformat()}


def in_process_worker(**options):
    return Worker(
        queue_names=["default"],
        interval=0.05,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=options.get("max_tasks"),
        worker_id=options.get("worker_id", "test-worker"),
    )


def test_manage_py_db_worker_is_the_worker_that_survives():
    assert get_commands()["db_worker"] == "jobs"


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_cannot_reach_the_database_waits_and_goes_on_when_it_is_back(
    officer, settings, caplog
):
    settings.TASKS = DATABASE_QUEUE
    job = runner.start_job("test-faults-quiet", by=officer, title="Việc thử")
    worker = in_process_worker(max_tasks=1)
    with database_unreachable() as restore, caplog.at_level("WARNING", logger="jobs.worker"):
        threading.Timer(1.5, restore).start()
        started = time.monotonic()
        worker.run()  # returns once it ran its one task
    took = time.monotonic() - started
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert "the worker tries again in 1 s" in caplog.text
    assert "The database answers again" in caplog.text
    assert 1.5 < took < 15
    assert WorkerBeat.objects.get().worker_id == "test-worker"


@pytest.mark.django_db(transaction=True)
def test_a_running_job_writes_a_sign_of_life_even_between_progress_reports(officer, settings):
    settings.JOB_HEARTBEAT_INTERVAL = 0.1
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    before = timezone.now()
    job = runner.start_job("test-faults-quiet", by=officer, title="Việc thử", params={"seconds": 1})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    # Seen by the job itself at its end: the timer had written it while it worked.
    seen = timezone.datetime.fromisoformat(job.summary["heartbeat_at"])
    assert (seen - before).total_seconds() > 0.5


@pytest.mark.django_db(transaction=True)
def test_an_idle_worker_never_holds_the_write_lock(tmp_path, officer):
    if connection.vendor != "sqlite":
        pytest.skip("the write lock of a whole database is SQLite's")
    # A worker polling without a pause, its own sign of life written only at start.
    worker = start_worker(
        tmp_path / "worker.log", interval=0, JOB_HEARTBEAT_INTERVAL=3600, JOB_STALE_AFTER=3600
    )
    try:
        assert wait_for(WorkerBeat.objects.exists, 20), (tmp_path / "worker.log").read_text()
        time.sleep(0.3)
        # An officer's save that may not wait at all (busy timeout 0) while the worker polls.
        other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
        locked = 0
        for _ in range(300):
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("UPDATE auth_user SET last_name = 'x' WHERE id = ?", [officer.pk])
                other.execute("COMMIT")
            except sqlite3.OperationalError as error:
                assert "locked" in str(error)
                locked += 1
            time.sleep(0.005)
        other.close()
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
    finally:
        stop_worker(worker)
    assert locked == 0


@pytest.mark.django_db
def test_reap_jobs_marks_the_jobs_of_dead_workers_failed(officer, settings):
    settings.JOB_STALE_AFTER = 60
    silent = Job.objects.create(
        kind="test-faults-quiet",
        title="Việc thử",
        requested_by=officer,
        status=JobStatus.RUNNING,
        heartbeat_at=timezone.now() - timezone.timedelta(seconds=90),
    )
    out = io.StringIO()
    call_command("reap_jobs", stdout=out)
    assert f"job {silent.pk} (test-faults-quiet)" in out.getvalue()
    assert "1 job(s) marked failed." in out.getvalue()
    silent.refresh_from_db()
    assert silent.status == JobStatus.FAILED
