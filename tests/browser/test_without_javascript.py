"""With JavaScript off, the pages are plain GET forms and links: everything still works."""

import re

import pytest
from playwright.sync_api import expect

from .support import require_chromium

require_chromium()


@pytest.fixture
def page(open_page):
    return open_page(java_script_enabled=False)[0]


def test_search_facet_and_pagination_through_plain_forms(page):
    page.goto("/")
    expect(page.locator("html")).not_to_have_class(re.compile(r"\bjs\b"))
    page.get_by_label("Mots recherchés").fill("donnees")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees$"))
    expect(page.locator("#results-title")).to_contain_text("résultats pour « donnees »")

    apply = page.get_by_role("button", name="Appliquer les filtres")
    expect(apply).to_be_visible()
    expect(page.get_by_role("button", name="Trier")).to_be_visible()
    page.get_by_role("group", name="Type de page").get_by_role("checkbox", name=re.compile(r"^Défi ")).check()
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees$"))  # nothing happens before the button
    apply.click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees&kind=d%C3%A9fi$"))
    expect(page.locator("ol.hits .badge").first).to_have_text("Défi")
    total = int(page.locator("#results-title").inner_text().split()[0])
    assert total > 10
    expect(page.locator("ol.hits .badge")).to_have_text(["Défi"] * 10)

    first = page.locator("ol.hits h3").all_inner_texts()
    page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Suivante").click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees&kind=d%C3%A9fi&page=2$"))
    second = page.locator("ol.hits h3").all_inner_texts()
    assert second and not set(first) & set(second)
    page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Précédente").click()
    assert page.locator("ol.hits h3").all_inner_texts() == first

    page.get_by_role("link", name="Retirer le filtre Type de page : Défi").click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees$"))


def test_sort_and_page_size_through_the_sort_form(page):
    page.goto("/recherche?q=donnees")
    page.get_by_label("Trier par").select_option("date")
    page.get_by_label("Par page").select_option("20")
    page.get_by_role("button", name="Trier").click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees&sort=date&per_page=20$"))
    expect(page.locator("ol.hits > li")).to_have_count(20)


def test_the_filter_panel_is_open_and_the_suggestion_list_stays_hidden(page):
    page.goto("/recherche?q=orgues")
    expect(page.locator("#facets-panel")).to_have_attribute("open", "")
    expect(page.get_by_role("checkbox", name="Défi (1)")).to_be_visible()
    expect(page.locator("#q-suggestions")).to_be_hidden()
