"""Options several commands share, and the search engine a command opens."""

import click

from indexer.cli.french import Path
from indexer.search.engine import SearchEngine
from indexer.settings import default_index

index_option = click.option(
    "--index", "index_folder", type=Path(file_okay=False), default=default_index,
    help="Dossier de l'index (par défaut : $EIG_SEARCH_INDEX, sinon instance/index).")


def site_option(default=None, shown: str = "le site de l'index, sinon corpus/"):
    """``--site``; without a default, the command reads the site its index was built from."""
    return click.option("--site", "site_folder", type=Path(file_okay=False), default=default,
                        help=f"Dossier racine du site Jekyll (par défaut : {shown}).")


def json_option(what: str):
    return click.option("--json", "as_json", is_flag=True, help=f"Écrire {what} en JSON sur la sortie standard.")


strict_option = click.option("--strict", is_flag=True, help="Code de sortie 1 si un fichier a été ignoré.")


def config_option(default_said: str = "la section search: du _config.yml du site"):
    """``--config``: the ``search:`` section from a file outside the site (or $EIG_SEARCH_CONFIG)."""
    return click.option("--config", "search_file", type=Path(dir_okay=False, exists=True), default=None,
                        envvar="EIG_SEARCH_CONFIG", show_envvar=False,
                        help="Fichier YAML donnant la section search: (facettes, projets, types de page, "
                             f"chemins exclus) hors du site ; $EIG_SEARCH_CONFIG (par défaut : {default_said}).")


def open_engine(index_folder) -> SearchEngine:
    """A search engine closed (its index files with it) when the command ends."""
    engine = SearchEngine(index_folder)
    click.get_current_context().call_on_close(engine.close)
    return engine
