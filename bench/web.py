"""The HTTP part: the real app under gunicorn with 2 workers, loaded from a second process.

The app is ``searchweb.create_app()``, given the index through ``EIG_SEARCH_INDEX``; while
``searchweb.create_app`` does not exist, :func:`unavailable` says why and the table shows n/a.

``python -m bench.web --index DIR`` measures what the query log costs: ``/api/search`` latency
with the log off, then on, in alternate rounds (each its own server), p50 and p95 of each; then
the time one write after a response takes (the time a worker's other requests wait for it).
"""

import argparse
import http.client
import importlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from .measure import PROJECT, descendants, percentile, rss_bytes

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
def served(index_folder, log_path, code=PROJECT, query_log: str | None = None):
    """Run gunicorn on a free local port until the block ends; yield ``(port, master pid)``.
    ``query_log``: the ``EIG_SEARCH_QUERY_LOG`` setting (a file, or ``off``)."""
    port = _free_port()
    # The serving model of `eig-search serve` (searchweb/serve.py): gevent workers.
    command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
               "--worker-class", "gevent", "--worker-connections", "1000", "--keep-alive", "5", "--timeout", "120", "--log-level", "warning", "searchweb:create_app()"]
    # No result cache: the load cycles through a fixed list of queries, which would all be hits.
    env = {**os.environ, "EIG_SEARCH_INDEX": str(index_folder), "EIG_SEARCH_RESULT_CACHE": "0"}
    if query_log is not None:
        env["EIG_SEARCH_QUERY_LOG"] = query_log
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


def _warm_up(port: int, paths=PATHS) -> None:
    """The workers open the index and meet every query before anything is measured."""
    from .queries import QUERIES

    for path in paths:
        for q in QUERIES:
            _get(port, f"{path}?{urlencode({'q': q})}")


def benchmark(index_folder, log_path, requests: int, concurrency: int, time_cap: float, code=PROJECT) -> dict:
    """Requests/s and latency for each path, then the RSS of each worker."""
    results = {}
    with served(index_folder, log_path, code) as (port, master_pid):
        _warm_up(port)
        for path in PATHS:
            results[path] = load(port, path, requests, concurrency, time_cap, code)
        results["worker_rss"] = worker_rss(master_pid)
    return results



def query_log_overhead(index_folder, workdir, requests: int, concurrency: int, rounds: int = 3,
                       time_cap: float = 120.0) -> dict:
    """``/api/search`` with the query log off and on, ``rounds`` times each, alternately (the
    machine's drift falls on both): ``{"off": [runs], "on": [runs], "rows": rows written}``."""
    log_file = Path(workdir) / "queries.sqlite3"
    runs = {"off": [], "on": []}
    for _round in range(rounds):
        for mode in runs:
            with served(index_folder, Path(workdir) / f"gunicorn-log-{mode}.log",
                        query_log="off" if mode == "off" else str(log_file)) as (port, _master):
                _warm_up(port, ("/api/search",))
                runs[mode].append(load(port, "/api/search", requests, concurrency, time_cap))
    db = sqlite3.connect(log_file)
    try:
        runs["rows"] = db.execute("SELECT COUNT(*) FROM searches").fetchone()[0]
    finally:
        db.close()
    return runs


def write_cost(workdir, writes: int = 2000) -> dict:
    """Milliseconds one search's row takes to write (one transaction), p50 and p95."""
    from indexer.querylog.entries import Entry, minute
    from indexer.querylog.recorder import Recorder

    recorder = Recorder(Path(workdir) / "write-cost.sqlite3")
    times = []
    for number in range(writes):
        recorder.add(Entry(minute=minute(), kind="search", source="api", query=f"requete {number}", results=3))
        started = time.perf_counter()
        recorder.flush()
        times.append((time.perf_counter() - started) * 1000)
    recorder.close()
    return {"p50": percentile(times, 0.5), "p95": percentile(times, 0.95)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.web", description="Coût du journal des recherches.")
    parser.add_argument("--index", required=True, help="dossier d'un index construit")
    parser.add_argument("--requests", type=int, default=2000, help="requêtes par mesure")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="mesures par mode, en alternance")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        runs = query_log_overhead(args.index, workdir, args.requests, args.concurrency, args.rounds)
        write = write_cost(workdir)
    print(f"/api/search, {WORKERS} workers gevent, {args.concurrency} clients, {args.requests} requêtes × "
          f"{args.rounds} par mode ; {runs['rows']} recherches écrites dans le journal")
    print("| journal | p50 (ms) | p95 (ms) | requêtes/s |")
    print("|---|---|---|---|")
    for mode in ("off", "on"):
        done = runs[mode]
        print(f"| {mode} | {percentile([r['p50'] for r in done], 0.5):.2f} | "
              f"{percentile([r['p95'] for r in done], 0.5):.2f} | {percentile([r['rps'] for r in done], 0.5):.0f} |")
    print(f"Écriture d'une recherche dans le journal : {write['p50']:.3f} ms (p50), {write['p95']:.3f} ms (p95)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
