"""The query log under the real server: ``eig-search serve`` (gunicorn, two gevent workers)
writing one SQLite file at once, a rebuild of the index under it, the report read afterwards,
and the file's bytes searched for anything of the visitor.
"""

import json
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest

from .support import CORPUS, Server, run_cli

CLIENTS, SEARCHES = 8, 50
#: Seconds the rows of answered searches may take to reach the file (written after each response).
WRITTEN_WITHIN = 10.0
ADDRESS, AGENT, COOKIE = "203.0.113.77", "NavigateurDeTest/9.9 (sonde-vie-privee)", "session=biscuit-4242"


@pytest.fixture
def index(tmp_path):
    folder = tmp_path / "index"
    done = run_cli("index", "--site", CORPUS, "--index", folder)
    assert done.returncode == 0, done.stderr
    return folder


def count(log) -> int:
    if not log.exists():
        return 0
    db = sqlite3.connect(log, timeout=5)
    try:
        return db.execute("SELECT COUNT(*) FROM searches").fetchone()[0]
    finally:
        db.close()


def wait_for_rows(log, expected: int) -> int:
    deadline = time.monotonic() + WRITTEN_WITHIN
    while count(log) < expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return count(log)


def report(index, *args) -> dict:
    done = run_cli("report", "--index", index, "--json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_concurrent_clients_lose_no_search(index, tmp_path):
    """8 clients × 50 searches on 2 workers: exactly 400 rows, each search once, file intact."""
    log = index / "queries.sqlite3"
    with Server(index, tmp_path) as server:
        def client(number: int) -> list[int]:
            return [server.get(f"/api/search?q=phare+client{number}+essai{search}").status
                    for search in range(SEARCHES)]

        with ThreadPoolExecutor(CLIENTS) as pool:
            statuses = [status for statuses in pool.map(client, range(CLIENTS)) for status in statuses]
        assert statuses == [200] * CLIENTS * SEARCHES
        assert wait_for_rows(log, CLIENTS * SEARCHES) == CLIENTS * SEARCHES  # written while serving
    db = sqlite3.connect(log)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        queries = [query for (query,) in db.execute("SELECT query FROM searches")]
    finally:
        db.close()
    assert sorted(queries) == sorted(f"phare client{number} essai{search}"
                                     for number in range(CLIENTS) for search in range(SEARCHES))


def test_searches_survive_a_rebuild_and_make_the_report(corpus_copy, tmp_path):
    index = tmp_path / "index"
    assert run_cli("index", "--site", corpus_copy, "--index", index).returncode == 0
    before = ["/api/search?q=S%C3%A9curit%C3%A9", "/recherche?q=securite", "/api/search?q=xyzzyq",
              "/recherche?q=Xyzzyq", "/api/search?q=donnes", "/recherche?q=phare&kind=d%C3%A9fi",
              "/api/suggest?q=pha"]
    with Server(index, tmp_path) as server:
        for target in before:
            assert server.get(target).status == 200
        path = json.loads(server.get("/api/search?q=phare").body)["hits"][0]["path"]
        assert server.get(f"/api/similar?path={quote(path)}").status == 200
        rebuilt = run_cli("index", "--site", corpus_copy, "--index", index)
        assert rebuilt.returncode == 0 and "Index gen-000002" in rebuilt.stderr, rebuilt.stderr
        assert server.get("/api/search?q=SECURITE").status == 200
        assert wait_for_rows(index / "queries.sqlite3", 9) == 9
    figures = report(index, "--try-synonym", "xyzzyq, phare")
    assert (figures["searches"], figures["similar"]) == (8, 1)
    assert [(item["query"], item["count"]) for item in figures["top"]] == [
        ("securite", 3), ("phare", 2), ("xyzzyq", 2), ("donnes", 1)]
    zero, = figures["zero_results"]
    assert (zero["query"], zero["count"], zero["results_now"]) == ("xyzzyq", 2, 0)
    assert zero["with_synonyms"] == [{"group": ["xyzzyq", "phare"], "results": 1}]
    assert [(item["query"], item["corrections"]) for item in figures["corrected"]] == [("donnes", {"donnes": "donnees"})]
    assert figures["filters"] == [{"facet": "kind", "value": "défi", "count": 1}]
    text = run_cli("report", "--index", index)
    assert text.returncode == 0 and "Recherches : 8 ; projets similaires : 1" in text.stdout, text.stderr


def test_no_address_agent_or_cookie_reaches_the_log_file(index, tmp_path):
    log = index / "queries.sqlite3"
    headers = {"X-Forwarded-For": ADDRESS, "User-Agent": AGENT, "Cookie": COOKIE}
    with Server(index, tmp_path) as server:
        for target in ("/api/search?q=phare", "/recherche?q=donnees", "/api/search?q=xyzzyq"):
            assert server.get(target, headers=headers).status == 200
        assert wait_for_rows(log, 3) == 3
        written = [b"".join(path.read_bytes() for path in sorted(index.glob("queries.sqlite3*")))]
        assert len(list(index.glob("queries.sqlite3-wal"))) == 1  # the WAL is read too, while it holds rows
    written.append(b"".join(path.read_bytes() for path in sorted(index.glob("queries.sqlite3*"))))
    for data in written:
        assert b"xyzzyq" in data  # the searches are there…
        for secret in (b"127.0.0.1", ADDRESS.encode(), AGENT.encode(), b"NavigateurDeTest", b"biscuit-4242"):
            assert secret not in data  # …and nothing of who sent them
