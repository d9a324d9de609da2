#!/usr/bin/env python3
"""Fault drills on loopback against a production-like setup this script starts itself.

    python bench/faults.py            # about 5 minutes; prints the table the README quotes

It starts, each on a scratch port and in a scratch folder: a PostgreSQL cluster of its own
(initdb and pg_ctl from /usr/lib/postgresql/15/bin, never the shared server), a Redis server
(so that it can be stopped), gunicorn with deploy/gunicorn.conf.py (DEBUG off, SECRET_KEY set,
SECURE_SSL_REDIRECT=0, CACHE_URL on that Redis) and a background worker (manage.py db_worker).
It loads the demo data, then runs three drills while four clients load public and staff-facing
pages (home, search, statistics, a certificate check, an unknown code, /healthz):

  a. the worker killed with SIGKILL in the middle of an import, then started again: the batch
     must end interrupted (then imported again from the start), never "importing";
  b. the cache's port closed (Redis stopped) for 10 s, then Redis back;
  c. the database stopped for 10 s (pg_ctl stop), then started again; the worker must live on.

For each: the requests sent, the "temporarily unavailable" pages (503) and errors (any other
5xx, a refused connection, a timeout) during the fault, the errors after recovery (must be 0),
the rows a killed import left behind (must be 0 or the whole file) and the jobs stuck at the
end (must be 0). Everything is stopped and removed at the end (--keep leaves the folder).
"""

import argparse
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
IMPORT_ROWS = 400
STALE_AFTER = 8  # seconds: the drills' JOB_STALE_AFTER (production: 120)
OUTAGE = 10  # seconds a fault lasts
AFTER = 10  # seconds of traffic measured after recovery
CLIENTS = 4
MAX_REQUESTS = 20_000


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(command):
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Cluster:
    """A PostgreSQL cluster of this script's own, on a scratch port and folder."""

    def __init__(self, folder):
        self.data = folder / "pgdata"
        self.log = folder / "postgres.log"
        self.port = free_port()
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        subprocess.run(
            as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                         "--auth=trust", "-E", "UTF8", "--no-sync"]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off"
        subprocess.run(
            as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                         "-o", options, "-w", "start"]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def stop(self):
        subprocess.run(
            as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]),
            check=False, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def url(self, name="khuyenhoc"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


class Redis:
    """A Redis server of this script's own (keeps nothing on disk)."""

    def __init__(self, folder):
        self.port = free_port()
        self.folder = folder
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(lambda: port_open(self.port), 10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def port_open(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for(condition, timeout, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except Exception:  # the database may be down while we wait for it
            value = None
        if value:
            return value
        time.sleep(step)
    return None


class Traffic:
    """CLIENTS threads loading pages without pause; each outcome kept with its time."""

    def __init__(self, base, paths):
        self.base = base
        self.paths = paths
        self.outcomes = []  # (time.monotonic(), path, status or "error: …")
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.client, args=(n,)) for n in range(CLIENTS)]

    def client(self, number):
        turn = number
        while not self.stopping.is_set() and len(self.outcomes) < MAX_REQUESTS:
            path = self.paths[turn % len(self.paths)]
            turn += 1
            try:
                with urllib.request.urlopen(self.base + path, timeout=10) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError as error:
                status = f"error: {error}"
            self.outcomes.append((time.monotonic(), path, status))
            time.sleep(0.05)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(15)

    def between(self, start, end):
        return [o for o in self.outcomes if start <= o[0] < end]


def is_error(status):
    return not isinstance(status, int) or (status >= 500 and status != 503)


def summary(name, traffic, fault, recovered, end, **extra):
    during = traffic.between(fault, recovered)
    after = traffic.between(recovered, end)
    return {
        "drill": name,
        "requests": len(during) + len(after),
        "unavailable": sum(1 for o in during if o[2] == 503),
        "errors_during": sum(1 for o in during if is_error(o[2])),
        "errors_after": sum(1 for o in after if is_error(o[2]) or o[2] == 503),
        "error_samples": sorted({str(o[2])[:80] for o in during + after if is_error(o[2])})[:3],
        **extra,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="khuyenhoc-faults-"))
    os.chmod(folder, 0o755)
    cluster = Cluster(folder / "pg")
    redis = Redis(folder)
    processes = []
    try:
        cluster.start()
        subprocess.run(
            ["psql", cluster.url("postgres"), "-qc", "CREATE DATABASE khuyenhoc"], check=True
        )
        redis.start()
        port = free_port()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DATABASE_URL": cluster.url(),
            "CACHE_URL": f"redis://127.0.0.1:{redis.port}/0",
            "SECRET_KEY": "faults-bench-only-" + os.urandom(8).hex(),
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(folder / "static"),
            "PRIVATE_MEDIA_ROOT": str(folder / "private"),
            "TASKS_BACKEND": "database",
            "IMPORT_INLINE_MAX_BYTES": "0",  # every import through the worker
            "JOB_HEARTBEAT_INTERVAL": "1",
            "JOB_STALE_AFTER": str(STALE_AFTER),
            "DEMO_PASSWORD": "faults-" + os.urandom(6).hex(),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "LOG_LEVEL": "WARNING",
        }
        log = open(folder / "servers.log", "ab")  # noqa: SIM115 (closed with the folder)

        def manage(*command):
            subprocess.run([str(PYTHON), "manage.py", *command], cwd=ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL)  # fmt: skip

        print("migrating and loading the demo data…", flush=True)
        manage("migrate", "--noinput")
        manage("seed_demo", "--force")
        manage("collectstatic", "--noinput")
        manage("compiletranslations")

        def start(*command):
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
            processes.append(process)
            return process

        start(str(PYTHON), "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "khuyenhoc.wsgi")
        worker = start(str(PYTHON), "manage.py", "db_worker", "--no-reload", "--interval", "0.2")
        base = f"http://127.0.0.1:{port}"
        if not wait_for(lambda: urllib.request.urlopen(base + "/healthz", timeout=2).status, 60):
            raise SystemExit("gunicorn did not answer")

        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "khuyenhoc.settings"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        drills = Drills(base, cluster, redis, start, worker)
        rows = [drills.worker_killed(), drills.cache_closed(), drills.database_outage()]
        print_table(rows)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        redis.stop()
        cluster.stop()
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


class Drills:
    def __init__(self, base, cluster, redis, start, worker):
        from models_learning.models import Recognition

        self.base = base
        self.cluster = cluster
        self.redis = redis
        self.start = start
        self.worker = worker
        code = Recognition.objects.filter(revoked_at__isnull=True).first().certificate_code
        self.paths = [
            "/",
            "/recognitions/?q=nguyen",
            f"/verify/{code}/",
            "/verify/DB-2026-ZZZZZZ/",
            "/stats/",
            "/healthz",
            f"/recognitions/{code}/",
        ]

    def stuck(self):
        from django.db import close_old_connections

        from jobs import reaper
        from jobs.models import Job, JobStatus

        close_old_connections()
        # Stuck: a job the reaper would fail now, or any job still queued or running.
        return max(
            reaper.stuck_jobs().count(),
            Job.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).count(),
        )

    def import_file(self):
        """An officer's file of IMPORT_ROWS new households, checked by the worker."""
        from django.contrib.auth import get_user_model
        from django.core.files.uploadedfile import SimpleUploadedFile
        from openpyxl import load_workbook

        from lib.sheets import build_template
        from transfers.imports import services
        from transfers.imports.context import ImportContext
        from transfers.imports.kinds import KINDS
        from transfers.models import ImportBatch, ImportStatus
        from units.models import Village

        officer = get_user_model().objects.get(username="demo-commune")
        unit = officer.memberships.first().unit
        villages = list(Village.objects.filter(commune=unit).values_list("name", flat=True))
        context = ImportContext(unit, officer)
        spec = KINDS["households"].spec(context)
        book = load_workbook(io.BytesIO(build_template(spec, choices_context=context)))
        for number in range(IMPORT_ROWS):
            row = {
                "head_name": f"Giàng A {letters(number)}",
                "head_birth_year": 1960 + number % 40,
                "village": villages[number % len(villages)],
                "year": time.localtime().tm_year,
            }
            book.worksheets[0].append([row.get(key) for key in spec.keys])
        data = io.BytesIO()
        book.save(data)
        upload = SimpleUploadedFile("ho-gia-dinh.xlsx", data.getvalue())
        batch = services.check_upload(by=officer, kind="households", unit=unit, upload=upload)
        ready = wait_for(
            lambda: ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.READY).first(), 120
        )
        if not ready:
            raise SystemExit("the worker did not check the file")
        return officer, ready

    def worker_killed(self):
        from models_learning.models import Registration
        from transfers.imports import services
        from transfers.models import ImportBatch, ImportStatus

        print("drill a: the worker killed mid-import…", flush=True)
        officer, batch = self.import_file()
        before = Registration.objects.count()
        with Traffic(self.base, self.paths) as traffic:
            batch = services.import_batch(batch, by=officer, mode="all")
            running = wait_for(
                lambda: batch.job.__class__.objects.filter(
                    pk=batch.job_id, status="running"
                ).exists(),
                60,
            )
            if not running:
                raise SystemExit("the worker did not start the import")
            time.sleep(1.5)
            fault = time.monotonic()
            os.kill(self.worker.pid, signal.SIGKILL)
            self.worker.wait(10)
            left_behind = Registration.objects.count() - before
            self.worker = self.start(
                str(PYTHON), "manage.py", "db_worker", "--no-reload", "--interval", "0.2"
            )
            interrupted = wait_for(
                lambda: ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.FAILED).first(),
                STALE_AFTER * 4,
            )
            interrupted_after = time.monotonic() - fault
            if not interrupted or interrupted.interrupted_step != "import":
                raise SystemExit("the killed import was not marked interrupted")
            services.retry_batch(interrupted, by=officer)  # the "import again" button
            imported = wait_for(
                lambda: ImportBatch.objects.filter(
                    pk=batch.pk, status=ImportStatus.IMPORTED
                ).first(),
                120,
            )
            recovered = time.monotonic()
            time.sleep(AFTER)
            end = time.monotonic()
        new = Registration.objects.count() - before
        return summary(
            "a. worker killed (SIGKILL) mid-import, restarted",
            traffic,
            fault,
            recovered,
            end,
            note=(
                f"rows left by the killed import: {left_behind} of {IMPORT_ROWS}; interrupted "
                f"after {interrupted_after:.0f} s; imported again: "
                f"{imported.result['new'] if imported else '—'} new, {new} in all"
            ),
            stuck=self.stuck(),
        )

    def cache_closed(self):
        print("drill b: the cache's port closed…", flush=True)
        with Traffic(self.base, self.paths) as traffic:
            time.sleep(2)
            fault = time.monotonic()
            self.redis.stop()
            time.sleep(OUTAGE)
            self.redis.start()
            recovered = time.monotonic()
            time.sleep(AFTER)
            end = time.monotonic()
        checks = Counter(str(o[2]) for o in traffic.between(fault, recovered) if "/verify/" in o[1])
        return summary(
            "b. cache port closed (Redis stopped 10 s)",
            traffic,
            fault,
            recovered,
            end,
            note="certificate checks during: "
            + ", ".join(f"{count} × {status}" for status, count in sorted(checks.items())),
            stuck=self.stuck(),
        )

    def database_outage(self):
        from django.db import close_old_connections, connection

        print("drill c: the database stopped…", flush=True)
        with Traffic(self.base, self.paths) as traffic:
            time.sleep(2)
            fault = time.monotonic()
            self.cluster.stop()
            connection.close()
            time.sleep(OUTAGE)
            self.cluster.start()
            healthy = wait_for(
                lambda: urllib.request.urlopen(self.base + "/healthz", timeout=5).status == 200,
                60,
                step=0.1,
            )
            recovered = time.monotonic()
            time.sleep(AFTER)
            end = time.monotonic()
        close_old_connections()
        worker_alive = self.worker.poll() is None
        # The worker goes on: a file checked after the outage.
        _officer, batch = self.import_file()
        return summary(
            "c. database stopped 10 s (pg_ctl stop/start)",
            traffic,
            fault,
            recovered,
            end,
            note=(
                f"healthz back {'yes' if healthy else 'no'}; worker process alive: "
                f"{'yes' if worker_alive else 'no'}; a file checked by it afterwards: "
                f"{batch.status}"
            ),
            stuck=self.stuck(),
        )


def letters(number):
    word = ""
    while True:
        number, digit = divmod(number, 26)
        word = chr(ord("a") + digit) + word
        if not number:
            return word.capitalize()


def print_table(rows):
    load = os.getloadavg()
    print(
        f"\n{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, load average "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1 / 5 / 15 min); {CLIENTS} clients\n"
    )
    print(
        "| drill | requests | 503 pages during | errors during | errors after recovery "
        "| stuck jobs | what else |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for row in rows:
        print(
            f"| {row['drill']} | {row['requests']} | {row['unavailable']} | "
            f"{row['errors_during']} | {row['errors_after']} | {row['stuck']} | {row['note']} |"
        )
    for row in rows:
        if row["error_samples"]:
            print(f"  {row['drill']}: {'; '.join(row['error_samples'])}")


if __name__ == "__main__":
    main()
