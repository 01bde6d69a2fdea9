"""Suggestions that help: titles of projects and related reading, then administrations and tags,
each with what it is, found by the beginnings of their words whatever the accents."""

import pytest

from searchweb import create_app
from searchweb.engine import EXTENSION as ENGINE

from .handmade import CONFIG, page

SITE = {
    "_config.yml": CONFIG,
    "_defis/2020-01-01-peches.md": page("Contrôle des pêches", "Le centre de surveillance contrôle.",
                                         description="Cibler les navires à contrôler",
                                         administration="Direction des pêches maritimes", tags="[pêcherie]"),
    "_defis/2019-01-01-fish.md": page("MonitorFish", "Un outil pour le centre de surveillance.",
                                      description="Surveiller les activités de pêche en mer"),
    "_posts/2021-01-01-peche.md": page("La pêche durable, un an après", "Bilan du défi pêche."),
    "_communaute/2020-01-01-pecheur.md": page("Jean Pêcheur", "Il a travaillé sur la pêche."),
    "_defis/2018-01-01-orgues.md": page("Inventaire des orgues", "Les orgues de France.",
                                        administration="Ministère de la Culture"),
}


def shown(suggestions) -> list[tuple]:
    return [(item["type"], item["value"], item.get("kind") or item.get("facet")) for item in suggestions]


def test_titles_of_projects_then_related_reading_then_projects_by_summary_then_facet_values(handmade_engine):
    assert shown(handmade_engine.suggest("peche")) == [
        ("title", "Contrôle des pêches", "défi"),
        ("title", "La pêche durable, un an après", "article"),
        ("title", "MonitorFish", "défi"),  # its summary speaks of « pêche »
        ("facet", "Direction des pêches maritimes", "administration"),
        ("facet", "pêcherie", "tags"),
    ]


def test_each_item_says_what_it_is(handmade_engine):
    title, *_rest, administration, tag = handmade_engine.suggest("peche")
    assert title == {"type": "title", "value": "Contrôle des pêches", "kind": "défi",
                     "url": "/defis/2020/peches.html", "summary": "Cibler les navires à contrôler"}
    assert administration == {"type": "facet", "value": "Direction des pêches maritimes", "facet": "administration",
                              "label": "Administration", "count": 1}
    assert tag["label"] == "Étiquettes"


@pytest.mark.parametrize("typed", ["pêche", "PECHE", "Pêch", "pe"])
def test_words_are_matched_at_their_start_whatever_the_accents_and_case(handmade_engine, typed):
    assert handmade_engine.suggest(typed)[0]["value"] == "Contrôle des pêches"


def test_every_typed_word_must_start_a_word_in_any_order(handmade_engine):
    assert shown(handmade_engine.suggest("des contr")) == [("title", "Contrôle des pêches", "défi")]
    assert shown(handmade_engine.suggest("peches controle")) == [("title", "Contrôle des pêches", "défi")]
    assert all(item["value"] != "Contrôle des pêches" for item in handmade_engine.suggest("ontrole"))


def test_people_are_not_proposed_and_words_only_fill_without_repeating_the_query(handmade_engine):
    suggestions = handmade_engine.suggest("peche")
    assert all(item.get("kind") != "personne" for item in suggestions)
    assert all(item["type"] != "term" for item in suggestions)  # « peches » and « pecherie » are said already


def test_an_administration_is_proposed_by_any_of_its_words(handmade_engine):
    assert shown(handmade_engine.suggest("marit")) == [("facet", "Direction des pêches maritimes", "administration")]


def test_the_api_gives_absolute_page_addresses(handmade_index):
    app = create_app({"INDEX_DIR": str(handmade_index), "TESTING": True, "SITE_URL": "https://site.exemple.fr"})
    try:
        suggestions = app.test_client().get("/api/suggest?q=orgu").get_json()["suggestions"]
    finally:
        app.extensions[ENGINE].close()
    assert suggestions[0]["url"] == "https://site.exemple.fr/defis/2018/orgues.html"
    assert [item["type"] for item in suggestions] == ["title"]


# The real programme site (../shared; skipped when absent).

def test_real_site_peche_proposes_a_defi_with_its_kind(site_eig_engine):
    suggestions = site_eig_engine.suggest("peche")
    assert suggestions[0]["type"] == "title" and suggestions[0]["kind"] == "défi"
    assert all(item.get("kind") != "personne" for item in suggestions)


def test_real_site_an_administration_is_proposed(site_eig_engine):
    assert any(item["type"] == "facet" and item["facet"] == "administration"
               for item in site_eig_engine.suggest("gendarm"))
