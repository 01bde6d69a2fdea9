"""With JavaScript off, the pages are plain GET forms and links: everything still works, and each
new page lands on the results' summary (#results-title) after a change of filter, sort or page."""

import re

import pytest
from playwright.sync_api import expect

from .results_pages import CORRECTED, SUMMARY, hit_titles, in_view, tick, total_of
from .support import require_chromium

require_chromium()


@pytest.fixture
def page(open_page):
    return open_page(java_script_enabled=False)[0]


def test_search_tab_facet_chip_and_pagination_through_plain_forms_and_links(page):
    page.goto("/")
    expect(page.locator("html")).not_to_have_class(re.compile(r"\bjs\b"))
    page.get_by_label("Mots recherchés").fill("donnees")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees$"))
    expect(page.locator(SUMMARY)).to_have_text(re.compile(r"^Résultats 1 à 10 sur \d+ pour « donnees »$"))

    page.get_by_role("navigation", name="Types de page").get_by_role("link", name=re.compile(r"^Défis ")).click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees&kind=d%C3%A9fi$"))
    expect(page.locator("ol.hits .fr-badge")).to_have_text(["Défi"] * 10)

    apply = page.get_by_role("button", name="Appliquer les filtres")
    expect(apply).to_be_visible()
    tick(page.get_by_role("group", name="Année").get_by_role("checkbox", name=re.compile(r"^2019 ")))
    expect(page).to_have_url(re.compile(r"kind=d%C3%A9fi$"))  # nothing happens before the button
    apply.click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees&kind=d%C3%A9fi&year=2019#results-title$"))
    assert in_view(page, SUMMARY)  # the new page opens on the results
    assert total_of(page) == 10

    page.get_by_role("link", name="Retirer le filtre Année : 2019").click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees&kind=d%C3%A9fi#results-title$"))
    first = hit_titles(page)
    pagination = page.get_by_role("navigation", name="Pagination")
    pagination.get_by_role("link", name="Page suivante").click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees&kind=d%C3%A9fi&page=2#results-title$"))
    assert in_view(page, SUMMARY)
    second = hit_titles(page)
    assert second and not set(first) & set(second)
    pagination.get_by_role("link", name="Dernière page").click()
    expect(pagination.locator("[aria-current=page]")).to_have_text("Page 4")
    pagination.get_by_role("link", name="Première page").click()
    assert hit_titles(page) == first


def test_sort_and_page_size_through_the_sort_form(page):
    page.goto("/recherche?q=donnees")
    page.get_by_label("Trier par").select_option("date")
    page.get_by_label("Par page").select_option("20")
    page.get_by_role("button", name="Trier").click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees&sort=date&per_page=20#results-title$"))
    expect(page.locator("ol.hits > li")).to_have_count(20)


def test_show_all_values_is_a_link_and_the_filter_box_needs_the_script(page):
    page.goto("/")
    tags = page.get_by_role("group", name="Étiquettes")
    expect(tags.get_by_role("checkbox")).to_have_count(6)
    tags.get_by_role("link", name=re.compile(r"^Afficher les \d+ valeurs")).click()
    expect(page).to_have_url(re.compile(r"/\?expand=tags#facet-tags$"))
    assert tags.get_by_role("checkbox").count() > 6
    expect(tags.locator("[data-facet-filter]")).to_be_hidden()
    tick(tags.get_by_role("checkbox").nth(7))
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"expand=tags&tags="))  # the facet stays listed in full
    expect(page.get_by_role("group", name="Étiquettes").get_by_role("link", name=re.compile("^Afficher moins"))).to_be_visible()


def test_the_filters_are_shown_on_a_wide_screen_and_the_suggestion_list_stays_hidden(page):
    page.goto("/recherche?q=orgues")
    expect(page.locator("#facets-panel")).not_to_have_attribute("open", "")  # a <details> closed for phones…
    expect(page.get_by_role("group", name="Année").get_by_role("checkbox").first).to_be_attached()
    expect(page.locator("#facets-panel label").first).to_be_visible()  # …shown beside the results here
    expect(page.locator("#q-suggestions")).to_be_hidden()
    expect(page.locator("[data-see-results]")).to_be_hidden()


def test_the_words_typed_can_be_searched_exactly(page):
    page.goto(CORRECTED)
    page.get_by_role("link", name="Rechercher exactement « catallogage »").click()
    expect(page).to_have_url(re.compile(r"exact=1"))
    expect(page.locator(SUMMARY)).to_have_text("Aucun résultat pour « catallogage »")
