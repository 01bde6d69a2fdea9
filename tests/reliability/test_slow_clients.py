"""Idle and slow clients against the real server (``eig-search serve`` on 127.0.0.1).

Connections that send nothing and clients that send their request head one byte a second are what
a public search box meets every day: ordinary searches must still answer, and the memory of the
server stays bounded. Default part: 10 idle connections and 3 slow senders on the 2,000-page
index. Stress part: 100 idle and 20 slow on 20,000 pages; its figures are printed (``make stress``
runs with -s) and given in the README, « Sécurité et fiabilité ».
"""

import selectors
import socket
import threading
import time
from urllib.parse import urlencode

import pytest

from bench.queries import QUERIES

from .support import Server, percentile, request, rss_kib

#: The request head a slow client sends, one byte a second (about 80 seconds for all of it).
SLOW_HEAD = b"GET /api/search?q=donnees HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: tortue/1.0\r\n\r\n"
#: A search that has not answered after this long counts as failed (seconds).
REQUEST_TIMEOUT = 5.0


class Siege:
    """``idle`` connections that send nothing and ``slow`` ones that send :data:`SLOW_HEAD` a byte
    a second, all from one thread; each is opened again as soon as the server closes it, so the
    pressure holds for as long as the siege lasts (at most ``limit`` seconds)."""

    def __init__(self, port: int, idle: int, slow: int, limit: float = 600.0):
        self.port, self.idle, self.slow, self.limit = port, idle, slow, limit
        self.closed_by_server = {"idle": 0, "slow": 0}
        self.connect_failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Siege":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _open(self, selector, kind: str) -> None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=2.0)
        except OSError:
            self.connect_failures += 1
            return
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, [kind, 0])  # kind, bytes of SLOW_HEAD sent

    def _close(self, selector, sock) -> None:
        selector.unregister(sock)
        sock.close()

    def _run(self) -> None:
        selector = selectors.DefaultSelector()
        for kind, count in (("idle", self.idle), ("slow", self.slow)):
            for _number in range(count):
                self._open(selector, kind)
        ends = time.monotonic() + self.limit
        next_byte = time.monotonic() + 1.0
        while not self._stop.is_set() and time.monotonic() < ends:
            for key, _events in selector.select(timeout=0.2):
                # Readable: the server closed the connection (or answered): open another one.
                kind = key.data[0]
                self.closed_by_server[kind] += 1
                self._close(selector, key.fileobj)
                self._open(selector, kind)
            if time.monotonic() >= next_byte:
                next_byte += 1.0
                self._send_a_byte(selector)
            self._refill(selector)
        for key in list(selector.get_map().values()):
            self._close(selector, key.fileobj)
        selector.close()

    def _send_a_byte(self, selector) -> None:
        for key in list(selector.get_map().values()):
            state = key.data
            if state[0] != "slow":
                continue
            try:
                key.fileobj.send(SLOW_HEAD[state[1]:state[1] + 1])
                state[1] = (state[1] + 1) % len(SLOW_HEAD)
            except OSError:
                self.closed_by_server["slow"] += 1
                self._close(selector, key.fileobj)
                self._open(selector, "slow")

    def _refill(self, selector) -> None:
        """Open again the connections that could not be opened (a full listen queue)."""
        open_kinds = [key.data[0] for key in selector.get_map().values()]
        for kind, count in (("idle", self.idle), ("slow", self.slow)):
            for _missing in range(count - open_kinds.count(kind)):
                self._open(selector, kind)


def tree_rss_kib(server: Server) -> int:
    """RSS of the server's whole process tree: the gunicorn master and its workers."""
    return sum(rss_kib(pid) for pid in [server.process.pid, *server.worker_pids()])


def ordinary_searches(count: int) -> list[str]:
    """``count`` different searches (queries of the benchmark, first pages then later ones), so
    that no answer comes from the result cache."""
    return [f"/api/search?{urlencode({'q': QUERIES[number % len(QUERIES)], 'page': number // len(QUERIES) + 1})}"
            for number in range(count)]


def searches_under_siege(server: Server, idle: int, slow: int, searches: int, settle: float,
                         pause: float, deadline: float) -> dict:
    """Time ``searches`` ordinary searches, one after the other, while the siege holds; stop early
    at ``deadline`` seconds (a stalled server)."""
    for target in ordinary_searches(4):  # the searcher and its facet arrays are opened
        assert server.get(target).status == 200
    rss_before = tree_rss_kib(server)
    latencies, failures, rss_during = [], [], []
    with Siege(server.port, idle, slow) as siege:
        time.sleep(settle)  # the connections pile up, the slow heads are under way
        ends = time.monotonic() + deadline
        for target in ordinary_searches(searches):
            if time.monotonic() > ends:
                break
            started = time.perf_counter()
            try:
                status = request(server.port, target, timeout=REQUEST_TIMEOUT).status
            except OSError as error:
                status = type(error).__name__
            latencies.append(time.perf_counter() - started)
            if status != 200:
                failures.append((target, status))
            rss_during.append(tree_rss_kib(server))
            time.sleep(pause)
        closed = dict(siege.closed_by_server)
    report = {"idle": idle, "slow": slow, "searches": len(latencies), "failures": failures[:5],
              "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
              "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
              "max_ms": round(max(latencies) * 1000, 1),
              "rss_mib": {"before": round(rss_before / 1024, 1), "peak": round(max(rss_during) / 1024, 1),
                          "end": round(rss_during[-1] / 1024, 1)},
              "closed_by_server": closed, "connect_failures": siege.connect_failures}
    print(report)
    return report


def test_searches_answer_next_to_idle_and_slow_clients(index_2k, tmp_path):
    """With 2 sync workers, two idle connections were enough to stall every search for ~30 s."""
    with Server(index_2k, tmp_path) as server:
        report = searches_under_siege(server, idle=10, slow=3, searches=40, settle=2.0, pause=0.1, deadline=40)
    assert report["failures"] == [] and report["searches"] == 40, report
    assert report["p95_ms"] < 1_500, report
    assert report["rss_mib"]["peak"] < report["rss_mib"]["before"] + 100, report


@pytest.mark.stress
def test_searches_answer_next_to_100_idle_and_20_slow_clients(index_20k, tmp_path):
    with Server(index_20k, tmp_path) as server:
        report = searches_under_siege(server, idle=100, slow=20, searches=300, settle=5.0, pause=0.1, deadline=300)
    assert report["failures"] == [] and report["searches"] == 300, report
    assert report["p95_ms"] < 1_000, report
    # Bounded: 120 connections, each opened again every few seconds, cost a few tens of MiB at most.
    assert report["rss_mib"]["peak"] < report["rss_mib"]["before"] + 150, report
    # Every slow client was cut off at least once, every idle connection several times.
    assert report["closed_by_server"]["slow"] >= 20 and report["closed_by_server"]["idle"] >= 200, report
