#!/usr/bin/env python3
"""A small, bounded load test of the public search on loopback (standard library only).

    python bench/search_load.py --base http://127.0.0.1:8000 --requests 200 --threads 4

Sends a fixed number of GET requests (at most 5,000, and never for longer than --max-seconds)
from a few threads to a server on this machine, then prints the latency percentiles and the
status codes. The default mix is the public search as visitors use it: names typed without
diacritics, with and without filters, a few pages deep; the commune and district filters
use unit ids read from the search form itself. It refuses any host but loopback: this is a
measuring tool, not a way to load someone else's server.
"""

import argparse
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_REQUESTS = 5_000

SEARCHES = [
    "q=nguyen+van+an",
    "q=nguyen+thi",
    "q=lo+van",
    "q=giang+a+pao",
    "q=dang+thi+hang",
    "q=quang+thi",
    "q=tran&year=2024",
    "q=hoang&kind=family",
    "q=lo&kind=clan",
    "kind=organisation",
    "year=2020",
    "year=2018&page=3",
    "",
    "page=2",
    "q=nguyen&page=5",
]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="server on loopback")
    parser.add_argument("--requests", type=int, default=200, help=f"total (max {MAX_REQUESTS})")
    parser.add_argument("--threads", type=int, default=4, help="concurrent clients (max 16)")
    parser.add_argument("--max-seconds", type=float, default=120, help="stop after this long")
    parser.add_argument("--timeout", type=float, default=30, help="per request, seconds")
    parser.add_argument("--path", action="append", help="a path to request (repeatable)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    host = urllib.parse.urlsplit(args.base).hostname
    if host not in LOOPBACK:
        parser.error(f"only a server on loopback may be loaded, not {host!r}")
    if not 1 <= args.requests <= MAX_REQUESTS:
        parser.error(f"--requests must be between 1 and {MAX_REQUESTS}")
    if not 1 <= args.threads <= 16:
        parser.error("--threads must be between 1 and 16")
    return args


def fetch(url, timeout):
    """(status, seconds, bytes) of one GET, the whole body read."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body = error.read()
        status = error.code
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        return f"error: {error}", time.perf_counter() - started, 0
    return status, time.perf_counter() - started, len(body)


def unit_filters(base, timeout):
    """`unit=<id>` filters for a few communes and districts named in the search form (the
    units whose name holds an "a": the form lists only the matches of the name typed in
    `unit_q`, at most 20; a server from before that lists them all)."""
    try:
        url = base + "/recognitions/?unit_q=a"
        with urllib.request.urlopen(url, timeout=timeout) as response:
            html = response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return []
    select = html.split('name="unit"', 1)[-1].split("</select>", 1)[0]
    ids = re.findall(r'<option value="(\d+)"', select)
    if not ids:
        return []
    picks = ids[:: max(1, len(ids) // 6)][:6]
    return [f"unit={pk}" for pk in picks] + [f"unit={picks[0]}&year=2024"]


def percentile(sorted_values, share):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(share * (len(sorted_values) - 1))))
    return sorted_values[index]


def main(argv=None):
    args = parse_args(argv)
    base = args.base.rstrip("/")
    if args.path:
        paths = args.path
    else:
        queries = SEARCHES + unit_filters(base, args.timeout)
        paths = [f"/recognitions/?{query}" if query else "/recognitions/" for query in queries]
    rng = random.Random(args.seed)
    plan = [rng.choice(paths) for _n in range(args.requests)]
    results, lock = [], threading.Lock()
    deadline = time.monotonic() + args.max_seconds
    position = iter(range(len(plan)))

    def worker():
        while time.monotonic() < deadline:
            with lock:
                index = next(position, None)
            if index is None:
                return
            outcome = fetch(base + plan[index], args.timeout)
            with lock:
                results.append((plan[index], *outcome))

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _n in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    times = sorted(seconds * 1000 for _path, _status, seconds, _size in results)
    statuses = {}
    for _path, status, _seconds, _size in results:
        statuses[status] = statuses.get(status, 0) + 1
    sizes = [size for _path, _status, _seconds, size in results if size]
    print(f"{len(results)} requests to {base} from {args.threads} threads in {elapsed:.1f} s")
    print(f"statuses: {dict(sorted(statuses.items(), key=str))}")
    if times:
        print(
            f"latency ms: p50 {percentile(times, 0.50):.0f}  p95 {percentile(times, 0.95):.0f}  "
            f"max {times[-1]:.0f}  mean {statistics.fmean(times):.0f}"
        )
        print(f"throughput: {len(results) / elapsed:.1f} requests/s")
    if sizes:
        print(f"page size: median {statistics.median(sizes) / 1024:.1f} KiB uncompressed")
    slowest = sorted(results, key=lambda row: row[2], reverse=True)[:5]
    print("slowest:")
    for path, status, seconds, _size in slowest:
        print(f"  {seconds * 1000:7.0f} ms  {status}  {path}")
    if len(results) < args.requests:
        print(f"stopped at --max-seconds after {len(results)} of {args.requests} requests")
    return 0 if all(status == 200 for _p, status, _s, _z in results) else 1


if __name__ == "__main__":
    sys.exit(main())
