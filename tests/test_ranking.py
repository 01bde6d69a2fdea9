"""Each ranking feature on a small hand-made site: what should come first does."""

from types import SimpleNamespace

import numpy as np
import pytest

from indexer.build.run import build
from indexer.language.synonyms import spelled_out
from indexer.search.engine import SearchEngine
from indexer.search.request import SearchRequest
from indexer.search.scoring import Scorer

CONFIG = "collections:\n  defis:\n    output: true\n    permalink: /defis/:year/:title.html\n" \
         "  communaute:\n    output: true\n    permalink: /communaute/:year/:title.html\n"


def page(title: str, body: str, **meta) -> str:
    extra = "".join(f"{key}: {value}\n" for key, value in meta.items())
    return f"---\ntitle: {title}\n{extra}---\n{body}\n"


FILLER = "Le programme accompagne les équipes pendant dix mois avec des ateliers réguliers."


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("ranking-site")
    files = {
        "_config.yml": CONFIG,
        # exact form above stem-only form
        "_defis/2019-01-01-navires.md": page("Contrôles", f"Inspection des navires dans les ports. {FILLER}"),
        "_defis/2019-01-01-navire.md": page("Visites", f"Inspection du navire dans le port. {FILLER}"),
        # fuzzy: a rare misspelling on one page, the right spelling on three
        "_posts/2020-01-01-faute.md": page("Compte rendu", f"Des batteaux étaient amarrés. {FILLER}"),
        **{f"_posts/2020-01-0{i}-bateaux-{i}.md": page(f"Port {i}", f"Des bateaux de pêche. {FILLER}")
           for i in range(2, 5)},
        # synonyms: the typed word above its synonym
        "_defis/2020-01-01-logement.md": page("Accès au logement", f"Trouver un logement social. {FILLER}"),
        "_defis/2020-01-01-habitat.md": page("Rénovation", f"Améliorer l'habitat ancien. {FILLER}"),
        # kind prior: a défi above a person's profile with the same words, unless the query names the person
        "_defis/2018-01-01-cartobio.md": page("Cartographie", f"Les parcelles en agriculture biologique. {FILLER}"),
        "_communaute/2018-01-01-marie-curie.md": page("Marie Curie", f"Les parcelles en agriculture biologique. {FILLER}"),
        # proximity: words together above words far apart
        "_posts/2021-01-01-ensemble.md": page("Note A", f"La sécurité maritime progresse. {FILLER} {FILLER}"),
        "_posts/2021-01-02-epars.md": page("Note B", f"La sécurité progresse. {FILLER} Le domaine maritime. {FILLER}"),
        # coordination: both words above one word repeated
        "_posts/2021-02-01-deux.md": page("Note C", f"Les archives et les versements. {FILLER}"),
        "_posts/2021-02-02-un.md": page("Note D", f"Archives, archives, archives, archives. {FILLER}"),
        # recency breaks ties
        "_posts/2017-05-01-ancien.md": page("Jumeau", "Texte identique sur les phares."),
        "_posts/2022-05-01-recent.md": page("Jumeau", "Texte identique sur les phares."),
        # an unknown compound: its head word, and the words sharing its prefix
        "_defis/2017-01-01-geodata.md": page("Geodata", f"Des cartes routières pour les projets. {FILLER}"),
        "_posts/2017-02-01-donnees.md": page("Ouverture", f"Des données ouvertes pour tous. {FILLER}"),
        # acronyms learned from the site
        "_defis/2019-01-01-cibnav.md": page("Ciblage", f"La Direction des affaires maritimes (DAM) inspecte. {FILLER}"),
        "_posts/2019-06-01-dam.md": page("Rencontre", f"Une rencontre avec la DAM à La Défense. {FILLER}"),
    }
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    index = tmp_path_factory.mktemp("ranking-index")
    build(root, index)
    engine = SearchEngine(index)
    yield engine
    engine.close()


def ranked(engine, q):
    return [hit.path for hit in engine.search(SearchRequest(q=q, per_page=50)).hits]


def test_exact_form_ranks_above_stem_only(engine):
    assert ranked(engine, "navires")[:2] == ["_defis/2019-01-01-navires.md", "_defis/2019-01-01-navire.md"]
    assert ranked(engine, "navire")[:2] == ["_defis/2019-01-01-navire.md", "_defis/2019-01-01-navires.md"]


def test_fuzzy_matches_rank_below_the_exact_one(engine):
    result = engine.search(SearchRequest(q="batteaux", per_page=50))
    paths = [hit.path for hit in result.hits]
    assert paths[0] == "_posts/2020-01-01-faute.md"
    assert set(paths[1:4]) == {f"_posts/2020-01-0{i}-bateaux-{i}.md" for i in range(2, 5)}
    assert result.corrected == {"batteaux": "bateaux"}


def test_typo_alone_is_corrected(engine):
    result = engine.search(SearchRequest(q="bateuax"))
    assert result.corrected == {"bateuax": "bateaux"}
    assert len(result.hits) == 3


def test_synonym_ranks_below_the_typed_word(engine):
    assert ranked(engine, "logement")[:2] == ["_defis/2020-01-01-logement.md", "_defis/2020-01-01-habitat.md"]
    assert ranked(engine, "habitat")[:2] == ["_defis/2020-01-01-habitat.md", "_defis/2020-01-01-logement.md"]


def test_kind_prior_puts_defis_above_profiles_unless_the_person_is_named(engine):
    assert ranked(engine, "parcelles biologique")[:2] == ["_defis/2018-01-01-cartobio.md",
                                                          "_communaute/2018-01-01-marie-curie.md"]
    assert ranked(engine, "marie curie")[0] == "_communaute/2018-01-01-marie-curie.md"


def test_words_close_together_rank_first(engine):
    assert ranked(engine, "securite maritime")[:2] == ["_posts/2021-01-01-ensemble.md", "_posts/2021-01-02-epars.md"]


def test_matching_more_words_beats_repeating_one(engine):
    assert ranked(engine, "archives versements")[:2] == ["_posts/2021-02-01-deux.md", "_posts/2021-02-02-un.md"]


def test_recency_breaks_ties(engine):
    assert ranked(engine, "phares") == ["_posts/2022-05-01-recent.md", "_posts/2017-05-01-ancien.md"]


def test_acronyms_learned_from_the_site_match_both_ways(engine):
    assert set(ranked(engine, "dam")) >= {"_defis/2019-01-01-cibnav.md", "_posts/2019-06-01-dam.md"}
    assert "_posts/2019-06-01-dam.md" in ranked(engine, "direction des affaires maritimes")


def test_similar_projects_return_shared_terms(engine):
    hits = engine.similar(text="Nous voulons inspecter les navires dans les ports plus souvent.", limit=3)
    assert hits[0].path in ("_defis/2019-01-01-navires.md", "_defis/2019-01-01-navire.md")
    assert {"navires", "ports"} <= set(hits[0].shared_terms) or {"navires", "inspecter"} <= set(hits[0].shared_terms)
    assert all(hit.kind == "défi" for hit in hits)


def test_unknown_compound_matches_its_head_and_words_with_its_prefix(engine):
    result = engine.search(SearchRequest(q="géodonnées", per_page=50))
    assert {hit.path for hit in result.hits} == {"_defis/2017-01-01-geodata.md", "_posts/2017-02-01-donnees.md"}
    assert result.corrected == {"géodonnées": "données"}  # as the pages write it


def test_a_word_matched_through_a_correction_never_counts_for_less_than_a_missing_word():
    # four pages, three query units; unit weights: 1 = the typed words, 0.5 = a correction only
    scorer = Scorer(SimpleNamespace(size=4), np.ones(4, dtype=bool))
    units = [np.array([1.0, 0.5, 0.0, 0.0]),   # the rare word: typed on page 0, corrected on page 1
             np.array([1.0, 0.0, 1.0, 0.0]),
             np.array([1.0, 1.0, 1.0, 1.0])]
    coordination = scorer.coordination(units)
    assert coordination[0] > coordination[2] > coordination[1]  # typed words first
    assert coordination[1] >= coordination[3]  # page 1 is page 3 plus a corrected word


def test_when_no_page_has_the_typed_word_its_best_correction_counts_in_full():
    scorer = Scorer(SimpleNamespace(size=3), np.ones(3, dtype=bool))
    typo = np.array([0.5, 0.0, 0.0])  # only corrections match it, on page 0
    other = np.array([1.0, 1.0, 0.0])
    coordination = scorer.coordination([typo, other])
    assert coordination[0] == pytest.approx(1.0)  # page 0 matches all the index can match
    assert coordination[0] > coordination[1] > coordination[2] == 0


@pytest.fixture(scope="module")
def typo_engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("typo-site")
    files = {
        "_config.yml": CONFIG,
        "_defis/2020-01-01-label.md": page("Étiquetage", f"Un outil d'annotation de textes. {FILLER}"),
        **{f"_posts/2020-0{i}-01-atelier-{i}.md": page(f"Outil {i}", f"Animation d'un atelier. {FILLER}")
           for i in range(1, 5)},
        # a rare word of the site, two edits from a commoner one
        "_defis/2021-01-01-simulation.md": page("LexImpact", f"Simulation des effets d'une loi. {FILLER}"),
        **{f"_posts/2021-0{i}-01-note-{i}.md": page(f"Note {i}", f"La situation générale. {FILLER}")
           for i in range(1, 5)},
        # one query word in a title, against both words in a body
        "_defis/2022-01-01-social.md": page("Social", "Le social, le social et encore le social."),
        "_posts/2022-02-01-compte-rendu.md": page("Compte rendu", f"Le logement social progresse. {FILLER}"),
    }
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    index = tmp_path_factory.mktemp("typo-index")
    build(root, index)
    engine = SearchEngine(index)
    yield engine
    engine.close()


def test_a_typo_is_corrected_to_the_closest_word_first_and_the_page_with_both_words_leads(typo_engine):
    # "anotation": one edit from "annotation" (one page), two from "animation" (four pages, titled "Outil")
    result = typo_engine.search(SearchRequest(q="outil d'anotation", per_page=50))
    assert result.corrected == {"d'anotation": "annotation"}
    assert result.hits[0].path == "_defis/2020-01-01-label.md"


def test_a_word_the_site_has_is_only_corrected_by_a_one_letter_slip(typo_engine):
    result = typo_engine.search(SearchRequest(q="simulation", per_page=50))
    assert result.corrected == {}
    assert [hit.path for hit in result.hits] == ["_defis/2021-01-01-simulation.md"]


def test_with_few_results_pages_matching_part_of_the_query_come_below(typo_engine):
    paths = [hit.path for hit in typo_engine.search(SearchRequest(q="logement social", per_page=50)).hits]
    assert paths == ["_posts/2022-02-01-compte-rendu.md", "_defis/2022-01-01-social.md"]


@pytest.mark.parametrize("acronym, text, expected", [
    ("AFD", "Quand l’Agence Française de Développement (AFD) construit une route", "l’Agence Française de Développement"),
    ("DAM", "la Direction des ports, puis la Direction des affaires maritimes", "Direction des affaires maritimes"),
    ("ARS", "Une agence régionale, puis une autre agence", None),
])
def test_acronyms_are_spelled_out_from_the_initials_of_the_text(acronym, text, expected):
    assert spelled_out(acronym, text) == expected
