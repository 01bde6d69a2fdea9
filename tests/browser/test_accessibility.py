"""axe-core on every page and every state of the results page, at desktop and phone width (the
phone's filter panel closed and open), with and without the page's scripts: no violation at all.

axe is vendored in ``vendor/`` (MPL-2.0, see its licence file there). The app's CSP allows
scripts from its own origin only, so axe is served under the app's origin by ``page.route``
(the request never reaches the server) and the pages are checked with their real policy on.
axe is itself a script: the page "without JavaScript" is the page whose own scripts are served
empty, with the stylesheet its ``<noscript>`` would load.
"""

import re

import pytest
from playwright.sync_api import expect

from .results_pages import PHONE, STATES
from .support import AXE, AXE_URL_PATH, require_chromium

require_chromium()

BLOCKING = ("serious", "critical")

VIEWS = {"desktop": {}, "phone-panel-closed": {"viewport": PHONE}, "phone-panel-open": {"viewport": PHONE}}


def without_page_scripts(page, base_url: str) -> None:
    """Serve the page's own scripts empty (axe still runs): the page as without JavaScript."""
    page.route(re.compile(re.escape(base_url) + r"/static/[^?]*\.js(\?.*)?$"),
               lambda route: route.fulfill(body="", content_type="text/javascript"))


def add_noscript_styles(page) -> None:
    """The stylesheets a <noscript> of the page loads when scripts are off."""
    for href in page.locator("noscript").evaluate_all(
            "els => els.flatMap(el => [...el.textContent.matchAll(/href=\"([^\"]+)\"/g)].map(m => m[1]))"):
        page.add_style_tag(url=href)


def run_axe(page, base_url: str) -> list[dict]:
    page.route(base_url + AXE_URL_PATH, lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    page.add_script_tag(url=base_url + AXE_URL_PATH)
    results = page.evaluate("""() => axe.run(document, {
        resultTypes: ["violations"],
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    })""")
    return results["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def assert_no_violation(page, base_url: str) -> None:
    violations = run_axe(page, base_url)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    assert not violations, describe(violations)  # moderate and minor ones too


@pytest.mark.parametrize("script", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("state", STATES)
def test_no_axe_violation_on_any_state_of_the_results_page(open_page, server, state, view, script):
    page, _watch = open_page(**VIEWS[view])
    if not script:
        without_page_scripts(page, server.base_url)
    assert page.goto(STATES[state]).status == 200
    if not script:
        add_noscript_styles(page)
        expect(page.locator("html")).not_to_have_class("js")
    panel = page.locator("#facets-panel")
    if view == "phone-panel-open" and panel.count():
        page.locator(".facets-panel__summary").click()
        expect(panel).to_have_attribute("open", "")
    assert_no_violation(page, server.base_url)


def test_no_axe_violation_on_the_error_state(open_page, server):
    """The similar-projects and error pages are checked with the DSFR frame (test_dsfr_layout.py)."""
    page, watch = open_page()
    watch.expect_status(server.base_url + "/recherche?page=abc", 400)
    assert page.goto("/recherche?page=abc").status == 400
    assert_no_violation(page, server.base_url)


def test_no_axe_violation_with_suggestions_open(open_page, server):
    page, _watch = open_page()
    page.goto("/")
    field = page.get_by_role("combobox", name="Mots recherchés")
    field.press_sequentially("minist", delay=30)
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    field.press("ArrowDown")
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    assert_no_violation(page, server.base_url)


def test_no_axe_violation_with_a_facet_filtered_and_see_results_shown(open_page, server):
    page, _watch = open_page(viewport=PHONE)
    page.goto("/recherche?expand=tags")
    page.locator(".facets-panel__summary").click()
    page.get_by_role("searchbox", name="Chercher parmi les valeurs de « Étiquettes »").fill("donn")
    expect(page.locator("#facet-tags .facet-filter__status")).not_to_be_empty()
    expect(page.locator("[data-see-results]")).to_be_visible()
    assert_no_violation(page, server.base_url)
