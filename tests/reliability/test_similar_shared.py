"""« En commun » speaks to a person: the words as the pages write them (accents, capitals of
names and acronyms), only telling words, at most eight, the most telling first; and what else two
projects share — administration, skills, promotion, people — in the API, the page and its notice."""

from collections import Counter

import pytest

from indexer.build.run import build
from indexer.search.profiles import display_form, shared_facts

from .small_sites import DEFIS_CONFIG, write_site

ENTRY = ("{slug}:\n  title: {title}\n  link_to: /defis/2019/{slug}.html\n  administration: \"{admin}\"\n"
         "  promotion: {promotion}\n  skills: [{skills}]\n  eigs: [{eig}]\n  mentors: [{mentor}]\n")
SNDS = ("Contrôle des remboursements. Ils font le contrôle des données du SNDS et des décisions "
        "médicales, avec les ordonnances.")
PAGES = {  # slug: (title, text, administration, promotion, skills, eig, mentor)
    "snds": ("Remboursements", SNDS, "Ministère de l’Intérieur", 3, "dev, design", "Ana", "Paul Roy"),
    "cnam": ("Assurance", "Les ordonnances et les décisions médicales : un contrôle du SNDS.",
             "Ministère de l’Intérieur et Agence des fraudes (AF)", 3, "design", "Bea", "Paul Roy"),
    **{slug: (slug.capitalize(), f"Un projet sur {subject}.", f"Ministère {number}", 1, "dev", f"E{number}",
              f"M{number}")
       for number, (slug, subject) in enumerate({
           "vignes": "les vignes, les vendanges, les caves, les cépages et les gares", "forets": "les forêts et les bûcherons",
           "musees": "les musées et leurs tableaux", "trains": "les trains et les gares",
           "prisons": "les prisons et les détenus", "stades": "les stades et les sportifs",
       }.items())},
}


@pytest.fixture(scope="module")
def site_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("shared-site")
    files = {"_config.yml": DEFIS_CONFIG, "_data/defis.yml": "".join(
        ENTRY.format(slug=slug, title=title, admin=admin, promotion=promotion, skills=skills, eig=eig, mentor=mentor)
        for slug, (title, _text, admin, promotion, skills, eig, mentor) in PAGES.items())}
    for slug, (title, text, *_facts) in PAGES.items():
        files[f"_defis/2019-01-01-{slug}.md"] = f"---\ntitle: {title}\n---\n{text}\n"
    write_site(root, files)
    build(root, root / "index")
    return root / "index"


@pytest.fixture(scope="module")
def engine(site_index):
    from indexer.search.engine import SearchEngine
    engine = SearchEngine(site_index)
    yield engine
    engine.close()


def test_shared_words_are_written_as_the_pages_write_them(engine):
    (hit, *_rest) = engine.similar(path="_defis/2019-01-01-snds.md")
    assert hit.path == "_defis/2019-01-01-cnam.md"
    assert {"contrôle", "SNDS", "décisions", "médicales"} <= set(hit.shared_terms)
    assert not {"controle", "snds", "decisions", "Contrôle"} & set(hit.shared_terms)


def test_only_telling_words_at_most_eight_the_most_telling_first(engine):
    (hit, *_rest) = engine.similar(path="_defis/2019-01-01-snds.md")
    assert len(hit.shared_terms) <= 8
    assert not {"ils", "Ils", "font"} & set(hit.shared_terms)
    # "contrôle" (twice on the page, once in the other) weighs more than each word said once
    assert hit.shared_terms.index("contrôle") < hit.shared_terms.index("ordonnances")
    pasted = engine.similar(text="Ils font le contrôle des ordonnances du SNDS.")
    assert {"contrôle", "SNDS"} <= set(pasted[0].shared_terms) and "font" not in pasted[0].shared_terms


def test_what_else_two_projects_share(engine):
    (hit, *_rest) = engine.similar(path="_defis/2019-01-01-snds.md")
    assert hit.shared_facts == {"ministere": ["Ministère de l’Intérieur"], "skills": ["design"],
                                "promotion": ["3"], "people": ["Paul Roy"]}
    assert engine.similar(text=SNDS)[0].shared_facts == {}  # a pasted text has no administration or team


@pytest.mark.parametrize("seen, form", [
    ({("Contrôle", True): 1, ("contrôle", False): 1}, "contrôle"),
    ({("Contrôle", True): 2}, "contrôle"),  # only ever at the start of a sentence
    ({("Culture", False): 2, ("culture", False): 1}, "Culture"),  # "le ministère de la Culture"
    ({("SNDS", True): 1}, "SNDS"),
])
def test_the_form_shown_is_the_one_the_page_writes(seen, form):
    assert display_form(Counter(seen)) == form


def test_shared_administration_is_the_part_of_the_names_both_have():
    brigade = {"facets": {"administration": ["Ministère de l’Intérieur, Direction générale de la gendarmerie "
                                             "nationale (DGGN)"]}}
    recrues = {"facets": {"administration": ["Direction Générale de la Gendarmerie nationale (DGGN)"]}}
    sante = {"facets": {"administration": ["Ministère de la santé, Direction de la recherche, des études, "
                                           "de l’évaluation et des statistiques"]}}
    other = {"facets": {"administration": ["Direction de la recherche, des études, de l’évaluation et des "
                                           "statistiques"]}}
    assert shared_facts(brigade, recrues) == {"administration": ["Direction Générale de la Gendarmerie nationale"]}
    assert shared_facts(sante, other) == {"administration": [
        "Direction de la recherche, des études, de l’évaluation et des statistiques"]}
    assert shared_facts(brigade, sante) == {}


def test_a_shared_ministry_is_said_as_one_unless_a_service_is_shared():
    brigade = {"facets": {"ministere": ["Ministère de l’Intérieur"], "administration": ["DGGN"]}}
    routes = {"facets": {"ministere": ["Ministère de l'Intérieur"], "administration": ["DSR"]}}
    recrues = {"facets": {"ministere": ["Ministère de l'Intérieur"], "administration": ["DGGN"]}}
    assert shared_facts(brigade, routes) == {"ministere": ["Ministère de l'Intérieur"]}
    assert shared_facts(brigade, recrues) == {"administration": ["DGGN"]}


def test_the_api_and_the_page_say_how_close_and_what_is_shared(site_index, make_app):
    app = make_app({"INDEX_DIR": str(site_index), "TESTING": True, "QUERY_LOG": "off"})
    client = app.test_client()
    hit = client.get("/api/similar?path=_defis/2019-01-01-snds.md").get_json()["hits"][0]
    assert hit["level"] in ("tres-proche", "proche", "eloigne") and 0 < hit["similarity"] <= 1.3
    assert hit["shared_facts"]["people"] == ["Paul Roy"] and "SNDS" in hit["shared_terms"]
    page = client.get("/similaires?path=_defis/2019-01-01-snds.md").get_data(as_text=True)
    assert "Même ministère : Ministère de l’Intérieur" in page
    assert "Même personne : Paul Roy" in page and "Même promotion : 3" in page
    assert '<span class="fr-badge fr-badge--sm fr-badge--no-icon similarity fr-badge--success">Très proche</span>' in page
    assert "Rien de très proche" not in page
    distant = client.get("/similaires?path=_defis/2019-01-01-vignes.md").get_data(as_text=True)
    assert "Rien de très proche parmi les défis : voici les plus proches." in distant  # it only shares "gares" with Trains
    assert '<span class="fr-badge fr-badge--sm fr-badge--no-icon similarity ">Éloigné</span>' in distant
