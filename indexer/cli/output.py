"""What the commands print. JSON goes to stdout; reports and messages go to stderr, so that
``--json`` output stays clean."""

import json
from dataclasses import asdict

import click

from indexer.build.report import Report
from indexer.search.request import SearchResult

#: Facet values shown per facet by ``stats``.
STATS_VALUES = 12


def echo(text: str) -> None:
    click.echo(text, err=True)


def print_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def report_json(report: Report) -> dict:
    """A run's report: the site, the generation written (none for ``check``), the counts, pages
    read per kind, problems as ``{path, reason}``, drafts, duration and the run's note."""
    return {
        "mode": report.mode,
        "site": report.site,
        "generation": report.generation,
        "counts": {"indexed": report.indexed, "added": report.added, "updated": report.updated,
                   "deleted": report.deleted, "unchanged": report.unchanged},
        "kinds": dict(sorted(report.kinds.items())),
        "skipped": [{"path": problem.path, "reason": problem.reason} for problem in report.skipped],
        "warnings": [{"path": problem.path, "reason": problem.reason} for problem in report.warnings],
        "drafts": report.drafts,
        "seconds": round(report.seconds, 3),
        "note": report.note,
        "notes": report.notes,
        **({"suggested_facets": [asdict(item) for item in report.suggestions], "search_yaml": report.search_yaml}
           if report.mode == "check" else {}),
    }


def print_report(report: Report, as_json: bool = False) -> None:
    if as_json:
        print_json(report_json(report))
        return
    echo(f"Site lu : {report.site}")
    for problem in report.skipped:
        echo(f"ignoré   {problem.path} : {problem.reason}")
    for problem in report.warnings:
        echo(f"attention {problem.path} : {problem.reason}")
    if report.note:
        echo(report.note)
    for note in report.notes:
        echo(note)
    counts = ", ".join(f"{kind} {count}" for kind, count in sorted(report.kinds.items()))
    if report.mode == "check":
        echo(f"Vérification : {sum(report.kinds.values())} pages lisibles ({counts}), "
             f"{len(report.drafts)} brouillons, {len(report.skipped)} ignorés, {len(report.warnings)} avertissements")
        if report.suggestions:
            echo(f"Facettes suggérées ({len(report.suggestions)}) : champs du front matter aux valeurs courtes "
                 "que beaucoup de pages partagent ; section à coller dans _config.yml (ou le fichier --config) :\n"
                 + report.search_yaml.rstrip("\n"))
        return
    echo(f"Index {report.generation} : {report.indexed} documents "
         f"(ajoutés {report.added}, modifiés {report.updated}, supprimés {report.deleted}, "
         f"inchangés {report.unchanged}) ; lus : {counts or 'aucun'}")
    echo(f"Brouillons ignorés : {len(report.drafts)}" + (f" ({', '.join(report.drafts)})" if report.drafts else ""))
    echo(f"Fichiers ignorés : {len(report.skipped)} ; avertissements : {len(report.warnings)} ; "
         f"durée : {report.seconds:.2f} s")


def print_results(result: SearchResult) -> None:
    request = result.request
    where = f", page {request.page} sur {result.pages}" if result.pages > 1 or request.page > 1 else ""
    click.echo(f"{result.total} résultat(s) pour « {request.q} »{where}"
               + (" (mots approchés)" if result.relaxed else ""))
    if result.corrected:
        click.echo("Résultats pour : " + ", ".join(f"{a} → {b}" for a, b in result.corrected.items()))
    if result.dropped:
        click.echo("Mots absents du site, ignorés : " + ", ".join(result.dropped))
    first = (request.page - 1) * request.per_page + 1
    for rank, hit in enumerate(result.hits, start=first):
        click.echo(f"{rank:2d}. [{hit.kind}] {hit.title}  ({hit.score})\n    {hit.url}\n    {hit.snippet_text[:200]}")
    if result.suggestion:
        click.echo(f"Vouliez-vous dire : {result.suggestion} ?")


def stats_json(figures: dict) -> dict:
    """The engine's statistics, with each facet's values as the API gives them: ``[{value, count}]``."""
    return {**figures, "facets": {facet: [{"value": value, "count": count} for value, count in values.items()]
                                  for facet, values in figures["facets"].items()}}


def print_stats(figures: dict) -> None:
    click.echo(f"Génération {figures['generation']}, construite le {figures['built_at']}")
    click.echo(f"Site : {figures['site']}")
    click.echo(f"{figures['documents']} documents, {figures['drafts']} brouillons, {figures['skipped']} fichiers ignorés")
    for facet, values in figures["facets"].items():
        shown = ", ".join(f"{value} ({count})" for value, count in list(values.items())[:STATS_VALUES])
        more = f" … +{len(values) - STATS_VALUES}" if len(values) > STATS_VALUES else ""
        click.echo(f"  {figures['labels'].get(facet, facet)} [{len(values)}] : {shown}{more}")
