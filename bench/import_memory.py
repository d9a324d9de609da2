"""Import at scale on PostgreSQL (README, "Imports and exports at scale").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/khuyenhoc_import_bench SECRET_KEY=x \
        .venv/bin/python bench/import_memory.py [--rows 10000,50000] [--keep]

A scratch database only: the script creates the database named in DATABASE_URL (and stops if
it exists already), migrates it, fills it, measures, and drops it at the end (unless --keep).
For each number of rows it measures, side by side:

- `bulk_create` alone: the rows written as households, registrations and their "register"
  events by three bulk_create calls, in one transaction, into a commune of their own;
- the import path: a households file of the same rows (the downloaded template, filled in)
  checked, then imported ("import all"), as an officer's upload runs it (in chunks of
  IMPORT_CHUNK_ROWS rows, every rule of the forms), into another commune, in a separate
  process whose peak resident memory (VmHWM) is read against its memory before the import.

It prints a Markdown table. `--child` is the separate process's entry point. With
`--existing` it imports into the DATABASE_URL database as it is (README, "A national year").
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyenhoc.settings")
os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="khuyenhoc-bench-"))
VILLAGES_PER_COMMUNE = 30


def create_database():
    """Create the DATABASE_URL database if it does not exist (PostgreSQL only)."""
    import psycopg2

    url = urlparse(os.environ.get("DATABASE_URL", ""))
    if url.scheme not in ("postgres", "postgresql"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database, e.g. khuyenhoc_import_bench.")
    name = url.path.lstrip("/")
    admin = psycopg2.connect(
        host=url.hostname, port=url.port or 5432, user=url.username, password=url.password,
        dbname="postgres",
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if not exists:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    if exists:
        sys.exit(f"The database {name} exists: name a new scratch database (it is dropped after).")
    return url, name


def drop_database(url, name):
    import psycopg2

    admin = psycopg2.connect(
        host=url.hostname, port=url.port or 5432, user=url.username, password=url.password,
        dbname="postgres",
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def analyze():
    """Refresh the planner's statistics, as autovacuum does on a live database (the scratch
    database is new, and this server may run with autovacuum off)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def setup_django():
    import django

    django.setup()


def _status_kib(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    return 0


def current_rss_kib():
    """The resident memory of this process now, in KiB."""
    return _status_kib("VmRSS")


def reset_peak():
    """Start the peak (VmHWM) afresh from now (Linux: /proc/self/clear_refs, "5")."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def peak_rss_kib():
    """The peak resident memory since `reset_peak` (or since this program started), in KiB.

    Not getrusage's maxrss: on Linux it keeps the high-water mark of the process that forked
    this one, which is the bench's parent with its large file in memory.
    """
    return _status_kib("VmHWM")


# --- data ---------------------------------------------------------------------------------------


def prepare(commune_count):
    """A province, `commune_count` current communes with villages, an officer of the province,
    the criteria sets. Returns (province, communes, officer)."""
    import datetime

    from django.contrib.auth import get_user_model

    from models_learning import services as learning_services
    from units import services as unit_services
    from units.models import Level, Membership, Role, Unit, Village

    province = Unit.objects.filter(level=Level.PROVINCE, name="Tỉnh Bench").first()
    if province is None:
        province = unit_services.create_unit(
            by=None, name="Tỉnh Bench", level=Level.PROVINCE, admin_code="B1"
        )
        learning_services.load_criteria_sets()
    communes = list(Unit.objects.filter(parent=province, level=Level.COMMUNE).order_by("pk"))
    for n in range(len(communes), commune_count):
        commune = unit_services.create_unit(
            by=None,
            name=f"Xã Bench {n + 1}",
            level=Level.COMMUNE,
            parent=province,
            valid_from=datetime.date(2025, 7, 1),
        )
        Village.objects.bulk_create(
            Village(commune=commune, name=f"Bản {v + 1}") for v in range(VILLAGES_PER_COMMUNE)
        )
        communes.append(commune)
    officer, created = get_user_model().objects.get_or_create(username="bench-officer")
    if created:
        Membership.objects.create(user=officer, unit=province, role=Role.OFFICER)
    return province, communes, officer


def row_values(n, year):
    return [
        f"Người Bench Số {n}",
        1940 + n % 60,
        f"Bản {n % VILLAGES_PER_COMMUNE + 1}",
        f"Nhà {n}, bản {n % VILLAGES_PER_COMMUNE + 1}",
        f"09{n:08d}",
        year,
    ]


def households_file(commune, rows, path):
    """The households template of `commune`, downloaded and filled in with `rows` rows."""
    from django.utils import timezone
    from openpyxl import load_workbook

    from lib.sheets import build_template
    from transfers.imports.context import ImportContext
    from transfers.imports.kinds import KINDS

    context = ImportContext(commune)
    book = load_workbook(
        io.BytesIO(build_template(KINDS["households"].spec(context), choices_context=context))
    )
    sheet = book.worksheets[0]
    year = timezone.localdate().year
    for n in range(rows):
        sheet.append(row_values(n, year))
    book.save(path)
    return path


def bulk_write(commune, rows, officer):
    """The same rows written by bulk_create alone: households, registrations, events."""
    from django.db import transaction
    from django.utils import timezone

    from lib.text import normalise
    from models_learning.models import Household, Registration, RegistrationEvent
    from models_learning.services import criteria_set_for
    from units.models import Village

    year = timezone.localdate().year
    villages = {v.name: v for v in Village.objects.filter(commune=commune)}
    criteria_set = criteria_set_for("family", year, commune)
    with transaction.atomic():
        households = Household.objects.bulk_create(
            [
                Household(
                    commune=commune,
                    village=villages[values[2]],
                    head_name=values[0],
                    head_name_normalised=normalise(values[0]),
                    head_birth_year=values[1],
                    address=values[3],
                    phone=values[4],
                )
                for values in (row_values(n, year) for n in range(rows))
            ],
            batch_size=1000,
        )
        registrations = Registration.objects.bulk_create(
            [
                Registration(
                    kind="family", year=year, unit=commune, household=h,
                    criteria_set=criteria_set, subject_name=h.head_name,
                    search_text=normalise(h.head_name), entered_by=officer,
                )
                for h in households
            ],
            batch_size=1000,
        )  # fmt: skip
        RegistrationEvent.objects.bulk_create(
            [
                RegistrationEvent(
                    registration=r, action="register", to_status="registered", level="commune",
                    unit=commune, actor=officer,
                )
                for r in registrations
            ],
            batch_size=1000,
        )  # fmt: skip


def import_path(commune, officer, path):
    """Check, then import, as an upload does: (check seconds, import seconds, batch)."""
    from django.core.files import File
    from django.test import override_settings

    from transfers.imports import services
    from transfers.models import ImportMode, ImportStatus

    with override_settings(IMPORT_INLINE_MAX_BYTES=10**12), open(path, "rb") as handle:
        upload = File(handle, name=Path(path).name)
        started = time.perf_counter()
        batch = services.check_upload(by=officer, kind="households", unit=commune, upload=upload)
        checked = time.perf_counter()
        assert batch.status == ImportStatus.READY, batch.problems[:3]
        assert batch.count("invalid") == 0, batch.problems[:3]
        batch = services.import_batch(batch, by=officer, mode=ImportMode.ALL)
        done = time.perf_counter()
    assert batch.status == ImportStatus.IMPORTED, (batch.message, batch.problems[:3])
    return checked - started, done - checked, batch


# --- the separate process -----------------------------------------------------------------------


def child(options):
    """Check and import one file; print what memory it took, as JSON."""
    setup_django()
    from django.contrib.auth import get_user_model

    from units.models import Unit

    commune = Unit.objects.get(pk=options.unit)
    officer = get_user_model().objects.get(pk=options.user)
    # Warm-up: load what the import uses (openpyxl, the services), so that only rows count.
    from lib.sheets import build_template
    from transfers.imports import services  # noqa: F401
    from transfers.imports.context import ImportContext
    from transfers.imports.kinds import KINDS

    build_template(
        KINDS["households"].spec(ImportContext(commune)), choices_context=ImportContext(commune)
    )
    reset_peak()
    before = current_rss_kib()
    check_s, import_s, batch = import_path(commune, officer, options.child)
    print(
        json.dumps(
            {
                "rows": batch.count("total"),
                "rss_before_kib": before,
                "peak_rss_kib": peak_rss_kib(),
                "check_s": check_s,
                "import_s": import_s,
            }
        )
    )


def in_separate_process(path, commune, officer):
    command = [sys.executable, __file__, "--child", str(path)]
    command += ["--unit", str(commune.pk), "--user", str(officer.pk)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ)
    return json.loads(output.stdout.strip().splitlines()[-1])


def mib(kib):
    return f"{kib / 1024:.0f} MiB"


def measure(rows, bulk_commune, import_commune, officer, work):
    """bulk_create, then the import path, of `rows` rows: a dict of what was measured."""
    started = time.perf_counter()
    bulk_write(bulk_commune, rows, officer)
    bulk_s = time.perf_counter() - started
    # The statistics a live database has (autovacuum): the import reads with them.
    analyze()
    path = households_file(import_commune, rows, work / f"ho-{rows}.xlsx")
    child = in_separate_process(path, import_commune, officer)
    assert child["rows"] == rows, child
    return {"rows": rows, "file_kib": path.stat().st_size / 1024, "bulk_s": bulk_s, **child}


def report(results):
    print("| rows | `bulk_create` alone | check | import | check + import | speed / bulk_create |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in results:
        path_s = r["check_s"] + r["import_s"]
        print(
            f"| {r['rows']:,} ({r['file_kib']:,.0f} KiB file) "
            f"| {r['bulk_s']:.1f} s ({r['rows'] / r['bulk_s']:,.0f} rows/s) "
            f"| {r['check_s']:.1f} s | {r['import_s']:.1f} s "
            f"| {path_s:.1f} s ({r['rows'] / path_s:,.0f} rows/s) "
            f"| **{r['bulk_s'] / path_s:.2f}×** |"
        )
    print("\n| rows | memory before the import | peak during check + import | growth |")
    print("|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['rows']:,} | {mib(r['rss_before_kib'])} | {mib(r['peak_rss_kib'])} | "
            f"**{mib(r['peak_rss_kib'] - r['rss_before_kib'])}** |"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="10000,50000", help="numbers of rows, comma-separated")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--existing",
        action="store_true",
        help="import into the DATABASE_URL database as it is (e.g. a national year's bench "
        "data), beside it in a province of its own; neither created nor dropped",
    )
    parser.add_argument("--child")
    parser.add_argument("--unit", type=int)
    parser.add_argument("--user", type=int)
    options = parser.parse_args()
    if options.child:
        child(options)
        return
    sizes = [int(n) for n in options.rows.split(",") if n.strip()]
    url, name = (None, None) if options.existing else create_database()
    try:
        setup_django()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        if not options.existing:
            call_command("migrate", verbosity=0)
        _province, communes, officer = prepare(2 * len(sizes))
        work = Path(os.environ["PRIVATE_MEDIA_ROOT"])
        print(
            f"PostgreSQL {connection.pg_version // 10000}, Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} cores; chunks of {settings.IMPORT_CHUNK_ROWS} rows; "
            f"load average at the start {os.getloadavg()[0]:.1f}\n"
        )
        results = [
            measure(rows, communes[2 * n], communes[2 * n + 1], officer, work)
            for n, rows in enumerate(sizes)
        ]
        report(results)
        print(f"\nLoad average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        if not options.keep and not options.existing:
            from django.db import connections

            connections.close_all()
            drop_database(url, name)


if __name__ == "__main__":
    main()
