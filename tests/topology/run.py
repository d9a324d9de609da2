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
import os
import random
import re
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.topology.client import Browser  # noqa: E402
from tests.topology.servers import (  # noqa: E402
    DEMO_PASSWORD,
    NGINX,
    PIN_SECONDS,
    TIME_LIMIT,
    Failure,
    Topology,
    check,
    ok,
    port_open,
    wait_for,
)

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
    # The title is public (search, certificate check) once its decision is issued.
    link = re.search(r'href="(/portal/recognitions/\d+/decision/)"', done.text)
    check(link, f"the recognised file {pk} offers no decision to issue")
    page = approver.get(link.group(1))
    issued = approver.submit(page, "/decision/", button=("issue", "1"))
    check(issued.status == 200, f"issuing the decision of {pk} answered {issued.status}")
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

    # The tally the primary's triggers kept through both servers (exit 1 if it differs).
    topology.manage("tally_registrations", "--check")
    topology.manage("tally_registrations")
    topology.manage("tally_registrations", "--check")
    ok("the registrations' tally matches a live count, before and after merging")

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
