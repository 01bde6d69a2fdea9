"""The English interface in Chromium: every kind of page in English, at desktop and phone width,
with JavaScript on and off, without an axe violation; the browser's language; the language switch
there and back; a search from an English page staying English; the widget on the site's English
pages."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE
from .support import HOME, MISSING, NO_RESULT, RESULTS, SIMILAR, SIMILAR_FORM, Server, require_chromium
from .test_accessibility import describe, run_axe
from .test_widget import FIELD, StaticSite, host_page

require_chromium()

PAGES = {
    "home": (HOME + "?lang=en", 200),
    "results-with-facets-and-chips": (RESULTS + "&lang=en", 200),
    "zero-results-with-suggestion": (NO_RESULT + "&lang=en", 200),
    "similar-with-results": (SIMILAR + "&lang=en", 200),
    "similar-form": (SIMILAR_FORM + "?lang=en", 200),
    "error-404": (MISSING + "?lang=en", 404),
}
ENGLISH_HOME = "/en/"


#: The page as a browser without JavaScript gets it, for axe (which needs scripts to run): the
#: app's scripts answered empty, ``<noscript>`` content put in place.
NO_SCRIPT_DOM = "() => document.querySelectorAll('noscript').forEach(n => { n.outerHTML = n.textContent; })"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", PAGES)
def test_english_pages_have_no_axe_violation(open_page, server, name, viewport, javascript):
    path, status = PAGES[name]
    page, watch = open_page(viewport=viewport)
    watch.expect_status(server.base_url + path, status)
    if not javascript:
        page.route(re.compile(r"/static/.*\.js(\?|$)"), lambda route: route.fulfill(body="", content_type="text/javascript"))
    assert page.goto(path).status == status
    if not javascript:
        page.evaluate(NO_SCRIPT_DOM)
        page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    if page.locator("#facets-panel").count():
        page.locator("#facets-panel").evaluate("panel => { panel.open = true; }")  # closed on a phone
    violations = run_axe(page, server.base_url)
    assert not violations, describe(violations)


@pytest.mark.parametrize("name", PAGES)
def test_english_pages_without_javascript(open_page, server, name):
    path, status = PAGES[name]
    page, watch = open_page(java_script_enabled=False)
    watch.expect_status(server.base_url + path, status)
    assert page.goto(path).status == status
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Français").first).to_have_attribute("href", re.compile(r"lang=fr"))


def test_an_english_browser_gets_the_english_interface(open_page):
    page, _watch = open_page(locale="en-US")
    page.goto(RESULTS)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Search", exact=True)).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_language_switch_goes_to_english_and_back(open_page, viewport, javascript):
    page, _watch = open_page(viewport=viewport, java_script_enabled=javascript)
    page.goto(RESULTS)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    if viewport == PHONE and javascript:
        page.get_by_role("button", name="Menu").click()  # the DSFR header's links sit in its menu on phones
    page.get_by_role("link", name="English").first.click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees&kind=d%C3%A9fi&year=2019&lang=en$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Search")
    if viewport == PHONE and javascript:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Français").first.click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees&kind=d%C3%A9fi&year=2019&lang=fr$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rechercher")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_searching_from_an_english_page_stays_in_english(open_page, javascript):
    page, _watch = open_page(java_script_enabled=javascript)
    page.goto("/?lang=en")
    page.get_by_label("Search terms").fill("orgues")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]q=orgues\b.*lang=en|lang=en.*[?&]q=orgues\b"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Inventaire des orgues", exact=True)).to_be_visible()  # the site's title, in French
    expect(page.locator("main")).to_contain_text(re.compile(r"\b\d+ results?\b"))


# --- The widget on the site's English pages ---

@pytest.fixture(scope="module")
def english_site(corpus_index, tmp_path_factory):
    """A page of the static site in English holding the documented snippet, and the search server
    (CORS set for the site)."""
    with StaticSite() as site:
        env = {"EIG_SEARCH_CORS_ORIGINS": site.base_url, "EIG_SEARCH_SITE_URL": site.base_url}
        with Server(corpus_index, tmp_path_factory.mktemp("widget-english"), env) as search:
            html, csp = host_page(search.base_url)
            site.pages[ENGLISH_HOME] = (html.replace('<html lang="fr">', '<html lang="en">'), csp)
            yield site, search


def test_the_widget_speaks_english_and_opens_the_english_results(open_page, english_site):
    site, search = english_site
    page, _watch = open_page(base_url=site.base_url)
    page.goto(ENGLISH_HOME)
    field = page.get_by_role("combobox", name=FIELD)
    field.press_sequentially("carto", delay=30)
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        re.compile(r"^\d+ suggestions: up and down arrows to browse, Enter to choose\.$"))
    field.press("Escape")
    field.press("Enter")
    expect(page).to_have_url(f"{search.base_url}/recherche?q=carto&lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text(re.compile(r"\b\d+ results?\b"))


def test_a_chosen_filter_suggestion_keeps_the_english_interface(open_page):
    page, _watch = open_page()
    page.goto("/?lang=en")
    field = page.get_by_role("combobox", name="Search terms")
    field.press_sequentially("agri", delay=30)
    option = page.get_by_role("option", name=re.compile(r"^Ministère de l’Agriculture"))
    expect(option).to_contain_text("Ministry")  # the facet, named in English
    option.click()
    expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name=re.compile(r"^Remove filter Ministry"))).to_be_visible()
