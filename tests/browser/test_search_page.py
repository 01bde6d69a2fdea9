"""The search page in a real Chromium, with JavaScript on: search, facets, chips, pagination,
suggestions. Every page is also checked for console errors, failed requests and CSP violations."""

import re

from playwright.sync_api import expect

from .support import require_chromium

require_chromium()


def hit_titles(page) -> list[str]:
    return page.locator("ol.hits > li h3").all_inner_texts()


def test_typed_query_shows_its_hits_and_the_heading_announces_the_count(page):
    page.goto("/")
    page.get_by_label("Mots recherchés").fill("orgues")
    page.get_by_role("button", name="Rechercher").click()

    expect(page).to_have_url(re.compile(r"/recherche\?q=orgues$"))
    heading = page.locator("#results-title")
    expect(heading).to_have_text("4 résultats pour « orgues »")
    status = page.get_by_role("status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text("4 résultats")
    expect(page.get_by_role("link", name="Inventaire des orgues", exact=True)).to_have_attribute(
        "href", "https://eig.exemple.gouv.fr/defis/2017/mcc-inventaire-des-orgues.html")
    assert len(hit_titles(page)) == 4
    expect(heading).to_be_focused()  # the script moves focus to the new results
    expect(page).to_have_title("« orgues » — recherche — Entrepreneurs d'intérêt général")


def test_facet_checkbox_filters_and_the_chip_removes_the_filter(page):
    page.goto("/recherche?q=orgues")
    page.get_by_role("group", name="Type de page").get_by_role("checkbox", name="Défi (1)").check()

    expect(page).to_have_url(re.compile(r"/recherche\?q=orgues&kind=d%C3%A9fi$"))
    expect(page.locator("#results-title")).to_have_text("1 résultat pour « orgues »")
    assert hit_titles(page) == ["Inventaire des orgues"]
    expect(page.locator("ol.hits .badge")).to_have_text(["Défi"])
    chip = page.get_by_role("group", name="Filtres actifs").get_by_role(
        "link", name="Retirer le filtre Type de page : Défi")
    expect(chip).to_be_visible()
    expect(page.get_by_role("checkbox", name="Défi (1)")).to_be_checked()

    chip.click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=orgues$"))
    expect(page.locator("#results-title")).to_have_text("4 résultats pour « orgues »")
    expect(page.get_by_role("group", name="Filtres actifs")).to_have_count(0)
    expect(page.get_by_role("checkbox", name="Défi (1)")).not_to_be_checked()


def test_two_facets_combine_and_back_returns_to_the_previous_state(page):
    page.goto("/")
    page.get_by_role("group", name="Type de page").get_by_role("checkbox", name="Défi (50)").check()
    expect(page.locator("#results-title")).to_have_text("50 résultats")
    page.get_by_role("group", name="Année").get_by_role("checkbox", name="2019 (13)").check()
    expect(page).to_have_url(re.compile(r"\?kind=d%C3%A9fi&year=2019$"))
    expect(page.locator("#results-title")).to_have_text("13 résultats")
    expect(page.get_by_role("heading", name=re.compile(r"^Filtrer"))).to_have_text("Filtrer (2 actifs)")

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?kind=d%C3%A9fi$"))
    expect(page.locator("#results-title")).to_have_text("50 résultats")
    expect(page.get_by_role("checkbox", name=re.compile(r"^2019 "))).not_to_be_checked()


def test_pagination_shows_other_hits_and_previous_goes_back(page):
    page.goto("/")
    expect(page.locator("#results-title")).to_have_text("101 résultats")
    first = hit_titles(page)
    assert len(first) == 10
    pagination = page.get_by_role("navigation", name="Pagination")
    expect(pagination.locator("[aria-current=page]")).to_have_text("Page 1")

    pagination.get_by_role("link", name="Suivante").click()
    expect(page).to_have_url(re.compile(r"/\?page=2$"))
    second = hit_titles(page)
    assert len(second) == 10 and not set(first) & set(second)
    expect(page.locator("ol.hits")).to_have_attribute("start", "11")
    expect(pagination.locator("[aria-current=page]")).to_have_text("Page 2")

    pagination.get_by_role("link", name="Précédente").click()
    expect(page).to_have_url(re.compile(r"/\??$"))
    assert hit_titles(page) == first


def test_suggestions_combobox_with_the_keyboard(page):
    page.goto("/")
    field = page.get_by_role("combobox", name="Mots recherchés")
    field.press_sequentially("carto", delay=30)

    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_have_text("CartoBio (défi)")
    expect(listbox.get_by_role("option", name="cartographie", exact=True)).to_have_count(1)

    field.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", "suggestion-0")
    field.press("ArrowDown")
    field.press("ArrowUp")
    expect(field).to_have_attribute("aria-activedescendant", "suggestion-0")
    field.press("Enter")

    expect(field).to_have_value("CartoBio")
    expect(listbox).to_be_hidden()
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(page).to_have_url(re.compile(r"/recherche\?q=CartoBio$"))
    expect(page.locator("ol.hits h3").first).to_have_text("CartoBio")


def test_escape_closes_the_suggestions(page):
    page.goto("/")
    field = page.get_by_role("combobox", name="Mots recherchés")
    field.press_sequentially("orgu", delay=30)
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_visible()
    field.press("Escape")
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_hidden()
    expect(field).to_have_value("orgu")


def test_results_follow_typing(page):
    page.goto("/")
    page.get_by_label("Mots recherchés").press_sequentially("archives", delay=20)
    expect(page).to_have_url(re.compile(r"/recherche\?q=archives$"))
    expect(page.locator("#results-title")).to_contain_text("pour « archives »")
    expect(page.locator("ol.hits mark").first).to_be_visible()


def test_zero_results_page_offers_the_suggestion(page):
    page.goto('/recherche?q="controle des navirres de peche"')
    expect(page.locator("#results-title")).to_have_text(
        "Aucun résultat pour « \"controle des navirres de peche\" »")
    # A correction that found nothing is not announced as if it had: only the suggestion shows.
    expect(page.get_by_text("Résultats incluant")).to_have_count(0)
    expect(page.get_by_text("voici celles qui en contiennent une partie")).to_have_count(0)
    page.get_by_role("link", name='"controle des navires de peche"').click()
    expect(page.locator("#results-title")).to_have_text("1 résultat pour « \"controle des navires de peche\" »")


def test_sort_by_date_applies_on_change(page):
    page.goto("/recherche?q=orgues")
    page.get_by_label("Trier par").focus()
    page.get_by_label("Trier par").select_option("date")
    expect(page).to_have_url(re.compile(r"/recherche\?q=orgues&sort=date&per_page=10$"))
    dates = page.locator("ol.hits time").evaluate_all("nodes => nodes.map(n => n.getAttribute('datetime'))")
    assert dates == sorted(dates, reverse=True) and len(dates) >= 3
    expect(page.get_by_label("Trier par")).to_be_focused()
