"""axe-core on every kind of page, at desktop and phone width: no serious or critical violation.

axe is vendored in ``vendor/`` (MPL-2.0, see its licence file there). The app's CSP allows
scripts from its own origin only, so axe is served under the app's origin by ``page.route``
(the request never reaches the server) and the pages are checked with their real policy on.
"""

import pytest
from playwright.sync_api import expect

from .conftest import PHONE
from .support import (
    AXE,
    AXE_URL_PATH,
    HOME,
    MISSING,
    NO_RESULT,
    RESULTS,
    SIMILAR,
    SIMILAR_FORM,
    require_chromium,
)

require_chromium()

BLOCKING = ("serious", "critical")

PAGES = {
    "home": (HOME, 200),
    "results-with-facets-and-chips": (RESULTS, 200),
    "zero-results-with-suggestion": (NO_RESULT, 200),
    "similar-with-results": (SIMILAR, 200),
    "similar-form": (SIMILAR_FORM, 200),
    "error-404": (MISSING, 404),
}


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


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_axe_violation(open_page, server, name, viewport):
    path, status = PAGES[name]
    page, watch = open_page(**({"viewport": viewport} if viewport else {}))
    watch.expect_status(server.base_url + path, status)
    assert page.goto(path).status == status
    if page.locator("#facets-panel").count():
        page.locator("#facets-panel").evaluate("panel => { panel.open = true; }")  # closed on a phone
    violations = run_axe(page, server.base_url)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    assert not violations, describe(violations)  # moderate and minor ones too: there are none today


def test_no_serious_axe_violation_with_suggestions_open(open_page, server):
    page, _watch = open_page()
    page.goto(HOME)
    field = page.get_by_role("combobox", name="Mots recherchés")
    field.press_sequentially("carto", delay=30)
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    field.press("ArrowDown")
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    violations = run_axe(page, server.base_url)
    assert not violations, describe(violations)
