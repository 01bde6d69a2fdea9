"""The ``eig-search`` command: thin click commands that call the library and print results, in French.

Every command that reads or writes an index takes ``--index`` (default: ``$EIG_SEARCH_INDEX``,
else ``instance/index`` beside the project); commands that read a site take ``--site`` (default:
the site the index was built from, else the shipped ``corpus/``; ``check``, which has no index:
``corpus/``). The commands live in :mod:`~indexer.cli.commands_index` (reading a site),
:mod:`~indexer.cli.commands_search` (reading an index) and :mod:`~indexer.cli.commands_report`
(the query log); :mod:`~indexer.cli.french` makes Click speak French.
"""

import click

from indexer.cli import commands_index, commands_report, commands_search, commands_watch
from indexer.cli.french import Group


@click.group(cls=Group)
@click.version_option(package_name="eig-search", help="Afficher la version et quitter.",
                      message="%(prog)s, version %(version)s")
def main():
    """Moteur de recherche d'un site Jekyll : l'indexer, l'interroger, le servir."""


for command in (*commands_index.COMMANDS, *commands_search.COMMANDS, *commands_report.COMMANDS,
                *commands_watch.COMMANDS):
    main.add_command(command)
