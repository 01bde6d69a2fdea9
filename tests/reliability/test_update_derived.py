"""``update`` refreshes everything it derived: after pages are added, edited, renamed, deleted and
unpublished, an updated index answers exactly as a fresh ``index`` of the same site does —
suggestions (titles and words), facet values, counts and display forms, acronyms, statistics,
search results and similar pages."""

import json
import shutil

import pytest

from indexer.build.run import build, update
from indexer.search.engine import SearchEngine
from indexer.search.request import SearchRequest
from indexer.store.generations import IndexStore

POST = "---\ntitle: \"{title}\"\ntags:\n{tags}---\n\n{body}\n"


def post(title: str, tags: list[str], body: str) -> str:
    return POST.format(title=title, tags="".join(f"  - {tag}\n" for tag in tags), body=body)


#: Pages written before the first build: each is then deleted, unpublished, renamed or edited.
BEFORE = {
    "_posts/2023-01-10-radiophares.md": post(
        "Radiophares des Glénan", ["Open Data", "Phares"],
        "La Direction des affaires maritimes (DAM) et le service Armement des phares et balises (APB) "
        "entretiennent les radiophares. La radiogoniométrie a vécu."),
    "_posts/2023-01-11-semaphores.md": post(
        "Sémaphores de la Manche", ["Sémaphores", "Open Data"],
        "Le Centre de surveillance des sémaphores (CSS) écoute le réseau sémaphorique et prévient le sauvetage."),
    "_posts/2023-01-12-bouees.md": post(
        "Bouées connectées", ["Capteurs"], "Des bouées houlographes mesurent la houle au large des phares."),
    "_posts/2023-01-13-ecluses.md": post(
        "Écluses du Rhône", ["Fleuves", "Open Data"], "Les éclusiers du Rhône ouvrent les portes des écluses."),
}
#: Pages of the sample corpus that are deleted and unpublished.
DELETED = "_defis/2018-01-01-balisenav.md"
UNPUBLISHED = "_posts/2019-03-27-atelier-accessibilite-numerique.md"


def change(site) -> None:
    """Add, edit, rename, delete and unpublish pages."""
    (site / "_posts/2023-01-10-radiophares.md").unlink()
    (site / DELETED).unlink()
    for path in ("_posts/2023-01-11-semaphores.md", UNPUBLISHED):
        text = (site / path).read_text("utf-8")
        (site / path).write_text(text.replace("---\n", "---\npublished: false\n", 1), "utf-8")
    (site / "_posts/2023-01-12-bouees.md").rename(site / "_posts/2023-01-12-bouees-houlographes.md")
    (site / "_posts/2023-01-13-ecluses.md").write_text(post(
        "Écluses de la Saône", ["fleuves"],
        "Voies navigables de France (VNF) automatise les écluses de la Saône."), "utf-8")
    (site / "_posts/2023-01-14-amers.md").write_text(post(
        "Amers remarquables", ["open data", "Phares"],
        "Le Service hydrographique et océanographique de la marine (SHOM) décrit les amers."), "utf-8")


QUERIES = ["", "phares", "open data", "radiogoniométrie", "sémaphores sauvetage", "écluses", "bouées houle",
           "DAM", "CROSS", "SHOM", "accessibilité", "navigation en mer", "radiophare", "semaphorique",
           "balisage", "écluse saone"]
FILTERS = [{}, {"tags": ["open data"]}, {"tags": ["Phares", "sémaphores"]}, {"kind": ["article"]}]
PREFIXES = ["Ra", "Radio", "Séma", "Bouées", "Écl", "Amers", "b@l", "Acces", "radiog", "sema", "de", "co", "pro"]


def answers(index) -> dict:
    """Everything the index answers, minus what names the generation or the time it was built."""
    store = IndexStore(index)
    folder = store.folder / store.current_name()
    manifest = store.manifest()
    engine = SearchEngine(index)
    try:
        stats = engine.stats()
        searches = {}
        for q in QUERIES:
            for filters in FILTERS:
                result = engine.search(SearchRequest(q=q, filters=filters, per_page=50))
                searches[q, str(filters)] = (
                    result.total, [(hit.path, hit.score) for hit in result.hits], result.relaxed, result.corrected,
                    result.suggestion, result.drop_filters,
                    {facet: [(v.key, v.value, v.count, v.selected) for v in values]
                     for facet, values in result.facets.items()})
        return {
            "display forms": json.loads((folder / "facets.json").read_text("utf-8")),
            "acronyms": json.loads((folder / "acronyms.json").read_text("utf-8")),
            "manifest": {key: manifest[key] for key in ("site", "settings", "documents", "drafts", "skipped")},
            "stats": {key: value for key, value in stats.items() if key not in ("generation", "built_at")},
            "suggestions": {prefix: engine.suggest(prefix) for prefix in PREFIXES},
            "searches": searches,
            "similar": {
                "page": [(hit.path, hit.score) for hit in engine.similar(path="_defis/2019-01-01-explocode.md")],
                "text": [(hit.path, hit.score, hit.shared_terms) for hit in engine.similar(
                    text="Radiophares, sémaphores et écluses : la surveillance des côtes et des fleuves.",
                    kinds=("défi", "article"))],
            },
        }
    finally:
        engine.close()


@pytest.fixture
def site(corpus_copy):
    for path, text in BEFORE.items():
        (corpus_copy / path).write_text(text, "utf-8")
    return corpus_copy


def test_updated_index_answers_as_a_fresh_index_of_the_same_site(site, tmp_path):
    updated, fresh = tmp_path / "updated", tmp_path / "fresh"
    build(site, updated)
    change(site)
    report = update(site, updated)
    assert (report.mode, report.added, report.updated, report.deleted) == ("update", 2, 1, 5)
    build(site, fresh)
    assert IndexStore(updated).current_name() == "gen-000002"
    got, expected = answers(updated), answers(fresh)
    for part in expected:
        assert got[part] == expected[part], part


def test_deleted_and_unpublished_pages_are_no_longer_suggested(site, tmp_path):
    index = tmp_path / "index"
    build(site, index)
    change(site)
    update(site, index)
    engine = SearchEngine(index)
    try:
        offered = [suggestion for prefix in ("Radio", "Séma", "Bouées", "Écluses", "b@l", "Accessibilité num",
                                             "radiog", "semaph") for suggestion in engine.suggest(prefix)]
        acronyms = engine.generation().thesaurus.alternatives
    finally:
        engine.close()
    titles = {(s["value"], s["url"]) for s in offered if s["type"] == "title"}
    assert {("Bouées connectées", "/blog/2023/01/12/bouees-houlographes.html"),
            ("Écluses de la Saône", "/blog/2023/01/13/ecluses.html")} <= titles
    gone = {"Radiophares des Glénan", "Sémaphores de la Manche", "Écluses du Rhône", "b@liseNAV",
            "Accessibilité numérique : l'atelier qui a fait débrancher les souris"}
    assert not gone & {title for title, _url in titles}
    assert "/blog/2023/01/12/bouees.html" not in {url for _title, url in titles}  # renamed
    words = {s["value"] for s in offered if s["type"] == "term"}
    assert words and not words & {"radiogoniometrie", "semaphorique"}
    assert [name for name in ("apb", "css", "rgaa", "vnf") if (name,) in acronyms] == ["vnf"]


def test_a_segment_rewritten_by_the_update_leaves_nothing_behind(site, tmp_path):
    """Three updates in a row (Whoosh merges the small segments they write, dropping what they
    deleted) still answer as a fresh index."""
    updated, fresh = tmp_path / "updated", tmp_path / "fresh"
    build(site, updated)
    change(site)
    update(site, updated)
    for round_ in range(2):
        page = site / f"_posts/2023-02-0{round_ + 1}-balise-{round_}.md"
        page.write_text(post(f"Balise numéro {round_}", ["Balises"], "Une balise cardinale."), "utf-8")
        update(site, updated)
        page.unlink()
        update(site, updated)
    shutil.rmtree(fresh, ignore_errors=True)
    build(site, fresh)
    assert answers(updated) == answers(fresh)
