"""The results page on a 390×844 phone, with and without JavaScript: results on the first screen
of a shared URL, the filter panel closed until asked for, « Voir N résultats » after a filter,
the focus on the results after a change. And on a desktop, the filters beside the results."""

import re

import pytest
from playwright.sync_api import expect

from .results_pages import (
    FILTERED,
    FIRST_HIT,
    PHONE,
    SUMMARY,
    in_first_screen,
    in_view,
    tick,
    total_of,
)
from .support import require_chromium

require_chromium()

SCRIPT = pytest.mark.parametrize("script", [True, False], ids=["js", "no-js"])


@SCRIPT
def test_a_shared_results_url_shows_results_on_the_first_screen(open_page, script):
    page, _watch = open_page(viewport=PHONE, java_script_enabled=script)
    page.goto(FILTERED)
    expect(page.locator(FIRST_HIT)).to_be_visible()
    assert in_first_screen(page, FIRST_HIT), page.locator(FIRST_HIT).bounding_box()
    assert in_first_screen(page, SUMMARY)
    expect(page.locator("#facets-panel")).not_to_have_attribute("open", "")
    expect(page.locator("#facets-panel label").first).to_be_hidden()
    expect(page.locator(".facets-panel__summary")).to_have_text("Filtrer (2 actifs)")


def test_ticking_a_filter_offers_see_n_results_which_leads_to_the_first_result(open_page):
    page, _watch = open_page(viewport=PHONE)
    page.goto("/recherche?q=donnees")
    page.locator(".facets-panel__summary").click()
    expect(page.locator("#facets-panel")).to_have_attribute("open", "")
    tick(page.get_by_role("group", name="Année").get_by_role("checkbox", name=re.compile(r"^2019 ")))
    expect(page).to_have_url(re.compile(r"year=2019$"))
    expect(page.locator("#facets-panel")).to_have_attribute("open", "")  # still open: more may be ticked

    see = page.get_by_role("link", name=re.compile(r"^Voir \d+ résultats?$"))
    expect(see).to_be_visible()
    assert in_view(page, "[data-see-results]")  # kept at the bottom of the screen while the panel scrolls
    expect(see).to_have_text(f"Voir {total_of(page)} résultats")
    see.click()
    expect(page.locator("#facets-panel")).not_to_have_attribute("open", "")
    expect(page.locator(SUMMARY)).to_be_focused()
    assert in_view(page, SUMMARY) and in_view(page, FIRST_HIT)


def test_without_script_applying_filters_lands_on_the_results(open_page):
    page, _watch = open_page(viewport=PHONE, java_script_enabled=False)
    page.goto("/recherche?q=donnees")
    page.locator(".facets-panel__summary").click()
    tick(page.get_by_role("group", name="Année").get_by_role("checkbox", name=re.compile(r"^2019 ")))
    expect(page.locator("[data-see-results]")).to_be_hidden()  # its count would be the old one
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"year=2019#results-title$"))
    expect(page.locator("#facets-panel")).not_to_have_attribute("open", "")
    assert in_view(page, SUMMARY) and in_view(page, FIRST_HIT)


@SCRIPT
def test_skip_link_to_the_filters_leads_to_the_open_panel(open_page, script):
    page, _watch = open_page(viewport=PHONE, java_script_enabled=script)
    page.goto(FILTERED)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller aux filtres")).to_be_focused()
    page.keyboard.press("Enter")
    if not script:  # the link leads to the panel's summary, which opens it
        page.keyboard.press("Tab")
        expect(page.locator(".facets-panel__summary")).to_be_focused()
        page.keyboard.press("Enter")
    expect(page.locator("#facets-panel")).to_have_attribute("open", "")
    expect(page.locator("#facets-panel label").first).to_be_visible()


def test_changing_page_on_a_phone_shows_the_summary_with_focus(open_page):
    page, _watch = open_page(viewport=PHONE)
    page.goto("/recherche?q=donnees")
    page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Page suivante").click()
    expect(page.locator(SUMMARY)).to_have_text(re.compile(r"^Résultats 11 à 20 sur"))
    expect(page.locator(SUMMARY)).to_be_focused()
    assert in_view(page, SUMMARY)


@SCRIPT
def test_on_a_desktop_the_filters_are_beside_the_results(open_page, script):
    page, _watch = open_page(java_script_enabled=script)
    page.goto(FILTERED)
    label = page.locator("#facets-panel label").first
    expect(label).to_be_visible()
    assert label.bounding_box()["x"] < page.locator(FIRST_HIT).bounding_box()["x"]  # on the left
    assert in_first_screen(page, FIRST_HIT)
    expect(page.locator("[data-see-results]")).to_be_hidden()
