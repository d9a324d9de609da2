"""Every staff page a province or national user opens, at country scale, against its own SQL
(README, "Figures at country scale").

    DATABASE_URL=postgres://…/khuyenhoc_bench_h12b SECRET_KEY=x \
        .venv/bin/python manage.py generate_bench_data --registrations 1000000
    DATABASE_URL=postgres://…/khuyenhoc_bench_h12b SECRET_KEY=x \
        .venv/bin/python bench/staff_pages.py [--runs 5] [--only tree]

For each page, as the first bench province's approver-manager ("province") and as a
superuser ("country": the three provinces, 3,300 communes), median of `--runs` after one
warm-up:
- page: GET through Django's test client, gzip accepted (every query, the template, the
  compression: everything but the network and gunicorn);
- its own SQL: the statements the page sent, captured once, then run again with
  cursor.execute + fetchall (the floor: no page can be faster than its queries);
- ratio page ÷ SQL, the HTML's size and its size compressed (what goes over the wire).
A page passes at ≤ 3× its SQL and ≤ 150 KB compressed. It prints a Markdown table and the
load average, and exits 1 when a page fails. Scratch databases only: it creates two users.
"""

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyenhoc.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from lib.dates import this_year  # noqa: E402
from units.models import Level, Membership, Role, Unit  # noqa: E402

RATIO_LIMIT = 3.0
SIZE_LIMIT = 150 * 1024


def pages(province, year):
    """(label, URL) of the pages, for either user; the unit filters name the province."""
    unit = province.pk
    communes = Unit.objects.filter(level=Level.COMMUNE, path__startswith=province.path)
    commune = communes.order_by("name", "pk").first()
    family = f"/portal/registrations/new/?kind=family&year={year}"
    return [
        ("dashboard + inbox", "/portal/"),
        ("unit tree", "/portal/units/"),
        ("unit tree, a province opened", f"/portal/units/?open={unit}"),
        ("unit page, province", f"/portal/units/{unit}/"),
        ("accounts", "/portal/units/accounts/"),
        ("registrations", "/portal/registrations/"),
        (
            "registrations, filtered",
            f"/portal/registrations/?year={year}&unit={unit}&status=proposed",
        ),
        ("new registration", "/portal/registrations/new/"),
        ("new registration, family: the commune", family),
        ("new registration, family: a commune's villages", f"{family}&commune={commune.pk}"),
        ("carry-over", "/portal/registrations/carry-over/"),
        ("criteria sets", "/portal/criteria/"),
        ("certificates", "/portal/certificates/"),
        ("centres", "/portal/centers/"),
        ("new centre", "/portal/centers/new/"),
        ("centre reports", "/portal/centers/reports/"),
        ("rating schemes", "/portal/centers/schemes/"),
        ("imports", "/portal/imports/"),
        ("upload an import", "/portal/imports/upload/"),
        ("yearly report", f"/portal/reports/yearly/?year={year}"),
        ("yearly report, the province", f"/portal/reports/yearly/?year={year}&unit={unit}"),
        ("recognised list", f"/portal/reports/recognised/?year={year}&unit={unit}"),
    ]


def median_ms(action, runs):
    action()  # warm-up
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def own_sql(client, url):
    """The statements the page sends (transaction control left out)."""
    with CaptureQueriesContext(connection) as captured:
        client.get(url, secure=True)
    skip = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "CLOSE", "FETCH")
    statements = []
    for query in captured:
        sql = query["sql"].lstrip()
        if sql.upper().startswith(skip):
            continue
        if sql.upper().startswith("DECLARE"):  # a server-side cursor: its query alone
            sql = sql.split(" FOR ", 1)[1]
        statements.append(sql)
    return statements


def run_sql(statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()


def users(province):
    model = get_user_model()
    admin, _created = model.objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    staff, created = model.objects.get_or_create(username="bench-province")
    if created:
        for role in (Role.APPROVER, Role.MANAGER):
            Membership.objects.create(user=staff, unit=province, role=role)
    return admin, staff


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=this_year())
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="Only the pages whose label contains this.")
    options = parser.parse_args()
    province = (
        Unit.objects.filter(level=Level.PROVINCE, admin_code__startswith="BN")
        .order_by("admin_code")
        .first()
    )
    if province is None:
        sys.exit("No bench data: run `manage.py generate_bench_data --registrations N` first.")
    admin, staff = users(province)
    communes = Unit.objects.filter(level=Level.COMMUNE).count()
    print(
        f"{time.strftime('%Y-%m-%d %H:%M')} UTC, {connection.vendor}, {communes:,} communes, "
        f"year {options.year}, median of {options.runs}, load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    print("| page | user | page | its own SQL | page ÷ SQL | HTML | compressed | queries |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    failed = []
    for label, url in pages(province, options.year):
        if options.only not in label:
            continue
        for who, user in (("province", staff), ("country", admin)):
            client = Client(HTTP_ACCEPT_ENCODING="gzip")
            client.force_login(user)
            response = client.get(url, secure=True)
            if response.status_code != 200:
                print(f"| {label} | {who} | {response.status_code} | | | | | |")
                continue
            wire = response.content
            html = gzip.decompress(wire) if response.get("Content-Encoding") == "gzip" else wire
            statements = own_sql(client, url)
            page_ms = median_ms(lambda c=client, u=url: c.get(u, secure=True), options.runs)
            try:
                sql_ms = median_ms(lambda s=statements: run_sql(s), options.runs)
            except Exception as error:  # reported in the table, the run goes on
                print(f"| {label} | {who} | {page_ms:,.0f} ms | {error} | | | | |")
                continue
            ratio = page_ms / sql_ms if sql_ms else float("inf")
            ok = ratio <= RATIO_LIMIT and len(wire) <= SIZE_LIMIT
            if not ok:
                failed.append(f"{label} ({who})")
            print(
                f"| {label} | {who} | {page_ms:,.0f} ms | {sql_ms:,.1f} ms | {ratio:.1f}× "
                f"| {len(html) / 1024:,.0f} KB | {len(wire) / 1024:,.1f} KB "
                f"| {len(statements)} |{'' if ok else ' ✗'}"
            )
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if failed:
        print("over 3× or 150 KB: " + ", ".join(failed))
        sys.exit(1)


if __name__ == "__main__":
    # No collectstatic for a measurement: {% static %} resolves through the finders.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        main()
