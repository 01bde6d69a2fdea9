"""Corrections people can trust: a word is corrected only when the correction is far likelier,
an English word is translated rather than corrected, corrected and dropped words are said,
``exact`` searches the words as typed, and highlights show the words searched, never stop words."""

import pytest

from indexer.search import corrections
from indexer.search.request import SearchRequest
from searchweb import create_app
from searchweb.engine import EXTENSION as ENGINE

from .handmade import CONFIG, page

FILLER = "Le programme accompagne les équipes pendant dix mois avec des ateliers réguliers."


def filled(title: str, body: str) -> str:
    return page(title, f"{body} {FILLER}")


SITE = {
    "_config.yml": CONFIG,
    "_defis/2020-01-01-bidonvilles.md": filled("Résorption", "Résorber les bidonvilles des villes, avec les habitants."),
    "_defis/2020-01-01-vigilance.md": filled("Vigilance", "Prévenir le risque de crues des rivières."),
    **{f"_defis/2019-01-0{i}-risque-{i}.md": filled(f"Risque {i}", "Le risque industriel est suivi de près.")
       for i in range(1, 4)},
    # a word on two pages, one letter from an English word the glossary translates ("flood")
    **{f"_communaute/2018-01-0{i}-cuisine-{i}.md": filled(f"Cuisinier {i}", "Il a fondé une entreprise de food trucks.")
       for i in range(1, 3)},
    # a short word on two pages, one slip from another real word ("salin")
    **{f"_posts/2021-01-0{i}-salon-{i}.md": filled(f"Salon {i}", "Le salon du port de pêche.") for i in range(1, 3)},
    "_posts/2021-02-01-peches.md": filled("Contrôle", "Le contrôle des pêches dans le port."),
}


@pytest.fixture(scope="module")
def client(handmade_index):
    app = create_app({"INDEX_DIR": str(handmade_index), "TESTING": True})
    yield app.test_client()
    app.extensions[ENGINE].close()


def marked(result) -> set[str]:
    """The words highlighted in the results' snippets, lower-cased."""
    return {piece.lower() for hit in result.hits for piece, matched in hit.snippet if matched}


@pytest.mark.parametrize("typed, correction, pages, likelier", [
    ("flood", "food", 2, False),  # five letters, a rare neighbour: another word, not a typo
    ("salin", "salon", 2, False),
    ("bidonviles", "bidonvilles", 1, True),  # ten letters, one slip: a typo
    ("anotation", "annotation", 1, True),
    ("orgeus", "orgues", 4, True),  # two letters swapped count as one slip
])
def test_a_correction_must_be_far_likelier_than_the_word_typed(typed, correction, pages, likelier):
    assert (corrections.odds(typed, correction, pages, 0) >= corrections.FAR_MORE_LIKELY) is likelier


def test_a_changed_first_letter_is_a_rarer_slip():
    assert corrections.odds("water", "later", 5, 0) < corrections.odds("water", "wates", 5, 0)


def test_a_word_the_site_has_needs_a_much_commoner_correction():
    assert corrections.odds("batteaux", "bateaux", 3, 1) > corrections.odds("batteaux", "bateaux", 3, 2)
    assert corrections.likely("simulation", 1, ["situation"], lambda _term: 4, 3) == []  # two slips: no


def test_a_long_typo_is_corrected_and_said(handmade_engine):
    result = handmade_engine.search(SearchRequest(q="bidonviles"))
    assert result.corrected == {"bidonviles": "bidonvilles"} and result.dropped == []
    assert [hit.path for hit in result.hits] == ["_defis/2020-01-01-bidonvilles.md"]
    assert "bidonvilles" in marked(result)  # the corrected form is highlighted


def test_a_correction_is_said_as_the_pages_write_it(handmade_engine):
    assert handmade_engine.search(SearchRequest(q="controlle")).corrected == {"controlle": "contrôle"}


def test_a_short_word_one_slip_from_a_rare_one_is_not_corrected_but_said_dropped(handmade_engine):
    result = handmade_engine.search(SearchRequest(q="port Salîn", per_page=50))
    assert result.corrected == {}
    assert result.dropped == ["Salîn"]  # as typed, accent and capital kept
    assert {hit.path for hit in result.hits} == {"_posts/2021-01-01-salon-1.md", "_posts/2021-01-02-salon-2.md",
                                                "_posts/2021-02-01-peches.md"}


def test_an_english_word_the_site_lacks_is_translated_not_corrected(handmade_engine):
    # "risque" is French, "flood" English: the query does not read as English, yet "flood" is no typo
    result = handmade_engine.search(SearchRequest(q="risque flood", per_page=50))
    assert result.corrected == {} and result.dropped == []
    assert result.hits[0].path == "_defis/2020-01-01-vigilance.md"
    assert not any(hit.path.startswith("_communaute/") for hit in result.hits)
    assert {"crues", "risque"} <= marked(result)  # the translation is highlighted too


def test_exact_searches_the_words_as_typed(handmade_engine):
    exact = handmade_engine.search(SearchRequest(q="bidonviles", exact=True))
    assert (exact.total, exact.corrected, exact.dropped) == (0, {}, [])
    assert exact.suggestion == "bidonvilles"  # still offered, as a link
    assert SearchRequest(q="x", exact=True).cache_key() != SearchRequest(q="x").cache_key()


def test_stop_words_are_never_highlighted(handmade_engine):
    result = handmade_engine.search(SearchRequest(q="contrôle des pêches"))
    assert marked(result) == {"contrôle", "pêches", "pêche"}  # other forms of a word, never "des"


def test_the_api_says_what_was_corrected_dropped_and_exact(client):
    corrected = client.get("/api/search?q=bidonviles").get_json()
    assert (corrected["corrected"], corrected["dropped"], corrected["exact"]) == ({"bidonviles": "bidonvilles"}, [], False)
    assert "<mark>bidonvilles</mark>" in corrected["hits"][0]["snippet"]
    exact = client.get("/api/search?q=bidonviles&exact=1").get_json()
    assert (exact["total"], exact["corrected"], exact["exact"]) == (0, {}, True)
    dropped = client.get("/api/search?q=port+salin").get_json()
    assert dropped["dropped"] == ["salin"] and dropped["total"] == 3


@pytest.mark.parametrize("value", ["2", "oui", "true"])
def test_exact_is_one_or_zero(client, value):
    response = client.get(f"/api/search?q=port&exact={value}")
    assert response.status_code == 400
    assert "exact" in response.get_json()["error"]["message"]


# The real programme site (../shared; skipped when absent).

def test_real_site_english_words_are_not_corrected_into_french_ones(site_eig_engine):
    result = site_eig_engine.search(SearchRequest(q="flood forecasting"))
    assert result.corrected == {} and result.dropped == []
    assert "food" not in marked(result)
    assert result.hits[0].kind == "défi"


def test_real_site_typo_is_corrected_and_said_and_exact_turns_it_off(site_eig_engine):
    result = site_eig_engine.search(SearchRequest(q="bidonviles"))
    assert result.corrected == {"bidonviles": "bidonvilles"}
    assert result.hits[0].kind == "défi" and "bidonvilles" in marked(result)
    exact = site_eig_engine.search(SearchRequest(q="bidonviles", exact=True))
    assert (exact.total, exact.corrected) == (0, {})


def test_real_site_stop_words_are_not_highlighted(site_eig_engine):
    result = site_eig_engine.search(SearchRequest(q="controle des peches"))
    assert result.total and not marked(result) & {"de", "des", "du", "la", "le"}
