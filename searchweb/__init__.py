"""The web front end: faceted search pages, similar projects and a JSON API, built by a factory.

``create_app(config)`` takes explicit settings (tests pass a dict); the defaults come from
:data:`DEFAULTS`, then from ``EIG_SEARCH_*`` environment variables. Nothing is opened at import
time: the search engine is created with the app and opens the index on the first request.
"""

import os

from flask import Flask

from indexer.settings import default_index

DEFAULTS = {
    "INDEX_DIR": None,  # default: $EIG_SEARCH_INDEX or instance/index
    "SITE_URL": None,  # base URL put before page URLs; default: the site's `url` from its _config.yml
    "SITE_NAME": "Entrepreneurs d'intérêt général",
    "MAX_CONTENT_LENGTH": 64 * 1024,  # request bodies (the similar-projects text) are small
    "SIMILAR_TEXT_MAX_CHARS": 10_000,
    "RESULT_CACHE": 256,  # searches remembered per index generation (0: none)
    "JSON_AS_ASCII": False,
    "CORS_ORIGINS": "",  # origins (comma-separated) allowed to read /api/search and /api/suggest
    "SHORT_NAME": "Recherche EIG",  # the OpenSearch name browsers show (16 characters at most)
    "BEHIND_PROXY": False,  # trust X-Forwarded-Proto and -Host of one proxy (nginx): searchweb/proxy.py
    "QUERY_LOG": None,  # the query log file; default: queries.sqlite3 in the index folder; "off": none
    "QUERY_LOG_DAYS": None,  # days a recorded search is kept; default: querylog.database.RETENTION_DAYS (180)
    "STATE_SITE": False,  # the Marianne block and font, reserved for State websites: searchweb/brand.py
    "BRAND_LINES": "République|Française",  # the Marianne block's lines, "|" between them
    "SITE_TAGLINE": "",  # the line under the site's name in the header (default: translated)
}

ENVIRONMENT = {"INDEX_DIR": "EIG_SEARCH_INDEX", "SITE_URL": "EIG_SEARCH_SITE_URL",
               "SITE_NAME": "EIG_SEARCH_SITE_NAME", "RESULT_CACHE": "EIG_SEARCH_RESULT_CACHE",
               "CORS_ORIGINS": "EIG_SEARCH_CORS_ORIGINS", "SHORT_NAME": "EIG_SEARCH_SHORT_NAME",
               "BEHIND_PROXY": "EIG_SEARCH_BEHIND_PROXY", "QUERY_LOG": "EIG_SEARCH_QUERY_LOG",
               "QUERY_LOG_DAYS": "EIG_SEARCH_QUERY_LOG_DAYS", "STATE_SITE": "EIG_SEARCH_STATE_SITE",
               "BRAND_LINES": "EIG_SEARCH_BRAND_LINES", "SITE_TAGLINE": "EIG_SEARCH_SITE_TAGLINE"}


def create_app(config: dict | None = None) -> Flask:
    """Build the application; ``config`` overrides the defaults and the environment."""
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    for key, variable in ENVIRONMENT.items():
        if os.environ.get(variable):
            app.config[key] = os.environ[variable]
    app.config.update(config or {})
    app.config["INDEX_DIR"] = str(app.config["INDEX_DIR"] or default_index())

    from . import (api, brand, caching, cors, errors, fingerprints, health, i18n, integration, pages, proxy, recording,
                   security)
    from .engine import init_engine

    init_engine(app)
    i18n.init_app(app)
    brand.init_app(app)
    security.init_app(app)
    cors.init_app(app)
    errors.init_app(app)
    caching.init_app(app)
    fingerprints.init_app(app)
    proxy.init_app(app)
    recording.init_app(app)
    app.register_blueprint(health.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(api.blueprint)
    app.register_blueprint(integration.blueprint)
    from .formatting import init_app as init_formatting
    init_formatting(app)
    return app
