"""The eig-search command: every command has help and is in the README; outputs are exact."""

import json
import re

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.store.generations import IndexStore

from .conftest import CORPUS, FIXTURES, PROJECT

COMMANDS = sorted(main.commands)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Exemple : eig-search " + command in result.output
    assert f"eig-search {command}" in (PROJECT / "README.md").read_text("utf-8")


def test_index_query_stats_round_trip(runner, tmp_path):
    index = str(tmp_path / "index")
    built = runner.invoke(main, ["index", "--site", str(CORPUS), "--index", index])
    assert built.exit_code == 0, built.output
    assert "Index gen-000001 : 101 documents" in built.output
    assert "Brouillons ignorés : 2" in built.output

    found = runner.invoke(main, ["query", "orgues", "--index", index, "--json", "--kind", "défi"])
    hits = json.loads(found.stdout)["hits"]
    assert [hit["path"] for hit in hits] == ["_defis/2017-01-01-mcc-inventaire-des-orgues.md"]
    assert set(hits[0]) >= {"path", "url", "title", "kind", "date", "score", "snippet"}
    assert hits[0]["url"] == "https://eig.exemple.gouv.fr/defis/2017/mcc-inventaire-des-orgues.html"

    stats = json.loads(runner.invoke(main, ["stats", "--index", index, "--json"]).stdout)
    assert stats["generation"] == "gen-000001"
    assert stats["documents"] == 101
    assert len(stats["facets"]["promotion"]) == 5
    assert len(stats["facets"]["administration"]) >= 20

    updated = runner.invoke(main, ["update", "--site", str(CORPUS), "--index", index])
    assert "rien à mettre à jour" in updated.output


def test_index_env_variable_is_the_default(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("EIG_SEARCH_INDEX", str(tmp_path / "from-env"))
    result = runner.invoke(main, ["index", "--site", str(FIXTURES / "bad-site")])
    assert result.exit_code == 0
    assert IndexStore(tmp_path / "from-env").current_name() == "gen-000001"


def test_bad_site_exits_zero_unless_strict_and_check_exits_one(runner, tmp_path):
    site, index = str(FIXTURES / "bad-site"), str(tmp_path / "index")
    assert runner.invoke(main, ["index", "--site", site, "--index", index]).exit_code == 0
    strict = runner.invoke(main, ["index", "--site", site, "--index", index, "--strict"])
    assert strict.exit_code == 1
    checked = runner.invoke(main, ["check", "--site", site])
    assert checked.exit_code == 1
    assert "ignoré   _posts/2020-01-05-vide.md : fichier vide" in checked.output


def test_locked_index_gives_a_clear_message_and_nonzero_exit(runner, tmp_path):
    index = tmp_path / "index"
    with IndexStore(index).lock():
        result = runner.invoke(main, ["index", "--site", str(CORPUS), "--index", str(index)])
    assert result.exit_code == 1
    assert re.search(r"Erreur : un autre indexeur travaille déjà sur .* \(processus \d+\)", result.output)


def test_missing_index_is_a_message_not_a_traceback(runner, tmp_path):
    result = runner.invoke(main, ["query", "x", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "aucun index dans" in result.output


def test_serve_build_if_missing_also_rebuilds_an_index_of_an_older_format(runner, tmp_path, monkeypatch):
    import searchweb.serve

    served = []
    monkeypatch.setattr(searchweb.serve, "run", lambda index, **options: served.append(index))
    index = tmp_path / "index"
    store = IndexStore(index)
    command = ["serve", "--build-if-missing", "--site", str(CORPUS), "--index", str(index)]
    assert runner.invoke(main, command).exit_code == 0
    assert store.current_name() == "gen-000001" and store.in_current_format()
    assert runner.invoke(main, command).exit_code == 0
    assert store.current_name() == "gen-000001"  # up to date: served as it is
    manifest = index / "gen-000001" / "manifest.json"
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "schema_version": 1}))
    assert not store.in_current_format()
    assert runner.invoke(main, command).exit_code == 0
    assert store.current_name() == "gen-000002" and store.in_current_format()
    assert served == [index] * 3
