"""gunicorn settings for the portal's app servers:

    gunicorn -c deploy/gunicorn.conf.py khuyenhoc.wsgi

The same file serves both deploy paths (README "Scaling out"): deploy/systemd/khuyenhoc-web@.service
(GUNICORN_BIND=127.0.0.1:<port>, one unit per port behind deploy/nginx/khuyenhoc.conf) and the
containers of deploy/compose.yaml (the default bind, 0.0.0.0:8000).

Threaded workers (pages spend part of their time waiting for PostgreSQL), with /healthz
answered by threads of its own (khuyenhoc.gunicorn_worker), so that a load balancer never
drops a server that is only busy. Every value can be set from the environment (GUNICORN_*);
README, "Faults survived", has the figures measured with bench/healthz_load.py.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# One process per core (the GIL: one thread of a process runs Python at a time), at least two
# so that one crashing or restarting never leaves the server without a worker.
workers = int(os.environ.get("GUNICORN_WORKERS", str(max(2, multiprocessing.cpu_count()))))
worker_class = os.environ.get(
    "GUNICORN_WORKER_CLASS", "khuyenhoc.gunicorn_worker.HealthFirstWorker"
)
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request taking longer than this is stuck: its worker is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so that a slow leak never grows for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# The name `ps` and the journal show: which of several servers on one host this is.
proc_name = os.environ.get("GUNICORN_PROC_NAME", "khuyenhoc")
# Workers signal they are alive by touching a file in this folder; in a container the default
# (/tmp on the overlay file system) can stall them, so the image sets /dev/shm.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None
# Behind nginx the visitor's address and scheme come in X-Forwarded-For / -Proto, which the
# portal reads itself (BEHIND_PROXY=1); gunicorn trusts them only from these addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
