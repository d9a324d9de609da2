"""Time the yearly report at province and country scale (README, "Yearly report at scale").

    DATABASE_URL=postgres://…/khuyenhoc_reports_bench SECRET_KEY=x \
        .venv/bin/python manage.py generate_bench_data --registrations 1000000
    DATABASE_URL=postgres://…/khuyenhoc_reports_bench SECRET_KEY=x \
        .venv/bin/python bench/report_timing.py [--year 2025] [--runs 5]

For the first bench province (one of three) and for the country (every province side by
side, as an administrator sees it), in both views, it measures, median of `--runs` after one
warm-up:
- the page: GET /portal/reports/yearly/ through Django's test client (every query, the
  folding, the template);
- the computation alone: `yearly_report(...)`;
- the report's raw GROUP BY SQL alone: the SQL the computation sent, captured once, then run
  again with cursor.execute + fetchall (the registrations' GROUP BY on its own, and all the
  report's GROUP BYs together).
It prints a Markdown table. Scratch databases only: it creates two users.
"""

import argparse
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
from django.urls import reverse  # noqa: E402

from lib.dates import this_year  # noqa: E402
from models_learning.models import Registration  # noqa: E402
from reporting.reports.folding import AS_WAS, TODAY  # noqa: E402
from reporting.reports.roots import default_root, unit_root  # noqa: E402
from reporting.reports.yearly import yearly_report  # noqa: E402
from units.models import Level, Membership, Role, Unit  # noqa: E402


def median_ms(action, runs):
    action()  # warm-up: caches, the scope of the user
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def raw_sql(user, root, year, view):
    """The GROUP BY statements the computation sends (the registrations' first)."""
    with CaptureQueriesContext(connection) as captured:
        yearly_report(user, root, year, view)
    grouped = [q["sql"] for q in captured if "GROUP BY" in q["sql"]]
    return [q for q in grouped if "models_learning_registration" in q] + [
        q for q in grouped if "models_learning_registration" not in q
    ]


def run_sql(statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()


def users(province):
    model = get_user_model()
    admin, _created = model.objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    staff, created = model.objects.get_or_create(username="bench-province")
    if created:
        Membership.objects.create(user=staff, unit=province, role=Role.APPROVER)
    return admin, staff


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=this_year() - 1)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    province = (
        Unit.objects.filter(level=Level.PROVINCE, admin_code__startswith="BN")
        .order_by("admin_code")
        .first()
    )
    if province is None:
        sys.exit("No bench data: run `manage.py generate_bench_data --registrations N` first.")
    admin, staff = users(province)
    year, runs = options.year, options.runs
    print(
        f"{connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}"
        f", year {year}, median of {runs}"
    )
    print(
        "| scope | view | communes | registrations (all years) | page | computation "
        "| registrations GROUP BY | all GROUP BYs | page / GROUP BYs |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    scopes = [
        ("province", staff, unit_root(province), province.path),
        ("country", admin, default_root(admin), "/"),
    ]
    for label, user, root, path in scopes:
        communes = Unit.objects.filter(level=Level.COMMUNE, path__startswith=path).count()
        files = Registration.objects.filter(unit__path__startswith=path).count()
        client = Client()
        client.force_login(user)
        for view in (AS_WAS, TODAY):
            query = {"year": year, "view": view}
            if label == "province":
                query["unit"] = province.pk

            def page(client=client, query=query):
                response = client.get(reverse("reports:yearly"), query, secure=True)
                assert response.status_code == 200, response.status_code

            def compute(user=user, root=root, view=view):
                yearly_report(user, root, year, view)

            statements = raw_sql(user, root, year, view)
            page_ms = median_ms(page, runs)
            compute_ms = median_ms(compute, runs)
            first_ms = median_ms(lambda s=statements: run_sql(s[:1]), runs)
            all_ms = median_ms(lambda s=statements: run_sql(s), runs)
            print(
                f"| {label} | {view} | {communes:,} | {files:,} | {page_ms:,.0f} ms "
                f"| {compute_ms:,.0f} ms | {first_ms:,.0f} ms | {all_ms:,.0f} ms "
                f"| {page_ms / all_ms:.2f} |"
            )


if __name__ == "__main__":
    # No collectstatic for a measurement: {% static %} resolves through the finders.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        main()
