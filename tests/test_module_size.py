"""No module over 500 lines, outside migrations and demo data: a file that long holds more
than one thing, and is split along what it holds (as centers/services/ was)."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 500
# Data, not logic: the demo data set and the migrations Django writes.
EXEMPT_NAMES = {"demo.py"}


def too_long(paths, root=ROOT):
    long = []
    for relative in paths:
        path = root / relative
        if "migrations" in path.parts or path.name in EXEMPT_NAMES:
            continue
        with path.open(encoding="utf-8") as handle:
            lines = sum(1 for _ in handle)
        if lines > LIMIT:
            long.append(f"{relative}: {lines} lines")
    return long


def tracked_python_files():
    listed = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return [line for line in listed.stdout.splitlines() if (ROOT / line).exists()]


def test_no_module_is_over_500_lines():
    assert not too_long(tracked_python_files())


def test_the_check_sees_a_long_module(tmp_path):
    (tmp_path / "long.py").write_text("x = 1\n" * (LIMIT + 1), encoding="utf-8")
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_long.py").write_text("x = 1\n" * 900, encoding="utf-8")
    found = too_long(["long.py", "migrations/0001_long.py"], root=tmp_path)
    assert found == [f"long.py: {LIMIT + 1} lines"]
