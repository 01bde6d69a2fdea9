"""JSON API: ``/api/search``, ``/api/similar``, ``/api/suggest`` (documented in openapi.yaml).

Searches and similar-projects requests go to the query log (:mod:`.recording`); suggestions,
asked at each key a visitor types, do not.
"""

import time
from dataclasses import asdict

from flask import Blueprint, current_app, jsonify, request

from indexer.errors import N_, BadQuery
from indexer.search.serialize import card_fields, search_json
from indexer.urls import site_path

from .engine import get_engine, site_url
from .params import search_request
from .recording import record_search, record_similar

blueprint = Blueprint("api", __name__, url_prefix="/api")


@blueprint.get("/search")
def search():
    started = time.perf_counter()
    engine = get_engine()
    result = engine.search(search_request(request.args, engine.settings().labels))
    record_search(result, "api", started)
    return jsonify(search_json(result, site_url()))


@blueprint.route("/similar", methods=["GET", "POST"])
def similar():
    """``GET ?path=`` for an indexed page, ``POST {"text": …}`` for a pasted description."""
    path, text = None, None
    if request.method == "POST":
        body = _json_body()
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            raise BadQuery(N_('envoyez un objet JSON de la forme {"text": "…"}'))
        text = body["text"]
        limit = current_app.config["SIMILAR_TEXT_MAX_CHARS"]
        if len(text) > limit:
            raise BadQuery(N_("texte trop long : %(limit)s caractères au plus"), limit=limit)
    else:
        path = request.args.get("path", "")
    engine = get_engine()
    base = site_url()
    started = time.perf_counter()
    hits = engine.similar(path=path, text=text)
    articles = engine.similar(path=path, text=text, kinds=engine.settings().related, limit=5)
    record_similar(path, len(hits), "api", started)
    return jsonify({"hits": [_similar_hit(hit, base) for hit in hits],
                    "articles": [_similar_hit(hit, base) for hit in articles]})


@blueprint.get("/suggest")
def suggest():
    base = site_url()
    suggestions = [{**item, "url": base + site_path(item["url"])} if "url" in item else item
                   for item in get_engine().suggest(request.args.get("q", ""))]
    return jsonify({"suggestions": suggestions})


def _json_body():
    """The request's JSON, or None when it is not JSON. A body nested deeper than the parser
    goes is not JSON either: it raises RecursionError, which ``silent`` does not cover."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None


def _similar_hit(hit, base: str) -> dict:
    data = asdict(hit)
    data.pop("docnum")
    data.pop("year_only")
    data["url"] = base + site_path(hit.url)
    return {**data, **card_fields(hit, base)}
