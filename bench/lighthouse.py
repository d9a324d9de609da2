#!/usr/bin/env python3
"""Lighthouse on the public pages: accessibility, best practices and SEO, as the README quotes.

    python bench/lighthouse.py                                   # a scratch SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/khuyenhoc_lighthouse python bench/lighthouse.py

Loads the demo data into the database DATABASE_URL names (created and dropped again on
PostgreSQL; a scratch SQLite file when DATABASE_URL is unset; `--keep-database` keeps it),
collects the static files into a scratch folder and serves the portal with gunicorn and
deploy/gunicorn.conf.py on a loopback port, DEBUG off, as in production (whitenoise serves the
compressed static files). Then runs the `lighthouse` npm package (package.json; `make
node-deps`) with Debian's chromium (/usr/bin/chromium or $CHROME_PATH), phone form factor,
on each public page, and prints each category's score. Exits 1 when a page indexed on purpose
scores below --floor (100) in a category; pages kept out of search engines on purpose
(noindex, or disallowed in robots.txt) are shown but their SEO score is not held to it.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("accessibility", "best-practices", "seo")
# (path, why it is kept out of search engines or None). {code} and {center} are filled in.
PAGES = [
    ("/", None),
    ("/stats/", None),
    ("/centers/", None),
    ("/centers/{center}/", None),
    ("/recognitions/", None),
    ("/recognitions/?q=nguyen", "search results: robots.txt Disallow"),
    ("/recognitions/{code}/", "one household's recognition: noindex"),
    ("/verify/", "certificate check: robots.txt Disallow"),
    ("/verify/{code}/", "certificate check: robots.txt Disallow, noindex"),
    ("/accounts/login/", "staff sign-in: robots.txt Disallow"),
]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--floor", type=int, default=100)
    args = parser.parse_args(argv)
    if args.database_url.startswith("postgres"):
        host = urllib.parse.urlsplit(args.database_url).hostname
        if host not in {"127.0.0.1", "localhost", "::1"}:
            parser.error("only a PostgreSQL on loopback")
    return args


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *command, capture=False):
    return subprocess.run(
        [str(PYTHON), "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    ).stdout


def prepare_database(env, url):
    """Create the PostgreSQL database if missing; migrate and load the demo data (idempotent)."""
    admin = name = None
    if url.startswith("postgres"):
        name = urllib.parse.urlsplit(url).path.lstrip("/")
        admin = url.rsplit("/", 1)[0] + "/postgres"
        query = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"
        exists = subprocess.run(
            ["psql", admin, "-tAc", query], capture_output=True, text=True, check=True
        ).stdout.strip()
        if not exists:
            subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", "--if-empty", "--no-accounts")
    return admin, name


def sample_ids(env):
    """A recognised household's certificate code and a centre's id, from the demo data."""
    out = manage(
        env,
        "shell",
        "-c",
        "from models_learning import public; from centers.models import LearningCenter; "
        "print(public.recognised().values_list('recognition__certificate_code', flat=True)[0]); "
        "print(LearningCenter.objects.order_by('pk').values_list('pk', flat=True)[0])",
        capture=True,
    )
    code, center = out.split()[-2:]
    return {"code": code, "center": center}


def wait_until_up(base, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited before answering")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz")


def lighthouse(url, chrome, out_dir):
    report = out_dir / (re.sub(r"[^A-Za-z0-9]+", "_", url) + ".json")
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-path={chrome}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            "--form-factor=mobile",
            "--quiet",
        ],
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    result = json.loads(report.read_text())
    scores = {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}
    failing = [
        f"{c}: {audit['id']}"
        for c in CATEGORIES
        for ref in result["categories"][c]["auditRefs"]
        if ref["weight"] > 0
        for audit in [result["audits"][ref["id"]]]
        if audit["score"] is not None and audit["score"] < 1
    ]
    return scores, failing, result["lighthouseVersion"]


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `make node-deps` (npm ci)")
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    scratch = Path(tempfile.mkdtemp(prefix="khuyenhoc-lighthouse-"))
    url = args.database_url or f"sqlite:///{scratch / 'db.sqlite3'}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(scratch)),
        "DATABASE_URL": url,
        "SECRET_KEY": "lighthouse-bench-only-" + os.urandom(8).hex(),
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(scratch / "static"),
        "LOG_LEVEL": "WARNING",
    }
    admin, name = prepare_database(env, url)
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "compiletranslations")
    ids = sample_ids(env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "khuyenhoc.wsgi"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"},
        stderr=subprocess.DEVNULL,
    )
    rows, below, version = [], [], "?"
    try:
        wait_until_up(base, server)
        for path, kept_out in PAGES:
            path = path.format(**ids)
            scores, failing, version = lighthouse(base + path, chrome, scratch)
            rows.append((path, kept_out, scores, failing))
            held = [c for c in CATEGORIES if not (kept_out and c == "seo")]
            below += [f"{path} {c} {scores[c]}" for c in held if scores[c] < args.floor]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        if admin and not args.keep_database:
            subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=False)
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"\nLighthouse {version}, {chrome}, phone form factor, {time.strftime('%Y-%m-%d')}\n")
    print("| page | accessibility | best practices | SEO | audits not passed |")
    print("|---|---:|---:|---:|---|")
    for path, kept_out, scores, failing in rows:
        note = f" ({kept_out})" if kept_out else ""
        print(
            f"| `{path}`{note} | {scores['accessibility']} | {scores['best-practices']} | "
            f"{scores['seo']} | {', '.join(failing) or '–'} |"
        )
    if below:
        print("\nBelow the floor:\n  " + "\n  ".join(below))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
