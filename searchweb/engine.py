"""One search engine per worker process, kept on the application.

The engine holds a single Whoosh searcher and the facet arrays of the current index generation,
and reopens them only when the indexer publishes a new generation; opening a searcher per
request would re-read the facet arrays every time.
"""

import logging

from flask import Flask, current_app

from indexer.errors import IndexDamaged
from indexer.search.engine import SearchEngine
from indexer.search.serialize import safe_base_url

EXTENSION = "eig_search_engine"
#: What this process has already logged of a damaged index (one line per damage, not per request).
DAMAGE_LOGGED = "eig_search_damage_logged"

log = logging.getLogger(__name__)


def init_engine(app: Flask) -> None:
    app.extensions[EXTENSION] = SearchEngine(app.config["INDEX_DIR"], int(app.config["RESULT_CACHE"]))


def get_engine() -> SearchEngine:
    return current_app.extensions[EXTENSION]


def log_damage(error: IndexDamaged) -> None:
    """Log a damaged index once per process: every request fails the same way until a rebuild."""
    logged = current_app.extensions.setdefault(DAMAGE_LOGGED, set())
    if str(error) not in logged:
        logged.add(str(error))
        log.error("%s", error)


def site_url() -> str:
    """Base URL of the indexed site: the setting, else the ``url`` of its ``_config.yml``."""
    configured = current_app.config.get("SITE_URL")
    url = configured if configured is not None else get_engine().generation().manifest.get("site_url")
    return safe_base_url(str(url or ""))
