"""The ``eig-search`` command: thin click commands that call the library and print results.

Every command takes ``--index`` (default: ``$EIG_SEARCH_INDEX``, else ``instance/index`` beside
the project); commands that read a site take ``--site`` (default: the site the index was built
from, else the shipped ``corpus/``; ``check``, which has no index: ``corpus/``).
"""

import json
import sys
from pathlib import Path

import click

from indexer.build import run as building
from indexer.build.report import Report
from indexer.build.ownership import site_to_read
from indexer.errors import EigSearchError
from indexer.search.engine import SearchEngine
from indexer.search.request import SearchRequest
from indexer.settings import DEFAULT_SITE, default_index
from indexer.store.generations import IndexStore

index_option = click.option(
    "--index", "index_folder", type=click.Path(file_okay=False, path_type=Path), default=default_index,
    show_default="$EIG_SEARCH_INDEX or instance/index", help="Index folder.")


def site_option(default: Path | None = None, shown: str = "the index's site, else corpus/"):
    """``--site``; without a default, the command reads the site its index was built from."""
    return click.option("--site", "site_folder", type=click.Path(file_okay=False, path_type=Path), default=default,
                        show_default=shown, help="Root folder of the Jekyll-style site.")


class Group(click.Group):
    """Turns the project's errors into clean messages (exit code 1) instead of tracebacks."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except EigSearchError as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=Group)
@click.version_option(package_name="eig-search")
def main():
    """Search engine for a Jekyll-style site: index it, query it, serve it."""


@main.command()
@site_option()
@index_option
@click.option("--strict", is_flag=True, help="Exit with code 1 if any file was skipped.")
@click.option("--processes", type=click.IntRange(1, 64), default=None, help="Parsing processes (default: cores).")
def index(site_folder, index_folder, strict, processes):
    """Index a whole site into a new generation and switch to it atomically (--site another
    site than the index's: the index becomes that site's).

    Example: eig-search index --site ../shared/corpora/site-eig --index /tmp/eig-index
    """
    site = site_to_read(index_folder, site_folder, DEFAULT_SITE)
    report = building.build(site, index_folder, progress=sys.stderr.isatty(), processes=processes)
    _print_report(report)
    if strict and report.skipped:
        sys.exit(1)


@main.command()
@site_option()
@index_option
@click.option("--strict", is_flag=True, help="Exit with code 1 if any file was skipped.")
def update(site_folder, index_folder, strict):
    """Re-index only the files added, changed or removed since the last run (refused for
    another site than the index's).

    Example: eig-search update --index /tmp/eig-index
    """
    site = site_to_read(index_folder, site_folder, DEFAULT_SITE)
    report = building.update(site, index_folder, progress=sys.stderr.isatty())
    _print_report(report)
    if strict and report.skipped:
        sys.exit(1)


@main.command()
@site_option(DEFAULT_SITE, "corpus/")
def check(site_folder):
    """Report every problem of a site without indexing it (exit code 1 if any).

    Example: eig-search check --site corpus
    """
    report = building.check(site_folder, progress=sys.stderr.isatty())
    _print_report(report)
    if report.problems:
        sys.exit(1)


@main.command()
@click.argument("text", default="")
@index_option
@click.option("--kind", multiple=True, help="Only this kind of page (défi, article…); repeatable.")
@click.option("--tag", multiple=True, help="Only pages with this tag; repeatable.")
@click.option("--year", multiple=True, help="Only pages of this year; repeatable.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance")
@click.option("--limit", type=click.Choice(["10", "20", "50"]), default="10", help="Number of results.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
def query(text, index_folder, kind, tag, year, sort, limit, as_json):
    """Search the index and print the best pages.

    Example: eig-search query "securite maritime" --kind défi --json
    """
    engine = open_engine(index_folder)
    filters = {"kind": list(kind), "tags": list(tag), "year": list(year)}
    result = engine.search(SearchRequest(q=text, filters=filters, sort=sort, per_page=int(limit)))
    if as_json:
        click.echo(json.dumps([{
            "path": hit.path, "url": hit.url, "title": hit.title, "kind": hit.kind, "date": hit.date,
            "score": hit.score, "snippet": hit.snippet_text,
        } for hit in result.hits], ensure_ascii=False, indent=2))
        return
    click.echo(f"{result.total} résultat(s) pour « {text} »" + (" (mots approchés)" if result.relaxed else ""))
    if result.corrected:
        click.echo("Résultats pour : " + ", ".join(f"{a} → {b}" for a, b in result.corrected.items()))
    for rank, hit in enumerate(result.hits, start=1):
        click.echo(f"{rank:2d}. [{hit.kind}] {hit.title}  ({hit.score})\n    {hit.url}\n    {hit.snippet_text[:200]}")
    if result.suggestion:
        click.echo(f"Vouliez-vous dire : {result.suggestion} ?")


@main.command()
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
def stats(index_folder, as_json):
    """Documents per kind, language and facet value; generation and build time.

    Example: eig-search stats --json
    """
    figures = open_engine(index_folder).stats()
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    click.echo(f"Génération {figures['generation']}, construite le {figures['built_at']}")
    click.echo(f"Site : {figures['site']}")
    click.echo(f"{figures['documents']} documents, {figures['drafts']} brouillons, {figures['skipped']} fichiers ignorés")
    for facet, values in figures["facets"].items():
        shown = ", ".join(f"{value} ({count})" for value, count in list(values.items())[:12])
        more = f" … +{len(values) - 12}" if len(values) > 12 else ""
        click.echo(f"  {facet} [{len(values)}] : {shown}{more}")


@main.command()
@index_option
@site_option()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True, help="Worker processes.")
@click.option("--dev", is_flag=True,
              help="Flask's development server with the reloader: for development only, loopback only.")
@click.option("--build-if-missing", is_flag=True,
              help="Index --site first when the index does not exist, is in an older format or is damaged.")
def serve(index_folder, site_folder, host, port, workers, dev, build_if_missing):
    """Serve the search pages and the JSON API (gunicorn, gevent workers).

    Example: eig-search serve --build-if-missing --port 8000
    """
    from searchweb.serve import DEV_WARNING, is_loopback, run

    if dev and not is_loopback(host):
        raise click.ClickException(
            f"--dev : le serveur de développement n'écoute que sur cette machine (127.0.0.1, ::1 ou localhost), "
            f"pas sur « {host} ». Pour servir le public, lancez eig-search serve sans --dev.")
    store = IndexStore(index_folder)
    if build_if_missing and not store.in_current_format():
        site = site_to_read(index_folder, site_folder, DEFAULT_SITE)
        _print_report(building.build(site, index_folder, progress=sys.stderr.isatty()))
    store.check()
    if dev:
        echo(DEV_WARNING.format(host=host))
    name = store.current_name()
    built_from = f", site : {store.manifest(name).get('site')}" if name else ""
    echo(f"Recherche disponible sur http://{host}:{port}/ (index : {index_folder}{built_from})")
    run(index_folder, host=host, port=port, workers=workers, dev=dev)


@main.command(name="eval")
@click.argument("queries_file", type=click.Path(dir_okay=False, path_type=Path))
@index_option
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write per-query results and metrics to this JSON file.")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Compare with a JSON file written by an earlier --json run.")
@click.option("--ranking", type=click.Choice(["project", "plain"]), default="project", show_default=True,
              help="project: the engine's ranking; plain: the plain BM25 reference.")
@click.option("--compare-plain", is_flag=True, help="Also run the plain reference and list the queries ranked worse.")
def evaluate(queries_file, index_folder, json_file, baseline, ranking, compare_plain):
    """Score the ranking on judged queries: success@1, success@5, MRR@10 per kind.

    Example: eig-search eval ../shared/eval/dev-queries.yaml --index /tmp/eig --json now.json --compare-plain
    """
    from indexer.evaluation import relevance
    from indexer.evaluation.judged import load_queries
    from indexer.evaluation.metrics import compare
    from indexer.evaluation.report import comparison_report, report

    if compare_plain and ranking == "plain":
        raise click.UsageError("--compare-plain compare le classement du projet au classement simple : "
                               "inutile avec --ranking plain")
    judged = load_queries(queries_file)
    reference = relevance.load_results(baseline) if baseline else None
    engine = open_engine(index_folder)
    run = relevance.evaluate(engine, judged, ranking)
    lines = report(run)
    if reference is not None:
        lines += comparison_report(
            compare(run.results, reference.results),
            f"Par rapport à {baseline} (classement {reference.ranking}, index {reference.generation})")
    if compare_plain:
        plain = relevance.evaluate(engine, judged, "plain")
        lines += comparison_report(
            compare(run.results, plain.results), "Par rapport au classement simple (plain)",
            better="Gains sur plain", worse="Régressions face à plain", difference="projet − plain")
    click.echo("\n".join(lines))
    if json_file:
        json_file.write_text(json.dumps(run.as_json(), ensure_ascii=False, indent=2) + "\n", "utf-8")
        echo(f"Résultats écrits dans {json_file}")


def open_engine(index_folder) -> SearchEngine:
    """A search engine closed (its index files with it) when the command ends."""
    engine = SearchEngine(index_folder)
    click.get_current_context().call_on_close(engine.close)
    return engine


def echo(text: str) -> None:
    """Reports go to stderr, so that ``--json`` output on stdout stays clean."""
    click.echo(text, err=True)


def _print_report(report: Report) -> None:
    echo(f"Site lu : {report.site}")
    for problem in report.skipped:
        echo(f"ignoré   {problem.path} : {problem.reason}")
    for problem in report.warnings:
        echo(f"attention {problem.path} : {problem.reason}")
    if report.note:
        echo(report.note)
    counts = ", ".join(f"{kind} {count}" for kind, count in sorted(report.kinds.items()))
    if report.mode == "check":
        echo(f"Vérification : {sum(report.kinds.values())} pages lisibles ({counts}), "
             f"{len(report.drafts)} brouillons, {len(report.skipped)} ignorés, {len(report.warnings)} avertissements")
        return
    echo(f"Index {report.generation} : {report.indexed} documents "
         f"(ajoutés {report.added}, modifiés {report.updated}, supprimés {report.deleted}, "
         f"inchangés {report.unchanged}) ; lus : {counts or 'aucun'}")
    echo(f"Brouillons ignorés : {len(report.drafts)}" + (f" ({', '.join(report.drafts)})" if report.drafts else ""))
    echo(f"Fichiers ignorés : {len(report.skipped)} ; avertissements : {len(report.warnings)} ; "
         f"durée : {report.seconds:.2f} s")
