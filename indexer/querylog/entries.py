"""One recorded search: what was asked, normalised, and what the engine answered.

A query is stored in the form the engine matches it in, so that « Sécurité  maritime » and
« securite maritime » are one query in the report: each word folded as the analysis folds it
(lowercase, accents and elisions removed; ``OR`` kept, it is an operator), spaces collapsed,
invisible characters dropped and length capped as the query language does. The visitor's own
spelling is not kept.
"""

import json
import time
from dataclasses import dataclass

from indexer.language.analysis import fold
from indexer.search.querylang import clean
from indexer.search.request import SearchResult

SEARCH, SIMILAR = "search", "similar"
#: A similar-projects path is a page of the index: longer is not one.
MAX_PATH_CHARS = 300


def normalise(query: str) -> str:
    """The form a query is recorded and grouped in (see the module's docstring)."""
    return " ".join(word if word == "OR" else fold(word) for word in clean(query).split())


def minute(now: float | None = None) -> str:
    """UTC time to the minute, ``YYYY-MM-DD HH:MM``: when, not exactly when."""
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(time.time() if now is None else now))


@dataclass(frozen=True)
class Entry:
    """A row of the log (the columns of :data:`~indexer.querylog.database.COLUMNS`)."""

    minute: str
    kind: str  # SEARCH or SIMILAR
    source: str  # "page" or "api"
    query: str
    filters: str = "{}"  # JSON {facet: [values]}
    sort: str = "relevance"
    page: int = 1
    results: int = 0
    corrections: str = ""  # JSON {typed word: corrected word}, "" when none
    relaxed: bool = False
    suggestion: str | None = None  # the « vouliez-vous dire » offered
    ms: float = 0.0


def search_entry(result: SearchResult, source: str, ms: float, now: float | None = None) -> Entry | None:
    """The row of a search, or None for a page that asked nothing (no word, no filter)."""
    request = result.request
    query = normalise(request.q)
    filters = {facet: values for facet, values in sorted(request.filters.items()) if values}
    if not query and not filters:
        return None
    corrections = {fold(typed): fold(fixed) for typed, fixed in result.corrected.items()}
    return Entry(
        minute=minute(now), kind=SEARCH, source=source, query=query,
        filters=json.dumps(filters, ensure_ascii=False, sort_keys=True), sort=request.sort, page=request.page,
        results=result.total, corrections=json.dumps(corrections, ensure_ascii=False) if corrections else "",
        relaxed=result.relaxed, suggestion=normalise(result.suggestion) if result.suggestion else None,
        ms=round(ms, 1))


def similar_entry(path: str | None, results: int, source: str, ms: float, now: float | None = None) -> Entry:
    """The row of a similar-projects request: the page compared, or nothing for a pasted text
    (a description may be long and name people: only its use is counted)."""
    return Entry(minute=minute(now), kind=SIMILAR, source=source, query=(path or "")[:MAX_PATH_CHARS],
                 results=results, ms=round(ms, 1))
