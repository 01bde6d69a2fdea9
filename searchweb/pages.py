"""Server-rendered pages: search (``/``, ``/recherche``) and similar projects (``/similaires``).

Every state of the search page is in its URL (GET forms), so any result page can be shared and
everything works without JavaScript; the script in ``static/`` only makes it quicker.
"""

import time

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext

from indexer.errors import BadQuery
from indexer.search.querylang import MAX_TERMS, clean

from .engine import get_engine, site_url
from .i18n import translated
from .labels import translated_labels
from .params import query_was_cut, search_request, url_params
from .recording import record_search, record_similar
from .results_view import results_view

blueprint = Blueprint("pages", __name__)

SIMILAR_LIMIT = 8
RELATED_ARTICLES = 5


@blueprint.get("/")
@blueprint.get("/recherche")
def search():
    engine = get_engine()
    started = time.perf_counter()
    try:
        search_req = search_request(request.args, engine.settings().labels)
        result = engine.search(search_req)
    except BadQuery as error:
        return render_template("search.html", error=translated(error), result=None, request_=None,
                               typed=clean(request.args.get("q", "")), **_page_globals()), 400
    record_search(result, "page", started)
    return render_template("search.html", result=result, request_=search_req, error=None,
                           query_cut=query_was_cut(search_req.q), **_page_globals(),
                           **results_view(request.args, search_req, engine.settings().shown))


@blueprint.route("/similaires", methods=["GET", "POST"])
def similar():
    """The projects (défis on the programme's site) closest to an indexed page (``?path=``) or to
    a pasted description (POST), and related reading."""
    engine = get_engine()
    path = request.args.get("path", "").strip()
    text = request.form.get("text", "") if request.method == "POST" else ""
    limit = current_app.config["SIMILAR_TEXT_MAX_CHARS"]
    context = {"path": path, "text": text, "projects": None, "articles": None, "source": None, "error": None}
    status = 200
    if len(text) > limit:
        context["error"], status = gettext("Le texte est trop long : %(limit)s caractères au plus.", limit=limit), 400
    elif path or text.strip():
        started = time.perf_counter()
        try:
            if path:
                context["source"] = engine.document(path)
            context["projects"] = engine.similar(path=path or None, text=text or None, limit=SIMILAR_LIMIT)
            context["articles"] = engine.similar(path=path or None, text=text or None,
                                                 kinds=engine.settings().related, limit=RELATED_ARTICLES)
            record_similar(path, len(context["projects"]), "page", started)
        except BadQuery as error:
            context["error"], status = translated(error), 400 if text else 404
    elif request.method == "POST":
        context["error"], status = gettext("Collez la description du projet à comparer."), 400
    return render_template("similar.html", **context, **_page_globals()), status


def _page_globals() -> dict:
    """What every page shows of the index's search settings (its facets, kinds and projects), the
    programme's default labels in the visitor's language."""
    settings = get_engine().settings()
    return {"settings": settings, "facet_labels": translated_labels(settings.labels),
            "shown_facets": translated_labels(settings.shown),
            "url_params": url_params, "site_url": site_url(), "max_terms": MAX_TERMS}
