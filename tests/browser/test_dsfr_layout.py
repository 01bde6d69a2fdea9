"""The frame every page shares, built with the State's design system (DSFR), in Chromium: skip
links, header, navigation, language link and footer; the DSFR's files load under the app's CSP;
the Marianne block and font only on a State site (``STATE_SITE``), a neutral header otherwise,
the font files then never requested; a 390×844 phone, with and without JavaScript; axe.

Every test runs twice, on a server with ``STATE_SITE`` off (anyone's site) and one with it on
(the programme's): the module's ``server`` fixture replaces the session's.
"""

import re

import pytest
from playwright.sync_api import expect

from .support import MISSING, SIMILAR, SIMILAR_FORM, Server, require_chromium
from .test_accessibility import describe, run_axe

require_chromium()

PHONE = {"width": 390, "height": 844}
PAGES = {"similar": (SIMILAR, 200), "similar-form": (SIMILAR_FORM, 200), "error-404": (MISSING, 404),
         "similar-unknown-page": ("/similaires?path=_defis/inconnu.md", 404)}
FONT = re.compile(r"/static/dsfr/fonts/Marianne-[A-Za-z_]+\.woff2$")


@pytest.fixture(scope="module", params=["neutral", "state"])
def server(request, corpus_index, tmp_path_factory):
    env = {"EIG_SEARCH_STATE_SITE": "1" if request.param == "state" else "0"}
    with Server(corpus_index, tmp_path_factory.mktemp(f"dsfr-{request.param}"), env=env) as running:
        running.state_site = request.param == "state"
        yield running


def requests_of(page) -> list[str]:
    """Every URL the page asks for from now on (the list fills as it loads)."""
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def test_skip_link_header_navigation_and_footer(page, server):
    page.goto(SIMILAR)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    expect(skip).to_have_attribute("href", "#contenu")

    banner = page.get_by_role("banner")
    expect(banner.get_by_role("link", name=re.compile("Entrepreneurs d'intérêt général"))).to_have_attribute(
        "href", "/recherche")
    expect(banner.get_by_text("Moteur de recherche du site")).to_be_visible()
    nav = page.get_by_role("navigation", name="Menu principal")
    expect(nav.get_by_role("link")).to_have_text(["Recherche", "Projets similaires"])
    expect(nav.get_by_role("link", name="Projets similaires")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Recherche")).not_to_have_attribute("aria-current", "page")

    footer = page.get_by_role("contentinfo")
    expect(footer).to_contain_text("Syntaxe : des mots, des «\u00a0phrases entre guillemets\u00a0», -mot pour exclure")
    expect(footer.locator("code")).to_have_text(["-mot", "OR"])

    skip.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()


def test_language_link_switches_to_english_and_back(page, server):
    page.goto(SIMILAR)
    english = page.get_by_role("banner").get_by_role("link", name="English")
    expect(english).to_have_attribute("hreflang", "en")
    english.click()
    expect(page).to_have_url(re.compile(r"/similaires\?path=_defis(/|%2F)2019-01-01-cartobio\.md&lang=en$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("banner").get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_dsfr_files_load_and_its_script_runs(open_page, server):
    page, watch = open_page()
    urls = requests_of(page)
    page.goto(SIMILAR)
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("data-fr-js", "true")  # dsfr.module.min.js ran
    assert any(re.search(r"/static/dsfr/dsfr\.min\.css\?v=[0-9a-f]{12}$", url) for url in urls), urls
    assert not any("dsfr.nomodule" in url for url in urls)  # only for browsers without modules
    # a DSFR rule applied: the header's service title is the DSFR's, bold
    assert page.locator(".fr-header__service-title").evaluate("el => getComputedStyle(el).fontWeight") == "700"
    watch.check()  # no failed request (an icon or font the CSS points to), no CSP violation


def test_marianne_only_on_a_state_site(open_page, server):
    page, _watch = open_page()
    urls = requests_of(page)
    page.goto(SIMILAR)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    fonts = sorted({url.rsplit("/", 1)[1] for url in urls if FONT.search(url)})
    body_font = page.evaluate("getComputedStyle(document.body).fontFamily")
    logos = page.locator(".fr-logo")
    if server.state_site:
        expect(page.get_by_role("banner").locator(".fr-logo")).to_have_text("RépubliqueFrançaise")
        expect(logos).to_have_count(2)  # header and footer
        assert body_font.startswith("Marianne"), body_font
        assert "Marianne-Regular.woff2" in fonts and "Marianne-Bold.woff2" in fonts, fonts
    else:
        expect(logos).to_have_count(0)
        assert "Marianne" not in body_font, body_font
        assert page.locator("#q, textarea").first.evaluate("el => getComputedStyle(el).fontFamily") == body_font
        assert fonts == [], fonts
        expect(page.get_by_role("contentinfo")).to_contain_text("Entrepreneurs d'intérêt général")


def test_phone_menu_opens_and_nothing_scrolls_sideways(open_page, server):
    page, _watch = open_page(viewport=PHONE)
    for path, status in PAGES.values():
        if status != 200:
            _watch.expect_status(server.base_url + path, status)
        page.goto(path)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways on a phone: {width}px wide"
    page.goto(SIMILAR)
    nav = page.get_by_role("navigation", name="Menu principal")
    expect(nav.get_by_role("link", name="Recherche")).to_be_hidden()  # in the closed menu
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_in_viewport()
    menu.click()
    expect(page.locator("#menu-principal")).to_have_class(re.compile(r"\bfr-modal--opened\b"))
    expect(nav.get_by_role("link", name="Recherche")).to_be_visible()
    expect(page.locator("#menu-principal").get_by_role("link", name="English")).to_be_visible()
    nav.get_by_role("link", name="Recherche").click()
    expect(page).to_have_url(re.compile(r"/recherche$"))


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
def test_without_javascript_the_navigation_and_language_link_are_there(open_page, server, viewport):
    page, _watch = open_page(viewport=viewport, java_script_enabled=False)
    page.goto(SIMILAR)
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()  # it needs the script
    nav = page.get_by_role("navigation", name="Menu principal")
    for name in ("Recherche", "Projets similaires"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    english = page.get_by_role("banner").get_by_role("link", name="English").locator("visible=true")
    expect(english).to_have_count(1)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
    nav.get_by_role("link", name="Recherche").click()
    expect(page).to_have_url(re.compile(r"/recherche$"))


def test_similar_form_works_without_javascript(open_page, server):
    page, _watch = open_page(viewport=PHONE, java_script_enabled=False)
    page.goto(SIMILAR_FORM)
    page.get_by_label("Description du projet").fill("Cartographier les parcelles en agriculture biologique")
    page.get_by_role("button", name="Trouver les défis proches").click()
    expect(page.locator("ol.hits > li").first.locator("h3")).to_have_text("CartoBio")


@pytest.mark.parametrize("viewport", [PHONE, None], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violation(open_page, server, name, viewport):
    path, status = PAGES[name]
    page, watch = open_page(**({"viewport": viewport} if viewport else {}))
    watch.expect_status(server.base_url + path, status)
    assert page.goto(path).status == status
    violations = run_axe(page, server.base_url)
    assert not violations, describe(violations)


def test_no_axe_violation_with_the_phone_menu_open_and_a_refused_description(open_page, server):
    page, watch = open_page(viewport=PHONE)
    watch.expect_status(server.base_url + "/similaires", 400)
    page.goto(SIMILAR_FORM)
    page.get_by_role("button", name="Trouver les défis proches").click()
    expect(page.get_by_role("alert")).to_have_text("Collez la description du projet à comparer.")
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("#menu-principal")).to_have_class(re.compile(r"\bfr-modal--opened\b"))
    violations = run_axe(page, server.base_url)
    assert not violations, describe(violations)
