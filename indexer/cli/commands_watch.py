"""``eig-search watch``: update the index each time the site's files are saved.

One line per update (``--json``: one JSON report per line on stdout); the problems of the files
read by that update, all of them after a full build. ``Ctrl-C`` or ``SIGTERM`` stop it with exit
code 0, the index lock released and no unfinished generation left.
"""

import json
import signal
from datetime import datetime, timezone

import click

from indexer.build.ownership import site_to_read
from indexer.build.watching import GATHER_MS, QUIET_MS, RETRY_MS, Outcome, StopWatching, Watcher
from indexer.cli.french import Command
from indexer.cli.options import index_option, json_option, site_option
from indexer.cli.output import echo, report_json
from indexer.errors import IndexLocked
from indexer.settings import DEFAULT_SITE

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@click.command(cls=Command, help=f"""Surveiller le site et mettre l'index à jour dès qu'un fichier
    change : d'abord ce qui a changé depuis la dernière fois, puis une mise à jour par rafale de
    modifications ({QUIET_MS} ms sans modification, {GATHER_MS / 1000:g} s au plus), une ligne
    chacune. Ctrl-C ou SIGTERM arrête proprement (code de sortie 0).

    Exemple : eig-search watch --site ../shared/corpora/site-eig --index /tmp/eig-index
    """)
@site_option()
@index_option
@json_option("un rapport par mise à jour, un par ligne,")
def watch(site_folder, index_folder, as_json):
    watcher = Watcher(site_to_read(index_folder, site_folder, DEFAULT_SITE), index_folder)
    previous = {number: signal.signal(number, lambda *_: watcher.stop()) for number in STOP_SIGNALS}
    echo(f"Surveillance de {watcher.root} (index {index_folder}) ; Ctrl-C pour arrêter")
    try:
        for outcome in watcher.updates():
            if outcome.changed is None and outcome.error and not isinstance(outcome.error, IndexLocked):
                raise outcome.error  # the first update: a wrong site or index stops here
            show(outcome, as_json)
    except StopWatching:
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    echo("Surveillance arrêtée")


def show(outcome: Outcome, as_json: bool) -> None:
    now = datetime.now(timezone.utc).astimezone()
    if as_json:
        line = {"time": now.isoformat(timespec="seconds"), "changed": sorted(outcome.changed or ())}
        if outcome.error:
            line["error"] = str(outcome.error)
        else:
            line.update(report_json(outcome.report))
        click.echo(json.dumps(line, ensure_ascii=False))
        return
    clock = now.strftime("%H:%M:%S")
    if outcome.error:
        retry = f"dans {RETRY_MS / 1000:g} s" if isinstance(outcome.error, IndexLocked) else "à la prochaine modification"
        echo(f"{clock} échec de la mise à jour : {outcome.error} ; nouvel essai {retry}")
        return
    report = outcome.report
    read = set(report.read) if outcome.changed is not None and report.mode == "update" else None
    for label, problems in (("ignoré  ", report.skipped), ("attention", report.warnings)):
        for problem in problems:
            if read is None or problem.path in read:
                echo(f"{label} {problem.path} : {problem.reason}")
    what = report.note or f"ajoutés {report.added}, modifiés {report.updated}, supprimés {report.deleted}"
    echo(f"{clock} {report.generation} : {what} ; {report.indexed} documents ; {report.seconds:.2f} s")
COMMANDS = (watch,)
