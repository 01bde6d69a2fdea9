"""A small bounded HTTP load client for 127.0.0.1: a fixed number of GET requests, a time cap.

Run as its own process (so that the client does not share the server's interpreter)::

    python -m bench.http_load --port 8123 --path /api/search --requests 400 --concurrency 4

Prints one JSON line: requests done, errors, requests/s and latency percentiles (ms).
"""

import argparse
import http.client
import itertools
import json
import sys
import threading
import time
from urllib.parse import urlencode

from .measure import percentile
from .queries import QUERIES


def run(port: int, path: str, requests: int, concurrency: int, time_cap: float) -> dict:
    urls = itertools.cycle(f"{path}?{urlencode({'q': q})}" for q in QUERIES)
    lock = threading.Lock()
    latencies, errors, statuses = [], [], {}
    remaining = [requests]
    started = time.perf_counter()
    deadline = started + time_cap

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if remaining[0] <= 0 or time.perf_counter() > deadline:
                    break
                remaining[0] -= 1
                url = next(urls)
            begin = time.perf_counter()
            try:
                connection.request("GET", url, headers={"Connection": "keep-alive"})
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                with lock:
                    errors.append(type(error).__name__)
                continue
            elapsed = (time.perf_counter() - begin) * 1000
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    latencies.append(elapsed)
                else:
                    errors.append(f"HTTP {status}")
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    done = len(latencies)
    return {"requests": done, "errors": len(errors), "statuses": statuses, "seconds": seconds,
            "capped": done + len(errors) < requests,
            "rps": done / seconds if seconds else 0.0,
            "p50": percentile(latencies, 0.5) if latencies else None,
            "p95": percentile(latencies, 0.95) if latencies else None}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.http_load")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/api/search")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--time-cap", type=float, default=60.0)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.port, args.path, args.requests, args.concurrency, args.time_cap)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
