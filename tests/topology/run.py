#!/usr/bin/env python3
"""The portal on several servers, on loopback, with real servers (run by .ci/run).

    .venv/bin/python tests/topology/run.py        # about 2 minutes; exits 1 on any failure

It starts, each on a scratch port and folder (the shared PostgreSQL at 5432 is never touched):
a PostgreSQL primary (initdb, pg_ctl) and a streaming replica of it (pg_basebackup -R, hot
standby), Redis, two gunicorn app servers with deploy/gunicorn.conf.py, one worker
(manage.py db_worker), and nginx running deploy/nginx/khuyenhoc.conf and its locations snippet
(only ports, certificate and folders substituted) over TLS with a throwaway certificate. The
portal runs with production settings (DEBUG off, BEHIND_PROXY=1, secure cookies, HSTS),
REPLICA_DATABASE_URL on the replica, CACHE_URL on that Redis and
PRIVATE_MEDIA_ACCEL_REDIRECT=/_private/. Then, against the Điện Biên units and the demo
accounts (tests/topology/seed.py):

 1. nginx: pages compressed, hashed static files cached for a year, the private location
    closed to the outside, plain HTTP sent to HTTPS;
 2. register → score → propose → approve through app server A, with the replica's replay
    paused (a lag that cannot be missed): the approver's report shows the file recognised
    (their write pins them to the primary) while an anonymous public search, which may be
    stale, does not find it yet; the certificate is verified through app server B (the check
    reads the primary); once the pin is over the approver's report reads the replica too;
    replay resumed, the public search finds it;
 3. a job (the decision list) queued through B is run by the worker; its file is downloaded
    through nginx, which sends it itself (X-Accel-Redirect);
 4. the certificate check's rate limit holds across A and B (Redis);
 5. A stopped: the journey goes on through nginx, no request fails;
 6. the replica stopped: the public search answers from the primary.
Everything is stopped and removed at the end (--keep leaves the folder and its logs).
"""

import argparse
import glob
import os
import random
import re
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.topology.client import Browser  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PIN_SECONDS = 6  # REPLICA_PIN_SECONDS here (production: 30), so that its end can be awaited
TIME_LIMIT = 600  # seconds: the whole run, set-up included (about 2 minutes on a quiet machine)
DEMO_PASSWORD = "topology-" + os.urandom(6).hex()


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def ok(message):
    print(f"  ok  {message}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for(condition, timeout, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except Exception:
            value = None
        if value:
            return value
        time.sleep(step)
    return None


def pg_bin():
    """The newest PostgreSQL server binaries installed (Debian keeps them out of PATH)."""
    found = None
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
    for folder in versions:
        tools = ("initdb", "pg_ctl", "pg_basebackup")
        if all(os.path.exists(f"{folder}/{tool}") for tool in tools):
            found = folder
    check(found, "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin")
    return Path(found)


def as_postgres(command):
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Postgres:
    """A cluster of this run's own: the primary (initdb) or a replica (pg_basebackup)."""

    def __init__(self, folder, bin_dir):
        self.folder = folder
        self.data = folder / "data"
        self.bin = bin_dir
        self.port = free_port()
        folder.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")

    def run(self, *command):
        subprocess.run(
            as_postgres([str(self.bin / command[0]), *command[1:]]),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def init(self):
        self.run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def copy_of(self, primary):
        # -R writes standby.signal and primary_conninfo: a streaming hot standby.
        self.run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.port),
            "-U",
            "postgres",
            "-D",
            str(self.data),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
            "--no-sync",
        )

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off "
            "-c wal_level=replica -c max_wal_senders=5 -c hot_standby=on"
        )
        self.run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "postgres.log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self):
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                as_postgres(
                    [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
                ),
                check=False,
                stdout=subprocess.DEVNULL,
            )

    def url(self, name="khuyenhoc"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def sql(self, query, name="khuyenhoc"):
        result = subprocess.run(
            ["psql", self.url(name), "-XAtqc", query], check=True, capture_output=True, text=True
        )
        return result.stdout.strip()


def render_nginx(folder, app_ports, http_port, https_port, srv):
    """deploy/nginx/khuyenhoc.conf and its snippet, with this run's ports, certificate and
    folders: every other line is the shipped one."""
    conf = folder / "nginx"
    (conf / "snippets").mkdir(parents=True)
    (conf / "tmp").mkdir()
    site = (DEPLOY / "nginx" / "khuyenhoc.conf").read_text()
    substitutions = {
        "server 127.0.0.1:8001 ": f"server 127.0.0.1:{app_ports[0]} ",
        "server 127.0.0.1:8002 ": f"server 127.0.0.1:{app_ports[1]} ",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "/etc/letsencrypt/live/khuyenhoc.example.org/fullchain.pem": str(conf / "cert.pem"),
        "/etc/letsencrypt/live/khuyenhoc.example.org/privkey.pem": str(conf / "key.pem"),
    }
    for old, new in substitutions.items():
        check(old in site, f"deploy/nginx/khuyenhoc.conf no longer holds {old!r}")
        site = site.replace(old, new)
    snippet = (DEPLOY / "nginx" / "snippets" / "khuyenhoc-locations.conf").read_text()
    check("/srv/khuyenhoc/" in snippet, "the nginx snippet no longer names /srv/khuyenhoc/")
    (conf / "snippets" / "khuyenhoc-locations.conf").write_text(
        snippet.replace("/srv/khuyenhoc/", f"{srv}/")
    )
    (conf / "khuyenhoc.conf").write_text(site)
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(conf / "key.pem"),
            "-out",
            str(conf / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    tmp = conf / "tmp"
    user = "user www-data;\n" if os.geteuid() == 0 else ""
    (conf / "nginx.conf").write_text(
        f"""{user}worker_processes 1;
pid {conf}/nginx.pid;
error_log {conf}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {conf}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include khuyenhoc.conf;
}}
"""
    )
    return conf


class Topology:
    def __init__(self, folder):
        self.folder = folder
        self.processes = {}
        self.bin = pg_bin()
        self.primary = Postgres(folder / "primary", self.bin)
        self.replica = Postgres(folder / "replica", self.bin)
        self.redis_port = free_port()
        self.app_ports = (free_port(), free_port())
        self.http_port, self.https_port = free_port(), free_port()
        self.srv = folder / "srv"
        self.log = open(folder / "servers.log", "ab")  # noqa: SIM115 (closed in stop)

    def env(self):
        nginx_base = f"https://localhost:{self.https_port}"
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DATABASE_URL": self.primary.url(),
            "REPLICA_DATABASE_URL": self.replica.url(),
            "REPLICA_PIN_SECONDS": str(PIN_SECONDS),
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "SECRET_KEY": "topology-only-" + os.urandom(16).hex(),
            "DEBUG": "0",
            "BEHIND_PROXY": "1",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # nginx passes Host without the port (it is 443 in production); here it is not.
            "CSRF_TRUSTED_ORIGINS": nginx_base,
            "SITE_BASE_URL": nginx_base,
            "STATIC_ROOT": str(self.srv / "staticfiles"),
            "PRIVATE_MEDIA_ROOT": str(self.srv / "media-private"),
            "PRIVATE_MEDIA_ACCEL_REDIRECT": "/_private/",
            "TASKS_BACKEND": "database",
            "DEMO_PASSWORD": DEMO_PASSWORD,
            "GUNICORN_WORKERS": "1",
            "GUNICORN_THREADS": "4",
            "LOG_LEVEL": "WARNING",
        }

    def manage(self, *command):
        subprocess.run(
            [str(PYTHON), "manage.py", *command],
            cwd=ROOT,
            env=self.env(),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def spawn(self, name, command, **extra_env):
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env={**self.env(), **extra_env}, stdout=self.log, stderr=self.log
        )

    def start(self):
        t0 = time.monotonic()
        self.srv.mkdir()
        # collectstatic (hashed names, .gz and .br copies) needs no database: beside the rest.
        self.spawn("collectstatic", [str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"])
        self.primary.init()
        self.primary.start()
        self.primary.sql("CREATE DATABASE khuyenhoc", name="postgres")
        print(
            "  ..  migrating, loading the units, accounts and criteria, collecting static files",
            flush=True,
        )
        self.manage("compiletranslations")
        self.manage("migrate", "--noinput")
        self.manage("shell", "-c", "from tests.topology.seed import seed; seed()")
        check(self.processes["collectstatic"].wait(TIME_LIMIT) == 0, "collectstatic failed")
        self.replica.copy_of(self.primary)
        self.replica.start()
        check(
            wait_for(lambda: self.replica.sql("SELECT pg_is_in_recovery()") == "t", 30),
            "the replica is not a hot standby",
        )
        self.spawn(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
        )
        for name, port in zip("AB", self.app_ports, strict=True):
            self.spawn(
                name,
                [str(PYTHON), "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "khuyenhoc.wsgi"],
                GUNICORN_BIND=f"127.0.0.1:{port}",
                GUNICORN_PROC_NAME=f"khuyenhoc-topology-{name}",
            )
        self.spawn(
            "worker", [str(PYTHON), "manage.py", "db_worker", "--no-reload", "--interval", "0.3"]
        )
        conf = render_nginx(self.folder, self.app_ports, self.http_port, self.https_port, self.srv)
        tested = subprocess.run(
            [NGINX, "-t", "-p", str(conf), "-c", str(conf / "nginx.conf")],
            capture_output=True,
            text=True,
        )
        check(tested.returncode == 0, f"nginx -t refused the site: {tested.stderr}")
        self.spawn(
            "nginx", [NGINX, "-p", str(conf), "-c", str(conf / "nginx.conf"), "-g", "daemon off;"]
        )
        for port in (*self.app_ports, self.https_port, self.redis_port):
            check(wait_for(lambda p=port: port_open(p), 60), f"nothing listens on {port}")
        for base in (*(self.direct(n).base for n in "AB"), self.nginx().base):
            ready = wait_for(lambda b=base: Browser(b).get("/healthz").status == 200, 60)
            check(ready, f"{base}/healthz does not answer 200")
        ok(
            f"started in {time.monotonic() - t0:.0f} s: primary :{self.primary.port}, replica "
            f":{self.replica.port}, Redis :{self.redis_port}, gunicorn A :{self.app_ports[0]} "
            f"B :{self.app_ports[1]}, worker, nginx :{self.https_port} (PostgreSQL {self.bin})"
        )

    def direct(self, name, address="203.0.113.10"):
        """A browser talking to one app server as nginx would: HTTPS said, its address added."""
        port = self.app_ports["AB".index(name)]
        return Browser(
            f"http://127.0.0.1:{port}",
            {"X-Forwarded-Proto": "https", "X-Forwarded-For": address},
        )

    def nginx(self):
        return Browser(f"https://localhost:{self.https_port}")

    def stop_process(self, name):
        process = self.processes.get(name)
        if process and process.poll() is None:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)

    def stop(self):
        for name in list(self.processes):
            self.stop_process(name)
        self.replica.stop()
        self.primary.stop()
        self.log.close()


# --- the journey ------------------------------------------------------------------------------


def new_name():
    word = "".join(random.choices(string.ascii_lowercase, k=9))
    return f"Lò Văn {word.capitalize()}", f"lo van {word}"


def register_score_propose(officer, year, name):
    """The commune officer's part; returns the registration's id."""
    start = officer.get(f"/portal/registrations/new/?kind=family&year={year}")
    check(start.status == 200, f"the registration form answered {start.status}")
    form = start.form("/portal/registrations/new/")
    villages = [value for value, _label in form.selects.get("village", []) if value]
    check(villages, "the officer's commune has no village to choose")
    done = officer.submit(
        start,
        "/portal/registrations/new/",
        {"head_name": name, "head_birth_year": "1979", "village": villages[0]},
    )
    found = re.search(r"/portal/registrations/(\d+)/$", done.url)
    check(done.status == 200 and found, f"registering {name} ended at {done.url} ({done.status})")
    pk = int(found.group(1))
    scores = officer.get(f"/portal/registrations/{pk}/score/")
    form = scores.form("/score/")
    marks = {n: a["max"] for n, _v, a in form.fields if "data-score" in a and "max" in a}
    check(marks, "the score form has no criterion")
    scored = officer.submit(scores, f"/portal/registrations/{pk}/score/", marks)
    check(scored.status == 200, f"saving the scores answered {scored.status}")
    detail = officer.get(f"/portal/registrations/{pk}/")
    proposed = officer.submit(detail, "/propose/")
    check(proposed.status == 200, f"proposing answered {proposed.status}")
    return pk


def approve(approver, pk, decision):
    detail = approver.get(f"/portal/registrations/{pk}/")
    check(detail.status == 200, f"the approver's registration page answered {detail.status}")
    form = detail.form("/approve/")
    field = next(n for n, _v, _a in form.fields if n.endswith("decision_number"))
    done = approver.submit(detail, "/approve/", {field: decision})
    code = re.search(r'data-testid="certificate-code">([A-Z0-9-]+)<', done.text)
    check(done.status == 200 and code, f"approving {pk} did not show a certificate code")
    return code.group(1)


def in_report(approver, year, unit, name):
    page = approver.get(f"/portal/reports/recognised/?year={year}&unit={unit}")
    check(page.status == 200, f"the recognised list answered {page.status}")
    return name in page.text


def public_search_finds(browser, query, name):
    page = browser.get("/recognitions/?q=" + query.replace(" ", "+"))
    check(page.status == 200, f"the public search answered {page.status}")
    return name in page.text


def run(topology):
    year = time.localtime().tm_year
    nginx = topology.nginx()

    # 1. nginx in front --------------------------------------------------------------------
    home = nginx.get("/", headers={"Accept-Encoding": "gzip"})
    check(
        home.status == 200 and home.headers.get("Content-Encoding") == "gzip",
        "the home page is not compressed by nginx",
    )
    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', home.text)
    check(css, "the home page links no hashed stylesheet")
    static = nginx.get(css.group(1))
    check(
        static.status == 200
        and "immutable" in static.headers.get("Cache-Control", "")
        and "max-age=31536000" in static.headers["Cache-Control"],
        f"a hashed static file is not cached for a year: {static.headers.get('Cache-Control')}",
    )
    check(nginx.get("/_private/jobs/").status == 404, "the private location answers outsiders")
    plain = Browser(f"http://127.0.0.1:{topology.http_port}")
    redirect = plain.get("/portal/", follow=False)
    check(
        redirect.status == 301 and redirect.headers["Location"].startswith("https://"),
        "plain HTTP is not sent to HTTPS",
    )
    check(plain.get("/healthz").status == 200, "/healthz over plain HTTP does not answer")
    ok(
        "nginx: pages gzip-compressed, hashed static files cached for a year, /_private/ closed, "
        "HTTP → HTTPS"
    )

    # 2. the journey through A, verified through B -------------------------------------------
    officer = topology.direct("A")
    officer.login("demo-commune", DEMO_PASSWORD)
    name, query = new_name()
    pk = register_score_propose(officer, year, name)
    unit = topology.primary.sql(f"SELECT unit_id FROM models_learning_registration WHERE id={pk}")
    approver = topology.direct("A", "203.0.113.11")
    approver.login("demo-province", DEMO_PASSWORD)
    topology.replica.sql("SELECT pg_wal_replay_pause()")
    check(
        wait_for(
            lambda: topology.replica.sql("SELECT pg_get_wal_replay_pause_state()") == "paused", 10
        ),
        "the replica's replay did not pause",
    )
    code = approve(approver, pk, f"{pk}/QĐ-TOPO")
    ok(f"registered, scored, proposed and approved through A: {name}, certificate {code}")
    check(
        in_report(approver, year, unit, name),
        "the approver's report does not show the file they just approved",
    )
    check(
        not public_search_finds(nginx, query, name),
        "the public search found the new title while the replica was paused: it does not "
        "read the replica",
    )
    verify = topology.direct("B", "203.0.113.12").get(f"/verify/{code}/")
    check(verify.status == 200 and code in verify.text, f"verifying through B: {verify.status}")
    ok(
        "replica paused: the approver's report shows the approval (pinned to the primary), the "
        "public search does not yet (replica), the certificate verifies through B (primary)"
    )
    time.sleep(PIN_SECONDS + 1)
    check(
        not in_report(approver, year, unit, name),
        "after the pin the report still shows the approval: reports do not read the replica",
    )
    topology.replica.sql("SELECT pg_wal_replay_resume()")
    check(
        wait_for(lambda: public_search_finds(nginx, query, name), 30),
        "the replica did not catch up",
    )
    ok(
        "after the pin the approver's report reads the replica; replay resumed, the public "
        "search finds the new title"
    )

    # 3. a job queued through B, run by the worker, downloaded through nginx ------------------
    staff_b = topology.direct("B", "203.0.113.13")
    staff_b.login("demo-province", DEMO_PASSWORD)
    batch = staff_b.get("/portal/certificates/")
    queued = staff_b.submit(
        batch,
        "/portal/certificates/",
        {
            "unit": unit,
            "year": str(year),
            "kind": "family",
            "decision_number": f"{pk}/QĐ-TOPO",
            "output": "list-xlsx",
        },
    )
    job = re.search(r"/portal/jobs/(\d+)/$", queued.url)
    check(job, f"queuing the decision list ended at {queued.url} ({queued.status})")
    download = f"/portal/jobs/{job.group(1)}/download/"
    check(
        wait_for(lambda: download in staff_b.get(queued.url).text, 90, step=1),
        "the worker did not run the job queued through B",
    )
    handed = staff_b.get(download)
    check(
        handed.headers.get("X-Accel-Redirect", "").startswith("/_private/jobs/")
        and handed.body == b"",
        "the app server streamed the file instead of handing it to nginx",
    )
    through = topology.nginx()
    through.cookies = dict(staff_b.cookies)
    sent = through.get(download)
    check(
        sent.status == 200
        and sent.body[:2] == b"PK"
        and "X-Accel-Redirect" not in sent.headers
        and sent.headers.get("Content-Disposition", "").startswith("attachment")
        and "no-store" in sent.headers.get("Cache-Control", ""),
        f"nginx did not send the job's file ({sent.status}, {sent.headers.items()})",
    )
    anonymous = nginx.get(download, follow=False)
    check(
        anonymous.status == 302 and "/accounts/login/" in anonymous.headers["Location"],
        f"an anonymous visitor's download answered {anonymous.status}",
    )
    ok(
        f"a job queued through B was run by the worker; nginx sent its {len(sent.body)} bytes "
        "(X-Accel-Redirect)"
    )

    # 4. the certificate check's rate limit across servers ------------------------------------
    guesser = "198.51.100.77"
    for n in range(20):
        wrong = topology.direct("AB"[n % 2], guesser).get(f"/verify/DB-{year}-ZZZZ{n:02d}/")
        check(wrong.status == 404, f"an unknown code answered {wrong.status}")
    for server in "AB":
        limited = topology.direct(server, guesser).get(f"/verify/{code}/")
        check(
            limited.status == 429,
            f"after 20 failures over A and B, {server} answered "
            f"{limited.status}: the limit is not shared",
        )
    check(
        topology.direct("A", "198.51.100.78").get(f"/verify/{code}/").status == 200,
        "another address was limited too",
    )
    ok("20 failed look-ups spread over A and B: both answer 429 to that address (Redis)")

    # 5. A stopped: the journey goes on through nginx -----------------------------------------
    topology.stop_process("A")
    check(not port_open(topology.app_ports[0]), "server A still listens")
    officer = topology.nginx()
    officer.login("demo-commune", DEMO_PASSWORD)
    name2, query2 = new_name()
    pk2 = register_score_propose(officer, year, name2)
    approver = topology.nginx()
    approver.login("demo-province", DEMO_PASSWORD)
    code2 = approve(approver, pk2, f"{pk2}/QĐ-TOPO")
    check(approver.get(f"/verify/{code2}/").status == 200, "the new certificate does not verify")
    access = (topology.folder / "nginx" / "access.log").read_text()
    check(not re.search(r'" 50[234] ', access), "nginx answered a 502/503/504")
    ok(
        f"A stopped: registered, scored, proposed, approved and verified {name2} through nginx, "
        "no request failed"
    )

    # 6. the replica stopped: its pages answer from the primary -------------------------------
    topology.replica.stop()
    visitor = topology.nginx()
    check(
        public_search_finds(visitor, query2, name2),
        "with the replica stopped the public search does not answer from the primary",
    )
    check(visitor.get("/stats/").status == 200, "/stats/ fails without the replica")
    ok("replica stopped: the public search and statistics answer from the primary")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder and logs")
    args = parser.parse_args(argv)
    for tool in (NGINX, "redis-server", "openssl", "psql", "runuser"):
        if not shutil.which(tool):
            print(f"topology: {tool} is missing", file=sys.stderr)
            return 1

    def too_long(*_):
        raise Failure(f"the topology test ran over {TIME_LIMIT} s")

    signal.signal(signal.SIGALRM, too_long)
    signal.alarm(TIME_LIMIT)
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="khuyenhoc-topology-"))
    os.chmod(folder, 0o755)
    topology = Topology(folder)
    try:
        topology.start()
        run(topology)
    except (Failure, subprocess.CalledProcessError) as error:
        print(f"FAIL {error}", file=sys.stderr)
        print(f"     logs: {folder} (kept)", file=sys.stderr)
        args.keep = True
        return 1
    finally:
        signal.alarm(0)
        topology.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"topology: passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
