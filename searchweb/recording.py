"""The query log of the pages and the API: each search is queued, and written once its answer
is sent (:mod:`indexer.querylog.recorder`), so no visitor waits for the log.

What is recorded is built from the search alone (:mod:`indexer.querylog.entries`): nothing of
the request is read here, neither its address, nor its headers, nor its cookies.
"""

import time

from flask import Flask, current_app, g

from indexer.querylog import database, entries
from indexer.querylog.recorder import Recorder

EXTENSION = "eig_search_query_log"


def init_app(app: Flask) -> None:
    """Open no file yet: the first search of each process does (``QUERY_LOG=off``: no log)."""
    path = database.log_path(app.config["QUERY_LOG"], app.config["INDEX_DIR"])
    if path is not None:
        app.extensions[EXTENSION] = Recorder(path, database.retention_days(app.config["QUERY_LOG_DAYS"]))
        app.after_request(_write_after_response)


def record_search(result, source: str, started: float) -> None:
    """Queue a search of the pages (``source="page"``) or the API (``"api"``) begun at ``started``."""
    _queue(lambda ms: entries.search_entry(result, source, ms), started)


def record_similar(path: str | None, results: int, source: str, started: float) -> None:
    _queue(lambda ms: entries.similar_entry(path, results, source, ms), started)


def _queue(make, started: float) -> None:
    recorder = current_app.extensions.get(EXTENSION)
    if recorder is not None:
        recorder.add(make((time.perf_counter() - started) * 1000))
        g.query_logged = True


def _write_after_response(response):
    if g.get("query_logged"):
        response.call_on_close(current_app.extensions[EXTENSION].flush)
    return response
