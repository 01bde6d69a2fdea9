"""The eig-search command speaks French only: help, option help, Click's usage line, headings
and usage errors, and the project's errors."""

import pytest
from click.testing import CliRunner

from indexer.cli import main

from .conftest import FIXTURES

COMMANDS = sorted(main.commands)
#: What Click writes in English, none of which may reach a user.
ENGLISH = ("Usage:", "Error:", "Options:", "Commands:", "Show this message", "Show the version", "Try '",
           "default:", "Missing", "No such", "Invalid value", "Got unexpected", "requires an argument",
           "does not take", "is not one of", "is not in the range", "DIRECTORY", "[TEXT]", " TEXT ", "INTEGER", "FILE ")


@pytest.fixture
def runner():
    return CliRunner()


def assert_french(output: str) -> None:
    assert [word for word in ENGLISH if word in output] == []


def test_the_group_help_is_french(runner):
    result = runner.invoke(main, ["--help"], prog_name="eig-search")
    assert result.exit_code == 0
    assert_french(result.output)
    assert result.output.startswith("Utilisation : eig-search [OPTIONS] COMMANDE [ARGUMENTS]...\n")
    assert "\nOptions :\n  --version  Afficher la version et quitter.\n  --help     Afficher cette aide et quitter.\n" \
           "\nCommandes :\n  check " in result.output


def test_the_group_without_a_command_shows_its_help(runner):
    result = runner.invoke(main, [], prog_name="eig-search")
    assert result.output.startswith("Utilisation : eig-search [OPTIONS] COMMANDE [ARGUMENTS]...\n")
    assert_french(result.output)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_is_french(runner, command):
    result = runner.invoke(main, [command, "--help"], prog_name="eig-search")
    assert result.exit_code == 0
    assert_french(result.output)
    assert result.output.startswith(f"Utilisation : eig-search {command} [OPTIONS]")
    assert "\nOptions :\n" in result.output
    assert "  --help " in result.output and "Afficher cette aide et quitter." in result.output


def test_defaults_are_written_in_french(runner):
    result = runner.invoke(main, ["serve", "--help"], prog_name="eig-search")
    assert "Adresse d'écoute (par défaut : 127.0.0.1)." in result.output
    assert "Dossier de l'index (par défaut : $EIG_SEARCH_INDEX, sinon instance/index)." in " ".join(
        result.output.split())


@pytest.mark.parametrize("args, message", [
    (["query", "--bogus"], "l'option --bogus n'existe pas"),
    (["query", "--lmit", "5"], "l'option --lmit n'existe pas ; vouliez-vous dire --limit ?"),
    (["quer"], "la commande « quer » n'existe pas ; vouliez-vous dire query ?"),
    (["eval"], "il manque l'argument REQUÊTES"),
    (["query", "a", "b", "c"], "arguments en trop : b c"),
    (["query", "--limit", "0", "x"], "valeur refusée pour --limit : « 0 » n'est pas un nombre entier de 1 à 100"),
    (["query", "--limit", "dix", "x"], "valeur refusée pour --limit : « dix » n'est pas un nombre entier de 1 à 100"),
    (["query", "--page", "0", "x"], "valeur refusée pour --page : « 0 » n'est pas un nombre entier d'au moins 1"),
    (["query", "--sort", "titre"], "valeur refusée pour --sort : « titre » n'est pas l'un des choix relevance, date, promotion"),
    (["eval", str(FIXTURES)], f"valeur refusée pour REQUÊTES : « {FIXTURES} » n'est pas un fichier lisible"),
    (["eval", "q.yaml", "--ranking", "plain", "--compare-plain"],
     "--compare-plain compare le classement du projet au classement simple : inutile avec --ranking plain"),
])
def test_usage_errors_are_french_with_the_usage_line_and_exit_code_2(runner, args, message):
    result = runner.invoke(main, args, prog_name="eig-search")
    assert result.exit_code == 2
    command = "eig-search" if args == ["quer"] else f"eig-search {args[0]}"
    usage = result.output.splitlines()[0]
    assert usage.startswith(f"Utilisation : {command} [OPTIONS]")
    assert result.output.splitlines()[1:] == [f"Aide : {command} --help", "", f"Erreur : {message}"]
    assert result.stdout == ""


@pytest.mark.parametrize("args, message", [
    (["query", "x", "--index"], "l'option --index attend une valeur"),
    (["stats", "--json=oui"], "l'option --json ne prend pas de valeur"),
])
def test_option_misuse_is_french(runner, args, message):
    result = runner.invoke(main, args, prog_name="eig-search")
    assert (result.exit_code, result.output) == (2, f"Erreur : {message}\n")


def test_project_errors_are_french_with_exit_code_1(runner, tmp_path):
    result = runner.invoke(main, ["stats", "--index", str(tmp_path / "none")], prog_name="eig-search")
    assert result.exit_code == 1
    assert result.output.startswith("Erreur : aucun index dans ")
    assert_french(result.output)
