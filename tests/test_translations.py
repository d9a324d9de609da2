"""The Vietnamese catalog is complete: no untranslated or fuzzy entry, no string missing."""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
CATALOGS = sorted(
    p for p in BASE.glob("**/locale/vi/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


def test_there_is_a_vietnamese_catalog():
    assert CATALOGS, "no Vietnamese catalog found"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(BASE)))
def test_vietnamese_catalog_has_no_untranslated_or_fuzzy_entry(path):
    catalog = polib.pofile(str(path))
    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:10]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_every_string_in_the_source_is_in_the_catalog(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(
        BASE,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "*.mo", "__pycache__", "node_modules"),
    )
    result = subprocess.run(
        [
            str(BASE / ".venv/bin/python"),
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--no-obsolete",
            "--ignore",
            "tests/*",
            "--ignore",
            "staticfiles/*",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        env={"SECRET_KEY": "x", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    missing = []
    for path in CATALOGS:
        fresh = polib.pofile(str(copy / path.relative_to(BASE)))
        known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(path))}
        missing += [e.msgid for e in fresh if (e.msgctxt, e.msgid) not in known]
    assert not missing, f"strings missing from the Vietnamese catalog: {missing[:20]}"
