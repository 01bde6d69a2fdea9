"""Similar projects of a page: its whole profile against each project's, words rare among the
projects counting most, the same administration and the same people bringing pages closer, a
level a person can read; on the real site, the judged neighbours come first."""

import pytest

from indexer.build.run import build, update
from indexer.evaluation.judged import load_queries
from indexer.evaluation.relevance import evaluate
from indexer.search import similar
from indexer.search.engine import SearchEngine

from ..conftest import DEV_QUERIES, PROJECT, SHARED, require
from .small_sites import DEFIS_CONFIG

DEV_PAGES = SHARED / "eval" / "dev-similar-pages.yaml"
OWN_PAGES = PROJECT / "eval" / "site-eig-similar-pages.yaml"

#: Words every défi of the small site uses: they say nothing about one of them.
COMMON = "Une plateforme pour les usagers, construite avec les agents pendant dix mois."


def defi(title: str, body: str) -> str:
    return f"---\ntitle: {title}\n---\n{body} {COMMON}\n"


def data(slug: str, title: str, administration: str, people: list[str]) -> str:
    return (f"{slug}:\n  title: {title}\n  link_to: /defis/2019/{slug}.html\n  administration: {administration}\n"
            f"  mentors: [{', '.join(people)}]\n")


PAGES = {
    "phares": ("Phares", "Les phares et les balises guident la navigation côtière des plaisanciers.",
               "Service hydrographique de la Marine", ["Alice Martin"]),
    # the same words as "phares", each with a word of its own
    "balises": ("Bouées", "Les phares et les balises de la navigation côtière : recenser les bouées.",
                "Direction de la mer", ["Bruno Petit"]),
    "feux": ("Lanternes", "Les phares et les balises de la navigation côtière : décrire les lanternes.",
             "Service hydrographique de la Marine", ["Chloé Roux"]),
    "amers": ("Clochers", "Les phares et les balises de la navigation côtière : dessiner les clochers.",
              "Direction de la mer", ["Alice Martin"]),
    "ecoles": ("Écoles", "Les cantines des écoles servent des repas aux élèves.", "Rectorat", ["Denis Blanc"]),
    "hopital": ("Hôpital", "Les urgences de l'hôpital accueillent les patients la nuit.", "Agence de santé",
                ["Emma Noir"]),
    **{slug: (slug.capitalize(), f"Un projet sur {subject}.", f"Ministère {number}", [f"Personne {number}"])
       for number, (slug, subject) in enumerate({
           "vignes": "les vignes et les vendanges", "forets": "les forêts et les bûcherons",
           "musees": "les musées et leurs tableaux", "impots": "les impôts et les déclarations fiscales",
           "trains": "les trains et les gares", "rivieres": "les crues des rivières",
           "prisons": "les prisons et les détenus", "stades": "les stades et les sportifs",
           "vaccins": "les vaccins et les pharmacies", "abeilles": "les abeilles et les ruches",
       }.items())},
}


def defis_site(make_site, pages=PAGES):
    files = {"_config.yml": DEFIS_CONFIG,
             "_data/defis.yml": "".join(data(slug, *facts[0:1], *facts[2:]) for slug, facts in pages.items())}
    files.update({f"_defis/2019-01-01-{slug}.md": defi(title, body) for slug, (title, body, *_facts) in pages.items()})
    return make_site(files)


@pytest.fixture
def small_site(make_site, tmp_path, open_engine):
    site = defis_site(make_site)
    build(site, tmp_path / "index")
    return site, tmp_path / "index", open_engine(tmp_path / "index")


def by_path(hits):
    return {hit.path.split("-", 3)[-1][:-3]: hit for hit in hits}


def test_the_same_administration_and_the_same_people_bring_a_project_closer(small_site):
    _site, _index, engine = small_site
    hits = engine.similar(path="_defis/2019-01-01-phares.md")
    # "balises", "feux" and "amers" share as many words with "phares"; "feux" has its administration,
    # "amers" a person of its team, "balises" neither.
    assert [hit.path for hit in hits][:3] == ["_defis/2019-01-01-feux.md", "_defis/2019-01-01-amers.md",
                                              "_defis/2019-01-01-balises.md"]

def test_words_every_project_uses_make_no_project_similar(small_site):
    _site, _index, engine = small_site
    hits = engine.similar(path="_defis/2019-01-01-phares.md")
    assert {"ecoles", "hopital"}.isdisjoint(by_path(hits))  # they only share the common sentence
    for hit in hits:
        assert {"plateforme", "usagers", "agents", "mois"}.isdisjoint(word.lower() for word in hit.shared_terms)


def test_each_project_says_how_close_it_is(small_site):
    _site, _index, engine = small_site
    hits = engine.similar(path="_defis/2019-01-01-phares.md")
    assert all(0 < hit.similarity <= 1.3 for hit in hits)
    assert [hit.similarity for hit in hits] == sorted((hit.similarity for hit in hits), reverse=True)
    assert (hits[0].level, hits[0].level_label) == ("tres-proche", "Très proche")
    assert similar.level(0.05, "page") == "eloigne" and similar.level(0.2, "page") == "proche"
    assert similar.level(0.5, "text") == "proche" and similar.level(0.8, "text") == "tres-proche"


def test_an_update_is_compared_at_once(small_site, open_engine):
    site, index, engine = small_site
    assert "ecoles" not in by_path(engine.similar(path="_defis/2019-01-01-phares.md"))
    (site / "_defis/2019-01-01-ecoles.md").write_text(
        defi("Écoles", "Les phares et les balises de la navigation, racontés aux élèves."), "utf-8")
    update(site, index)
    assert "ecoles" in by_path(engine.similar(path="_defis/2019-01-01-phares.md"))


def test_a_very_large_set_of_projects_is_searched_by_the_pages_key_terms(small_site, monkeypatch):
    _site, _index, engine = small_site
    monkeypatch.setattr(similar, "MAX_COMPARED_PAGES", 2)
    hits = engine.similar(path="_defis/2019-01-01-phares.md")
    assert {"balises", "feux", "amers"} <= set(by_path(hits))
    assert "_defis/2019-01-01-phares.md" not in [hit.path for hit in hits]


# -- the real site -------------------------------------------------------------------------------

def judged_ranks(engine: SearchEngine, path) -> list:
    run = evaluate(engine, load_queries(require(path)))
    return [result.rank_any for result in run.results]


def test_a_judged_neighbour_comes_first_for_five_defi_pages_of_six(site_eig_engine):
    ranks = judged_ranks(site_eig_engine, DEV_PAGES)
    assert sum(rank == 1 for rank in ranks) >= 5
    assert all(rank is not None and rank <= 3 for rank in ranks)


def test_the_projects_own_judged_pages_generalise(site_eig_engine):
    """Judged for this project from the défis' titles and descriptions, never tuned on."""
    ranks = judged_ranks(site_eig_engine, OWN_PAGES)
    assert sum(rank == 1 for rank in ranks) >= 17
    assert sum(rank is not None and rank <= 3 for rank in ranks) >= 19


def test_pasted_descriptions_keep_their_ranking(site_eig_engine):
    queries = [query for query in load_queries(require(DEV_QUERIES)) if query.kind == "similar"]
    run = evaluate(site_eig_engine, queries)
    assert sum(result.rank_primary == 1 for result in run.results) >= 5
    assert all(result.rank_any == 1 for result in run.results)
