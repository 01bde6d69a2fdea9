"""``/api/health`` on real indexes: the generation served and its age, or a 503 saying what to do
when the index is missing, of another format or damaged (before or after the server opened it)."""

import json
import logging
import shutil
from datetime import datetime, timezone

import pytest

from indexer.build.run import build, update
from indexer.store.schema import SCHEMA_VERSION

from .reliability.test_damaged_index import segment_file, truncate

POST = "---\ntitle: {title}\n---\n{body}\n"
MISSING = "Aucun index n'a encore été construit : lancez `eig-search index`."
OUTDATED = "L'index a été construit par une autre version d'eig-search : reconstruisez-le (`eig-search index`)."
DAMAGED = "L'index est endommagé : il doit être reconstruit (`eig-search index`)."


@pytest.fixture
def index(corpus_index, tmp_path):
    """A writable copy of the corpus index (one generation, gen-000001)."""
    return shutil.copytree(corpus_index, tmp_path / "index")


def manifest_path(index):
    return index / "gen-000001" / "manifest.json"


def rewrite_manifest(index, **changes) -> None:
    manifest = json.loads(manifest_path(index).read_text("utf-8"))
    manifest_path(index).write_text(json.dumps({**manifest, **changes}), "utf-8")


def health(client, method: str = "GET"):
    response = client.open("/api/health", method=method)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Type"] == "application/json"
    assert "ETag" not in response.headers
    return response


def seconds_since(iso: str) -> int:
    return int((datetime.now(timezone.utc) - datetime.fromisoformat(iso)).total_seconds())


def test_health_gives_the_generation_its_size_and_age(make_app, index):
    built_at = json.loads(manifest_path(index).read_text("utf-8"))["built_at"]
    client = make_app({"INDEX_DIR": str(index)}).test_client()
    before = seconds_since(built_at)
    response = health(client)
    after = seconds_since(built_at)
    body = response.get_json()
    assert response.status_code == 200
    assert before <= body["age_seconds"] <= after
    assert body == {"status": "ok", "generation": "gen-000001", "documents": 101, "built_at": built_at,
                    "age_seconds": body["age_seconds"]}


def test_health_counts_age_from_the_build_time_of_the_manifest(make_app, index):
    rewrite_manifest(index, built_at="2020-01-01T00:00:00+00:00")  # not in the checksums: still whole
    client = make_app({"INDEX_DIR": str(index)}).test_client()
    before = seconds_since("2020-01-01T00:00:00+00:00")
    body = health(client).get_json()
    assert before <= body["age_seconds"] <= seconds_since("2020-01-01T00:00:00+00:00")
    assert body["age_seconds"] > 6 * 365 * 86400


def test_head_answers_the_status_without_a_body(make_app, index, tmp_path):
    response = health(make_app({"INDEX_DIR": str(index)}).test_client(), "HEAD")
    assert (response.status_code, response.data) == (200, b"")
    missing = health(make_app({"INDEX_DIR": str(tmp_path / "none")}).test_client(), "HEAD")
    assert (missing.status_code, missing.data) == (503, b"")


def test_health_is_never_answered_from_a_cache(make_app, index):
    client = make_app({"INDEX_DIR": str(index)}).test_client()
    response = client.get("/api/health", headers={"If-None-Match": "*"})
    assert response.status_code == 200


def test_no_index_is_a_503_saying_to_build_one(make_app, tmp_path):
    response = health(make_app({"INDEX_DIR": str(tmp_path / "none")}).test_client())
    assert (response.status_code, response.get_json()) == (503, {"status": "error", "message": MISSING})


def test_an_index_of_another_format_is_a_503_saying_to_rebuild(make_app, index):
    rewrite_manifest(index, schema_version=SCHEMA_VERSION - 1)
    response = health(make_app({"INDEX_DIR": str(index)}).test_client())
    assert (response.status_code, response.get_json()) == (503, {"status": "error", "message": OUTDATED})


def test_a_damaged_index_is_a_503_logged_once(make_app, index, caplog):
    detail = truncate(segment_file(index))
    client = make_app({"INDEX_DIR": str(index)}).test_client()
    with caplog.at_level(logging.ERROR):
        replies = [health(client) for _ in range(3)]
    assert [(reply.status_code, reply.get_json()) for reply in replies] == [
        (503, {"status": "error", "message": DAMAGED})] * 3
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR] == [
        f"l'index de {index} est endommagé ({detail}) : reconstruisez-le avec `eig-search index`"]


def test_damage_after_the_server_opened_the_index_is_noticed(make_app, index):
    client = make_app({"INDEX_DIR": str(index)}).test_client()
    assert client.get("/api/search?q=orgues").status_code == 200  # the generation is open
    assert health(client).status_code == 200
    truncate(segment_file(index))
    response = health(client)
    assert (response.status_code, response.get_json()) == (503, {"status": "error", "message": DAMAGED})


def test_health_follows_a_new_generation(make_app, make_site, tmp_path):
    site = make_site({"_posts/2020-01-01-phares.md": POST.format(title="Phares", body="Les phares."),
                      "_posts/2020-01-02-ports.md": POST.format(title="Ports", body="Les ports.")})
    build(site, tmp_path / "index")
    client = make_app({"INDEX_DIR": str(tmp_path / "index")}).test_client()
    assert health(client).get_json()["documents"] == 2
    (site / "_posts/2020-01-03-quais.md").write_text(POST.format(title="Quais", body="Les quais."), "utf-8")
    update(site, tmp_path / "index")
    body = health(client).get_json()
    assert (body["generation"], body["documents"]) == ("gen-000002", 3)
