"""What lets other pages use this search: the OpenSearch description and the search box widget.

``/opensearch.xml`` lets browsers add the site's search to their address bar (every page links
it); ``/widget.js`` and ``/widget.css`` turn the plain search form pasted into the static site's
layout into a search-as-you-type box (docs/integration.md). The widget's URLs are stable, since
sites embed them: they are cached for an hour, not for a year like fingerprinted static files.
"""

from xml.etree import ElementTree

from flask import Blueprint, Response, current_app, jsonify, request, send_from_directory, url_for
from flask_babel import gettext

from .engine import get_engine
from .formatting import search_scope
from .i18n import page_language

blueprint = Blueprint("integration", __name__)

OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
OPENSEARCH_TYPE = "application/opensearchdescription+xml"
SUGGESTIONS_TYPE = "application/x-suggestions+json"
#: Seconds browsers and proxies may keep the widget's files.
WIDGET_MAX_AGE = 3600


@blueprint.get("/opensearch.xml")
def opensearch():
    """The OpenSearch 1.1 description, its URLs on the host the request came to, in the visitor's
    language."""
    root = ElementTree.Element("OpenSearchDescription", xmlns=OPENSEARCH_NS)
    name = current_app.config["SHORT_NAME"]
    for tag, text in (("ShortName", name[:16]),
                      ("Description", gettext("Rechercher dans %(scope)s du site %(site)s",
                                              scope=search_scope(get_engine().settings()),
                                              site=current_app.config["SITE_NAME"])),
                      ("InputEncoding", "UTF-8"), ("Language", page_language())):
        ElementTree.SubElement(root, tag).text = text
    image = ElementTree.SubElement(root, "Image", width="16", height="16", type="image/svg+xml")
    image.text = url_for("static", filename="favicon.svg", _external=True)
    for kind, endpoint in (("text/html", "pages.search"), (SUGGESTIONS_TYPE, "integration.suggestions")):
        ElementTree.SubElement(root, "Url", type=kind, method="get",
                               template=url_for(endpoint, _external=True, lang=None) + "?q={searchTerms}")
    ElementTree.SubElement(root, "Url", type=OPENSEARCH_TYPE, rel="self", template=request.base_url)
    xml = ElementTree.tostring(root, encoding="unicode", xml_declaration=True)
    return Response(xml, content_type=f"{OPENSEARCH_TYPE}; charset=utf-8")


@blueprint.get("/opensearch/suggestions")
def suggestions():
    """Suggestions in the OpenSearch format browsers ask for: ``[typed, [completions]]``."""
    typed = request.args.get("q", "")
    response = jsonify([typed, [item["value"] for item in get_engine().suggest(typed)]])
    response.content_type = SUGGESTIONS_TYPE
    return response


@blueprint.get("/widget.js")
def widget_script():
    return _widget_file("widget.js", "text/javascript")


@blueprint.get("/widget.css")
def widget_style():
    return _widget_file("widget.css", "text/css")


def _widget_file(name: str, mimetype: str):
    return send_from_directory(current_app.static_folder, name, mimetype=mimetype, max_age=WIDGET_MAX_AGE)
