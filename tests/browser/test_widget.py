"""The search box on the static site, in Chromium: a page of another local origin (with a strict
CSP of its own) holds the snippet of docs/integration.md and includes /widget.js from the
search server; with CORS set for that origin it suggests, without it the plain form remains."""

import html
import json
import re
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from searchweb.formatting import kind_label

from ..test_integration import SEARCH_HOST, documented_snippet
from .conftest import PHONE
from .support import Server, require_chromium
from .test_accessibility import describe, run_axe

require_chromium()

HOME = "/"
HOME_WITHOUT_CORS = "/sans-cors.html"
FIELD = "Rechercher sur le site"
LIST_ID = "recherche-site-suggestions"


class _SiteHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        path = urlsplit(self.path).path
        body, csp = self.server.pages.get(path) or (other_page(path), None)
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if csp:
            self.send_header("Content-Security-Policy", csp)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class StaticSite:
    """The programme's static site on its own port of 127.0.0.1 (so its own origin): the pages
    set in ``pages`` (path → (HTML, CSP)), and a plain page of the site at any other path."""

    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _SiteHandler)
        self.httpd.pages = {}
        self.pages = self.httpd.pages
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def other_page(path: str) -> str:
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Page du site</title></head>'
            f"<body><main><h1>Page du site : {html.escape(path)}</h1></main></body></html>")


def host_page(search: str) -> tuple[str, str]:
    """A page of the site with the documented snippet pointing at ``search``, and a CSP that
    lets in the search server and nothing inline."""
    snippet = documented_snippet().replace(SEARCH_HOST, search)
    page = f"""<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Accueil — site d'essai</title></head>
<body>
<header><p>Site statique d'essai</p>
{snippet}</header>
<main><h1>Accueil</h1><p>Une page du site du programme, servie depuis une autre origine que le moteur.</p></main>
</body>
</html>"""
    csp = (f"default-src 'self'; script-src 'self' {search}; style-src 'self' {search}; connect-src {search}; "
           f"form-action {search}; img-src 'self'; base-uri 'none'; object-src 'none'")
    return page, csp


@pytest.fixture(scope="module")
def site():
    with StaticSite() as running:
        yield running


@pytest.fixture(scope="module")
def search(corpus_index, tmp_path_factory, site):
    """The search server, CORS set for the site, page URLs on the site."""
    env = {"EIG_SEARCH_CORS_ORIGINS": site.base_url, "EIG_SEARCH_SITE_URL": site.base_url}
    with Server(corpus_index, tmp_path_factory.mktemp("widget-cors"), env) as running:
        site.pages[HOME] = host_page(running.base_url)
        yield running


@pytest.fixture(scope="module")
def search_without_cors(corpus_index, tmp_path_factory, site):
    env = {"EIG_SEARCH_CORS_ORIGINS": "", "EIG_SEARCH_SITE_URL": site.base_url}
    with Server(corpus_index, tmp_path_factory.mktemp("widget-no-cors"), env) as running:
        site.pages[HOME_WITHOUT_CORS] = host_page(running.base_url)
        yield running


def api_suggestions(search, typed: str) -> list[dict]:
    with urllib.request.urlopen(f"{search.base_url}/api/suggest?q={quote(typed)}", timeout=10) as response:
        return json.load(response)["suggestions"]


def option_texts(suggestions: list[dict]) -> list[str]:
    """What each option shows: the value, and the kind of a page title."""
    return [item["value"] + (f" {kind_label(item['kind'])}" if item["type"] == "title" else "")
            for item in suggestions]


def open_site(open_page, site, path: str = HOME, **options):
    page, watch = open_page(base_url=site.base_url, **options)
    page.goto(path)
    return page, watch, page.get_by_role("combobox", name=FIELD)


def forgive(watch, expected) -> None:
    """Drop from the page's problems those the browser reports by design (checked by the caller);
    any other, a script error first, still fails the test."""
    watch.problems[:] = [problem for problem in watch.problems if not expected(problem)]


def test_keyboard_through_the_suggestions_to_a_page_of_the_site(open_page, site, search):
    expected = api_suggestions(search, "carto")
    assert expected[0] | {"summary": None} == {"type": "title", "value": "CartoBio", "kind": "défi",
                                               "url": site.base_url + "/defis/2019/cartobio.html", "summary": None}
    page, _watch, field = open_site(open_page, site)
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(field).to_have_attribute("aria-controls", LIST_ID)
    field.press_sequentially("carto", delay=30)
    listbox = page.get_by_role("listbox", name="Suggestions")
    options = listbox.get_by_role("option")
    expect(listbox).to_be_visible()
    expect(options).to_have_text(option_texts(expected))
    expect(field).to_have_attribute("aria-expanded", "true")
    expect(listbox).to_have_css("position", "absolute")  # widget.css is in, despite the site's CSP
    expect(options.first).to_have_css("padding-left", "16px")
    expect(page.get_by_role("status")).to_have_text(
        f"{len(expected)} suggestions : flèches haut et bas pour parcourir, Entrée pour choisir.")

    field.press("ArrowUp")  # from the field, up wraps to the last option
    expect(options.last).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", f"{LIST_ID}-{len(expected) - 1}")
    field.press("ArrowDown")  # and down wraps to the first
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(options.last).to_have_attribute("aria-selected", "false")
    expect(field).to_have_attribute("aria-activedescendant", f"{LIST_ID}-0")
    field.press("Escape")
    expect(listbox).to_be_hidden()
    expect(field).to_have_attribute("aria-expanded", "false")
    assert field.get_attribute("aria-activedescendant") is None
    expect(field).to_have_value("carto")

    field.press("ArrowDown")  # opens the list again, on the first option
    expect(options.first).to_have_attribute("aria-selected", "true")
    field.press("Enter")
    expect(page).to_have_url(site.base_url + "/defis/2019/cartobio.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page du site : /defis/2019/cartobio.html")


def test_a_chosen_word_is_searched_on_the_search_server(open_page, site, search):
    expected = api_suggestions(search, "carto")
    index, word = next((i, item["value"]) for i, item in enumerate(expected) if item["type"] == "term")
    page, _watch, field = open_site(open_page, site)
    field.press_sequentially("carto", delay=30)
    expect(page.get_by_role("listbox", name="Suggestions").get_by_role("option")).to_have_text(option_texts(expected))
    for _ in range(index + 1):
        field.press("ArrowDown")
    field.press("Enter")
    expect(page).to_have_url(f"{search.base_url}/recherche?q={quote(word)}")
    expect(page.get_by_role("combobox", name="Mots recherchés")).to_have_value(word)
    expect(page.locator("#results-title")).to_contain_text(f"pour « {word} »")


def test_a_click_on_a_title_opens_its_page(open_page, site, search):
    second = api_suggestions(search, "carto")[1]
    assert second["type"] == "title"
    page, _watch, field = open_site(open_page, site)
    field.press_sequentially("carto", delay=30)
    page.get_by_role("option", name=second["value"]).click()
    expect(page).to_have_url(second["url"])


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_no_axe_violation_with_the_suggestions_open(open_page, site, search, viewport):
    page, watch, field = open_site(open_page, site, **({"viewport": viewport} if viewport else {}))
    field.press_sequentially("carto", delay=30)
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_visible()
    field.press("ArrowDown")
    expect(page.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    violations = run_axe(page, site.base_url)
    assert not violations, describe(violations)
    # axe reads each stylesheet again by XHR (its preload), which the browser refuses for
    # widget.css: like everything but the two API routes it has no CORS header. The page loads
    # it as a stylesheet, which needs none (see the computed styles checked above).
    forgive(watch, lambda problem: "/widget.css" in problem or "Couldn't load preload assets" in problem)


def test_without_cors_the_form_works_with_no_suggestion_and_no_script_error(open_page, site, search_without_cors):
    page, watch, field = open_site(open_page, site, HOME_WITHOUT_CORS)
    suggest_url = f"{search_without_cors.base_url}/api/suggest?q="
    asked = []
    page.on("request", lambda request: asked.append(request.url) if request.url.startswith(suggest_url) else None)
    with page.expect_event("requestfailed", lambda request: request.url.startswith(suggest_url)):
        field.press_sequentially("carto", delay=30)
    field.press_sequentially("graphie", delay=30)
    page.wait_for_timeout(500)  # longer than the widget waits before asking
    assert len(asked) == 1, asked  # refused once: the widget asks no more
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("listbox", include_hidden=True)).to_be_hidden()

    field.press("Enter")
    expect(page).to_have_url(f"{search_without_cors.base_url}/recherche?q=cartographie")
    expect(page.locator("#results-title")).to_contain_text("pour « cartographie »")
    # The browser reports the refused request itself; anything else (a script error) fails the test.
    assert [problem for problem in watch.problems if asked[0] in problem]
    forgive(watch, lambda problem: asked[0] in problem)
