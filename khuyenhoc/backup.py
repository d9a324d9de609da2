"""Backing up and restoring a portal: the PostgreSQL database and the private files, together.

A backup is a folder of three files:

- `database.dump`: `pg_dump --format=custom` of the portal's database;
- `private-media.tar.gz`: every file under PRIVATE_MEDIA_ROOT (evidence, imported sheets,
  job results), paths relative to it;
- `manifest.json`: when and of what it was made, each file's size and SHA-256, and the row
  count of every table, which `restore` checks the restored database against.

The database is reached with the DATABASES settings; the password goes to pg_dump and
pg_restore through the environment, never on a command line others could read.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from lib import province

FORMAT = 1
DUMP = "database.dump"
MEDIA = "private-media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """Something an operator must fix; the message says what."""


def _require_postgresql():
    if connection.vendor != "postgresql":
        raise BackupError(
            "backup and restore work on PostgreSQL (DATABASE_URL). This portal runs on "
            f"{connection.vendor}: stop it and copy the database file and "
            f"{settings.PRIVATE_MEDIA_ROOT} instead."
        )


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools of the server's version "
            "or newer (Debian: apt install postgresql-client)."
        )
    return path


def _pg_environment():
    """libpq's variables for the default database (PGPASSWORD stays out of `ps`)."""
    database = connection.settings_dict
    env = dict(os.environ)
    values = {
        "PGDATABASE": database.get("NAME"),
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGSSLMODE": database.get("OPTIONS", {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _run(command):
    result = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")
    return result


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def table_counts():
    """{table: rows} for every table of the portal's database (its public schema)."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _media_root():
    return Path(settings.PRIVATE_MEDIA_ROOT)


def _is_empty_folder(path):
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def backup(folder):
    """Write a backup into `folder` (created; must be empty). Returns the manifest."""
    _require_postgresql()
    pg_dump = _tool("pg_dump")
    folder = Path(folder)
    if not _is_empty_folder(folder):
        raise BackupError(f"{folder} is not empty: give a new folder for each backup.")
    folder.mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    counts = table_counts()
    _run([pg_dump, "--format=custom", "--file", str(folder / DUMP)])
    media_files = 0
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        root = _media_root()
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(root)), recursive=False)
                    media_files += 1
    manifest = {
        "format": FORMAT,
        "made_at": started.isoformat(),
        "province": province.current().code,
        "association": province.current().association_name,
        "database": {
            "name": connection.settings_dict.get("NAME"),
            "server_version": connection.pg_version,
            "tables": counts,
        },
        "private_media": {"root": str(_media_root()), "files": media_files},
        "files": {
            name: {"bytes": (folder / name).stat().st_size, "sha256": _sha256(folder / name)}
            for name in (DUMP, MEDIA)
        },
    }
    (folder / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return manifest


def read_manifest(folder):
    """The manifest of the backup in `folder`, its files checked against it."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} holds no readable {MANIFEST}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder / MANIFEST} is of an unknown format.")
    for name, facts in manifest["files"].items():
        path = folder / name
        if not path.is_file() or _sha256(path) != facts["sha256"]:
            raise BackupError(f"{path} is missing or damaged (its SHA-256 differs).")
    return manifest


def _set_aside(path):
    """Move a non-empty folder out of the way (never delete what a restore replaces)."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.before-restore-{stamp}")
    path.rename(aside)
    return aside


def restore(folder, *, replace=False):
    """Restore the backup in `folder` into the configured database and PRIVATE_MEDIA_ROOT.

    Both must be empty, unless `replace`: then pg_restore drops what the backup holds first
    and the current private files are moved aside. Returns (manifest, counts, set_aside).
    """
    _require_postgresql()
    pg_restore = _tool("pg_restore")
    folder = Path(folder)
    manifest = read_manifest(folder)
    media = _media_root()
    if not replace:
        if table_counts():
            raise BackupError(
                "The database is not empty: restore into a new, empty database, or give "
                "--replace to overwrite this one."
            )
        if not _is_empty_folder(media):
            raise BackupError(
                f"{media} is not empty: restore into an empty folder, or give --replace "
                "(the files there are then moved aside, not deleted)."
            )
    set_aside = _set_aside(media) if media.exists() and not _is_empty_folder(media) else None
    connection.close()  # pg_restore works alone; Django reconnects afterwards
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            _pg_environment()["PGDATABASE"],
            str(folder / DUMP),
        ]
    )
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA, "r:gz") as archive:
        # The "data" filter refuses absolute paths, "..", links out of the folder, devices.
        archive.extractall(media, filter="data")
    counts = table_counts()
    expected = manifest["database"]["tables"]
    if counts != expected:
        different = sorted(
            table
            for table in set(counts) | set(expected)
            if counts.get(table) != expected.get(table)
        )
        raise BackupError(f"The restored row counts differ from the backup's in: {different}")
    return manifest, counts, set_aside
