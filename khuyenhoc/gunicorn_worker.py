"""A gunicorn worker that answers /healthz outside the page queue.

gunicorn's threaded worker (gthread) hands every request to one pool of threads. When the
pages keep them all busy, a /healthz request waits behind them, and a load balancer that
times it out drops a server that is only busy. This worker reads the first bytes of each
request without taking them (MSG_PEEK) and gives `GET /healthz` to a small pool of its own;
everything else goes to the page threads as before. Used by deploy/gunicorn.conf.py.
"""

import selectors
import socket
import time
from concurrent import futures
from functools import partial

from gunicorn.workers.gthread import ThreadWorker

HEALTH_PREFIXES = (b"GET /healthz", b"HEAD /healthz")
HEALTH_THREADS = 2


class HealthFirstWorker(ThreadWorker):
    def init_process(self):
        self.health_pool = futures.ThreadPoolExecutor(
            max_workers=HEALTH_THREADS, thread_name_prefix="healthz"
        )
        super().init_process()

    def enqueue_req(self, conn):
        kind = self._kind_of(conn)
        if kind is None:
            # Nothing sent yet: wait for it on the poller, as gunicorn does for a slow client,
            # without holding a thread; the request is sorted once it arrives.
            conn.timeout = time.monotonic() + self.cfg.keepalive
            self.pending_conns.append(conn)
            self.poller.register(
                conn.sock, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn)
            )
            return
        pool = self.health_pool if kind == "health" else self.tpool
        done = pool.submit(self.handle, conn)
        done.add_done_callback(
            lambda future: self.method_queue.defer(self.finish_request, conn, future)
        )

    def _kind_of(self, conn):
        """ "health", "page", or None while the client has sent nothing."""
        if self.cfg.is_ssl:
            return "page"
        if conn.parser is not None:
            start = conn.parser.unreader.buf.getvalue()
            if start:
                return "health" if start.startswith(HEALTH_PREFIXES) else "page"
        try:
            start = conn.sock.recv(16, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            return None
        except OSError:
            return "page"  # the page path reports and closes a broken connection
        return "health" if start.startswith(HEALTH_PREFIXES) else "page"

    def handle_quit(self, sig, frame):
        self.health_pool.shutdown(wait=False)
        super().handle_quit(sig, frame)
