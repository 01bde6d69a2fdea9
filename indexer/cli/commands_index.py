"""The commands that read a site: ``index``, ``update`` and ``check``.

Each prints its report (:func:`~indexer.cli.output.print_report`) and keeps its exit code with
``--json``: 1 with ``--strict`` when a file was skipped, 1 for ``check`` when a file has a problem.
"""

import sys

import click

from indexer.build import run as building
from indexer.build.ownership import site_to_read
from indexer.cli.french import Command, IntRange
from indexer.cli.options import config_option, index_option, json_option, site_option, strict_option
from indexer.cli.output import print_report
from indexer.settings import DEFAULT_SITE


@click.command(cls=Command)
@site_option()
@index_option
@config_option()
@strict_option
@click.option("--processes", type=IntRange(1, 64), default=None,
              help="Processus de lecture du site (par défaut : autant que de cœurs).")
@json_option("le rapport")
def index(site_folder, index_folder, search_file, strict, processes, as_json):
    """Indexer tout le site dans une nouvelle génération, puis basculer atomiquement (avec
    --site un autre site que celui de l'index : l'index devient celui de ce site).

    Exemple : eig-search index --site ../shared/corpora/site-eig --index /tmp/eig-index --config recherche.yml
    """
    site = site_to_read(index_folder, site_folder, DEFAULT_SITE)
    report = building.build(site, index_folder, progress=sys.stderr.isatty(), processes=processes,
                            search_file=search_file)
    print_report(report, as_json)
    if strict and report.skipped:
        sys.exit(1)


@click.command(cls=Command)
@site_option()
@index_option
@config_option("celui avec lequel l'index a été construit")
@strict_option
@json_option("le rapport")
def update(site_folder, index_folder, search_file, strict, as_json):
    """Ne réindexer que les fichiers ajoutés, modifiés ou supprimés depuis la dernière fois
    (refusé pour un autre site que celui de l'index).

    Exemple : eig-search update --index /tmp/eig-index
    """
    site = site_to_read(index_folder, site_folder, DEFAULT_SITE)
    report = building.update(site, index_folder, progress=sys.stderr.isatty(), search_file=search_file)
    print_report(report, as_json)
    if strict and report.skipped:
        sys.exit(1)


@click.command(cls=Command)
@site_option(DEFAULT_SITE, "corpus/")
@config_option()
@json_option("le rapport")
def check(site_folder, search_file, as_json):
    """Signaler tous les problèmes d'un site sans l'indexer (code de sortie 1 s'il y en a) et
    suggérer des facettes : les champs du front matter aux valeurs courtes que beaucoup de pages
    partagent, en YAML à coller dans la section search:. Pas d'index : seulement --site.

    Exemple : eig-search check --site corpus
    """
    report = building.check(site_folder, progress=sys.stderr.isatty(), search_file=search_file)
    print_report(report, as_json)
    if report.problems:
        sys.exit(1)


COMMANDS = (index, update, check)
