"""Running judged queries: the project's ranking, or a plain BM25 reference to compare with.

Each judged query (:mod:`indexer.evaluation.judged`) is run through the project's ranking (the
search page's or the similar page's), or through a plain BM25F (:func:`plain_ranking`), and the
ranks of its relevant pages are scored (:mod:`indexer.evaluation.metrics`). A run can be saved as
JSON and read back, to compare with a later one query by query.
"""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from whoosh import query as Q

from indexer.errors import EigSearchError
from indexer.evaluation.judged import PAGE_KIND, JudgedQuery
from indexer.evaluation.metrics import TOP, QueryResult, rank_of, summarise
from indexer.language.analysis import exact_terms, stem
from indexer.search.generation import Generation
from indexer.search.request import SearchRequest

RANKINGS = ("project", "plain")
#: The plain reference: each stemmed query term in the title (×3) or the body, Whoosh's BM25F.
PLAIN_FIELDS = {"title": 3.0, "body": 1.0}
#: Generous time budget for a search: the evaluation judges ranking, not speed, and a search cut
#: short by a busy machine would change the ranks.
SEARCH_BUDGET = 30.0


def plain_query(text: str) -> Q.Query | None:
    """OR of the stemmed terms of ``text`` over the title (boost 3) and the body; None if none."""
    terms = list(dict.fromkeys(stem(term) for term in exact_terms(text)))
    if not terms:
        return None
    return Q.Or([Q.Term(name, term, boost=boost) for term in terms for name, boost in PLAIN_FIELDS.items()])


def plain_ranking(generation: Generation, text: str, kind: str, limit: int = TOP) -> list[tuple[str, str]]:
    """The reference ranking, ``[(path, title)]``: plain BM25F over the same analysed index, with
    no filter, prior, typo tolerance or synonym; ``similar`` queries only rank the site's projects
    (the défis of the programme's site), and ``similar-page`` ones (``text`` is then the page's
    path) the other projects, by the page's words."""
    among = generation.kinds_mask(generation.search.projects) if kind != "keyword" else None
    if kind == PAGE_KIND:
        docnum = generation.document_number(text)
        if docnum is None:
            return []
        record = generation.stored(docnum)["record"]
        text = "\n".join([record["title"], record["summary"], record["text"]])
        among[docnum] = False
    query = plain_query(text)
    if query is None:
        return []
    stored = map(generation.stored, generation.bm25f(query, limit, among))
    return [(fields["path"], fields["record"]["title"]) for fields in stored]


def project_ranking(engine, text: str, kind: str, limit: int = TOP) -> list[tuple[str, str]]:
    """The project's ranking, ``[(path, title)]``, as the search page or the similar page shows it
    (for ``similar-page``, ``text`` is the page's path; none for a page the index lacks)."""
    if kind == PAGE_KIND:
        known = engine.generation().document_number(text) is not None
        hits = engine.similar(path=text, limit=limit) if known else []
    elif kind == "similar":
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
        asked = [judged.query] if judged.kind == PAGE_KIND else []
        unknown += [(judged, path) for path in [*asked, *judged.relevant]
                    if generation.document_number(path) is None]
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
