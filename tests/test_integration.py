"""What other pages use: CORS on two API routes, the OpenSearch description, the widget's files
and the documented form snippet (docs/integration.md), through the Flask test client."""

import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest

from searchweb.fingerprints import static_fingerprint
from searchweb.security import CONTENT_SECURITY_POLICY

from .conftest import PROJECT

SITE = "https://eig.exemple.gouv.fr"
OTHER = "https://ailleurs.exemple.org"
SEARCH_HOST = "https://recherche.exemple.gouv.fr"
CORS_ROUTES = ["/api/search?q=orgues", "/api/suggest?q=carto"]
OTHER_ROUTES = ["/", "/recherche?q=orgues", "/api/similar?path=_defis/2019-01-01-cartobio.md", "/similaires",
                "/opensearch.xml", "/opensearch/suggestions?q=carto", "/widget.js"]
OS = "{http://a9.com/-/spec/opensearch/1.1/}"
INTEGRATION_DOC = PROJECT / "docs" / "integration.md"
STATIC = PROJECT / "searchweb" / "static"


@pytest.fixture(scope="module")
def cors_app(corpus_index):
    from searchweb import create_app
    from searchweb.engine import EXTENSION

    app = create_app({"INDEX_DIR": str(corpus_index), "TESTING": True, "CORS_ORIGINS": f"{SITE}, http://localhost:4000"})
    yield app
    app.extensions[EXTENSION].close()


@pytest.fixture
def client(make_app, corpus_index):
    return make_app({"INDEX_DIR": str(corpus_index), "TESTING": True}).test_client()


def get(client, route: str, **kwargs):
    """The whole response, its file (the widget's) closed."""
    response = client.get(route, **kwargs)
    response.get_data()
    response.close()
    return response


def cors_headers(response) -> dict:
    return {name: value for name, value in response.headers.items() if name.startswith("Access-Control-")}


# --- CORS ---

@pytest.mark.parametrize("route", CORS_ROUTES + OTHER_ROUTES)
def test_cors_is_off_by_default(client, route):
    response = get(client, route, headers={"Origin": SITE})
    assert response.status_code == 200
    assert cors_headers(response) == {}
    assert "Origin" not in response.vary


@pytest.mark.parametrize("route", CORS_ROUTES)
def test_an_allowed_origin_may_read_search_and_suggest(cors_app, route):
    response = cors_app.test_client().get(route, headers={"Origin": SITE})
    assert response.status_code == 200
    assert cors_headers(response) == {"Access-Control-Allow-Origin": SITE}
    assert response.headers["Vary"] == "Accept-Language, Accept-Encoding, Origin"  # errors speak the visitor's language


@pytest.mark.parametrize("route", CORS_ROUTES)
@pytest.mark.parametrize("origin", [OTHER, "null", SITE + ".evil.org", "http://eig.exemple.gouv.fr", None])
def test_another_origin_gets_no_cors_header_but_the_answer_varies_by_origin(cors_app, route, origin):
    response = cors_app.test_client().get(route, headers={"Origin": origin} if origin else {})
    assert response.status_code == 200
    assert cors_headers(response) == {}
    assert response.headers["Vary"] == "Accept-Language, Accept-Encoding, Origin"  # a cache must not give this answer to the allowed origin


@pytest.mark.parametrize("route", OTHER_ROUTES)
def test_other_routes_get_no_cors_header_even_for_an_allowed_origin(cors_app, route):
    response = get(cors_app.test_client(), route, headers={"Origin": SITE})
    assert response.status_code == 200
    assert cors_headers(response) == {}
    assert "Origin" not in response.vary


@pytest.mark.parametrize("route", CORS_ROUTES)
def test_preflight_from_an_allowed_origin(cors_app, route):
    response = cors_app.test_client().options(route, headers={
        "Origin": "http://localhost:4000", "Access-Control-Request-Method": "GET"})
    assert response.status_code == 200
    assert cors_headers(response) == {"Access-Control-Allow-Origin": "http://localhost:4000",
                                      "Access-Control-Allow-Methods": "GET, HEAD",
                                      "Access-Control-Max-Age": "7200"}


@pytest.mark.parametrize("origin, path", [(OTHER, "/api/suggest"), (OTHER, "/api/search"),
                                          (SITE, "/api/similar"), (SITE, "/recherche")])
def test_preflight_from_another_origin_or_to_another_route_gets_no_cors_header(cors_app, origin, path):
    response = cors_app.test_client().options(path, headers={"Origin": origin, "Access-Control-Request-Method": "GET"})
    assert response.status_code == 200
    assert cors_headers(response) == {}


def test_an_error_of_the_api_is_readable_by_an_allowed_origin(cors_app):
    response = cors_app.test_client().get("/api/search?q=orgues&page=0", headers={"Origin": SITE})
    assert response.status_code == 400
    assert response.get_json() == {"error": {"status": 400, "message": "le numéro de page commence à 1"}}
    assert cors_headers(response) == {"Access-Control-Allow-Origin": SITE}


def test_cors_keeps_the_strict_content_security_policy(cors_app):
    response = cors_app.test_client().get("/api/suggest?q=carto", headers={"Origin": SITE})
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "connect-src 'self'" in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "*" not in CONTENT_SECURITY_POLICY


def test_origins_come_from_the_environment_as_browsers_write_them(make_app, corpus_index, monkeypatch):
    monkeypatch.setenv("EIG_SEARCH_CORS_ORIGINS", " HTTPS://EIG.exemple.gouv.fr/ ,, http://[::1]:4000")
    app = make_app({"INDEX_DIR": str(corpus_index)})
    assert app.config["CORS_ORIGINS"] == frozenset({SITE, "http://[::1]:4000"})
    response = app.test_client().get("/api/suggest?q=carto", headers={"Origin": SITE})
    assert cors_headers(response) == {"Access-Control-Allow-Origin": SITE}


@pytest.mark.parametrize("setting", ["*", "eig.exemple.gouv.fr", "https://eig.exemple.gouv.fr/recherche",
                                     "javascript:alert(1)", "https://eig.exemple.gouv.fr\nX-Evil: 1"])
def test_a_setting_that_is_not_an_origin_stops_the_app_with_a_message(corpus_index, setting):
    from searchweb import create_app

    with pytest.raises(ValueError) as raised:
        create_app({"INDEX_DIR": str(corpus_index), "CORS_ORIGINS": f"{SITE},{setting}"})
    assert str(raised.value) == (f"réglage CORS_ORIGINS (EIG_SEARCH_CORS_ORIGINS) : « {setting.strip()} » "
                                 "n'est pas une origine de la forme https://hôte ou https://hôte:port")


# --- OpenSearch ---

def test_opensearch_description_points_at_this_server(client):
    response = client.get("/opensearch.xml", base_url=SEARCH_HOST)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/opensearchdescription+xml; charset=utf-8"
    root = ElementTree.fromstring(response.data)
    assert root.tag == OS + "OpenSearchDescription"
    assert [(child.tag.removeprefix(OS), child.text) for child in root if child.text] == [
        ("ShortName", "Recherche EIG"),
        ("Description", "Rechercher dans les défis et les articles du site Entrepreneurs d'intérêt général"),
        ("InputEncoding", "UTF-8"),
        ("Language", "fr"),
        ("Image", f"{SEARCH_HOST}/static/favicon.svg?v={static_fingerprint(str(STATIC), 'favicon.svg')}"),
    ]
    assert [url.attrib for url in root.iter(OS + "Url")] == [
        {"type": "text/html", "method": "get", "template": f"{SEARCH_HOST}/recherche?q={{searchTerms}}"},
        {"type": "application/x-suggestions+json", "method": "get",
         "template": f"{SEARCH_HOST}/opensearch/suggestions?q={{searchTerms}}"},
        {"type": "application/opensearchdescription+xml", "rel": "self", "template": f"{SEARCH_HOST}/opensearch.xml"},
    ]


def test_opensearch_urls_answer_a_search_and_suggestions(client):
    root = ElementTree.fromstring(client.get("/opensearch.xml").data)
    templates = {url.get("type"): url.get("template") for url in root.iter(OS + "Url")}
    page = client.get(templates["text/html"].replace("{searchTerms}", "orgues"))
    assert page.status_code == 200 and "4 résultats" in page.get_data(as_text=True)
    suggestions = client.get(templates["application/x-suggestions+json"].replace("{searchTerms}", "carto"))
    assert suggestions.headers["Content-Type"] == "application/x-suggestions+json"
    expected = [item["value"] for item in client.get("/api/suggest?q=carto").get_json()["suggestions"]]
    assert suggestions.get_json() == ["carto", expected]
    assert expected[:3] == ["CartoBio", "CartoBio : dessiner la carte des parcelles cultivées en bio", "Atlas Culture"]


def test_opensearch_name_is_escaped(make_app, corpus_index):
    client = make_app({"INDEX_DIR": str(corpus_index), "SHORT_NAME": 'R&D <"x">'}).test_client()
    assert ElementTree.fromstring(client.get("/opensearch.xml").data).findtext(OS + "ShortName") == 'R&D <"x">'
    assert 'title="R&amp;D &lt;&#34;x&#34;&gt;"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("path, status", [("/", 200), ("/recherche?q=orgues", 200), ("/recherche?page=0", 400),
                                          ("/similaires", 200), ("/cette-page-n-existe-pas", 404)])
def test_every_page_links_the_opensearch_description(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert ('<link rel="search" type="application/opensearchdescription+xml" title="Recherche EIG" '
            'href="/opensearch.xml">') in response.get_data(as_text=True)


# --- The widget's files and the documented snippet ---

@pytest.mark.parametrize("name, content_type", [("widget.js", "text/javascript; charset=utf-8"),
                                                ("widget.css", "text/css; charset=utf-8")])
def test_widget_files_are_served_at_stable_urls(client, name, content_type):
    response = get(client, "/" + name)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert response.data == (PROJECT / "searchweb" / "static" / name).read_bytes()


def test_widget_script_calls_only_its_own_origin():
    script = (PROJECT / "searchweb" / "static" / "widget.js").read_text("utf-8")
    assert "document.currentScript" in script
    assert re.findall(r"fetch\(([^,]+),", script) == ['ORIGIN + "/api/suggest?q=" + encodeURIComponent(typed)']
    assert re.findall(r"https?://", script) == []
    assert "innerHTML" not in script and ".style" not in script  # text only, no inline style


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def documented_snippet() -> str:
    """The HTML snippet of docs/integration.md that a site pastes into its layout."""
    blocks = re.findall(r"```html\n(.*?)```", INTEGRATION_DOC.read_text("utf-8"), re.S)
    return next(block for block in blocks if "data-eig-search" in block)


def test_documented_snippet_is_a_labelled_get_form_to_the_search_page():
    parser = _Elements()
    parser.feed(documented_snippet())
    tags = dict(parser.elements)  # one element of each tag
    assert [tag for tag, _attrs in parser.elements] == ["form", "div", "label", "input", "button", "script"]
    assert tags["form"] == {"role": "search", "method": "get", "action": f"{SEARCH_HOST}/recherche",
                            "data-eig-search": None}
    assert tags["label"]["for"] == tags["input"]["id"]
    assert tags["input"]["name"] == "q" and tags["input"]["type"] == "search"
    assert tags["button"]["type"] == "submit"
    assert tags["script"] == {"src": f"{SEARCH_HOST}/widget.js", "defer": None}


def test_readme_links_the_integration_guide_and_lists_the_settings():
    readme = (PROJECT / "README.md").read_text("utf-8")
    assert "(docs/integration.md)" in readme
    assert "| `CORS_ORIGINS` | `EIG_SEARCH_CORS_ORIGINS` |" in readme
    assert "| `SHORT_NAME` | `EIG_SEARCH_SHORT_NAME` |" in readme
