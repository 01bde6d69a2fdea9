"""Judged queries: how often the pages a maintainer expects come first, and what changed.

A judged-query file is a YAML list of ``{kind, query, relevant}``: ``kind`` is ``keyword`` (a
query typed in the search box) or ``similar`` (a pasted project description), ``relevant`` the
source paths of the right answers, the primary one first. Each query is run through the
project's ranking, or through a plain BM25 reference (:func:`plain_ranking`) to compare with, and
scored by success@1, success@5 and MRR@10, once for the primary answer and once for any listed
answer. Results can be saved as JSON and compared with an earlier run, query by query.
"""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from whoosh import query as Q

from indexer.errors import EigSearchError, FileRejected
from indexer.fields import facet_key
from indexer.language.analysis import exact_terms, stem
from indexer.search.engine import SearchRequest
from indexer.site.frontmatter import parse_yaml

KINDS = ("keyword", "similar")
KEYS = ("kind", "query", "relevant")
RANKINGS = ("project", "plain")
#: Results looked at per query: success@k and MRR stop here.
TOP = 10
CUTOFFS = (1, 5)
MAX_FILE_BYTES = 1024 * 1024
#: The plain reference: each stemmed query term in the title (×3) or the body, Whoosh's BM25F.
PLAIN_FIELDS = {"title": 3.0, "body": 1.0}
PLAIN_SIMILAR_KIND = "défi"
#: Generous time budget for a search: the evaluation judges ranking, not speed, and a search cut
#: short by a busy machine would change the ranks.
SEARCH_BUDGET = 30.0
METRICS = ("success@1", "success@5", "mrr@10")
ANSWERS = ("primary", "any")
ANSWER_LABELS = {"primary": "principale", "any": "quelconque"}
SUMMARY_GROUPS = (*KINDS, "all")
GROUP_LABELS = {"keyword": "keyword", "similar": "similar", "all": "ensemble"}


@dataclass
class JudgedQuery:
    kind: str
    query: str
    relevant: list[str]  # the primary answer first

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.query


@dataclass
class QueryResult:
    """One judged query once run: the ranked pages and where the relevant ones came."""

    kind: str
    query: str
    relevant: list[str]
    ranked: list[str]  # paths of the first TOP results
    titles: list[str]
    rank_primary: int | None  # 1-based, None when not in the first TOP
    rank_any: int | None

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.query


# -- metrics (pure functions) ---------------------------------------------------------------------

def rank_of(ranked: list[str], wanted, cutoff: int = TOP) -> int | None:
    """1-based rank of the first of ``wanted`` among the first ``cutoff`` of ``ranked``, else None."""
    wanted = set(wanted)
    return next((position for position, path in enumerate(ranked[:cutoff], start=1) if path in wanted), None)


def success_at(ranks: list[int | None], k: int) -> float | None:
    """Share of queries whose answer is within the first ``k`` (None for no query)."""
    return _mean([1.0 if rank is not None and rank <= k else 0.0 for rank in ranks])


def mrr(ranks: list[int | None], cutoff: int = TOP) -> float | None:
    """Mean reciprocal rank: 1/rank when the answer is within ``cutoff``, else 0 (None for no query)."""
    return _mean([1.0 / rank if rank is not None and rank <= cutoff else 0.0 for rank in ranks])


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def metrics(ranks: list[int | None]) -> dict[str, float | None]:
    return {"success@1": success_at(ranks, 1), "success@5": success_at(ranks, 5), "mrr@10": mrr(ranks, TOP)}


def summarise(results: list[QueryResult]) -> dict:
    """Per kind and overall: number of queries and metrics for the primary and for any answer."""
    summary = {}
    for group in SUMMARY_GROUPS:
        chosen = [r for r in results if group == "all" or r.kind == group]
        summary[group] = {"queries": len(chosen),
                          "primary": metrics([r.rank_primary for r in chosen]),
                          "any": metrics([r.rank_any for r in chosen])}
    return summary


def result_order(result) -> tuple[int, int]:
    """Sort key of a query's outcome, smaller is better: rank of any answer, then of the primary."""
    def rank(value):
        return value if value is not None else TOP + 1
    return rank(result.rank_any), rank(result.rank_primary)


@dataclass
class Comparison:
    """Query-by-query changes from a reference run to the current one."""

    better: list[tuple[QueryResult, QueryResult]]  # (reference, current)
    worse: list[tuple[QueryResult, QueryResult]]
    common: int
    added: list[QueryResult]  # queries absent from the reference
    removed: list[QueryResult]  # reference queries no longer judged
    rejudged: list[QueryResult]  # relevant pages changed since: ranks not comparable
    deltas: dict  # group → answer → metric → current − reference (None when either has no query)


def compare(current: list[QueryResult], reference: list[QueryResult]) -> Comparison:
    """Which queries got better or worse (by :func:`result_order`), and the metric deltas."""
    before = {r.key: r for r in reference}
    now = {r.key: r for r in current}
    better, worse, rejudged, common = [], [], [], 0
    for result in current:
        old = before.get(result.key)
        if old is None:
            continue
        if old.relevant != result.relevant:
            rejudged.append(result)
            continue
        common += 1
        if result_order(result) < result_order(old):
            better.append((old, result))
        elif result_order(result) > result_order(old):
            worse.append((old, result))
    mine, theirs = summarise(current), summarise(reference)
    deltas = {group: {answer: {name: _delta(mine[group][answer][name], theirs[group][answer][name])
                               for name in METRICS} for answer in ANSWERS} for group in SUMMARY_GROUPS}
    return Comparison(better=better, worse=worse, common=common,
                      added=[r for r in current if r.key not in before],
                      removed=[r for r in reference if r.key not in now], rejudged=rejudged, deltas=deltas)


def _delta(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


# -- the judged-query file ------------------------------------------------------------------------

def load_queries(path) -> list[JudgedQuery]:
    """Read and check a judged-query file; raises :class:`EigSearchError` saying what is wrong."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise EigSearchError(f"fichier de requêtes introuvable : {path}") from None
    except UnicodeDecodeError:
        raise EigSearchError(f"{path} : le fichier de requêtes doit être en UTF-8") from None
    except OSError as error:
        raise EigSearchError(f"{path} : lecture impossible ({error.strerror})") from None
    try:
        data = parse_yaml(text, "YAML", MAX_FILE_BYTES)
    except FileRejected as error:
        raise EigSearchError(f"{path} : {error}") from None
    return parse_queries(data, str(path))


def parse_queries(data, source: str = "requêtes") -> list[JudgedQuery]:
    """Judged queries from already-loaded YAML, checked entry by entry."""
    if not isinstance(data, list):
        raise EigSearchError(f"{source} : une liste de requêtes est attendue, une par ligne "
                             "« - {kind: keyword, query: \"…\", relevant: [chemin, …]} »")
    if not data:
        raise EigSearchError(f"{source} : aucune requête jugée")
    queries, seen = [], set()
    for number, entry in enumerate(data, start=1):
        where = f"{source}, requête {number}"
        if not isinstance(entry, dict):
            raise EigSearchError(f"{where} : un dictionnaire {{kind, query, relevant}} est attendu")
        unknown = sorted(str(key) for key in entry if key not in KEYS)
        if unknown:
            raise EigSearchError(f"{where} : clé inconnue « {unknown[0]} » (clés permises : {', '.join(KEYS)})")
        kind, query, relevant = entry.get("kind"), entry.get("query"), entry.get("relevant")
        if kind not in KINDS:
            raise EigSearchError(f"{where} : kind doit valoir {' ou '.join(KINDS)} (lu : « {kind} »)")
        if not isinstance(query, str) or not query.strip():
            raise EigSearchError(f"{where} : query doit être un texte non vide")
        if (not isinstance(relevant, list) or not relevant
                or not all(isinstance(item, str) and item.strip() for item in relevant)):
            raise EigSearchError(f"{where} : relevant doit être une liste non vide de chemins de pages "
                                 "(la réponse principale en premier)")
        for item in relevant:
            if item.startswith("/") or "\\" in item or ".." in item.split("/"):
                raise EigSearchError(f"{where} : « {item} » doit être un chemin de fichier source relatif "
                                     "à la racine du site (par exemple _defis/2019-01-01-cartobio.md)")
        if len(set(relevant)) != len(relevant):
            raise EigSearchError(f"{where} : relevant cite deux fois la même page")
        if (kind, query) in seen:
            raise EigSearchError(f"{where} : la requête {kind} « {query} » est déjà jugée plus haut")
        seen.add((kind, query))
        queries.append(JudgedQuery(kind, query, list(relevant)))
    return queries


# -- running the queries --------------------------------------------------------------------------

def plain_query(text: str) -> Q.Query | None:
    """OR of the stemmed terms of ``text`` over the title (boost 3) and the body; None if none."""
    terms = list(dict.fromkeys(stem(term) for term in exact_terms(text)))
    if not terms:
        return None
    return Q.Or([Q.Term(name, term, boost=boost) for term in terms for name, boost in PLAIN_FIELDS.items()])


def plain_ranking(generation, text: str, kind: str, limit: int = TOP) -> list[tuple[str, str]]:
    """The reference ranking, ``[(path, title)]``: plain BM25F over the same analysed index, with
    no filter, prior, typo tolerance or synonym; ``similar`` queries only rank défis."""
    query = plain_query(text)
    if query is None:
        return []
    allowed = None
    if kind == "similar":
        mask = generation.facets.mask("kind", [facet_key(PLAIN_SIMILAR_KIND)]) & generation.facets.live
        allowed = set(np.flatnonzero(mask).tolist())
    ranked = []
    for hit in generation.searcher.search(query, filter=allowed, limit=limit):
        stored = generation.searcher.stored_fields(hit.docnum)
        ranked.append((stored["path"], stored["record"]["title"]))
    return ranked


def project_ranking(engine, text: str, kind: str, limit: int = TOP) -> list[tuple[str, str]]:
    """The project's ranking, ``[(path, title)]``, as the search page or the similar page shows it."""
    if kind == "similar":
        hits = engine.similar(text=text, limit=limit)
    else:
        hits = engine.search(SearchRequest(q=text, per_page=limit), budget=SEARCH_BUDGET).hits
    return [(hit.path, hit.title) for hit in hits[:limit]]


@dataclass
class Evaluation:
    """One run of the judged queries on one index."""

    ranking: str
    generation: str
    results: list[QueryResult]
    unknown_paths: list[tuple[JudgedQuery, str]]  # judged pages the index does not hold

    @property
    def summary(self) -> dict:
        return summarise(self.results)

    def as_json(self) -> dict:
        return {"ranking": self.ranking, "generation": self.generation, "summary": self.summary,
                "queries": [asdict(result) for result in self.results]}


def evaluate(engine, queries: list[JudgedQuery], ranking: str = "project") -> Evaluation:
    """Run every judged query through ``ranking`` (project or plain) on the engine's index."""
    if ranking not in RANKINGS:
        raise EigSearchError(f"classement inconnu « {ranking} » : choisir parmi {', '.join(RANKINGS)}")
    generation = engine.generation()
    results, unknown = [], []
    for judged in queries:
        unknown += [(judged, path) for path in judged.relevant
                    if generation.searcher.document_number(path=path) is None]
        if ranking == "plain":
            ranked = plain_ranking(generation, judged.query, judged.kind)
        else:
            ranked = project_ranking(engine, judged.query, judged.kind)
        paths = [path for path, _title in ranked]
        results.append(QueryResult(
            kind=judged.kind, query=judged.query, relevant=judged.relevant, ranked=paths,
            titles=[title for _path, title in ranked], rank_primary=rank_of(paths, judged.relevant[:1]),
            rank_any=rank_of(paths, judged.relevant)))
    return Evaluation(ranking, generation.name, results, unknown)


def load_results(path) -> Evaluation:
    """An earlier run, read back from the JSON file its ``--json`` option wrote."""
    path = Path(path)
    try:
        data = json.loads(path.read_text("utf-8"))
        results = [QueryResult(kind=item["kind"], query=item["query"], relevant=list(item["relevant"]),
                               ranked=list(item.get("ranked", [])), titles=list(item.get("titles", [])),
                               rank_primary=item["rank_primary"], rank_any=item["rank_any"])
                   for item in data["queries"]]
        return Evaluation(str(data.get("ranking", "?")), str(data.get("generation", "?")), results, [])
    except FileNotFoundError:
        raise EigSearchError(f"résultats de référence introuvables : {path}") from None
    except (ValueError, TypeError, KeyError, AttributeError):
        raise EigSearchError(f"{path} : ce n'est pas un fichier écrit par « eig-search eval --json »") from None


# -- reports --------------------------------------------------------------------------------------

def report(evaluation: Evaluation) -> list[str]:
    """The metrics table, then each query whose primary answer is not first, with what came before."""
    results = evaluation.results
    lines = [f"{len(results)} requêtes jugées, classement {evaluation.ranking}, index {evaluation.generation}", ""]
    lines += metrics_table(evaluation.summary)
    for judged, path in evaluation.unknown_paths:
        lines.append(f"attention : [{judged.kind}] « {shorten(judged.query)} » juge pertinente {path}, "
                     "qui n'est pas dans l'index")
    missed = [r for r in results if r.rank_primary != 1]
    lines += ["", f"Réponse principale pas en tête ({len(missed)}) :" if missed
              else "Réponse principale en tête pour toutes les requêtes."]
    for result in missed:
        where = f"rang {result.rank_primary}" if result.rank_primary else f"absent du top {TOP}"
        lines.append(f"  [{result.kind}] « {shorten(result.query)} » : {where} ({result.relevant[0]})")
        above = result.ranked[: result.rank_primary - 1] if result.rank_primary else result.ranked
        for position, path in enumerate(above, start=1):
            title = result.titles[position - 1] if position <= len(result.titles) else ""
            judged = "  [réponse jugée]" if path in result.relevant else ""
            lines.append(f"     {position:2d}. {shorten(title, 60)} — {path}{judged}")
    return lines


def metrics_table(summary: dict, signed: bool = False) -> list[str]:
    """One line per group and answer: queries, success@1, success@5, MRR@10."""
    lines = [f"{'type':<10}{'requêtes':>9}  {'réponse':<12}{'succès@1':>9}{'succès@5':>10}{'MRR@10':>9}"]
    for group in SUMMARY_GROUPS:
        figures = summary[group]
        for answer in ANSWERS:
            label = GROUP_LABELS[group] if answer == "primary" else ""
            count = str(figures["queries"]) if answer == "primary" else ""
            values = [_number(figures[answer][name], signed) for name in METRICS]
            lines.append(f"{label:<10}{count:>9}  {ANSWER_LABELS[answer]:<12}"
                         f"{values[0]:>9}{values[1]:>10}{values[2]:>9}")
    return lines


def comparison_report(comparison: Comparison, heading: str, better: str = "Mieux", worse: str = "Moins bien",
                      difference: str = "maintenant − référence") -> list[str]:
    """Queries that got better or worse, then the metric deltas (current − reference)."""
    lines = ["", f"{heading} : {comparison.common} requêtes comparables"]
    for label, pairs in ((better, comparison.better), (worse, comparison.worse)):
        lines.append(f"{label} ({len(pairs)})" + (" :" if pairs else ""))
        for old, new in pairs:
            lines.append(f"  [{new.kind}] « {shorten(new.query)} » : principale {_rank(old.rank_primary)} → "
                         f"{_rank(new.rank_primary)}, quelconque {_rank(old.rank_any)} → {_rank(new.rank_any)}")
    for label, items in (("Requêtes nouvelles", comparison.added), ("Requêtes disparues", comparison.removed),
                         ("Jugements modifiés, non comparés", comparison.rejudged)):
        if items:
            lines.append(f"{label} ({len(items)}) : " + ", ".join(f"« {shorten(r.query, 40)} »" for r in items))
    deltas = {group: {"queries": "", **answers} for group, answers in comparison.deltas.items()}
    lines += [f"Écarts ({difference}) :", *metrics_table(deltas, signed=True)]
    return lines


def shorten(text: str, width: int = 70) -> str:
    """``text`` on one line, cut at a word boundary to at most ``width`` characters."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def _rank(rank: int | None) -> str:
    return str(rank) if rank is not None else f"hors top {TOP}"


def _number(value: float | None, signed: bool) -> str:
    if value is None:
        return "—"
    return f"{value:+.3f}" if signed else f"{value:.3f}"
