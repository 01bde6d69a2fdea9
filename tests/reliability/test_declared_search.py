"""A site declares its search (``search:`` in ``_config.yml``, or ``--config FILE``): facets,
project kinds and their labels reach the index, the API, the pages and ``check``; without it,
the programme's site keeps its facets and défis, and any other site gets Jekyll's usual facets
and its largest collection as projects.
"""

import json
import re
import time
from collections import Counter

import pytest
import yaml

from indexer.build.run import build, check
from indexer.fields import PROGRAMME_FACETS
from indexer.store.generations import IndexStore

from ..conftest import SITE_EIG, require
from .startup_site import CONFIG, startup_site
from .support import run_cli

STARTUPS = 40


def front_matters(root, folder: str) -> dict[str, dict]:
    """``{path: front matter}`` of the pages of a folder of the generated site."""
    return {path.relative_to(root).as_posix(): yaml.safe_load(path.read_text("utf-8").split("---")[1])
            for path in sorted((root / folder).glob("*.md"))}


@pytest.fixture(scope="module")
def startups(tmp_path_factory):
    """The issue's site in small, indexed: ``(site, index, report)``."""
    root = startup_site(tmp_path_factory.mktemp("startups") / "site", startups=STARTUPS, people=60, noise=20)
    index = tmp_path_factory.mktemp("startups-index")
    return root, index, build(root, index)


def test_every_page_jekyll_publishes_is_read(startups):
    _root, _index, report = startups
    assert report.kinds == {"startup": STARTUPS, "incubateur": 5, "page": 3, "article": 1}
    assert (report.skipped, report.warnings) == ([], [])
    assert report.notes == [
        "Recherche (_config.yml) : facettes Thématiques, Publics ; projets : Startups",
        "collection people (output: false) : 60 fichiers que Jekyll lit sans en publier de page ; pas d'adresse "
        "où les lier, non indexés"]


def test_the_declared_facets_are_counted_and_filter_the_api(startups, make_app):
    root, index, _report = startups
    pages = front_matters(root, "content/_startups")
    client = make_app({"INDEX_DIR": index}).test_client()
    everything = client.get("/api/search").get_json()
    themes = Counter(theme for meta in pages.values() for theme in meta["thematiques"])
    assert {v["value"]: v["count"] for v in everything["facets"]["thematiques"]} == themes
    users = Counter(user for meta in pages.values() for user in meta["usertypes"])
    assert {v["value"]: v["count"] for v in everything["facets"]["usertypes"]} == {**users, "Agents publics":
                                                                                    users["Agents publics"] + 5}
    assert set(everything["facets"]) == {"thematiques", "usertypes", "kind", "collection"}

    chosen = client.get("/api/search?thematiques=Santé&usertypes=Entreprises&per_page=50").get_json()
    expected = sorted(path for path, meta in pages.items()
                      if "Santé" in meta["thematiques"] and "Entreprises" in meta["usertypes"])
    assert sorted(hit["path"] for hit in chosen["hits"]) == expected and chosen["total"] == len(expected)
    assert all(hit["kind"] == "startup" and "Santé" in hit["thematiques"] for hit in chosen["hits"])
    # each facet is counted with the other's filter only: Santé's count is that of the Entreprises pages
    santé = next(v for v in chosen["facets"]["thematiques"] if v["value"] == "Santé")
    assert (santé["count"], santé["selected"]) == (len(expected), True)


def test_similar_projects_are_of_the_configured_kind(startups, make_app):
    root, index, _report = startups
    client = make_app({"INDEX_DIR": index}).test_client()
    source = "content/_startups/startup-0001.md"
    found = client.get(f"/api/similar?path={source}").get_json()
    assert found["hits"] and all(hit["kind"] == "startup" and hit["path"] != source for hit in found["hits"])
    themes = set(front_matters(root, "content/_startups")[source]["thematiques"])
    assert themes & set(found["hits"][0]["facets"]["thematiques"])
    page = client.get(f"/similaires?path={source}").get_data(as_text=True)
    assert "<h2>Startups proches de « <a href=\"https://produits.exemple.gouv.fr/startups/startup-0001.html\">" \
           "Service 1</a> »</h2>" in page
    assert re.search(r'<span class="fr-badge [^"]*">Startup</span>', page)
    search = client.get("/recherche?q=service").get_data(as_text=True)
    assert re.search(r"<h1[^>]*>Rechercher dans les startups et les articles</h1>", search)
    assert re.findall(r"<legend[^>]*>(.*?)</legend>", search) == ["Thématiques", "Publics"]
    assert "Projets similaires<span" in search  # offered on startups, the projects of this site


def test_check_suggests_facets_ready_to_paste(startups, tmp_path):
    root, _index, _report = startups
    done = run_cli("check", "--site", root, "--json")
    report = json.loads(done.stdout)
    assert report["suggested_facets"] == [
        {"field": "incubator", "values": 5, "pages": STARTUPS,
         "examples": report["suggested_facets"][0]["examples"]}]
    assert "Facettes suggérées" not in done.stdout
    pasted = tmp_path / "site"
    startup_site(pasted, startups=STARTUPS, people=0)
    section = yaml.safe_load(report["search_yaml"])["search"]
    config = yaml.safe_load(CONFIG)
    (pasted / "_config.yml").write_text(yaml.safe_dump({**config, "search": section}, allow_unicode=True), "utf-8")
    again = check(pasted)
    assert again.suggestions == [] and again.notes[0] == \
        "Recherche (_config.yml) : facettes Thématiques, Publics, Incubator ; projets : Startups"


def test_a_config_file_outside_the_site_gives_the_section_and_update_keeps_it(tmp_path):
    root = startup_site(tmp_path / "site", startups=8, people=0)
    config = yaml.safe_load(CONFIG)
    section = config.pop("search")
    (root / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    outside = tmp_path / "recherche.yml"
    outside.write_text(yaml.safe_dump({"search": section}, allow_unicode=True), "utf-8")
    index = tmp_path / "index"
    assert run_cli("index", "--site", root, "--index", index, "--config", outside).returncode == 0
    manifest = IndexStore(index).manifest()
    assert [f["name"] for f in manifest["search"]["facets"]] == ["thematiques", "usertypes", "kind", "collection"]
    assert manifest["search"]["file"] == str(outside)
    (root / "content/_startups/startup-0000.md").write_text(
        "---\ntitle: Nouveau\nthematiques: [Culture]\n---\nMusées.\n", "utf-8")
    done = run_cli("update", "--index", index, "--json")
    assert done.returncode == 0, done.stderr
    stats = json.loads(run_cli("stats", "--index", index, "--json").stdout)
    assert {v["value"] for v in stats["facets"]["thematiques"]} >= {"Culture"}
    assert stats["labels"]["thematiques"] == "Thématiques"
    outside.unlink()
    gone = run_cli("update", "--index", index)
    assert gone.returncode == 1 and "construit avec la configuration de recherche" in gone.stderr


def test_a_misshapen_search_section_is_reported_and_defaults_used(make_site):
    root = make_site({
        "_config.yml": "collections:\n  projets:\n    output: true\n"
                       "search:\n  facets: [page, {label: Sans champ}, theme]\n  projects: [inconnue]\n"
                       "  kinds: [projets]\n  filtres: oui\n",
        "_projets/a.md": "---\ntitle: A\ntheme: Eau\n---\nTexte.\n",
    })
    report = check(root)
    assert [p.reason for p in report.skipped] == [
        "réglage search.filtres inconnu, ignoré (réglages connus : facets, projects, related, kinds, results, exclude)",
        "réglage search.kinds ignoré : ce n'est pas une liste « collection: {singular, plural} »",
        "réglage search.facets : facette « page » ignorée : son nom doit être fait de lettres, chiffres, - ou _, et "
        "différent de date, date_precision, expand, facets, hits, lang, level, links, page, pages, path, per_page, q, score, "
        "shared_terms, similarity, snippet, sort, summary, team, text, title, total, url",
        "réglage search.facets : entrée sans champ (field: nom du champ du front matter), ignorée",
        "réglage search.projects : inconnue n'est pas une collection du site, ignoré",
    ]
    assert report.notes[0] == "Recherche (_config.yml) : facettes Theme ; projets : Projets"


def test_without_a_section_any_site_gets_jekyll_facets_and_its_largest_collection(make_site, tmp_path, make_app):
    root = make_site({
        "_config.yml": "collections:\n  ateliers:\n    output: true\n  outils:\n    output: true\n",
        "_ateliers/a0.md": "---\ntitle: Atelier\ntags: [cartes]\n---\nCuisine et jardinage.\n",
        "_outils/o0.md": "---\ntitle: Sentiers\n---\nCartes des sentiers de randonnée en montagne.\n",
        "_outils/o1.md": "---\ntitle: Refuges\n---\nSentiers de randonnée et refuges de montagne.\n",
        "_outils/o2.md": "---\ntitle: Musées\n---\nAnnuaire des musées et des théâtres.\n",
        "_outils/o3.md": "---\ntitle: Horaires\n---\nHoraires des musées nationaux.\n",
        "_posts/2020-01-01-billet.md": "---\ntitle: Billet\ncategories: [nouvelles]\n---\n"
                                       "Nos sentiers de randonnée en montagne.\n",
        **{f"page{n}.md": f"---\ntitle: Page {n}\n---\nMentions légales et contact.\n" for n in range(8)},
    })
    build(root, tmp_path / "index")
    client = make_app({"INDEX_DIR": tmp_path / "index"}).test_client()
    facets = client.get("/api/search").get_json()["facets"]
    assert set(facets) == {"kind", "tags", "categories", "year", "language", "collection"}
    found = client.post("/api/similar", json={"text": "Refuges et sentiers de randonnée en montagne"}).get_json()
    assert found["hits"][0]["path"] == "_outils/o1.md" and {hit["kind"] for hit in found["hits"]} == {"outils"}
    assert [hit["kind"] for hit in found["articles"]] == ["article"]
    assert "<h2>Outils proches de « " in client.get("/similaires?path=_outils/o0.md").get_data(as_text=True)


def test_the_programme_keeps_its_facets_labels_and_défis(corpus_engine, make_app, corpus_index):
    settings = corpus_engine.settings()
    assert settings.facets == PROGRAMME_FACETS
    assert (settings.projects, settings.related) == (("défi",), ("article", "actualité"))
    assert list(settings.shown.values()) == ["Type de page", "Promotion", "Année", "Ministère", "Administration",
                                             "Étiquettes", "Catégories", "Langue", "Auteur"]
    client = make_app({"INDEX_DIR": corpus_index}).test_client()
    hit = client.get("/api/search?kind=défi").get_json()["hits"][0]
    page = client.get(f"/similaires?path={hit['path']}").get_data(as_text=True)
    assert "<h2>Défis proches de « " in page and "Trouver les défis proches" in page


def test_the_programme_site_has_the_same_pages_and_facets(site_eig_engine):
    require(SITE_EIG)
    stats = site_eig_engine.stats()
    assert stats["facets"]["kind"] == {"personne": 259, "défi": 71, "article": 61, "page": 29}
    assert list(stats["facets"]) == [facet.name for facet in PROGRAMME_FACETS]
    assert {hit.kind for hit in site_eig_engine.similar(text="sécurité maritime des navires")} == {"défi"}


def test_a_site_of_4000_files_is_read_in_a_few_seconds(tmp_path):
    """Most files are no pages: 3,000 people of an output: false collection, packages and images
    in folders Jekyll never reads."""
    root = startup_site(tmp_path / "site", startups=660, people=3000, noise=200)
    assert sum(1 for path in root.rglob("*") if path.is_file()) > 4000
    started = time.perf_counter()
    report = check(root)
    seconds = time.perf_counter() - started
    assert sum(report.kinds.values()) == 669 and report.problems == []
    assert seconds < 30, f"{seconds:.1f} s"  # a few seconds on the bench machine (2 cores)


def test_search_exclude_leaves_out_pages_jekyll_publishes_and_results_chooses_the_hit_line(make_site, tmp_path,
                                                                                           make_app):
    root = make_site({
        "_config.yml": "collections:\n  projets:\n    output: true\n"
                       "search:\n  facets: [theme, porteur]\n  results: [porteur]\n  exclude: [_projets/archives]\n",
        "_projets/eau.md": "---\ntitle: Eau\ntheme: Rivières\nporteur: Mairie\n---\nLes rivières.\n",
        "_projets/archives/ancien.md": "---\ntitle: Ancien\ntheme: Rivières\n---\nArchivé.\n",
    })
    assert build(root, tmp_path / "index").kinds == {"projets": 1}
    page = make_app({"INDEX_DIR": tmp_path / "index"}).test_client().get("/recherche").get_data(as_text=True)
    assert '<p class="hit__facts">Mairie</p>' in page
