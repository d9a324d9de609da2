"""`manage.py backup DIR` and `restore DIR`: a backup restored into a new database and an empty
folder holds the same rows, answers the same certificate checks and has the same files."""

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from jobs.models import Job, JobStatus
from khuyenhoc.backup import table_counts
from tests.certificates.builders import recognised_family, revoked_family
from tests.imports.conftest import check, filled, household_row
from tests.models_learning.factories import VillageFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _postgresql_first(request):
    """Tests marked postgres skip on SQLite before any of their fixtures writes a row."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("backup and restore need PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore need PostgreSQL (set DATABASE_URL)")


def files_under(root):
    root = Path(root)
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _server():
    """libpq parameters of the test database's server, with `dbname` to fill in."""
    settings_dict = connection.settings_dict
    return {
        "host": settings_dict["HOST"] or "127.0.0.1",
        "port": settings_dict["PORT"] or 5432,
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"] or None,
    }


def _admin(sql):
    admin = psycopg2.connect(dbname="postgres", **_server())
    admin.autocommit = True  # CREATE and DROP DATABASE run outside a transaction
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql)
    finally:
        admin.close()


@pytest.fixture
def new_database(on_postgresql):
    """A new, empty database on the same server, dropped after the test."""
    name = f"khuyenhoc_restore_{os.getpid()}"
    _admin(f'DROP DATABASE IF EXISTS "{name}"')
    _admin(f'CREATE DATABASE "{name}"')
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_url(name):
    server = _server()
    login = server["user"] + (f":{server['password']}" if server["password"] else "")
    return f"postgres://{login}@{server['host']}:{server['port']}/{name}"


def portal(database, media, *args, code=None):
    """Run `manage.py ARGS` (or `code` with ARGS) as another process on `database`, `media`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "LOG_"))}
    env.update(
        SECRET_KEY="x",
        DATABASE_URL=database_url(database),
        PRIVATE_MEDIA_ROOT=str(media),
        SECURE_SSL_REDIRECT="0",
        SITE_BASE_URL="http://testserver",
        DJANGO_SETTINGS_MODULE="khuyenhoc.settings",
    )
    command = [sys.executable, *(["-c", code] if code else ["manage.py"]), *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


COUNTS = """
import django, json
django.setup()
from khuyenhoc.backup import table_counts
print(json.dumps(table_counts()))
"""
CHECKS = """
import django, json, sys
from django.conf import settings
# As in the test process: static files from the finders, no collectstatic.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
django.setup()
from django.test import Client
client = Client()
answers = {}
for code in sys.argv[1:]:
    response = client.get(f"/verify/{code}/")
    answers[code] = [response.status_code, response.content.decode()]
print(json.dumps(answers))
"""


def comparable(html):
    """A page without what differs on every request (the CSRF token)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def verify_answers(client, codes):
    return {
        code: [response.status_code, comparable(response.content.decode())]
        for code in codes
        for response in [client.get(f"/verify/{code}/")]
    }


@pytest.fixture
def portal_data(settings, tree, officer, province_staff, criteria_sets):
    """Recognitions (one revoked), an imported sheet, a job result and an odd file name."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    valid = recognised_family(officer, province_staff, tree["commune"], name="Nguyễn Thị Ánh")
    revoked = revoked_family(officer, province_staff, tree["commune"], name="Quàng Văn Ưng")
    village = VillageFactory(commune=tree["commune"], name="Bản Huổi Lơn")
    data = filled("households", tree["commune"], [household_row(village, name="Lò Văn Piếng")])
    check(officer, "households", tree["commune"], data, name="danh sách tháng 3.xlsx")
    job = Job.objects.create(
        kind="certificates-batch", title="Giấy", requested_by=officer, status=JobStatus.DONE
    )
    job.result.save("giấy công nhận.pdf", ContentFile(bytes(range(256)) * 40))
    return {"codes": [valid.certificate_code, revoked.certificate_code, "DB-2026-ZZZZZZ"]}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_new_database_is_the_same_portal(
    client, settings, tmp_path, portal_data, new_database
):
    codes = portal_data["codes"]
    before = table_counts()
    answers = verify_answers(client, codes)
    assert [status for status, _page in answers.values()] == [200, 200, 404]
    media = files_under(settings.PRIVATE_MEDIA_ROOT)
    assert len(media) == 2

    folder = tmp_path / "backup-2026-12-01"
    out = io.StringIO()
    call_command("backup", str(folder), stdout=out)
    assert "private files" in out.getvalue()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["tables"] == before
    assert manifest["private_media"]["files"] == 2

    restored_media = tmp_path / "restored-media"
    result = portal(new_database, restored_media, "restore", str(folder))
    assert result.returncode == 0, result.stderr
    assert "Restored the backup" in result.stdout

    counts = portal(new_database, restored_media, code=COUNTS)
    assert json.loads(counts.stdout) == before
    assert before["models_learning_recognition"] == 2
    checked = portal(new_database, restored_media, *codes, code=CHECKS)
    assert checked.returncode == 0, checked.stderr
    restored_answers = {
        code: [status, comparable(page)]
        for code, (status, page) in json.loads(checked.stdout).items()
    }
    assert restored_answers == answers
    assert files_under(restored_media) == media

    again = portal(new_database, tmp_path / "empty", "restore", str(folder))
    assert again.returncode != 0
    assert "The database is not empty" in again.stderr
    # Over a portal that is there: the database is replaced, the files there are set aside.
    replaced = portal(new_database, restored_media, "restore", "--replace", str(folder))
    assert replaced.returncode == 0, replaced.stderr
    (aside,) = tmp_path.glob("restored-media.before-restore-*")
    assert files_under(aside) == media == files_under(restored_media)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_touched(
    tmp_path, portal_data, new_database
):
    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=io.StringIO())
    with open(folder / "database.dump", "r+b") as dump:
        dump.seek(100)
        dump.write(b"\0\0\0\0")
    result = portal(new_database, tmp_path / "media", "restore", str(folder))
    assert result.returncode != 0
    assert "database.dump is missing or damaged" in result.stderr


@pytest.mark.postgres
@pytest.mark.django_db
def test_backup_says_so_when_pg_dump_is_missing(on_postgresql, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no PostgreSQL tools
    with pytest.raises(CommandError, match="pg_dump was not found"):
        call_command("backup", str(tmp_path / "backup"))


@pytest.mark.django_db
def test_backup_and_restore_refuse_sqlite_with_what_to_do_instead(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite answer")
    with pytest.raises(CommandError, match="work on PostgreSQL"):
        call_command("backup", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="work on PostgreSQL"):
        call_command("restore", str(tmp_path / "backup"))


@pytest.mark.django_db
def test_backup_refuses_a_folder_that_is_not_empty(tmp_path, on_postgresql):
    (tmp_path / "old.dump").write_bytes(b"x")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_readmes_restore_by_hand_works_on_an_empty_database(tmp_path, tree, new_database):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (command,) = re.findall(r"^pg_restore .*$", readme, flags=re.MULTILINE)
    server = _server()
    env = {**os.environ, "PGPASSWORD": server["password"] or ""}
    dump = tmp_path / "database.dump"
    login = ["-h", server["host"], "-p", str(server["port"]), "-U", server["user"]]
    made = subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--file",
            str(dump),
            *login,
            connection.settings_dict["NAME"],
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    *options, _file = command.split()  # the README's command, on this dump
    restored = subprocess.run(
        ["sh", "-c", " ".join(options) + ' "$DUMP"'],
        env={**env, "DATABASE_URL": database_url(new_database), "DUMP": str(dump)},
        capture_output=True,
        text=True,
    )
    assert restored.returncode == 0, restored.stderr
    restored_db = psycopg2.connect(dbname=new_database, **server)
    try:
        with restored_db.cursor() as cursor:
            cursor.execute("SELECT name FROM units_unit WHERE level = 'province'")
            assert cursor.fetchall() == [("Tỉnh Điện Biên",)]
    finally:
        restored_db.close()
