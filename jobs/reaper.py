"""Jobs whose worker died never stay "running": the reaper marks them failed.

A worker killed (kill -9, out of memory, a deploy) or cut off from the database in the middle
of a job leaves it "running", and its heartbeat (Job.heartbeat_at) stops moving. The reaper,
run by every worker every few seconds and by `manage.py reap_jobs`, marks failed:

- a running job silent for JOB_STALE_AFTER seconds;
- a job queued for longer than that that nothing will run any more (a worker took it from
  the queue and died before starting it, or it never reached the queue);

and calls its kind's `when_interrupted` handler (an import becomes "interrupted: start
again"), then the `sweep`s apps registered. It reads first and writes only when there is
something to mark: an idle reaper takes no write lock (SQLite).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import runner
from .models import Job, JobStatus

logger = logging.getLogger(__name__)
LOST = "jobs.reaper.WorkerLost"


def stale_before(now=None):
    """Signs of life older than this mean the worker is gone."""
    return (now or timezone.now()) - timedelta(seconds=settings.JOB_STALE_AFTER)


def _silent(cutoff):
    return Q(status=JobStatus.RUNNING) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )


def stuck_jobs(now=None):
    """Running jobs silent for longer than JOB_STALE_AFTER: the reaper's next catch."""
    return Job.objects.filter(_silent(stale_before(now)))


def _queue():
    """django-tasks-db's queue of run_job entries, or None with another backend."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(runner.run_job.get_backend(), DatabaseBackend):
        return None
    return DBTaskResult.objects.filter(task_path=runner.run_job.module_path)


def _job_of(args_kwargs):
    args = (args_kwargs or {}).get("args") or []
    return args[0] if args else None


def _orphans(cutoff):
    """Jobs queued before `cutoff` that no queue entry is waiting to run."""
    from django_tasks.base import TaskResultStatus

    queued = set(
        Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:1000]
    )
    queue = _queue() if queued else None
    if queue is not None:
        waiting = queue.filter(status=TaskResultStatus.READY).values_list("args_kwargs", flat=True)
        queued -= {_job_of(entry) for entry in waiting}
    return queued


def _mark(jobs, job, now):
    """Mark `job` failed if `jobs` (its row, with the reaper's conditions) still matches."""
    with transaction.atomic():
        marked = jobs.update(
            status=JobStatus.FAILED,
            finished_at=now,
            message=_(
                "The worker running this job stopped before it finished (a restart, a crash "
                "or a lost database). Nothing it did was kept; start it again."
            ),
        )
        if not marked:
            return False
        handler = runner.interrupted_handler(job.kind)
        if handler is not None:
            handler(job)
    logger.warning("Job %s (%s) lost its worker: marked failed.", job.pk, job.kind)
    return True


def _close_queue_entries(jobs, now):
    """The queue entries of `jobs` that a dead worker left "running" are failed too."""
    from django_tasks.base import TaskResultStatus

    queue = _queue()
    if queue is None:
        return
    ids = {job.pk for job in jobs}
    running = queue.filter(status=TaskResultStatus.RUNNING).values_list("pk", "args_kwargs")
    lost = [pk for pk, args_kwargs in running if _job_of(args_kwargs) in ids]
    if lost:
        queue.filter(pk__in=lost, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=LOST,
            traceback="The worker running this task stopped before it finished.",
        )


def reap(now=None):
    """Mark failed every job whose worker is gone (see the module); returns those jobs."""
    now = now or timezone.now()
    cutoff = stale_before(now)
    reaped = []
    for job in Job.objects.filter(_silent(cutoff)):
        if _mark(Job.objects.filter(_silent(cutoff), pk=job.pk), job, now):
            reaped.append(job)
    for job in Job.objects.filter(pk__in=_orphans(cutoff)):
        if _mark(Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED), job, now):
            reaped.append(job)
    if reaped:
        _close_queue_entries(reaped, now)
    for sweep in runner.sweeps():
        sweep(cutoff)
    return reaped
