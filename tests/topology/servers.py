"""The servers of the topology test (tests/topology/run.py), each on a scratch port and folder:
a PostgreSQL primary and its streaming replica, Redis, two gunicorn app servers, a worker and
nginx; started and stopped by `Topology`."""

import glob
import os
import shutil
import socket
import subprocess
import sys
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
        # Redis first: the seed's writes bump the cached figures' versions there.
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
        self.manage("compiletranslations")
        check(wait_for(lambda: port_open(self.redis_port), 30), "Redis does not listen")
        self.manage("migrate", "--noinput")
        self.manage("shell", "-c", "from tests.topology.seed import seed; seed()")
        check(self.processes["collectstatic"].wait(TIME_LIMIT) == 0, "collectstatic failed")
        self.replica.copy_of(self.primary)
        self.replica.start()
        check(
            wait_for(lambda: self.replica.sql("SELECT pg_is_in_recovery()") == "t", 30),
            "the replica is not a hot standby",
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
        for port in (*self.app_ports, self.https_port):  # Redis was waited for before the seed
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
