"""English queries over French pages: a cheap detector, the curated glossary and the pairs the
site provides (bilingual ``_data`` files, pages in both languages), applied below the typed words
and only to queries that read as English; English words French pages use match as before."""

import json

import pytest

from indexer.build.run import build
from indexer.evaluation.judged import load_queries
from indexer.evaluation.relevance import evaluate
from indexer.language.detect import language_of, reads_as_english
from indexer.language.glossary import SITE_PAIRS_FILE, Glossary, glossary, load_entries, word_pairs
from indexer.search.request import SearchRequest
from indexer.site.bilingual import data_pairs, walk
from indexer.store.generations import IndexStore

from ..conftest import DEV_QUERIES, PROJECT, SHARED, require
from .small_sites import DEFIS_CONFIG, write_site

DEV_ENGLISH = SHARED / "eval" / "dev-english.yaml"
OWN_ENGLISH = PROJECT / "eval" / "site-eig-english.yaml"


def vocabulary(french_words=()) -> Glossary:
    """The curated glossary, its site's French pages using ``french_words``."""
    found = glossary()
    found.used_in_french = lambda word: word in french_words
    return found


# -- the detector ---------------------------------------------------------------------------------

@pytest.mark.parametrize("query, english", [
    ("fake online reviews", True),
    ("emergency calls", True),
    ("help for refugees", True),  # "for": an English stop word
    ("slums", True),
    ("données de santé", False),
    ("fraude fiscale", False),
    ("open data", False),  # words the French pages use say nothing
    ("design", False),
    ("health data", True),  # "data" says nothing, "health" is English
    ("catalogue bibliothèque", False),  # one English word against one French one
])
def test_a_query_reads_as_english_when_more_of_its_words_are(query, english):
    site = vocabulary(french_words={"open", "data", "design", "donnees", "sante", "fraude", "fiscale",
                                    "bibliotheque"})
    assert reads_as_english(query.split(), site) is english


def test_the_language_of_a_word():
    site = vocabulary(french_words={"data", "ville"})
    assert [language_of(word, site) for word in ["the", "les", "reviews", "subsidies", "data", "ville", "zzxq"]] == [
        "en", "fr", "en", "en", None, "fr", None]


# -- the glossary -----------------------------------------------------------------------------------

def test_the_curated_glossary_translates_phrases_before_words():
    entries = load_entries()
    assert entries["road safety"][0] == "sécurité routière" and "urgence" in entries["emergency"]
    found = glossary(entries={"road safety": ["sécurité routière"], "road": ["route"], "safety": ["sécurité"],
                              "data": ["données", "data"], "design": ["design"]})
    assert found.spans(["road", "safety", "data"]) == [(0, 2, [("securite", "routiere")]), (2, 3, [("donnees",)])]
    assert found.spans(["roads"]) == [(0, 1, [("route",)])]  # English stems: plurals meet
    assert ("design",) not in found.translations  # spelled alike: nothing to add
    assert {"road", "safety", "data"} <= found.english_words and "design" not in found.english_words


def test_site_pairs_give_the_words_that_always_go_together():
    pairs = [["Défis", "Challenges"], ["Nos défis en cours", "Our current challenges"],
             ["Les défis passés", "Past challenges"], ["Communauté", "Community"],
             ["Frais de déplacement", "Travel expenses"], ["Frais de séjour", "Living expenses"]]
    found = word_pairs(pairs)
    assert ("challenges", "defis") in found and ("community", "communaute") in found
    assert ("expenses", "frais") in found
    assert not any(english == "travel" for english, _french in found)  # "déplacement" or "frais": a tie
    site = glossary(site_pairs=pairs, entries={"challenge": ["défi"]})
    assert site.translations[("challeng",)] == [("defi",)]  # the curated entry first


def test_bilingual_data_files_are_walked_together(make_site):
    root = make_site({
        "_config.yml": "title: Site\n",
        "_data/nav.yml": "- {name: Programme, id: p, children: [{name: Présentation}, {name: Candidater}]}\n"
                         "- {name: Défis, id: d}\n",
        "_data/nav-en.yml": "- {name: Challenges, id: d}\n"
                            "- {name: Program, id: p, children: [{name: Presentation}, {name: Apply}]}\n",
        "_data/faq.yml": "- {question: Qui peut candidater ?, anchor: qui}\n- {question: Combien ?, anchor: combien}\n",
        "_data/faq-en.yml": "- {question: Who can apply?, anchor: qui}\n",
        "_data/labels.yml": "fr: {contact: Nous contacter, plan: Plan du site}\nen: {contact: Contact us}\n",
    })
    assert data_pairs(root) == [["Qui peut candidater ?", "Who can apply?"], ["Nous contacter", "Contact us"],
                                ["Programme", "Program"], ["Présentation", "Presentation"],
                                ["Candidater", "Apply"], ["Défis", "Challenges"]]
    assert walk(["a", "b"], ["x"]) == []  # lists of different lengths without identities: nothing


# -- applied to searches ------------------------------------------------------------------------------



@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from indexer.search.engine import SearchEngine
    root = tmp_path_factory.mktemp("english-site")
    files = {
        "_config.yml": DEFIS_CONFIG,
        "_data/nav.yml": "- {name: Accompagnement, id: a}\n- {name: Mentorat des porteurs, id: m}\n",
        "_data/nav-en.yml": "- {name: Coaching, id: a}\n- {name: Mentoring, id: m}\n",
        "_defis/2019-01-01-avis.md": "---\ntitle: Faux avis\n---\nRepérer les faux avis en ligne des consommateurs.\n",
        "_defis/2019-01-01-urgence.md": "---\ntitle: Urgences\n---\nLes appels d'urgence et les numéros d'urgence.\n",
        "_defis/2019-01-01-accompagnement.md": "---\ntitle: Programme\n---\nL'accompagnement des équipes.\n",
        "_defis/2019-01-01-reviews.md": "---\ntitle: Fake reviews\n---\nSpotting fake reviews online of consumers.\n",
        "_defis/2019-01-01-opendata.md": "---\ntitle: Ouverture\n---\nL'open data et le design des services.\n",
        "_defis/2019-01-02-opendata.md": "---\ntitle: Publier\n---\nL'open data des communes, avec design.\n",
        "_defis/2019-01-03-opendata.md": "---\ntitle: Partager\n---\nOpen data, données ouvertes et design.\n",
        "_posts/2019-01-01-jeux.md": "---\ntitle: Jeux\n---\nLes données ouvertes des jeux.\n",
        "en/_posts/2019-01-01-jeux.md": "---\ntitle: Games\n---\nThe open data of games.\n",
    }
    write_site(root, files)
    build(root, root / "index")
    store = IndexStore(root / "index")
    saved = json.loads((store.folder / store.current_name() / SITE_PAIRS_FILE).read_text("utf-8"))
    assert ["Accompagnement", "Coaching"] in saved  # extracted at index time, kept with the generation
    engine = SearchEngine(root / "index")
    yield engine
    engine.close()


def paths(engine, query):
    return [hit.path.rsplit("/", 1)[-1] for hit in engine.search(SearchRequest(q=query)).hits]


def test_an_english_query_finds_the_french_page(engine):
    assert paths(engine, "emergency calls")[0] == "2019-01-01-urgence.md"
    assert "2019-01-01-avis.md" in paths(engine, "fake online reviews")


def test_translations_weigh_less_than_the_typed_words(engine):
    found = paths(engine, "fake online reviews")
    assert found.index("2019-01-01-reviews.md") < found.index("2019-01-01-avis.md")


def test_words_the_site_translates_itself(engine):
    assert paths(engine, "coaching")[0] == "2019-01-01-accompagnement.md"  # from _data/nav-en.yml
    assert "2019-01-01-jeux.md" in paths(engine, "games")  # from en/_posts/… and its French twin


def test_english_words_french_pages_use_match_as_before(engine):
    generation = engine.generation()
    before = {query: paths(engine, query) for query in ("open data", "design", "open data design")}
    generation.glossary, kept = Glossary(), generation.glossary
    generation.results.clear()
    try:
        assert {query: paths(engine, query) for query in before} == before
    finally:
        generation.glossary = kept
        generation.results.clear()


def test_a_french_query_is_not_translated(engine):
    assert paths(engine, "appels d'urgence") == ["2019-01-01-urgence.md"]


# -- the real site ------------------------------------------------------------------------------------

def primary_first(engine, path) -> int:
    run = evaluate(engine, load_queries(require(path)))
    return sum(result.rank_primary == 1 for result in run.results)


def test_english_queries_find_the_right_defi_first(site_eig_engine):
    assert primary_first(site_eig_engine, DEV_ENGLISH) >= 5


def test_the_projects_own_english_queries_generalise(site_eig_engine):
    assert primary_first(site_eig_engine, OWN_ENGLISH) >= 14


def test_french_keyword_queries_keep_their_ranking(site_eig_engine):
    queries = [query for query in load_queries(require(DEV_QUERIES)) if query.kind == "keyword"]
    run = evaluate(site_eig_engine, queries)
    assert sum(result.rank_primary == 1 for result in run.results) >= 25
    assert all(result.rank_any == 1 for result in run.results)
