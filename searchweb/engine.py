"""One search engine per worker process, kept on the application.

The engine holds a single Whoosh searcher and the facet arrays of the current index generation,
and reopens them only when the indexer publishes a new generation; opening a searcher per
request would re-read the facet arrays every time.
"""

from flask import Flask, current_app

from indexer.search import SearchEngine

EXTENSION = "eig_search_engine"


def init_engine(app: Flask) -> None:
    app.extensions[EXTENSION] = SearchEngine(app.config["INDEX_DIR"], int(app.config["RESULT_CACHE"]))


def get_engine() -> SearchEngine:
    return current_app.extensions[EXTENSION]


def site_url() -> str:
    """Base URL of the indexed site: the setting, else the ``url`` of its ``_config.yml``."""
    configured = current_app.config.get("SITE_URL")
    if configured is not None:
        return str(configured).rstrip("/")
    return str(get_engine().generation().manifest.get("site_url") or "").rstrip("/")
