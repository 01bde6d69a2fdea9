"""What the log says over the last days: the figures of ``eig-search report``, as a dict.

Searches are grouped by their recorded (normalised) query. The top and zero-result lists count
first pages only, so a visitor who pages through results counts once; the number of searches
counts every request. Reading a report first deletes the rows past retention, so a report never
shows what should already be forgotten.
"""

import json
import sqlite3
from pathlib import Path

from indexer.querylog import database
from indexer.querylog.entries import SEARCH, SIMILAR

#: Seconds a report waits for a server's write before giving up.
REPORT_WAIT = 5.0
DEFAULT_DAYS = 30
DEFAULT_LIMIT = 20

_WINDOW = "minute >= :since"
_FIRST_PAGES = f"kind = '{SEARCH}' AND page = 1 AND query <> '' AND {_WINDOW}"
QUERIES = {
    "counts": f"SELECT kind, COUNT(*) FROM searches WHERE {_WINDOW} GROUP BY kind",
    "top": f"""SELECT query, COUNT(*), AVG(results) FROM searches WHERE {_FIRST_PAGES}
               GROUP BY query ORDER BY COUNT(*) DESC, query LIMIT :limit""",
    # SQLite takes the bare column (suggestion) from the row holding MAX(minute): the latest offer.
    "zero_results": f"""SELECT query, COUNT(*), MAX(minute), suggestion FROM searches
                        WHERE {_FIRST_PAGES} AND results = 0
                        GROUP BY query ORDER BY COUNT(*) DESC, MAX(minute) DESC, query LIMIT :limit""",
    "corrected": f"""SELECT query, COUNT(*), SUM(corrections <> ''), SUM(relaxed), MAX(minute), corrections
                     FROM searches WHERE {_FIRST_PAGES} AND (corrections <> '' OR relaxed)
                     GROUP BY query ORDER BY COUNT(*) DESC, query LIMIT :limit""",
    "filters": f"""SELECT facet.key, value.value, COUNT(*) FROM searches, json_each(searches.filters) AS facet,
                   json_each(facet.value) AS value WHERE kind = '{SEARCH}' AND {_WINDOW}
                   GROUP BY facet.key, value.value ORDER BY COUNT(*) DESC, facet.key, value.value LIMIT :limit""",
    "slowest": f"""SELECT query, kind, ms, results, minute FROM searches WHERE {_WINDOW}
                   ORDER BY ms DESC, minute DESC LIMIT :limit""",
}


def read(path: Path, days: int = DEFAULT_DAYS, retention: int | None = None,
         limit: int = DEFAULT_LIMIT, now: float | None = None) -> dict:
    """The report of the last ``days`` days (see the module's docstring); an absent file is an
    empty log. ``retention``: days to keep, by default those the server noted in the log (a
    report run without the server's settings must not delete what they keep)."""
    since = database.cutoff(days, now)
    report = {"log": str(path), "days": days, "since": since, "forgotten": 0}
    db = _open(path)
    if db is None:
        return {**report, "retention_days": retention or database.RETENTION_DAYS, **_figures(None, since, limit)}
    try:
        with db:
            db.execute("BEGIN IMMEDIATE")
            report["retention_days"] = retention or database.stored_retention(db) or database.RETENTION_DAYS
            report["forgotten"] = database.forget(db, report["retention_days"], now)
        return {**report, **_figures(db, since, limit)}
    finally:
        db.close()


def purge(path: Path) -> int:
    """Empty the log (``report --purge``); how many searches were deleted."""
    db = _open(path)
    if db is None:
        return 0
    try:
        return database.purge(db)
    finally:
        db.close()


def _open(path: Path) -> sqlite3.Connection | None:
    """The log, or None when the server has written none yet (nothing is created)."""
    try:
        return database.connect(path, REPORT_WAIT, create=False)
    except sqlite3.OperationalError:
        if Path(path).exists():
            raise
        return None


def _figures(db: sqlite3.Connection | None, since: str, limit: int) -> dict:
    def rows(name: str) -> list[tuple]:
        return db.execute(QUERIES[name], {"since": since, "limit": limit}).fetchall() if db else []

    counts = dict(rows("counts"))
    return {
        "searches": counts.get(SEARCH, 0),
        "similar": counts.get(SIMILAR, 0),
        "top": [{"query": query, "count": count, "average_results": round(average, 1)}
                for query, count, average in rows("top")],
        "zero_results": [{"query": query, "count": count, "last_seen": last, "suggestion": suggestion}
                         for query, count, last, suggestion in rows("zero_results")],
        "corrected": [{"query": query, "count": count, "corrected": corrected, "relaxed": relaxed,
                       "last_seen": last, "corrections": json.loads(corrections) if corrections else {}}
                      for query, count, corrected, relaxed, last, corrections in rows("corrected")],
        "filters": [{"facet": facet, "value": value, "count": count} for facet, value, count in rows("filters")],
        "slowest": [{"query": query, "kind": kind, "ms": ms, "results": results, "minute": minute}
                    for query, kind, ms, results, minute in rows("slowest")],
    }
