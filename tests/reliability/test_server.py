"""The real server: ``eig-search serve`` (gunicorn, 2 workers) on 127.0.0.1, under hostile and
sustained load, and while the index is rebuilt under it.

Default part: raw invalid bytes, 300 requests with per-worker file descriptors and memory, a
10-second reindex of the shipped corpus under 3 clients. Stress part (20,000 pages): pathological
requests next to a normal one, 2,000 requests, a 30-second reindex of 2,000 pages.
"""

import json
import shutil
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from bench.queries import QUERIES

from .support import (
    Server,
    add_pages,
    open_files,
    percentile,
    raw_request,
    request,
    rss_kib,
    run_cli,
)
from .test_queries import EXPENSIVE, PATHOLOGICAL

#: A normal query must answer within this while pathological ones run (seconds).
NORMAL_BOUND = 1.5
#: After the indexer exits, every worker must serve the new generation within this (seconds).
SWITCH_BOUND = 5.0


@pytest.fixture(scope="module")
def server_2k(index_2k, tmp_path_factory):
    with Server(index_2k, tmp_path_factory.mktemp("server-2k")) as server:
        yield server


@pytest.fixture(scope="module")
def server_20k(index_20k, tmp_path_factory):
    with Server(index_20k, tmp_path_factory.mktemp("server-20k")) as server:
        yield server


# -- odd bytes on the wire ------------------------------------------------------------------------

@pytest.mark.parametrize("line, statuses", [
    (b"GET /recherche?q=\xff\xfe\xed\xa0\x80 HTTP/1.1", (200, 400)),  # raw invalid UTF-8, not encoded
    (b"GET /api/search?q=%ED%A0%80%00%FF HTTP/1.1", (200, 400)),  # percent-encoded surrogate, NUL, 0xFF
    (b"GET /api/search?q=caf\xc3 HTTP/1.1", (200, 400)),
    (b"GET /api/search?q=" + b"a" * 5_000 + b" HTTP/1.1", (414,)),  # the app's 4 kB query string limit
    (b"GET /api/search?q=" + b"a" * 10_000 + b" HTTP/1.1", (400, 414)),  # gunicorn's 8,190-byte request line
])
def test_raw_request_lines(server_2k, line, statuses):
    assert raw_request(server_2k.port, line) in statuses


def test_oversized_body_over_the_wire(server_2k):
    body = b'{"text": "' + b"x" * 100_000 + b'"}'
    reply = request(server_2k.port, "/api/similar", method="POST", body=body,
                    headers={"Content-Type": "application/json"})
    assert reply.status == 413
    assert reply.seconds < 1.0


# -- 11. file descriptors and memory per worker --------------------------------------------------------

def request_mix(server) -> list[tuple[str, str, bytes | None]]:
    """About sixty different requests: searches with and without filters, result pages, similar
    projects, suggestions and refused ones. Cycled, so that every worker has met each of them (and
    filled its caches) well before the first measurement."""
    defis = [hit["path"] for hit in json.loads(server.get("/api/search?kind=d%C3%A9fi&per_page=10").body)["hits"]]
    mix = [("GET", f"/api/search?{urlencode({'q': q})}", None) for q in QUERIES[:20]]
    mix += [("GET", f"/recherche?{urlencode({'q': q, 'kind': 'défi'})}", None) for q in QUERIES[20:32]]
    mix += [("GET", f"/api/search?{urlencode({'q': q, 'page': 2, 'sort': 'date'})}", None) for q in QUERIES[32:]]
    mix += [("GET", f"/api/similar?{urlencode({'path': path})}", None) for path in defis[:5]]
    mix += [("GET", f"/similaires?{urlencode({'path': path})}", None) for path in defis[5:10]]
    mix += [("POST", "/api/similar", b'{"text": "cartographie des parcelles agricoles et des routes"}')]
    mix += [("GET", f"/api/suggest?q={prefix}", None) for prefix in ("do", "sec", "int", "car")]
    mix += [("GET", "/recherche?q=x&page=abc", None), ("GET", "/nulle-part", None),
            ("GET", "/api/search?q=" + "a" * 5_000, None), ("GET", "/static/style.css", None)]
    return mix


def figures(server) -> dict[int, tuple[int, list[str], int]]:
    """``{worker pid: (other open descriptors, index files open, RSS in KiB)}``."""
    return {pid: (*open_files(pid, server.index.resolve()), rss_kib(pid)) for pid in server.worker_pids()}


def resources_stay_flat(server, warm: int, total: int, clients: int = 4) -> dict:
    mix = request_mix(server)
    statuses, latencies = Counter(), []
    lock = threading.Lock()

    def send(number: int) -> None:
        method, target, body = mix[number % len(mix)]
        headers = {"Content-Type": "application/json"} if body else {}
        reply = request(server.port, target, method=method, body=body, headers=headers)
        with lock:
            statuses[reply.status] += 1
            latencies.append(reply.seconds)

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(send, range(warm)))
        early = figures(server)
        list(pool.map(send, range(warm, total)))
    late = figures(server)
    report = {"statuses": dict(statuses), "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
              "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
              "workers": {pid: {f"fds@{warm}": early[pid][0], f"fds@{total}": late[pid][0],
                                f"index_files@{warm}": len(early[pid][1]), f"index_files@{total}": len(late[pid][1]),
                                f"rss_kib@{warm}": early[pid][2], f"rss_kib@{total}": late[pid][2]}
                          for pid in early if pid in late}}
    print(report)
    assert set(statuses) <= {200, 400, 404, 414}, statuses
    assert sum(statuses.values()) == total
    assert set(late) == set(early), "a worker was replaced during the run"
    generation_files = {str(path) for path in server.index.resolve().glob("gen-*/*")}
    # Beside them, each worker holds the query log open (the file, its WAL and shared memory).
    log_files = {f"{server.index.resolve()}/queries.sqlite3{suffix}" for suffix in ("", "-wal", "-shm")}
    for pid in early:
        (fds_early, _, rss_early), (fds_late, index_files, rss_late) = early[pid], late[pid]
        assert abs(fds_late - fds_early) <= 1, (pid, fds_early, fds_late)
        # Each index file open at most once, and only files of the index: nothing leaks per request.
        assert len(index_files) == len(set(index_files)) and set(index_files) <= generation_files | log_files, \
            index_files
        assert abs(rss_late - rss_early) <= 0.10 * rss_early, (pid, rss_early, rss_late)
    return report


def test_300_requests_keep_files_and_memory_flat(server_2k):
    resources_stay_flat(server_2k, warm=100, total=300)


@pytest.mark.stress
def test_2000_requests_keep_files_and_memory_flat(server_20k):
    resources_stay_flat(server_20k, warm=500, total=2_000)


# -- 6. a normal query next to pathological ones ------------------------------------------------------

def normal_query_latency(server, pathological: list[str], normal: str) -> tuple[float, list[tuple[int, float]]]:
    """Start the pathological requests together; 50 ms later, time the normal one."""
    with ThreadPoolExecutor(len(pathological)) as pool:
        futures = [pool.submit(request, server.port, target, timeout=120) for target in pathological]
        time.sleep(0.05)
        reply = request(server.port, normal, timeout=120)
        others = [(future.result().status, future.result().seconds) for future in futures]
    assert reply.status == 200
    return reply.seconds, others


@pytest.mark.stress
def test_normal_query_answers_next_to_pathological_ones(server_20k):
    latencies = []
    for number, q in enumerate(PATHOLOGICAL):
        targets = [f"/api/search?{urlencode({'q': q, 'page': page})}" if page % 2 else
                   f"/recherche?{urlencode({'q': q, 'page': page})}" for page in range(1, 5)]
        normal = f"/api/search?{urlencode({'q': QUERIES[number]})}"
        seconds, others = normal_query_latency(server_20k, targets, normal)
        print(f"{q!r}: normal query {seconds * 1000:.0f} ms; pathological {others}")
        assert all(status in (200, 400) for status, _seconds in others)
        latencies.append(seconds)
    assert max(latencies) < NORMAL_BOUND


@pytest.mark.stress
@pytest.mark.parametrize("name", EXPENSIVE)
def test_normal_query_answers_next_to_expensive_ones(server_20k, name):
    targets = [f"/api/search?{urlencode({'q': EXPENSIVE[name](seed)})}" for seed in range(100, 104)]
    seconds, others = normal_query_latency(server_20k, targets, f"/api/search?{urlencode({'q': 'pompiers'})}")
    print(f"{name}: normal query {seconds * 1000:.0f} ms; expensive {others}")
    assert seconds < NORMAL_BOUND


# -- 7. reindex under load -----------------------------------------------------------------------------

def reindex_under_load(site, index, workdir, seconds: float, added: int = 20) -> dict:
    """3 clients query the server for ``seconds`` while ``eig-search index`` rebuilds the index of a
    site that gained ``added`` pages. The API does not expose the generation, so the switch is seen
    in ``total`` of the empty query (every page)."""
    with Server(index, workdir) as server:
        before = json.loads(server.get("/api/search?q=").body)["total"]
        add_pages(site, added, tag="reindex")
        after = before + added
        records, stop = [], threading.Event()
        lock = threading.Lock()
        targets = ["/api/search?q=", "/api/search?" + urlencode({"q": "données"}), "/recherche?q="]

        def client(number: int) -> None:
            turn = number
            while not stop.is_set():
                target = targets[turn % len(targets)]
                turn += 1
                started = time.monotonic()
                reply = request(server.port, target, timeout=60)
                total = json.loads(reply.body)["total"] if target.startswith("/api/") and reply.status == 200 else None
                with lock:
                    records.append((started, time.monotonic(), target, reply.status, total))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(3)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        try:
            time.sleep(1.0)
            indexed = run_cli("index", "--site", site, "--index", index, timeout=600)
            exited = time.monotonic()
            assert indexed.returncode == 0, indexed.stderr
            time.sleep(max(SWITCH_BOUND + 1.0, began + seconds - time.monotonic()))
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=120)
    statuses = Counter(status for *_times, _target, status, _total in records)
    everything = [(start, end, total) for start, end, target, _status, total in records if target == "/api/search?q="]
    first_new = min((end for _start, end, total in everything if total == after), default=None)
    late = [total for start, _end, total in everything if start > exited + SWITCH_BOUND]
    report = {"requests": len(records), "statuses": dict(statuses), "reindex_s": round(exited - began - 1.0, 2),
              "documents": (before, after),
              "new_generation_after_exit_s": None if first_new is None else round(first_new - exited, 3),
              "p95_ms": round(percentile([end - start for start, end, *_rest in records], 0.95) * 1000, 1)}
    print(report)
    assert statuses == {200: len(records)}, statuses
    assert all(total for *_rest, total in records if total is not None), "a search answered total 0"
    assert first_new is not None and first_new - exited <= SWITCH_BOUND
    assert late and set(late) == {after}, Counter(late)
    return report


def test_reindex_under_load_light(corpus_copy, tmp_path):
    index = tmp_path / "index"
    assert run_cli("index", "--site", corpus_copy, "--index", index).returncode == 0
    reindex_under_load(corpus_copy, index, tmp_path, seconds=10)


@pytest.mark.stress
def test_reindex_under_load_2000_pages(site_2k, index_2k, tmp_path):
    site = shutil.copytree(site_2k, tmp_path / "site", symlinks=True)
    index = shutil.copytree(index_2k, tmp_path / "index", symlinks=True)
    reindex_under_load(site, index, tmp_path, seconds=30)
