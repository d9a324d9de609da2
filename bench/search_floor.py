#!/usr/bin/env python3
"""The public search against its floor, in one run (README, "Public figures cached"):

    SECRET_KEY=x .venv/bin/python bench/search_floor.py --requests 200 --threads 1 \
        --target http://127.0.0.1:18431 postgres://postgres@127.0.0.1:5432/khuyenhoc_search_1m \
        --target http://127.0.0.1:18432 postgres://postgres@127.0.0.1:5432/khuyenhoc_search_10k

For each target (a server on loopback and the database it serves), for the same request mix
as bench/search_load.py (names typed without diacritics, filters, pages; the unit filters read
from the form):
- the search: p50/p95 of `--requests` GETs from `--threads` clients, after a warm-up that
  sends every request shape 12 times (so that every worker has met it);
- /healthz: the same number of GETs from the same threads, right after (what any request
  costs: gunicorn, the middleware, one query);
- the search's own SQL: the statements each request shape sends on a warm server, captured
  once through Django's test client in this process, then run again with cursor.execute +
  fetchall (median of --sql-runs), taken per request of the mix;
- the floor: p95(healthz) + p95(own SQL), and p95(search) ÷ floor (target ≤ 1.3);
- the first-visit SQL: the statements of each shape's first request in this process (the
  search not in the cache yet: what a search nobody made since the last change costs).
With two targets or more it also prints p95(first) ÷ p95(last) (target ≤ 1.2: the first
target is the big database, the last the small one). Each target is measured by a child
process of this script with DATABASE_URL set to its database. Loopback only, bounded.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from search_load import (  # noqa: E402
    LOOPBACK,
    MAX_REQUESTS,
    SEARCHES,
    fetch,
    percentile,
    unit_filters,
)

FLOOR_LIMIT = 1.3
SCALE_LIMIT = 1.2


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--target",
        nargs=2,
        action="append",
        metavar=("BASE", "DATABASE_URL"),
        help="a server on loopback and its database (repeatable; the biggest first)",
    )
    parser.add_argument(
        "--requests", type=int, default=200, help=f"per target (max {MAX_REQUESTS})"
    )
    parser.add_argument("--threads", type=int, default=1, help="concurrent clients (max 16)")
    parser.add_argument("--sql-runs", type=int, default=5, help="runs of each shape's SQL")
    parser.add_argument("--max-seconds", type=float, default=300, help="per load, at most")
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.target:
        parser.error("name at least one --target BASE DATABASE_URL")
    for base, _url in args.target:
        host = base.split("//", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0].strip("[]")
        if host not in LOOPBACK:
            parser.error(f"only a server on loopback may be loaded, not {host!r}")
    if not 1 <= args.requests <= MAX_REQUESTS:
        parser.error(f"--requests must be between 1 and {MAX_REQUESTS}")
    if not 1 <= args.threads <= 16:
        parser.error("--threads must be between 1 and 16")
    return args


def load(base, plan, threads, max_seconds, timeout):
    """Milliseconds of each GET of `plan` from `threads` clients, and the statuses seen."""
    results, lock = [], threading.Lock()
    position = iter(range(len(plan)))
    deadline = time.monotonic() + max_seconds

    def worker():
        while time.monotonic() < deadline:
            with lock:
                index = next(position, None)
            if index is None:
                return
            status, seconds, _size = fetch(base + plan[index], timeout)
            with lock:
                results.append((plan[index], status, seconds * 1000))

    workers = [threading.Thread(target=worker) for _n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return results


def own_sql(paths, runs):
    """{path: (median ms, count) of the statements that path sends on a warm server, then
    the same for its first visit (the search not in the cache yet)}."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyenhoc.settings")
    sys.path.insert(0, str(HERE.parent))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    # No collectstatic for a measurement: {% static %} resolves through the finders.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}).enable()
    client = Client()
    skip = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "CLOSE", "FETCH")

    def captured(path):
        with CaptureQueriesContext(connection) as queries:
            client.get(path, secure=True)
        return [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith(skip)]

    def timed(statements):
        times = []
        with connection.cursor() as cursor:
            for _run in range(runs + 1):
                started = time.perf_counter()
                for sql in statements:
                    cursor.execute(sql)
                    if cursor.description is not None:
                        cursor.fetchall()
                times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times[1:])

    timings = {}
    for path in paths:
        cold = captured(path)  # this search's first visit since the figures last changed
        warm = captured(path)  # the next visitor's, as the load below meets it
        timings[path] = (timed(warm), len(warm), timed(cold), len(cold))
    return timings


def measure(args, base, database_url):
    """One target, in this (child) process: the figures as a dict."""
    import random

    base = base.rstrip("/")
    queries = SEARCHES + unit_filters(base, args.timeout)
    paths = [f"/recognitions/?{query}" if query else "/recognitions/" for query in queries]
    rng = random.Random(args.seed)
    plan = [rng.choice(paths) for _n in range(args.requests)]
    sql = own_sql(paths, args.sql_runs)
    # Every shape, several times from 4 threads: each worker process (its own cache unless
    # CACHE_URL names Redis) meets each search before the measured run.
    load(base, paths * 12, 4, args.max_seconds, args.timeout)
    load(base, ["/healthz"] * 20, 4, args.max_seconds, args.timeout)
    loadavg = os.getloadavg()
    searched = load(base, plan, args.threads, args.max_seconds, args.timeout)
    health = load(base, ["/healthz"] * len(plan), args.threads, args.max_seconds, args.timeout)
    search_ms = sorted(ms for _p, _s, ms in searched)
    health_ms = sorted(ms for _p, _s, ms in health)
    sql_ms = sorted(sql[path][0] for path, _s, _ms in searched)
    cold_ms = sorted(sql[path][2] for path, _s, _ms in searched)
    floor = percentile(health_ms, 0.95) + percentile(sql_ms, 0.95)
    return {
        "base": base,
        "database": database_url.rsplit("/", 1)[-1],
        "threads": args.threads,
        "requests": len(searched),
        "load_before": [round(x, 1) for x in loadavg],
        "load_after": [round(x, 1) for x in os.getloadavg()],
        "search": [percentile(search_ms, 0.50), percentile(search_ms, 0.95)],
        "healthz": [percentile(health_ms, 0.50), percentile(health_ms, 0.95)],
        "sql": [percentile(sql_ms, 0.50), percentile(sql_ms, 0.95)],
        "cold_sql": [percentile(cold_ms, 0.50), percentile(cold_ms, 0.95)],
        "floor_p95": floor,
        "ratio": percentile(search_ms, 0.95) / floor,
        "errors": sum(1 for _p, status, _ms in searched if status != 200),
        "shapes": {
            path: [round(ms, 1), count, round(cold, 1), n]
            for path, (ms, count, cold, n) in sql.items()
        },
    }


def report(figures):
    print(
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, {figures[0]['threads']} "
        f"thread(s), {figures[0]['requests']} requests a target"
    )
    print(
        "| database | search p50 / p95 | /healthz p50 / p95 | own SQL p50 / p95 "
        "| floor p95 | p95 ÷ floor | first-visit SQL p50 / p95 | load before / after |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for f in figures:
        print(
            f"| {f['database']} | {f['search'][0]:.1f} / {f['search'][1]:.1f} ms "
            f"| {f['healthz'][0]:.1f} / {f['healthz'][1]:.1f} ms "
            f"| {f['sql'][0]:.1f} / {f['sql'][1]:.1f} ms | {f['floor_p95']:.1f} ms "
            f"| {f['ratio']:.2f}{'' if f['ratio'] <= FLOOR_LIMIT else ' ✗'} "
            f"| {f['cold_sql'][0]:.1f} / {f['cold_sql'][1]:.1f} ms "
            f"| {' '.join(map(str, f['load_before']))} / {' '.join(map(str, f['load_after']))} |"
        )
    ok = all(f["ratio"] <= FLOOR_LIMIT and not f["errors"] for f in figures)
    if len(figures) > 1:
        scale = figures[0]["search"][1] / figures[-1]["search"][1]
        print(
            f"p95({figures[0]['database']}) ÷ p95({figures[-1]['database']}) = {scale:.2f}"
            f"{'' if scale <= SCALE_LIMIT else ' ✗'}"
        )
        ok = ok and scale <= SCALE_LIMIT
    for f in figures:
        shapes = sorted(f["shapes"].items(), key=lambda item: -item[1][0])
        print(
            f"{f['database']}, own SQL per request shape, warm and first visit (ms, statements): "
            + ", ".join(
                f"{path.split('?', 1)[-1] or '(none)'} {ms} ({count}) / {cold} ({n})"
                for path, (ms, count, cold, n) in shapes
            )
        )
    for f in figures:
        if f["errors"]:
            print(f"{f['database']}: {f['errors']} searches did not answer 200")
    return 0 if ok else 1


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    if args.child:
        ((base, url),) = args.target
        print(json.dumps(measure(args, base, url)))
        return 0
    figures = []
    for base, url in args.target:
        command = [sys.executable, __file__, "--child", "--target", base, url]
        for name in ("requests", "threads", "sql_runs", "max_seconds", "timeout", "seed"):
            command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
        done = subprocess.run(
            command, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True
        )
        if done.returncode:
            sys.stderr.write(done.stderr)
            return done.returncode
        figures.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return report(figures)


if __name__ == "__main__":
    sys.exit(main())
