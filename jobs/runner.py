"""Background jobs: start one, let a worker run it, show its progress, hand over its result.

An app registers a runner for a kind: `@runner.register("certificates-batch")` on a function
`run(job, progress)` that calls `progress(done, total)` as it goes and returns either
`Result(name, content_bytes)` (a file to download) or a dict (a summary to show). Runners
must be importable from `<app>/jobs.py` so the worker finds them.

A running job shows it is alive (Job.heartbeat_at) at each progress step and every
JOB_HEARTBEAT_INTERVAL seconds. When its worker dies, jobs.reaper marks it failed and calls
what the kind registered with `@runner.when_interrupted(kind)`, e.g. to let the person start
the import again; `@runner.sweep` registers a check the reaper also runs for work that was
never a job (an import checked inside a request that died).
"""

import logging
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .heartbeat import Beat
from .models import Job, JobStatus

logger = logging.getLogger(__name__)
_RUNNERS = {}
_INTERRUPTED = {}
_SWEEPS = []


@dataclass
class Result:
    name: str
    content: bytes
    summary: dict | None = None


def register(kind):
    def register(func):
        _RUNNERS[kind] = func
        return func

    return register


def when_interrupted(*kinds):
    """Register `handler(job)`, called by the reaper when a job of these kinds lost its worker."""

    def register(handler):
        for kind in kinds:
            _INTERRUPTED[kind] = handler
        return handler

    return register


def sweep(func):
    """Register `func(stale_before)`, run by the reaper after the jobs (see the module)."""
    _SWEEPS.append(func)
    return func


def load_runners():
    """Import every app's `jobs` module, where runners and handlers register."""
    for config in apps.get_app_configs():
        try:
            import_module(f"{config.name}.jobs")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.jobs":
                raise


def interrupted_handler(kind):
    load_runners()
    return _INTERRUPTED.get(kind)


def sweeps():
    load_runners()
    return list(_SWEEPS)


def _runner_for(kind):
    if kind not in _RUNNERS:
        load_runners()
    return _RUNNERS[kind]


def start_job(kind, *, by, title, params=None):
    """Record a job and queue it for a worker once the current transaction commits."""
    _runner_for(kind)  # an unknown kind fails here, in the request, not later in the worker
    job = Job.objects.create(kind=kind, title=title, requested_by=by, params=params or {})
    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


def _progress_of(job):
    def progress(done, total=None):
        fields = {"done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            fields["total"] = total
        Job.objects.filter(pk=job.pk).update(**fields)
        job.done = done
        job.total = total if total is not None else job.total

    return progress


def _beat(job_id):
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(heartbeat_at=timezone.now())


@task()
def run_job(job_id):
    """Run one job: its runner's result is stored; a failure is recorded, never lost."""
    # Only one worker starts a job, and never one the reaper gave up on.
    started = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, heartbeat_at=timezone.now()
    )
    if not started:
        return
    job = Job.objects.get(pk=job_id)
    beat = Beat(lambda: _beat(job.pk), settings.JOB_HEARTBEAT_INTERVAL, name=f"job-{job.pk}")
    try:
        with beat:
            outcome = _runner_for(job.kind)(job, _progress_of(job))
    except Exception as error:  # the person must see that it failed, whatever the cause
        logger.exception("job %s failed", job.pk)
        job.status = JobStatus.FAILED
        job.message = str(getattr(error, "message", error))[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        return
    if isinstance(outcome, Result):
        job.result.save(outcome.name, ContentFile(outcome.content), save=False)
        job.result_name = outcome.name
        job.summary = outcome.summary or {}
    else:
        job.summary = outcome or {}
    job.status = JobStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["result", "result_name", "summary", "status", "finished_at"])
