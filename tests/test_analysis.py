"""The French analysis chain: the forms visitors type must meet the forms pages use."""

import pytest

from indexer.language.analysis import (
    analyse,
    exact_terms,
    fold,
    index_terms,
    normalise_language,
)


def stemmed_terms(text: str, lang: str = "fr") -> list[str]:
    """The stemmed half of ``index_terms``: what the main index fields hold."""
    return index_terms(text, lang)[1]


@pytest.mark.parametrize("variants", [
    ["securite", "Sécurité", "sécurités", "SÉCURITÉ"],
    ["l'agriculture", "agriculture", "L’Agriculture"],
    ["d’intérêt", "interet", "d'Intérêts"],
    ["navire", "navires", "Navires"],
    ["œuvre", "oeuvre", "Œuvres"],
    ["jusqu’au bout", "bout"],
    ["routière", "routier", "Routières", "routiere"],  # feminine -ière, which folding hides from Snowball
    ["aide financière", "aides financieres", "aide financier"],
    ["usager", "usagers", "Usagers"],  # Snowball removes "er" before the plural "s"
    ["vidéo", "vidéos", "video"],
])
def test_variants_meet_on_one_stem(variants):
    stems = {tuple(stemmed_terms(text)) for text in variants}
    assert len(stems) == 1, stems


def test_exact_form_keeps_plural_apart_but_folds_accents():
    assert exact_terms("Sécurités maritimes") == ["securites", "maritimes"]
    assert exact_terms("sécurité") == ["securite"]


def test_elision_prefixes_curly_and_straight():
    assert fold("l'État") == "etat"
    assert fold("qu’il") == "il"
    assert fold("lorsqu'elle") == "elle"
    assert fold("puisqu’on") == "on"
    assert fold("aujourd’hui") == "aujourdhui"


def test_stop_words_removed_in_folded_form():
    # "à", "été" and "même" are stop words; their unaccented forms are too.
    assert exact_terms("à la mer, même en été") == ["mer"]
    assert exact_terms("a la mer meme en ete") == ["mer"]


def test_ligatures_and_accents_folded_before_stemming():
    assert analyse("Cœur des Études") == ("coeur etudes", "coeur etud")


def test_english_pages_get_english_stemming():
    assert stemmed_terms("running challenges", "en") == ["run", "challeng"]
    assert stemmed_terms("the open source", "en") == ["open", "sourc"]


@pytest.mark.parametrize("raw, expected", [("fr-FR", "fr"), ("EN", "en"), ("en_GB", "en"), ("de", "fr"), (None, "fr")])
def test_language_codes(raw, expected):
    assert normalise_language(raw) == expected
