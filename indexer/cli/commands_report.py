"""``eig-search report``: what visitors searched for, read from the query log the server writes."""

import os
import sqlite3

import click

from indexer.cli.french import Command, Error, IntRange
from indexer.cli.options import index_option, json_option
from indexer.cli.output import echo, print_json
from indexer.querylog import database, text, trial
from indexer.querylog import report as reading


class SynonymGroup(click.ParamType):
    """``"a, b"`` → ``["a", "b"]``, refused in French when it is not a group."""

    name = "groupe"

    def convert(self, value, param, ctx):
        try:
            return value if isinstance(value, list) else trial.parse_group(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


@click.command(cls=Command)
@index_option
@click.option("--days", type=IntRange(1, 100_000), default=reading.DEFAULT_DAYS, metavar="N",
              help=f"Période du rapport : les N derniers jours (par défaut : {reading.DEFAULT_DAYS}).")
@click.option("--limit", type=IntRange(1, 1000), default=reading.DEFAULT_LIMIT, metavar="N",
              help=f"Lignes par tableau au plus (par défaut : {reading.DEFAULT_LIMIT}).")
@click.option("--try-synonym", "groups", type=SynonymGroup(), multiple=True, metavar='"A, B"',
              help="Relancer chaque recherche sans résultat avec ce groupe de synonymes ajouté (comme une ligne "
                   "de synonyms.yml) et dire combien de pages elle trouverait ; répétable.")
@click.option("--purge", is_flag=True, help="Vider le journal des recherches, sans rien afficher d'autre.")
@json_option("le rapport")
def report(index_folder, days, limit, groups, purge, as_json):
    """Ce que les visiteurs ont cherché : recherches fréquentes, sans résultat, corrigées ou
    élargies, filtres les plus utilisés, recherches les plus lentes.

    Le journal est celui qu'écrit le serveur : queries.sqlite3 dans le dossier de l'index, ou le
    fichier de $EIG_SEARCH_QUERY_LOG. Chaque rapport en efface les recherches plus anciennes que la
    durée de conservation du serveur (notée dans le journal ; $EIG_SEARCH_QUERY_LOG_DAYS la remplace).

    Exemple : eig-search report --days 7 --try-synonym "vélo, bicyclette" --json
    """
    try:
        path = database.log_path(os.environ.get(database.PATH_VARIABLE), index_folder)
        setting = os.environ.get(database.DAYS_VARIABLE)
        retention = database.retention_days(setting) if setting else None
    except ValueError as error:
        raise Error(str(error)) from None
    if path is None:
        raise Error(f"le journal des recherches est désactivé ({database.PATH_VARIABLE}={database.OFF})")
    try:
        if purge:
            deleted = reading.purge(path)
            if as_json:
                print_json({"log": str(path), "purged": deleted})
            else:
                echo(f"Journal des recherches vidé : {deleted} recherche(s) effacée(s) ({path})")
            return
        figures = reading.read(path, days, retention, limit)
    except sqlite3.DatabaseError as error:
        raise Error(f"journal des recherches {path} illisible : {error}") from None
    if groups:
        trial.annotate(figures, index_folder, list(groups))
    if as_json:
        print_json(figures)
    else:
        click.echo("\n".join(text.lines(figures)))


COMMANDS = (report,)
