"""The commands that read an index: ``query``, ``stats``, ``serve`` and ``eval``."""

import json
import sys

import click

from indexer.build import run as building
from indexer.build.ownership import site_to_read
from indexer.cli.french import Choice, Command, IntRange, Path
from indexer.cli.options import config_option, index_option, json_option, open_engine, site_option
from indexer.cli.output import echo, print_json, print_report, print_results, print_stats, stats_json
from indexer.search.request import ANY_PAGE_SIZE, SORTS, SearchRequest
from indexer.search.serialize import search_json
from indexer.settings import DEFAULT_SITE
from indexer.store.generations import IndexStore


@click.command(cls=Command)
@click.argument("text", default="", metavar="[TEXTE]")
@index_option
@click.option("--kind", multiple=True, metavar="TYPE", help="Seulement ce type de page (défi, article…) ; répétable.")
@click.option("--tag", multiple=True, metavar="ÉTIQUETTE", help="Seulement les pages de cette étiquette ; répétable.")
@click.option("--year", multiple=True, metavar="ANNÉE", help="Seulement les pages de cette année ; répétable.")
@click.option("--facet", "facets", multiple=True, metavar="NOM=VALEUR",
              help="Seulement les pages ayant cette valeur de la facette NOM (celles du site : voir stats) ; "
                   "répétable.")
@click.option("--sort", type=Choice(SORTS), default="relevance",
              help="relevance : par pertinence, les projets et articles d'abord (par défaut) ; date : les "
                   "plus récentes d'abord, à date égale les plus pertinentes ; promotion : la plus récente "
                   "promotion d'abord (sites ayant une facette promotion).")
@click.option("--limit", type=IntRange(ANY_PAGE_SIZE[0], ANY_PAGE_SIZE[-1]), default=10, metavar="N",
              help="Nombre de résultats par page (par défaut : 10).")
@click.option("--page", type=IntRange(1, None), default=1, metavar="N", help="Page de résultats (par défaut : 1).")
@click.option("--site-url", metavar="URL",
              help="Adresse du site devant les chemins des pages en JSON (par défaut : l'url du _config.yml indexé).")
@json_option("la réponse de l'API (GET /api/search)")
def query(text, index_folder, kind, tag, year, facets, sort, limit, page, site_url, as_json):
    """Chercher dans l'index et afficher les meilleures pages.

    Exemple : eig-search query "securite maritime" --kind défi --facet promotion=3 --limit 5 --page 2 --json
    """
    engine = open_engine(index_folder)
    filters = {facet: list(values) for facet, values in (("kind", kind), ("tags", tag), ("year", year)) if values}
    for pair in facets:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            click.get_current_context().fail(f"--facet attend NOM=VALEUR, pas « {pair} »")
        filters.setdefault(name.strip(), []).append(value.strip())
    request = SearchRequest(q=text, filters=filters, sort=sort, page=page, per_page=limit,
                            page_sizes=ANY_PAGE_SIZE)
    result = engine.search(request)
    if as_json:
        if site_url is None:
            site_url = engine.generation().manifest.get("site_url") or ""
        print_json(search_json(result, site_url))
    else:
        print_results(result)


@click.command(cls=Command)
@index_option
@json_option("les statistiques")
def stats(index_folder, as_json):
    """Documents par type, langue et valeur de facette ; génération et date de construction.

    Exemple : eig-search stats --json
    """
    figures = open_engine(index_folder).stats()
    if as_json:
        print_json(stats_json(figures))
    else:
        print_stats(figures)


@click.command(cls=Command)
@index_option
@site_option()
@config_option()
@click.option("--host", default="127.0.0.1", metavar="ADRESSE", help="Adresse d'écoute (par défaut : 127.0.0.1).")
@click.option("--port", type=IntRange(1, 65535), default=5000, help="Port d'écoute (par défaut : 5000).")
@click.option("--workers", type=IntRange(1, 32), default=2, help="Processus serveurs (par défaut : 2).")
@click.option("--dev", is_flag=True,
              help="Serveur de développement de Flask, rechargé à chaque modification : pour développer "
                   "seulement, sur cette machine seulement.")
@click.option("--build-if-missing", is_flag=True,
              help="Indexer d'abord --site si l'index manque, date d'un format plus ancien ou est endommagé.")
def serve(index_folder, site_folder, search_file, host, port, workers, dev, build_if_missing):
    """Servir les pages de recherche et l'API JSON (gunicorn, processus gevent). Facettes,
    types de page et projets sont ceux que l'index a notés ; --config ne sert qu'à --build-if-missing.

    Exemple : eig-search serve --build-if-missing --port 8000
    """
    from searchweb.serve import DEV_WARNING, is_loopback, run

    if dev and not is_loopback(host):
        raise click.ClickException(
            f"--dev : le serveur de développement n'écoute que sur cette machine (127.0.0.1, ::1 ou localhost), "
            f"pas sur « {host} ». Pour servir le public, lancez eig-search serve sans --dev.")
    store = IndexStore(index_folder)
    if build_if_missing and not store.in_current_format():
        site = site_to_read(index_folder, site_folder, DEFAULT_SITE)
        print_report(building.build(site, index_folder, progress=sys.stderr.isatty(), search_file=search_file))
    store.check()
    if dev:
        echo(DEV_WARNING.format(host=host))
    name = store.current_name()
    built_from = f", site : {store.manifest(name).get('site')}" if name else ""
    echo(f"Recherche disponible sur http://{host}:{port}/ (index : {index_folder}{built_from})")
    run(index_folder, host=host, port=port, workers=workers, dev=dev)


@click.command(cls=Command, name="eval")
@click.argument("queries_file", type=Path(dir_okay=False), metavar="REQUÊTES")
@index_option
@click.option("--json", "json_file", type=Path(dir_okay=False),
              help="Écrire dans ce fichier JSON les résultats et mesures de chaque requête.")
@click.option("--baseline", type=Path(dir_okay=False),
              help="Comparer à un fichier JSON écrit par un --json précédent.")
@click.option("--ranking", type=Choice(["project", "plain"]), default="project",
              help="project : le classement du moteur (par défaut) ; plain : la référence BM25 simple.")
@click.option("--compare-plain", is_flag=True,
              help="Lancer aussi la référence simple et lister les requêtes moins bien classées.")
def evaluate(queries_file, index_folder, json_file, baseline, ranking, compare_plain):
    """Mesurer le classement sur des requêtes jugées : succès@1, succès@5, MRR@10 par type.

    Exemple : eig-search eval ../shared/eval/dev-queries.yaml --index /tmp/eig --json now.json --compare-plain
    """
    from indexer.evaluation import relevance
    from indexer.evaluation.judged import load_queries
    from indexer.evaluation.metrics import compare
    from indexer.evaluation.report import comparison_report, report

    if compare_plain and ranking == "plain":
        click.get_current_context().fail("--compare-plain compare le classement du projet au classement simple : "
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


COMMANDS = (query, stats, serve, evaluate)
