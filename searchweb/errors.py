"""The one error boundary of the web app: every failure becomes a page or JSON with a message.

A bad parameter is a 400 that says what to fix; a missing index a 503 that says how to build
one; an unexpected failure a 500 page that leaks nothing. API paths answer in JSON.
"""

import logging

from flask import jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.errors import (
    BadQuery,
    IndexDamaged,
    IndexMissing,
    IndexOutdated,
    SearchTimeout,
)

from .engine import log_damage
from .params import MAX_QUERY_STRING

log = logging.getLogger(__name__)

MESSAGES = {
    400: "La demande n'a pas pu être comprise.",
    404: "Cette page n'existe pas.",
    405: "Cette adresse ne s'utilise pas ainsi.",
    413: "Le texte envoyé est trop long.",
    414: "L'adresse demandée est trop longue : raccourcissez la recherche.",
    500: "Une erreur inattendue s'est produite. Réessayez dans un instant.",
    503: "La recherche n'est pas disponible pour le moment.",
}
#: What visitors and monitors (/api/health) read of a damaged index; the folder goes to the log only.
DAMAGED = "L'index est endommagé : il doit être reconstruit (`eig-search index`)."


def error_response(status: int, message: str):
    if request.path.startswith("/api/"):
        return jsonify({"error": {"status": status, "message": message}}), status
    return render_template("error.html", status=status, message=message), status


def init_app(app) -> None:
    @app.errorhandler(BadQuery)
    def bad_query(error):
        return error_response(400, str(error))

    @app.errorhandler(IndexMissing)
    @app.errorhandler(IndexOutdated)
    def no_index(error):
        log.error("index unavailable: %s", error)
        return error_response(503, MESSAGES[503] + " L'index est en cours de construction.")

    @app.errorhandler(IndexDamaged)
    def damaged_index(error):
        log_damage(error)  # the message, with the folder, goes to the log only
        return error_response(503, f"{MESSAGES[503]} {DAMAGED}")

    @app.errorhandler(SearchTimeout)
    def too_slow(error):
        return error_response(503, f"{MESSAGES[503]} {str(error).capitalize()}.")

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = make_response(error_response(error.code, MESSAGES.get(error.code, error.description)))
        # The headers the error defines (a 405's ``Allow``), not its HTML content type.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected(error):
        log.exception("unexpected error on %s", request.path)
        return error_response(500, MESSAGES[500])

    @app.before_request
    def refuse_long_urls():
        if len(request.query_string) > MAX_QUERY_STRING:
            return error_response(414, MESSAGES[414])
        return None

    @app.before_request
    def refuse_long_streamed_bodies():
        """A chunked body has no length to check before reading it: Werkzeug reads it up to
        ``MAX_CONTENT_LENGTH`` and stops there, so a view would get it cut. Read it here (kept for
        the view) and refuse one that reaches the limit."""
        if request.content_length is None and "Transfer-Encoding" in request.headers:
            if len(request.get_data()) >= app.config["MAX_CONTENT_LENGTH"]:
                return error_response(413, MESSAGES[413])
        return None
