"""``--json`` of the eig-search command: ``query`` answers exactly what ``GET /api/search`` does,
``stats`` gives facets as ``[{value, count}]``, and ``index``, ``update`` and ``check`` their
report, with their exit codes unchanged."""

import json

import pytest
from click.testing import CliRunner

from indexer.cli import main

from .conftest import CORPUS, FIXTURES

BAD_SITE_SKIPPED = [
    "_data/casse.yml", "bombe-alias.md", "objet-python.md", "_posts/2020-01-02-yaml-mal-forme.md",
    "_posts/2020-01-03-front-matter-ouvert.md", "_posts/2020-01-05-vide.md", "_posts/2020-01-06-binaire.md",
    "_posts/sans-date.md",
]
BAD_SITE_DRAFTS = ["_posts/2020-01-08-non-publie.md", "_posts/_2020-01-07-brouillon.md"]


@pytest.fixture
def runner():
    return CliRunner()


def run_json(runner, *args, exit_code: int = 0):
    result = runner.invoke(main, list(args))
    assert result.exit_code == exit_code, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("cli_args, api_query", [
    (["orgues"], "q=orgues"),
    (["donnees", "--kind", "défi", "--page", "2"], "q=donnees&kind=d%C3%A9fi&page=2"),
    (["santé", "--sort", "date", "--limit", "20"], "q=sant%C3%A9&sort=date&per_page=20"),
    (["", "--tag", "Open data", "--year", "2018"], "tags=Open+data&year=2018"),
    (["mesure de l'orgue"], "q=mesure+de+l%27orgue"),
])
def test_query_json_is_the_api_answer(runner, corpus_index, make_app, cli_args, api_query):
    client = make_app({"INDEX_DIR": str(corpus_index)}).test_client()
    api = client.get(f"/api/search?{api_query}").get_json()
    assert api["total"] > 0
    assert run_json(runner, "query", *cli_args, "--index", str(corpus_index), "--json") == api


def test_query_json_site_url(runner, corpus_index, make_app):
    answer = run_json(runner, "query", "orgues", "--index", str(corpus_index), "--json", "--site-url", "https://a.test/")
    assert answer["hits"][0]["url"] == "https://a.test/defis/2017/mcc-inventaire-des-orgues.html"
    unsafe = run_json(runner, "query", "orgues", "--index", str(corpus_index), "--json", "--site-url", "javascript:x")
    assert unsafe["hits"][0]["url"] == "/defis/2017/mcc-inventaire-des-orgues.html"


def test_query_takes_any_limit_up_to_100_and_a_page(runner, corpus_index):
    index = str(corpus_index)
    first_twenty = run_json(runner, "query", "projet", "--index", index, "--json", "--limit", "20")
    second_seven = run_json(runner, "query", "projet", "--index", index, "--json", "--limit", "7", "--page", "2")
    assert (second_seven["page"], second_seven["per_page"], second_seven["total"]) == (2, 7, first_twenty["total"])
    assert second_seven["pages"] == -(-first_twenty["total"] // 7)
    assert [hit["path"] for hit in second_seven["hits"]] == [hit["path"] for hit in first_twenty["hits"][7:14]]
    hundred = run_json(runner, "query", "", "--index", index, "--json", "--limit", "100")
    assert (hundred["per_page"], len(hundred["hits"])) == (100, 100)

    text = runner.invoke(main, ["query", "projet", "--index", index, "--limit", "7", "--page", "2"]).output
    assert text.startswith(f"{first_twenty['total']} résultat(s) pour « projet », page 2 sur {second_seven['pages']}\n")
    assert f"\n 8. [{second_seven['hits'][0]['kind']}] {second_seven['hits'][0]['title']}  (" in text
    assert "\n15. " not in text and "\n14. " in text


def test_the_web_keeps_its_page_sizes(corpus_index, make_app):
    client = make_app({"INDEX_DIR": str(corpus_index)}).test_client()
    refused = client.get("/api/search?per_page=7")
    assert refused.status_code == 400
    assert "résultats par page : choisir parmi 10, 20, 50" in refused.get_json()["error"]["message"]


def test_stats_json_gives_facets_as_the_api_does(runner, corpus_index, corpus_engine, make_app):
    stats = run_json(runner, "stats", "--index", str(corpus_index), "--json")
    figures = corpus_engine.stats()
    assert {key: stats[key] for key in ("generation", "site", "documents", "drafts", "skipped")} == {
        key: figures[key] for key in ("generation", "site", "documents", "drafts", "skipped")}
    assert list(stats["facets"]) == list(figures["facets"])
    assert stats["facets"]["promotion"] == [{"value": value, "count": count}
                                           for value, count in figures["facets"]["promotion"].items()]
    # Every document matches the empty query: the API's kinds are the index's.
    api = make_app({"INDEX_DIR": str(corpus_index)}).test_client().get("/api/search").get_json()
    assert stats["facets"]["kind"] == [{"value": v["value"], "count": v["count"]} for v in api["facets"]["kind"]]
    assert sum(v["count"] for v in stats["facets"]["kind"]) == stats["documents"] == 101


def test_stats_text_names_facets_in_french(runner, corpus_index):
    text = runner.invoke(main, ["stats", "--index", str(corpus_index)]).output
    assert "\n  Type de page [" in text and "\n  Étiquettes [" in text and "\n  Langue [" in text
    assert "\n  kind [" not in text and "\n  tags [" not in text


def test_index_update_check_reports_as_json_with_unchanged_exit_codes(runner, tmp_path):
    site, index = str(FIXTURES / "bad-site"), str(tmp_path / "index")
    built = run_json(runner, "index", "--site", site, "--index", index, "--json")
    assert {key: built[key] for key in ("mode", "site", "generation", "counts", "kinds", "drafts", "note")} == {
        "mode": "build", "site": str((FIXTURES / "bad-site").resolve()), "generation": "gen-000001",
        "counts": {"indexed": 3, "added": 3, "updated": 0, "deleted": 0, "unchanged": 0},
        "kinds": {"article": 2, "défi": 1}, "drafts": BAD_SITE_DRAFTS, "note": ""}
    assert [problem["path"] for problem in built["skipped"]] == BAD_SITE_SKIPPED
    assert {"path": "_posts/2020-01-05-vide.md", "reason": "fichier vide"} in built["skipped"]
    assert built["warnings"] == [{"path": "_posts/2020-01-04-windows-1252.md",
                                  "reason": "pas en UTF-8 : lu comme du Windows-1252 (cp1252)"}]
    assert isinstance(built["seconds"], float)

    strict = run_json(runner, "index", "--site", site, "--index", index, "--json", "--strict", exit_code=1)
    assert strict["generation"] == "gen-000002"

    updated = run_json(runner, "update", "--index", index, "--json")
    assert (updated["mode"], updated["generation"]) == ("update", "gen-000002")
    assert updated["counts"] == {"indexed": 3, "added": 0, "updated": 0, "deleted": 0, "unchanged": 3}
    assert "rien à mettre à jour" in updated["note"]
    run_json(runner, "update", "--index", index, "--json", "--strict", exit_code=1)

    checked = run_json(runner, "check", "--site", site, "--json", exit_code=1)
    assert (checked["mode"], checked["generation"], checked["kinds"]) == ("check", None, {"article": 2, "défi": 1})
    assert [problem["path"] for problem in checked["skipped"]] == BAD_SITE_SKIPPED
    assert run_json(runner, "check", "--site", str(CORPUS), "--json")["skipped"] == []
