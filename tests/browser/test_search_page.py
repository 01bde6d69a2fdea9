"""The search page in a real Chromium at desktop size, with JavaScript on: search, tabs by kind,
facets, chips, pagination, sort, suggestions, corrections; focus and announcements after each
change. Every page is also checked for console errors, failed requests and CSP violations."""

import re

from playwright.sync_api import expect

from .results_pages import (
    CORRECTED,
    DROPPED,
    FILTERED,
    HOME,
    NO_RESULT,
    QUERY,
    SUMMARY,
    hit_titles,
    summary_text,
    tick,
)
from .support import require_chromium

require_chromium()


def test_typed_query_shows_its_hits_and_the_summary_announces_the_count(page):
    page.goto("/")
    page.get_by_label("Mots recherchés").fill("orgues")
    page.get_by_role("button", name="Rechercher", exact=True).click()

    expect(page).to_have_url(re.compile(r"/recherche\?q=orgues$"))
    summary = page.locator(SUMMARY)
    expect(summary).to_have_text("4 résultats pour « orgues »")
    status = page.locator(".results-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("link", name="Inventaire des orgues", exact=True)).to_have_attribute(
        "href", "https://eig.exemple.gouv.fr/defis/2017/mcc-inventaire-des-orgues.html")
    assert len(hit_titles(page)) == 4
    expect(summary).to_be_focused()  # the script moves focus to the new results
    expect(page).to_have_title("« orgues » — recherche — Entrepreneurs d'intérêt général")


def test_tabs_by_kind_with_counts_that_stay_when_a_kind_is_chosen(page):
    page.goto(QUERY)
    tabs = page.get_by_role("navigation", name="Types de page").get_by_role("link")
    expected = ["Tous (4)", "Défis (1)", "Articles (1)", "Actualités (1)", "Pages (1)"]
    expect(tabs).to_have_text(expected)
    expect(tabs.first).to_have_attribute("aria-current", "page")

    page.get_by_role("link", name="Défis (1)").click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=orgues&kind=d%C3%A9fi$"))
    expect(page.locator(SUMMARY)).to_have_text("1 résultat pour « orgues »")
    expect(tabs).to_have_text(expected)  # counts of every kind, whichever is chosen
    expect(page.get_by_role("link", name="Défis (1)")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name="Défis (1)")).to_be_focused()
    expect(tabs.first).not_to_have_attribute("aria-current", "page")
    expect(page.locator("ol.hits .fr-badge")).to_have_text(["Défi"])
    assert page.get_by_role("tab").count() == 0  # links, not ARIA tabs: each loads a page


def test_facet_checkbox_filters_and_the_chip_removes_it_focus_on_the_summary(page):
    page.goto("/recherche?q=donnees")
    tick(page.get_by_role("group", name="Année").get_by_role("checkbox", name=re.compile(r"^2019 ")))

    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees&year=2019$"))
    expect(page.locator(SUMMARY)).to_have_text("Résultats 1 à 10 sur 15 pour « donnees »")
    checkbox = page.get_by_role("checkbox", name=re.compile(r"^2019 "))
    expect(checkbox).to_be_checked()
    expect(checkbox).to_be_focused()  # the results were replaced around it, the focus was put back
    chip = page.get_by_role("group", name="Filtres actifs").get_by_role("link", name="Retirer le filtre Année : 2019")
    expect(chip).to_have_class(re.compile(r"\bfr-tag--dismiss\b"))

    chip.click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees$"))
    expect(page.get_by_role("group", name="Filtres actifs")).to_have_count(0)
    expect(page.locator(SUMMARY)).to_be_focused()
    expect(page.locator(".results-status")).to_contain_text("Résultats 1 à 10 sur")


def test_two_filters_combine_clear_link_and_back(page):
    page.goto(FILTERED)
    expect(page.locator(".facets-panel__title")).to_have_text("Filtrer (2 actifs)")
    page.get_by_role("link", name="Effacer les filtres").click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees$"))
    expect(page.locator(SUMMARY)).to_be_focused()
    page.go_back()
    expect(page).to_have_url(re.compile(r"kind=d%C3%A9fi&year=2019$"))
    expect(page.get_by_role("checkbox", name=re.compile(r"^2019 "))).to_be_checked()


def test_pagination_counts_first_and_last_pages_and_focus(page):
    page.goto("/")
    summary = page.locator(SUMMARY)
    expect(summary).to_have_text("Résultats 1 à 10 sur 101")
    first = hit_titles(page)
    pagination = page.get_by_role("navigation", name="Pagination")
    expect(pagination.locator("[aria-current=page]")).to_have_text("Page 1")
    expect(pagination.get_by_role("link", name="Première page")).to_have_attribute("aria-disabled", "true")
    expect(pagination.get_by_role("link", name="Page 11")).to_be_visible()  # the last page is always offered

    pagination.get_by_role("link", name="Page suivante").click()
    expect(page).to_have_url(re.compile(r"/\?page=2$"))
    expect(summary).to_have_text("Résultats 11 à 20 sur 101")
    expect(summary).to_be_focused()
    second = hit_titles(page)
    assert len(second) == 10 and not set(first) & set(second)
    expect(page.locator("ol.hits")).to_have_attribute("start", "11")

    pagination.get_by_role("link", name="Dernière page").click()
    expect(page).to_have_url(re.compile(r"/\?page=11$"))
    expect(summary).to_have_text("Résultats 101 à 101 sur 101")
    expect(pagination.get_by_role("link", name="Page suivante")).to_have_attribute("aria-disabled", "true")
    pagination.get_by_role("link", name="Première page").click()
    expect(page).to_have_url(re.compile(r"/\??$"))
    assert hit_titles(page) == first


def test_sort_by_date_applies_on_change_and_focus_goes_to_the_summary(page):
    page.goto("/recherche?q=orgues")
    page.get_by_label("Trier par").select_option("date")
    expect(page).to_have_url(re.compile(r"/recherche\?q=orgues&sort=date&per_page=10$"))
    expect(page.locator(SUMMARY)).to_be_focused()
    dates = page.locator("ol.hits time").evaluate_all("nodes => nodes.map(n => n.getAttribute('datetime'))")
    assert dates == sorted(dates, reverse=True) and len(dates) >= 3


def test_a_long_facet_shows_six_values_then_all_with_a_filter_box(page):
    page.goto("/")
    tags = page.get_by_role("group", name="Étiquettes")
    expect(tags.get_by_role("checkbox")).to_have_count(6)
    more = tags.get_by_role("link", name=re.compile(r"^Afficher les \d+ valeurs de « Étiquettes »$"))
    total = int(re.search(r"\d+", more.inner_text()).group())
    more.click()

    expect(page).to_have_url(re.compile(r"/\?expand=tags$"))
    expect(tags.get_by_role("checkbox")).to_have_count(total)
    box = tags.get_by_role("searchbox", name="Chercher parmi les valeurs de « Étiquettes »")
    expect(box).to_be_focused()
    box.fill("donn")
    visible = tags.get_by_role("checkbox").filter(visible=True)
    expect(visible).not_to_have_count(total)
    assert all("donn" in name.lower() for name in visible.evaluate_all("els => els.map(e => e.labels[0].innerText)"))
    expect(tags.locator(".facet-filter__status")).to_have_text(re.compile(r"^\d+ valeurs? affichées?$"))
    box.press("Enter")  # filters, never submits
    expect(page).to_have_url(re.compile(r"/\?expand=tags$"))

    tick(visible.first)
    expect(page).to_have_url(re.compile(r"expand=tags&tags="))  # the facet stays listed in full
    tags.get_by_role("link", name="Afficher moins de « Étiquettes »").click()
    expect(page).not_to_have_url(re.compile("expand"))


def test_ministry_is_above_administration_when_the_index_has_it(page):
    page.goto("/")
    legends = page.locator(".facet__legend").all_inner_texts()
    assert "Administration" in legends
    if "Ministère" in legends:
        assert legends.index("Ministère") < legends.index("Administration")


def test_suggestions_combobox_with_the_keyboard_shows_each_kind(page):
    page.goto("/")
    field = page.get_by_role("combobox", name="Mots recherchés")
    field.press_sequentially("carto", delay=30)

    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_have_text("CartoBio, Défi")
    expect(options.first.locator(".fr-badge")).to_have_text(", Défi")  # the comma is read, not shown

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
    expect(page.locator(SUMMARY)).to_contain_text("pour « archives »")
    expect(page.locator("ol.hits mark").first).to_be_visible()
    expect(page.get_by_label("Mots recherchés")).to_be_focused()  # typing is never interrupted


def test_zero_results_page_gives_advice_and_the_suggestion(page):
    page.goto(NO_RESULT)
    expect(page.locator(SUMMARY)).to_have_text("Aucun résultat pour « \"controle des navirres de peche\" »")
    expect(page.get_by_text("vérifier l'orthographe des mots")).to_be_visible()
    expect(page.get_by_text("Mot corrigé")).to_have_count(0)  # a correction that found nothing is not announced
    page.get_by_role("link", name='"controle des navires de peche"').click()
    expect(page.locator(SUMMARY)).to_have_text("1 résultat pour « \"controle des navires de peche\" »")


def test_a_correction_says_which_word_and_links_to_the_words_typed(page):
    page.goto(CORRECTED)
    notice = page.locator(".correction")
    expect(notice).to_contain_text("Mot corrigé : « catalogage » au lieu de « catallogage ».")
    notice.get_by_role("link", name="Rechercher exactement « catallogage »").click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=catallogage&exact=1$"))
    expect(page.locator(SUMMARY)).to_have_text("Aucun résultat pour « catallogage »")
    expect(page.get_by_text("vérifier l'orthographe des mots")).to_be_visible()  # the advice stays


def test_a_dropped_word_is_said(page):
    page.goto(DROPPED)
    expect(page.locator(".correction")).to_contain_text("Mot ignoré, car aucune page ne le contient : « zzzqqq ».")
    expect(page.locator(".correction").get_by_role("link", name="Rechercher exactement « donnees zzzqqq »")).to_be_visible()


def test_french_plurals_of_one(page):
    page.goto("/recherche?q=orgues&kind=d%C3%A9fi")
    assert summary_text(page) == "1 résultat pour « orgues »"
    expect(page.locator(".facets-panel__title")).to_have_text("Filtrer (1 actif)")
    text = page.locator("main").inner_text()
    assert not re.search(r"\b1 (résultats|actifs|autres|valeurs)\b", text), text
    page.goto(HOME)
    assert not re.search(r"\b1 autres\b", page.locator("main").inner_text())


def test_a_suggested_administration_filters_the_results(page):
    page.goto("/")
    field = page.get_by_role("combobox", name="Mots recherchés")
    field.press_sequentially("minist", delay=30)
    option = page.get_by_role("listbox", name="Suggestions").get_by_role("option").filter(
        has_text=re.compile(r"^Ministère de l’Intérieur, (Ministère|Administration)$"))
    expect(option).to_be_visible()
    facet = option.locator(".fr-badge").inner_text().strip(", \n")
    option.click()
    expect(page.get_by_role("group", name="Filtres actifs").get_by_role(
        "link", name=f"Retirer le filtre {facet} : Ministère de l’Intérieur")).to_be_visible()
    expect(field).to_have_value("")
    expect(page.locator(SUMMARY)).to_be_focused()
