"""Every page, at desktop and phone width: no console error, no failed request, no CSP violation,
no horizontal scrolling on a 360 px wide phone. The watch itself is tested against a real violation."""

import pytest
from playwright.sync_api import expect

from .conftest import PHONE
from .support import (
    HOME,
    MISSING,
    NO_RESULT,
    RESULTS,
    SIMILAR,
    SIMILAR_FORM,
    require_chromium,
)

require_chromium()

PAGES = [HOME, RESULTS, NO_RESULT, SIMILAR, SIMILAR_FORM, MISSING, "/recherche?page=abc"]
STATUS = {MISSING: 404, "/recherche?page=abc": 400}


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_pages_load_cleanly(open_page, server, viewport):
    page, watch = open_page(**({"viewport": viewport} if viewport else {}))
    for path in PAGES:
        url = server.base_url + path
        watch.expect_status(url, STATUS.get(path, 200))
        response = page.goto(url)
        assert response.status == STATUS.get(path, 200), path
        page.wait_for_load_state("load")
        assert page.evaluate("getComputedStyle(document.body).fontFamily")  # the stylesheet applied
        assert page.evaluate("document.documentElement.classList.contains('js')")  # the script ran
        if viewport:
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} scrolls sideways on a phone: {width}px wide"
    watch.check()  # also checked after every test; here to say which test visits every page


def test_phone_filter_panel_starts_closed_and_opens(open_page):
    page, _watch = open_page(viewport=PHONE)
    page.goto(RESULTS)
    panel = page.locator("#facets-panel")
    expect(panel).not_to_have_attribute("open", "")
    label = page.locator("#facets-panel label").filter(has_text="2019 (10)")
    expect(label).to_be_hidden()
    page.locator("#facets-panel > summary").filter(has_text="Filtrer (2 actifs)").click()
    expect(label).to_be_visible()
    expect(page.get_by_role("checkbox", name="2019 (10)")).to_be_checked()
    expect(panel).to_have_attribute("open", "")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_the_watch_sees_a_csp_violation(open_page):
    """An inline script is refused by the app's policy, and the watch reports it."""
    page, watch = open_page()
    page.goto(HOME)
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.injected = true"; document.head.appendChild(s); }""")
    for _ in range(40):  # the report comes back through a binding, asynchronously
        if watch.csp_violations:
            break
        page.wait_for_timeout(50)
    assert page.evaluate("window.injected") is None
    assert [v.split(" blocked ")[0] for v in watch.csp_violations] == ["script-src-elem"], watch.csp_violations
    assert any("Content Security Policy" in problem for problem in watch.problems), watch.problems
    # Both were expected here: clear them so that the fixture's final check passes.
    watch.csp_violations.clear()
    watch.problems.clear()
