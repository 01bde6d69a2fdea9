"""The HTTP part: the real app under gunicorn with 2 workers, loaded from a second process.

The app is ``searchweb.create_app()``, given the index through ``EIG_SEARCH_INDEX``; while
``searchweb.create_app`` does not exist, :func:`unavailable` says why and the table shows n/a.
"""

import http.client
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from urllib.parse import urlencode

from .measure import PROJECT, descendants, rss_bytes

WORKERS = 2
PATHS = ("/api/search", "/recherche")
START_TIMEOUT = 120.0


def unavailable() -> str | None:
    """None when the web app can be served, else the reason for an n/a cell."""
    try:
        module = importlib.import_module("searchweb")
        importlib.import_module("gunicorn")
    except ImportError:
        return "n/a (web app not available)"
    if not callable(getattr(module, "create_app", None)):
        return "n/a (web app not available)"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, url: str, timeout: float = 30.0) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", url)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@contextmanager
def served(index_folder, log_path, code=PROJECT):
    """Run gunicorn on a free local port until the block ends; yield ``(port, master pid)``."""
    port = _free_port()
    # The serving model of `eig-search serve` (searchweb/serve.py): gevent workers.
    command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
               "--worker-class", "gevent", "--worker-connections", "1000", "--keep-alive", "5", "--timeout", "120", "--log-level", "warning", "searchweb:create_app()"]
    # No result cache: the load cycles through a fixed list of queries, which would all be hits.
    env = {**os.environ, "EIG_SEARCH_INDEX": str(index_folder), "EIG_SEARCH_RESULT_CACHE": "0"}
    with open(log_path, "w") as log:
        master = subprocess.Popen(command, cwd=code, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline, answered = time.monotonic() + START_TIMEOUT, None
            while True:
                if master.poll() is not None:
                    raise RuntimeError(f"gunicorn s'est arrêté (code {master.returncode}), voir {log_path}")
                try:
                    status = _get(port, "/api/search?q=donnees", timeout=60)
                except OSError:
                    status = None
                if status == 200:
                    break
                if status is not None:  # it answers, wrongly: no use waiting long
                    answered = answered or time.monotonic()
                    if time.monotonic() - answered > 15:
                        raise RuntimeError(f"gunicorn répond {status} au lieu de 200, voir {log_path}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn ne répond pas après {START_TIMEOUT:.0f} s, voir {log_path}")
                time.sleep(0.2)
            yield port, master.pid
        finally:
            if master.poll() is None:
                master.send_signal(signal.SIGTERM)
                try:
                    master.wait(30)
                except subprocess.TimeoutExpired:
                    master.kill()
                    master.wait()


def worker_rss(master_pid: int) -> list[int]:
    """RSS (bytes) of each gunicorn worker of a master."""
    return sorted(rss_bytes(pid) for pid in descendants(master_pid) if pid != master_pid)


def load(port: int, path: str, requests: int, concurrency: int, time_cap: float, code=PROJECT) -> dict:
    """Run the load client in its own process against ``path``."""
    command = [sys.executable, "-m", "bench.http_load", "--port", str(port), "--path", path,
               "--requests", str(requests), "--concurrency", str(concurrency), "--time-cap", str(time_cap)]
    output = subprocess.run(command, cwd=code, capture_output=True, text=True, check=True,
                            timeout=time_cap + 120).stdout
    return json.loads(output.strip().splitlines()[-1])


def benchmark(index_folder, log_path, requests: int, concurrency: int, time_cap: float, code=PROJECT) -> dict:
    """Requests/s and latency for each path, then the RSS of each worker."""
    from .queries import QUERIES

    results = {}
    with served(index_folder, log_path, code) as (port, master_pid):
        for path in PATHS:  # warm-up: the workers open the index and meet every query
            for q in QUERIES:
                _get(port, f"{path}?{urlencode({'q': q})}")
        for path in PATHS:
            results[path] = load(port, path, requests, concurrency, time_cap, code)
        results["worker_rss"] = worker_rss(master_pid)
    return results

