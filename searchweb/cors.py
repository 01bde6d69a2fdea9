"""Cross-origin reads of the search API by the programme's own site (the search box widget).

Off unless ``CORS_ORIGINS`` lists origins. Then only ``/api/search`` and ``/api/suggest`` answer
an allowed ``Origin`` with ``Access-Control-Allow-Origin`` (that origin, never ``*``, never
credentials); any other origin or route gets no CORS header. These responses carry
``Vary: Origin`` whatever the request, since the header depends on it: a cache must not hand the
answer given to one origin (or to none) to another.

A hook rather than flask-cors: flask-cors 6 can be limited to two routes, but by default it sends
the allowed origins to requests without ``Origin``, lists every method in a preflight, adds
``Vary: Origin`` only with two origins or more, and rewraps the app's exception handlers.
"""

import re

from flask import Flask, current_app, request

#: The endpoints other sites may read (GET, HEAD, and the preflight OPTIONS Flask adds).
CORS_ENDPOINTS = frozenset({"api.search", "api.suggest"})
#: How long a browser may keep a preflight answer (Chromium keeps it two hours at most).
PREFLIGHT_MAX_AGE = 7200
ORIGIN_RE = re.compile(r"https?://[a-z0-9.\-]+(:[0-9]{1,5})?|https?://\[[0-9a-f:.]+\](:[0-9]{1,5})?")


def parse_origins(setting) -> frozenset[str]:
    """The origins of the setting (a comma-separated string or a list), as browsers send them
    (lower case, no final slash); :class:`ValueError` naming one that is not an origin."""
    items = setting.split(",") if isinstance(setting, str) else list(setting or ())
    origins = set()
    for item in items:
        origin = str(item).strip().rstrip("/").lower()
        if not origin:
            continue
        if not ORIGIN_RE.fullmatch(origin):
            raise ValueError(f"réglage CORS_ORIGINS (EIG_SEARCH_CORS_ORIGINS) : « {item.strip()} » n'est pas "
                             "une origine de la forme https://hôte ou https://hôte:port")
        origins.add(origin)
    return frozenset(origins)


def add_cors_headers(response):
    origins = current_app.config["CORS_ORIGINS"]
    if not origins or request.endpoint not in CORS_ENDPOINTS:
        return response
    response.vary.add("Origin")
    origin = request.headers.get("Origin", "")
    if origin.lower() not in origins:
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD"
        response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response


def init_app(app: Flask) -> None:
    app.config["CORS_ORIGINS"] = parse_origins(app.config.get("CORS_ORIGINS"))
    app.after_request(add_cors_headers)
