"""The similar projects page in Chromium: from a défi result, and from a pasted description."""

import re

from playwright.sync_api import expect

from .support import require_chromium

require_chromium()


def test_similar_projects_of_a_defi_result(page):
    page.goto("/recherche?q=orgues&kind=d%C3%A9fi")
    page.get_by_role("link", name="Projets similaires à Inventaire des orgues").click()

    expect(page).to_have_url(re.compile(r"/similaires\?path=_defis/2017-01-01-mcc-inventaire-des-orgues\.md$"))
    expect(page.get_by_role("heading", level=2).first).to_have_text("Défis proches de « Inventaire des orgues »")
    expect(page.get_by_role("link", name="Projets similaires", exact=True)).to_have_attribute("aria-current", "page")
    defis = page.locator("ol.hits").first.locator("> li")
    expect(defis).to_have_count(8)
    expect(defis.locator(".hit__meta li:first-child .fr-badge")).to_have_text(["Défi"] * 8)
    titles = defis.locator("h3").all_inner_texts()
    # the same ministry and its words first, then the other heritage inventory
    assert "Inventaire des orgues" not in titles and titles[:2] == ["Atlas Culture", "Gobelins"]
    first = defis.first
    expect(first.get_by_text("En commun :")).to_be_visible()
    expect(first.get_by_role("list", name="Mots en commun").get_by_role("listitem")).to_have_text(
        ["culture", "commune", "salles", "conservatoires", "crédits", "monuments", "concert", "fiches"])
    expect(first.get_by_role("list", name="Autres points communs")).to_contain_text(
        "Même ministère : Ministère de la Culture")
    expect(first.locator(".similarity")).to_have_text("Proche")
    expect(page.get_by_text("Rien de très proche parmi les défis")).to_have_count(0)
    for hit in defis.all():
        expect(hit.get_by_role("list", name="Mots en commun").get_by_role("listitem").first).to_be_visible()
    expect(page.get_by_role("heading", name="À lire aussi")).to_be_visible()
    expect(page.locator("ol.hits--compact > li").first.locator("h3")).to_have_text(
        "Patrimoine : l’inventaire des orgues de France ouvert à tous")


def test_a_source_with_no_close_project_says_so_without_gender(page):
    """« Rien de très proche parmi les défis » reads right whatever the kind's gender (« Aucun
    défi très proche » became « Aucun actualités… » on a site whose projects are feminine)."""
    page.goto("/similaires?path=_defis/2019-01-01-cartobio.md")
    expect(page.locator("ol.hits").first.locator("> li").first.locator(".similarity")).to_have_text("Éloigné")
    expect(page.get_by_text("Rien de très proche parmi les défis : voici les plus proches.")).to_be_visible()


def test_pasted_description_finds_the_closest_defi(page):
    page.goto("/similaires")
    page.get_by_label("Description du projet").fill("Cartographier les parcelles en agriculture biologique")
    page.get_by_role("button", name="Trouver les défis proches").click()

    expect(page).to_have_url(re.compile(r"/similaires$"))
    expect(page.get_by_role("heading", name="Défis proches de votre description")).to_be_visible()
    first = page.locator("ol.hits > li").first
    expect(first.locator("h3")).to_have_text("CartoBio")
    expect(first.get_by_role("list", name="Mots en commun").get_by_role("listitem")).to_contain_text(
        ["biologique", "agriculture", "cartographier", "parcelles"])
    expect(page.get_by_label("Description du projet")).to_have_value(
        "Cartographier les parcelles en agriculture biologique")


def test_empty_description_is_refused_with_a_message(open_page, server):
    page, watch = open_page()
    watch.expect_status(server.base_url + "/similaires", 400)
    page.goto("/similaires")
    page.get_by_role("button", name="Trouver les défis proches").click()
    expect(page.get_by_role("alert")).to_have_text("Collez la description du projet à comparer.")
