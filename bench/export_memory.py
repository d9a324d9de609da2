"""Exports at scale on PostgreSQL (README, "Imports and exports at scale").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/khuyenhoc_export_bench SECRET_KEY=x \
        .venv/bin/python bench/export_memory.py [--rows 100000] [--keep]

A scratch database only: the script creates the database named in DATABASE_URL (and stops if
it exists already), fills one commune with `--rows` registered households (bulk_create), and
downloads the registration list's exports (.xlsx and .csv, the general columns and the
households columns) through the real view, each in a separate process, reading the response
as a browser would. For each it reports the time, the file's size and the process's peak
resident memory (VmHWM) against its memory before the request (taken after a
warm-up export of no row, so that loading modules is not counted). Then it drops the
database (unless --keep). `--child` is the separate process's entry point.
"""

import argparse
import json
import os
import subprocess
import sys
import time

import import_memory as bench  # bench/import_memory.py: database, data and memory helpers

EXPORTS = (
    ("registrations.xlsx", {}),
    ("registrations.csv", {}),
    ("registrations.xlsx", {"kind": "family"}),
    ("registrations.csv", {"kind": "family"}),
)


def fill(commune, officer, rows):
    from models_learning.models import Registration

    if Registration.objects.filter(unit=commune).count() < rows:
        bench.bulk_write(commune, rows, officer)


def read(response):
    """Read the body to its end, chunk by chunk, as a browser does; its size in bytes."""
    assert response.status_code == 200, response.status_code
    size = 0
    for chunk in response.streaming_content if response.streaming else [response.content]:
        size += len(chunk)
    response.close()
    return size


def child(options):
    """One export through the view, its body read to the end; what it took, as JSON."""
    bench.setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.get(pk=options.user)
    client = Client()
    client.force_login(user)
    url = f"/portal/exports/{options.child}"
    query = json.loads(options.query)
    # Warm-up: the same export matching no row loads every module, template and catalog.
    read(client.get(url, {**query, "q": "no such name at all"}, secure=True))
    bench.reset_peak()
    before = bench.current_rss_kib()
    started = time.perf_counter()
    response = client.get(
        f"/portal/exports/{options.child}", json.loads(options.query), secure=True
    )
    size = read(response)
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - started,
                "bytes": size,
                "rss_before_kib": before,
                "peak_rss_kib": bench.peak_rss_kib(),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument("--child")
    parser.add_argument("--query", default="{}")
    parser.add_argument("--user", type=int)
    options = parser.parse_args()
    if options.child:
        child(options)
        return
    url, name = bench.create_database()
    try:
        bench.setup_django()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        _province, communes, officer = bench.prepare(1)
        started = time.perf_counter()
        fill(communes[0], officer, options.rows)
        bench.analyze()
        print(
            f"PostgreSQL {connection.pg_version // 10000}, Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} cores; {options.rows:,} registrations written by bulk_create "
            f"in {time.perf_counter() - started:.0f} s"
        )
        connection.close()
        print("\n| export | columns | seconds | file | memory before | peak | growth |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for path, query in EXPORTS:
            command = [sys.executable, __file__, "--child", path, "--query", json.dumps(query)]
            command += ["--user", str(officer.pk)]
            output = subprocess.run(
                command, check=True, capture_output=True, text=True, env=os.environ
            )
            result = json.loads(output.stdout.strip().splitlines()[-1])
            columns = "households (import's)" if query else "general"
            print(
                f"| {path} | {columns} | {result['seconds']:.1f} | "
                f"{result['bytes'] / 1024 / 1024:.1f} MiB | {bench.mib(result['rss_before_kib'])} "
                f"| {bench.mib(result['peak_rss_kib'])} | "
                f"{bench.mib(result['peak_rss_kib'] - result['rss_before_kib'])} |"
            )
    finally:
        if not options.keep:
            from django.db import connections

            connections.close_all()
            bench.drop_database(url, name)


if __name__ == "__main__":
    main()
