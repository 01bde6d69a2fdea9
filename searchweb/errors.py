"""The one error boundary of the web app: every failure becomes a page or JSON with a message.

A bad parameter is a 400 that says what to fix; a missing index a 503 that says how to build
one; an unexpected failure a 500 page that leaks nothing. API paths answer in JSON. Messages are
in the visitor's language (:mod:`.i18n`), pages and JSON alike.
"""

import logging

from flask import jsonify, make_response, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

from indexer.errors import (
    N_,
    BadQuery,
    IndexDamaged,
    IndexMissing,
    IndexOutdated,
    SearchTimeout,
)

from .engine import log_damage
from .i18n import translated
from .params import MAX_QUERY_STRING

log = logging.getLogger(__name__)

MESSAGES = {
    400: N_("La demande n'a pas pu être comprise."),
    404: N_("Cette page n'existe pas."),
    405: N_("Cette adresse ne s'utilise pas ainsi."),
    413: N_("Le texte envoyé est trop long."),
    414: N_("L'adresse demandée est trop longue : raccourcissez la recherche."),
    500: N_("Une erreur inattendue s'est produite. Réessayez dans un instant."),
    503: N_("La recherche n'est pas disponible pour le moment."),
}
#: What visitors and monitors (/api/health) read of a damaged index; the folder goes to the log only.
DAMAGED = N_("L'index est endommagé : il doit être reconstruit (`eig-search index`).")
BUILDING = N_("L'index est en cours de construction.")


def error_response(status: int, message: str):
    """``message`` already in the visitor's language."""
    if request.path.startswith("/api/"):
        return jsonify({"error": {"status": status, "message": message}}), status
    return render_template("error.html", status=status, message=message), status


def init_app(app) -> None:
    @app.errorhandler(BadQuery)
    def bad_query(error):
        return error_response(400, translated(error))

    @app.errorhandler(IndexMissing)
    @app.errorhandler(IndexOutdated)
    def no_index(error):
        log.error("index unavailable: %s", error)
        return error_response(503, f"{gettext(MESSAGES[503])} {gettext(BUILDING)}")

    @app.errorhandler(IndexDamaged)
    def damaged_index(error):
        log_damage(error)  # the message, with the folder, goes to the log only
        return error_response(503, f"{gettext(MESSAGES[503])} {gettext(DAMAGED)}")

    @app.errorhandler(SearchTimeout)
    def too_slow(error):
        return error_response(503, f"{gettext(MESSAGES[503])} {translated(error).capitalize()}.")

    @app.errorhandler(HTTPException)
    def http_error(error):
        message = gettext(MESSAGES[error.code]) if error.code in MESSAGES else error.description
        response = make_response(error_response(error.code, message))
        # The headers the error defines (a 405's ``Allow``), not its HTML content type.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected(error):
        log.exception("unexpected error on %s", request.path)
        return error_response(500, gettext(MESSAGES[500]))

    @app.before_request
    def refuse_long_urls():
        if len(request.query_string) > MAX_QUERY_STRING:
            return error_response(414, gettext(MESSAGES[414]))
        return None

    @app.before_request
    def refuse_long_streamed_bodies():
        """A chunked body has no length to check before reading it: Werkzeug reads it up to
        ``MAX_CONTENT_LENGTH`` and stops there, so a view would get it cut. Read it here (kept for
        the view) and refuse one that reaches the limit."""
        if request.content_length is None and "Transfer-Encoding" in request.headers:
            if len(request.get_data()) >= app.config["MAX_CONTENT_LENGTH"]:
                return error_response(413, gettext(MESSAGES[413]))
        return None
