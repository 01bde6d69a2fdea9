"""A damaged index is a clear error, and ``update`` notices.

Each test damages a copy of a real index of the shipped corpus: a segment file truncated or
overwritten, ``CURRENT`` naming something that is not a generation of the folder, a folder the
indexer cannot write. Readers answer 503 (JSON under ``/api/``, a page elsewhere) and log it once;
the CLI prints the message without a traceback and exits 1; ``update`` rebuilds and says why.
"""

import hashlib
import html
import json
import logging
import os
import shutil
import subprocess

import pytest

from indexer.errors import IndexDamaged
from indexer.search.engine import SearchEngine
from indexer.search.request import SearchRequest
from indexer.store.generations import IndexStore
from searchweb import create_app
from searchweb.engine import EXTENSION as ENGINE

from .support import CORPUS, EIG_SEARCH, PROJECT, Server, clean_env, free_port, run_cli

WEB_MESSAGE = ("La recherche n'est pas disponible pour le moment. L'index est endommagé : il doit être "
               "reconstruit (`eig-search index`).")
ROUTES = ["/api/search?q=données", "/api/search?q=", "/api/suggest?q=don", "/api/similar?path=x",
          "/", "/recherche?q=phare", "/similaires?path=x"]
#: Files of a generation whose loss breaks every request, and which part of the index each holds.
DAMAGED_FILES = {"*.pst": "postings", "*.trm": "terms", "_MAIN_*.toc": "table of segments",
                 "*._stored.col": "stored records", "facets.json": "facet display forms"}


@pytest.fixture
def index(corpus_index, tmp_path):
    """A writable copy of the corpus index (one generation, gen-000001)."""
    return shutil.copytree(corpus_index, tmp_path / "index")


def segment_file(index, pattern: str = "*.pst"):
    return next((index / "gen-000001").glob(pattern))


def truncate(path) -> str:
    """Cut a file to half its size; the detail the index then reports."""
    size = path.stat().st_size
    os.truncate(path, size // 2)
    return f"gen-000001/{path.name} fait {size // 2} octets au lieu de {size}"


def damage_message(index, detail: str) -> str:
    return f"l'index de {index} est endommagé ({detail}) : reconstruisez-le avec `eig-search index`"


def web_replies(index, routes=ROUTES, rounds: int = 3) -> list:
    """``(status, body)`` of each route, ``rounds`` times, from the app as served (not TESTING)."""
    app = create_app({"INDEX_DIR": str(index), "SITE_URL": "https://eig.exemple.gouv.fr"})
    client = app.test_client()
    try:
        return [(reply.status_code, reply.get_data(as_text=True), target.startswith("/api/"))
                for _ in range(rounds) for target in routes for reply in [client.get(target)]]
    finally:
        app.extensions[ENGINE].close()


def error_lines(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


def assert_unavailable(replies) -> None:
    for status, body, is_api in replies:
        assert status == 503, body[:500]
        if is_api:
            assert json.loads(body) == {"error": {"status": 503, "message": WEB_MESSAGE}}
        else:
            assert WEB_MESSAGE in html.unescape(body) and "<html" in body


# -- readers --------------------------------------------------------------------------------------

@pytest.mark.parametrize("pattern", DAMAGED_FILES)
def test_truncated_file_is_a_503_logged_once(index, pattern, caplog):
    detail = truncate(segment_file(index, pattern))
    replies = web_replies(index)
    assert_unavailable(replies)
    assert error_lines(caplog) == [damage_message(index, detail)]  # 21 requests, one line, no traceback


def test_altered_segment_of_the_same_size_is_found_by_its_checksum(index, caplog):
    """Sizes match, so the open goes on and a read fails: the checksums tell damage from a bug."""
    path = segment_file(index)
    with open(path, "r+b") as file:
        for offset in range(0, path.stat().st_size, 4096):
            file.seek(offset)
            file.write(b"\0" * 64)
    assert_unavailable(web_replies(index))
    detail = f"gen-000001/{path.name} ne correspond plus à sa somme de contrôle"
    assert error_lines(caplog) == [damage_message(index, detail)]


def test_an_intact_index_failing_to_read_is_a_bug_not_damage(index, monkeypatch):
    """The checksums match: the failure stays what it is (a 500 with its traceback in the log)."""
    def broken(*args, **kwargs):
        raise RuntimeError("bogue")
    monkeypatch.setattr("indexer.search.generation.Postings", broken)
    with pytest.raises(RuntimeError, match="bogue"):
        SearchEngine(index).search(SearchRequest(q="phare"))


def test_a_damaged_generation_published_under_a_running_server_is_a_503(index, tmp_path):
    """gunicorn serves; ``CURRENT`` then names a copy with a truncated segment (an interrupted
    copy of the folder): each worker logs it once, no request gets a 500."""
    with Server(index, tmp_path) as server:
        shutil.copytree(index / "gen-000001", index / "gen-000002")
        path = next((index / "gen-000002").glob("*.pst"))
        size = path.stat().st_size
        os.truncate(path, size // 2)
        (index / "CURRENT").write_text("gen-000002\n", "ascii")
        replies = [server.get(target) for _ in range(10) for target in ["/api/search?q=", "/"]]
        assert [reply.status for reply in replies] == [503] * len(replies)
        assert json.loads(replies[0].body)["error"]["message"] == WEB_MESSAGE
    log = server.log.read_text("utf-8", errors="replace")
    assert "Traceback" not in log
    detail = f"gen-000002/{path.name} fait {size // 2} octets au lieu de {size}"
    assert 1 <= log.count(damage_message(index, detail)) <= server.workers


@pytest.mark.parametrize("command", [["query", "phare"], ["query", "phare", "--json"], ["stats"], ["stats", "--json"],
                                     ["serve", "--port", str(free_port())]])
def test_cli_says_the_index_is_damaged_without_a_traceback(index, command):
    detail = truncate(segment_file(index))
    done = run_cli(*command, "--index", index, timeout=60)
    assert done.returncode == 1
    assert done.stderr == f"Erreur : {damage_message(index, detail)}\n"
    assert done.stdout == ""


# -- CURRENT ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("content", ["../outside", "gen-000001/../../outside", "/etc", "gen-1", "\x7fELF\x02\x01"])
def test_current_must_name_a_generation_of_the_folder(index, tmp_path, content):
    """Nothing outside the index folder is opened, even a valid index next to it."""
    shutil.copytree(index / "gen-000001", tmp_path / "outside")
    (index / "CURRENT").write_text(content + "\n", "latin-1")
    detail = f"CURRENT ne nomme pas une génération de l'index : {content!r}"
    with pytest.raises(IndexDamaged) as raised:
        IndexStore(index).current_name()
    assert str(raised.value) == damage_message(index, detail)
    done = run_cli("query", "phare", "--index", index)
    assert (done.returncode, done.stderr) == (1, f"Erreur : {damage_message(index, detail)}\n")
    assert_unavailable(web_replies(index, rounds=1))


def test_current_naming_a_missing_generation_is_damage(index):
    (index / "CURRENT").write_text("gen-000007\n", "ascii")
    done = run_cli("stats", "--index", index)
    detail = "la génération gen-000007 n'a pas de manifeste"
    assert (done.returncode, done.stderr) == (1, f"Erreur : {damage_message(index, detail)}\n")


# -- update ---------------------------------------------------------------------------------------

def test_update_rebuilds_a_damaged_generation_and_says_so(index):
    detail = truncate(segment_file(index))
    done = run_cli("update", "--site", CORPUS, "--index", index)
    assert done.returncode == 0, done.stderr
    assert f"index endommagé ({detail}) : construction complète\n" in done.stderr
    store = IndexStore(index)
    assert store.current_name() == "gen-000002" and store.damage() is None
    engine = SearchEngine(index)
    try:
        assert engine.search(SearchRequest(q="")).total == store.manifest()["documents"] > 0
    finally:
        engine.close()


def test_update_rebuilds_when_current_names_no_generation(index):
    (index / "CURRENT").write_text("../x\n", "ascii")
    done = run_cli("update", "--site", CORPUS, "--index", index)
    assert done.returncode == 0, done.stderr
    assert ("index endommagé (CURRENT ne nomme pas une génération de l'index : '../x') : "
            "construction complète\n") in done.stderr
    assert IndexStore(index).current_name() == "gen-000002"


def test_update_of_an_index_without_checksums_rebuilds_it(index):
    """An index published before checksums were recorded: served as it is, rebuilt by ``update``."""
    manifest_file = index / "gen-000001" / "manifest.json"
    manifest = json.loads(manifest_file.read_text("utf-8"))
    del manifest["files"]
    manifest_file.write_text(json.dumps(manifest), "utf-8")
    engine = SearchEngine(index)
    try:
        assert engine.search(SearchRequest(q="")).total == manifest["documents"]
    finally:
        engine.close()
    done = run_cli("update", "--site", CORPUS, "--index", index)
    assert "format d'index modifié : construction complète\n" in done.stderr
    assert IndexStore(index).manifest()["files"]


# -- what is recorded ---------------------------------------------------------------------------

def published_files(folder) -> dict:
    return {path.name: [path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest()]
            for path in sorted(folder.iterdir())
            if path.name != "manifest.json" and not path.name.endswith("LOCK")}


def test_each_generation_records_the_size_and_sha256_of_its_files(corpus_copy, tmp_path):
    index = tmp_path / "own-index"
    assert run_cli("index", "--site", corpus_copy, "--index", index).returncode == 0
    store = IndexStore(index)
    assert store.manifest("gen-000001")["files"] == published_files(index / "gen-000001")
    page = next(corpus_copy.glob("_posts/*.md"))
    page.write_text(page.read_text("utf-8") + "\nUne phrase de plus.\n", "utf-8")
    done = run_cli("update", "--site", corpus_copy, "--index", index)
    assert done.returncode == 0 and store.current_name() == "gen-000002", done.stderr
    # Files hard-linked from gen-000001 keep its figures; new ones are hashed: all are right.
    assert store.manifest("gen-000002")["files"] == published_files(index / "gen-000002")
    assert store.damage() is None


# -- folders the indexer cannot write -------------------------------------------------------------

def run_read_only(folder, *args) -> subprocess.CompletedProcess:
    """``eig-search ARGS`` with ``folder`` read-only.

    For an ordinary user, ``chmod``. Root writes through ``chmod``, so the tests (which run as
    root here) mount the folder read-only on itself in a private mount namespace (``unshare -m``),
    as a read-only volume would be served in production; skipped where that is not allowed.
    """
    command = [*EIG_SEARCH, *map(str, args)]
    if os.geteuid() != 0:
        modes = {path: path.stat().st_mode for path in [folder, *folder.rglob("*")]}
        for path, mode in modes.items():
            path.chmod(mode & 0o555)
        try:
            return subprocess.run(command, cwd=PROJECT, env=clean_env(), capture_output=True, text=True, timeout=120)
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
    if not shutil.which("unshare"):
        pytest.skip("unshare absent : impossible de monter un dossier en lecture seule pour root")
    script = 'mount --bind -o ro "$0" "$0" && mount -o remount,bind,ro "$0" "$0" || exit 99; exec "$@"'
    done = subprocess.run(["unshare", "-m", "sh", "-c", script, str(folder), *command], cwd=PROJECT,
                          env=clean_env(), capture_output=True, text=True, timeout=120)
    if done.returncode == 99 or "unshare failed" in done.stderr:
        pytest.skip(f"montage en lecture seule refusé ici : {done.stderr.strip()[:200]}")
    return done


def test_a_read_only_index_is_searched(index):
    done = run_read_only(index, "query", "phare", "--json", "--index", index)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)


@pytest.mark.parametrize("command", ["index", "update"])
def test_indexing_a_read_only_folder_is_a_clear_error(index, command):
    before = sorted(path.name for path in index.iterdir())
    done = run_read_only(index, command, "--site", CORPUS, "--index", index)
    reason = "système de fichiers en lecture seule" if os.geteuid() == 0 else "permission refusée"
    assert done.returncode == 1
    assert done.stderr.endswith(
        f"Erreur : impossible d'écrire dans l'index {index} ({reason}) : l'indexeur doit pouvoir y écrire ; "
        "les serveurs, eux, le lisent même en lecture seule\n")
    assert "Traceback" not in done.stderr
    assert sorted(path.name for path in index.iterdir()) == before


def test_an_index_path_through_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("", "ascii")
    done = run_cli("index", "--site", CORPUS, "--index", tmp_path / "file" / "index")
    assert done.returncode == 1
    assert done.stderr.endswith(
        f"Erreur : impossible d'écrire dans l'index {tmp_path / 'file' / 'index'} (un élément du chemin n'est pas un "
        "dossier) : l'indexeur doit pouvoir y écrire ; les serveurs, eux, le lisent même en lecture seule\n")


def test_serve_build_if_missing_rebuilds_a_damaged_index(index, monkeypatch):
    from click.testing import CliRunner

    import searchweb.serve
    from indexer.cli import main

    served = []
    monkeypatch.setattr(searchweb.serve, "run", lambda folder, **options: served.append(folder))
    truncate(segment_file(index))
    result = CliRunner().invoke(main, ["serve", "--build-if-missing", "--site", str(CORPUS), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert IndexStore(index).current_name() == "gen-000002" and served == [index]
