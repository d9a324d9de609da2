#!/usr/bin/env python3
"""/healthz while the pages are under load: does a load balancer still get its answer in time?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/khuyenhoc_healthz_bench \\
        python bench/healthz_load.py --clients 50 --seconds 30

Creates the database named by DATABASE_URL (PostgreSQL on loopback) if it does not exist,
migrates it and loads the demo data, collects the static files into a scratch folder, then
runs gunicorn with deploy/gunicorn.conf.py on a scratch loopback port (DEBUG off), twice: with
gunicorn's plain threaded worker (the floor: /healthz queues behind the pages) and with the
portal's worker (/healthz answered by threads of its own). Each round, --clients threads load
heavy public pages (home, statistics, searches, centres) without pause while another process
requests /healthz every 100 ms; it prints the p50/p95/max of /healthz, the pages' throughput
and latency, errors, and the load average. Requests are bounded in number and time; only
loopback is ever loaded. The database is dropped at the end unless --keep-database.
"""

import argparse
import multiprocessing
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_PAGE_REQUESTS = 20_000
PAGES = [
    "/",
    "/stats/",
    "/recognitions/?q=nguyen",
    "/recognitions/?q=lo+van&kind=family",
    "/recognitions/?year=2024&page=2",
    "/centers/",
]
ROUNDS = [
    ("gthread (plain)", "gthread"),
    ("gthread + /healthz threads", "khuyenhoc.gunicorn_worker.HealthFirstWorker"),
]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="page-loading threads (max 64)")
    parser.add_argument("--seconds", type=float, default=30, help="length of each round (max 120)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn page threads per worker")
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    parsed = urllib.parse.urlsplit(url)
    if not url.startswith(("postgres://", "postgresql://")) or parsed.hostname not in LOOPBACK:
        parser.error("set DATABASE_URL to a PostgreSQL database on loopback (a scratch one)")
    if not 1 <= args.clients <= 64 or not 1 <= args.seconds <= 120:
        parser.error("--clients 1..64, --seconds 1..120")
    args.database_url = url
    return args


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *command):
    subprocess.run([str(PYTHON), "manage.py", *command], cwd=ROOT, env=env, check=True)


def prepare_database(env, url):
    """Create the database if missing, migrate it and load the demo data (idempotent)."""
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", "--if-empty", "--no-accounts")
    return admin, name


def fetch(url, timeout=30):
    """(status, seconds) of one GET, the whole body read."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        status = f"error: {error}"
    return status, time.perf_counter() - started


def probe(base, seconds, results):
    """In a process of its own (the clients' threads must not slow the measuring): /healthz
    every 100 ms."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, took = fetch(base + "/healthz", timeout=10)
        results.append((status, took))
        time.sleep(max(0.0, 0.1 - took))


def load_pages(base, seconds, clients):
    deadline = time.monotonic() + seconds
    outcomes = []
    lock = threading.Lock()

    def client(number):
        turn = number
        while time.monotonic() < deadline:
            with lock:
                if len(outcomes) >= MAX_PAGE_REQUESTS:
                    return
            result = fetch(base + PAGES[turn % len(PAGES)])
            turn += 1
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def wait_until_up(base, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited before answering")
        status, _took = fetch(base + "/healthz", timeout=2)
        if status in (200, 503):
            return
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz")


def run_round(args, env, worker_class):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    round_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_THREADS": str(args.threads),
        "GUNICORN_WORKER_CLASS": worker_class,
    }
    gunicorn = subprocess.Popen(
        [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "khuyenhoc.wsgi"],
        cwd=ROOT,
        env=round_env,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base, gunicorn)
        for page in PAGES:  # warm every worker's caches a little
            fetch(base + page)
        manager = multiprocessing.Manager()
        probes = manager.list()
        prober = multiprocessing.Process(target=probe, args=(base, args.seconds, probes))
        started = time.monotonic()
        prober.start()
        pages = load_pages(base, args.seconds, args.clients)
        elapsed = time.monotonic() - started
        prober.join(args.seconds + 30)
        probes = list(probes)
        load = os.getloadavg()
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
    page_times = [took for status, took in pages if status == 200]
    health_times = [took for status, took in probes if status in (200, 503)]
    return {
        "health": health_times,
        "health_errors": sum(1 for status, _t in probes if status not in (200, 503)),
        "pages": len(page_times),
        "page_errors": sum(1 for status, _t in pages if status != 200),
        "page_rate": len(page_times) / elapsed,
        "page_p50": percentile(page_times, 0.5),
        "page_p95": percentile(page_times, 0.95),
        "load": load,
    }


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    static = Path(tempfile.mkdtemp(prefix="khuyenhoc-static-"))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": args.database_url,
        "SECRET_KEY": "healthz-bench-only-" + os.urandom(8).hex(),
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(static),
        "LOG_LEVEL": "WARNING",
    }
    admin, name = prepare_database(env, args.database_url)
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "compiletranslations")
    try:
        results = [(label, run_round(args, env, worker)) for label, worker in ROUNDS]
    finally:
        shutil.rmtree(static, ignore_errors=True)
        if not args.keep_database:
            subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=False)
    print(
        f"\n{args.clients} clients loading {len(PAGES)} public pages for {args.seconds:.0f} s each "
        f"round; gunicorn {args.workers} workers × {args.threads} page threads; "
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores\n"
    )
    print(
        "| worker | /healthz p50 | p95 | max | probes (errors) | pages/s | page p50 | page p95 "
        "| page errors | load average (1, 5, 15 min) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for label, r in results:
        health = r["health"]
        print(
            f"| {label} | {statistics.median(health) * 1000:.0f} ms "
            f"| {percentile(health, 0.95) * 1000:.0f} ms | {max(health) * 1000:.0f} ms "
            f"| {len(health)} ({r['health_errors']}) | {r['page_rate']:.1f} "
            f"| {r['page_p50'] * 1000:.0f} ms | {r['page_p95'] * 1000:.0f} ms "
            f"| {r['page_errors']} | {r['load'][0]:.2f}, {r['load'][1]:.2f}, {r['load'][2]:.2f} |"
        )


if __name__ == "__main__":
    main()
