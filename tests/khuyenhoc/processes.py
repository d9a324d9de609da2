"""Running the project's code in a fresh interpreter, to test what settings read at start-up."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code, **environ):
    """`code` in a fresh interpreter with the project's settings and `environ` (no network)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LOG_", "SENTRY_", "DJANGO_", "EMAIL_"))
    }
    env.update(SECRET_KEY="x", DJANGO_SETTINGS_MODULE="khuyenhoc.settings", **environ)
    prelude = "import django, logging; django.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
