"""`manage.py db_worker`: django-tasks-db's worker, made to survive and to keep jobs honest.

It replaces django-tasks-db's command of the same name (jobs comes first in INSTALLED_APPS)
and takes the same options. What it adds:

- A database error (a restart, a lost connection) no longer ends the worker: it logs a
  warning, waits 1 s, 2 s, 4 s … up to 30 s, reconnects and goes on.
- When idle it polls with a plain read and takes the queue's lock only when a task is ready:
  upstream opened a write transaction every second, and on SQLite (where every transaction
  here takes the write lock) that made officers' saves queue behind it.
- It writes its sign of life (WorkerBeat) every JOB_HEARTBEAT_INTERVAL seconds: /healthz
  reports its age.
- It runs the reaper (jobs.reaper) every few seconds: jobs whose worker died are failed.
"""

import logging
import os
import random
import socket
import time
from datetime import timedelta

from django.conf import settings
from django.db import Error, OperationalError, close_old_connections
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from jobs import reaper
from jobs.heartbeat import Beat, close_connections
from jobs.models import WorkerBeat

logger = logging.getLogger("jobs.worker")

MAX_BACKOFF = 30.0
STOP = object()
# Workers not seen for this long are forgotten (their rows deleted) when a worker starts.
FORGET_AFTER = timedelta(days=1)


class Worker(upstream.Worker):
    def run(self):
        logger.info("Starting worker %s (queues %s)", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())
        self.started_at = timezone.now()
        self.announced = False
        self.next_reap = 0.0
        self.reap_every = max(0.5, min(30.0, settings.JOB_STALE_AFTER / 4))
        failures = 0
        with Beat(self.beat, settings.JOB_HEARTBEAT_INTERVAL, name=f"worker-{self.worker_id}"):
            while self.running:
                try:
                    found = self.step()
                except Error as error:
                    failures += 1
                    delay = min(MAX_BACKOFF, 2.0 ** (failures - 1))
                    logger.warning(
                        "Database error (%s): the worker tries again in %.0f s.",
                        str(error).strip() or type(error).__name__,
                        delay,
                    )
                    close_connections()
                    time.sleep(delay)
                    continue
                if failures:
                    logger.warning("The database answers again: the worker goes on.")
                    failures = 0
                if found is STOP:
                    return
                # As a request would: drop connections that are too old or broken.
                close_old_connections()
                if self.running and not found:
                    time.sleep(self.interval)

    def step(self):
        """One turn: announce, reap when due, run one ready task. True if a task ran."""
        if not self.announced:
            self.beat()
            WorkerBeat.objects.filter(seen_at__lt=timezone.now() - FORGET_AFTER).delete()
            self.announced = True
        if time.monotonic() >= self.next_reap:
            reaper.reap()
            self.next_reap = time.monotonic() + self.reap_every
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        task_result = None
        # A plain read first: an idle worker takes no lock at all.
        if tasks.exists():
            with exclusive_transaction(tasks.db):
                try:
                    task_result = tasks.get_locked()
                except OperationalError as error:
                    if "is locked" not in str(error):
                        raise
                if task_result is not None:
                    task_result.claim(self.worker_id)
        if task_result is not None:
            self.run_task(task_result)
        if self.batch and task_result is None:
            logger.info("No more tasks for worker %s: exiting.", self.worker_id)
            return STOP
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            logger.info("Worker %s ran its %d tasks: exiting.", self.worker_id, self._run_tasks)
            return STOP
        return task_result is not None

    def beat(self):
        now = timezone.now()
        if not WorkerBeat.objects.filter(worker_id=self.worker_id).update(seen_at=now):
            WorkerBeat.objects.create(
                worker_id=self.worker_id,
                host=socket.gethostname()[:255],
                pid=os.getpid(),
                started_at=self.started_at,
                seen_at=now,
            )


class Command(upstream.Command):
    help = (
        "Run a background worker: it survives database outages, reports its sign of life and "
        "fails the jobs of workers that died"
    )

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        **options,
    ):
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning("--reload and --batch cannot be used together: no autoreload.")
            reload = False
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
