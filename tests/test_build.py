"""Building and updating real indexes on disk: generations, incremental updates, lock, bad files."""

import os
import shutil
import threading

import pytest

from indexer.build.loading import Site
from indexer.build.run import build, check, update
from indexer.errors import IndexLocked, IndexOutdated
from indexer.search.request import SearchRequest
from indexer.store.generations import IndexStore
from indexer.store.schema import SCHEMA_VERSION

from .conftest import FIXTURES

POST = "---\ntitle: {title}\n---\n{body}\n"


def paths(engine, q=""):
    return sorted(hit.path for hit in engine.search(SearchRequest(q=q, per_page=50)).hits)


@pytest.fixture
def small_site(make_site):
    return make_site({
        "_posts/2020-01-01-phares.md": POST.format(title="Phares", body="Les phares guident les navires."),
        "_posts/2020-01-02-balises.md": POST.format(title="Balises", body="Les balises signalent les dangers."),
        "_posts/2020-01-03-ports.md": POST.format(title="Ports", body="Les ports accueillent les navires."),
    })


def test_build_then_update_adds_edits_and_deletes(small_site, tmp_path, open_engine):
    index = tmp_path / "index"
    first = build(small_site, index)
    assert (first.indexed, first.generation) == (3, "gen-000001")

    (small_site / "_posts/2020-01-02-balises.md").unlink()
    (small_site / "_posts/2020-01-03-ports.md").write_text(POST.format(title="Ports", body="Les quais et les grues."))
    (small_site / "_posts/2020-01-04-epaves.md").write_text(POST.format(title="Épaves", body="Des navires coulés."))
    report = update(small_site, index)
    assert (report.added, report.updated, report.deleted, report.unchanged, report.indexed) == (1, 1, 1, 1, 3)

    engine = open_engine(index)
    assert paths(engine) == ["_posts/2020-01-01-phares.md", "_posts/2020-01-03-ports.md",
                             "_posts/2020-01-04-epaves.md"]
    assert paths(engine, "navire") == ["_posts/2020-01-01-phares.md", "_posts/2020-01-04-epaves.md"]
    assert paths(engine, "grues") == ["_posts/2020-01-03-ports.md"]
    assert paths(engine, "balises") == []


def test_update_with_nothing_changed_writes_no_generation(small_site, tmp_path):
    build(small_site, tmp_path / "index")
    report = update(small_site, tmp_path / "index")
    assert (report.generation, report.note, report.unchanged) == ("gen-000001", "rien à mettre à jour", 3)


def test_touched_but_unchanged_file_is_not_rewritten(small_site, tmp_path):
    build(small_site, tmp_path / "index")
    os.utime(small_site / "_posts/2020-01-01-phares.md", ns=(1, 1))
    report = update(small_site, tmp_path / "index")
    assert (report.added, report.updated, report.note) == (0, 0, "aucune page modifiée")


def test_config_change_triggers_full_build(small_site, tmp_path):
    build(small_site, tmp_path / "index")
    (small_site / "_config.yml").write_text("permalink: /:title/\n")
    report = update(small_site, tmp_path / "index")
    assert (report.mode, report.note) == ("build", "_config.yml ou _data modifié : construction complète")


def test_old_generation_is_untouched_by_an_update(small_site, tmp_path):
    index = tmp_path / "index"
    build(small_site, index)
    store = IndexStore(index)
    _, old = store.open("gen-000001")
    old_searcher = old.searcher()
    (small_site / "_posts/2020-01-01-phares.md").unlink()
    update(small_site, index)
    assert store.current_name() == "gen-000002"
    # A reader still on the old generation sees the old corpus, whole.
    assert old_searcher.doc_count() == 3
    assert store.manifest("gen-000001")["documents"] == 3
    assert store.manifest("gen-000002")["documents"] == 2
    old_searcher.close()


def test_generations_are_pruned_and_orphans_removed(small_site, tmp_path):
    index = tmp_path / "index"
    for _ in range(5):
        build(small_site, index)
    (index / "gen-000099.tmp").mkdir()
    build(small_site, index)
    assert IndexStore(index).generations() == ["gen-000004", "gen-000005", "gen-000006"]
    assert not (index / "gen-000099.tmp").exists()


def test_second_indexer_is_refused_while_the_first_holds_the_lock(small_site, tmp_path, open_engine):
    index = tmp_path / "index"
    build(small_site, index)
    with IndexStore(index).lock():
        with pytest.raises(IndexLocked, match="un autre indexeur travaille déjà"):
            build(small_site, index)
    assert open_engine(index).search(SearchRequest()).total == 3


def test_schema_version_mismatch_asks_for_a_rebuild(small_site, tmp_path, open_engine):
    index = tmp_path / "index"
    build(small_site, index)
    manifest = index / "gen-000001" / "manifest.json"
    manifest.write_text(manifest.read_text().replace(f'"schema_version": {SCHEMA_VERSION}', '"schema_version": 0'))
    with pytest.raises(IndexOutdated, match="reconstruisez-le"):
        open_engine(index).search(SearchRequest())
    assert update(small_site, index).note == "format d'index modifié : construction complète"


def test_failed_build_leaves_the_current_index_alone(small_site, tmp_path, monkeypatch, open_engine):
    index = tmp_path / "index"
    build(small_site, index)

    def explode(*args, **kwargs):
        raise RuntimeError("disque plein")
    monkeypatch.setattr("indexer.store.generations.IndexStore.publish", explode)
    with pytest.raises(RuntimeError):
        build(small_site, index)
    assert IndexStore(index).generations() == ["gen-000001"]
    assert not list(index.glob("*.tmp"))
    assert open_engine(index).search(SearchRequest()).total == 3


def test_reader_keeps_answering_during_rebuilds(small_site, tmp_path, open_engine):
    index = tmp_path / "index"
    build(small_site, index)
    engine = open_engine(index)
    totals, errors = [], []
    stop = threading.Event()

    def read():
        while not stop.is_set():
            try:
                totals.append(engine.search(SearchRequest(q="navires")).total)
            except Exception as error:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(error)

    reader = threading.Thread(target=read)
    reader.start()
    for _ in range(4):
        build(small_site, index)
    stop.set()
    reader.join()
    assert not errors
    assert totals and set(totals) == {2}
    assert engine.generation().name == "gen-000005"


def bad_site_copy(tmp_path):
    root = tmp_path / "bad-site"
    shutil.copytree(FIXTURES / "bad-site", root)
    (root / "_posts/2020-02-01-enorme.md").write_bytes(b"---\ntitle: x\n---\n" + b"a" * (5 * 1024 * 1024 + 1))
    (root / "lien-passwd.md").symlink_to("/etc/passwd")
    (root / "dossier-lie").symlink_to("/etc")
    (root / "boucle").symlink_to(root)
    (root / "lien-interne.md").symlink_to(root / "_posts/2020-01-01-bonne-page.md")
    return root


EXPECTED_PROBLEMS = {
    "_data/casse.yml": "fichier de données mal formé",
    "objet-python.md": "front matter mal formé",
    "bombe-alias.md": "front matter : ses alias YAML se déploieraient",
    "_posts/2020-01-02-yaml-mal-forme.md": "front matter mal formé",
    "_posts/2020-01-03-front-matter-ouvert.md": "front matter non fermé",
    "_posts/2020-01-05-vide.md": "fichier vide",
    "_posts/2020-01-06-binaire.md": "fichier binaire",
    "_posts/sans-date.md": "le nom de l'article ne commence pas par une date",
    "_posts/2020-02-01-enorme.md": "fichier trop volumineux",
    "lien-passwd.md": "lien symbolique vers l'extérieur du site",
    "dossier-lie": "dossier en lien symbolique non suivi",
    "boucle": "dossier en lien symbolique non suivi",
}


def test_every_bad_file_is_reported_and_the_rest_indexed(tmp_path, open_engine):
    root = bad_site_copy(tmp_path)
    report = build(root, tmp_path / "index")
    reported = {problem.path: problem.reason for problem in report.skipped}
    assert set(reported) == set(EXPECTED_PROBLEMS)
    for path, reason in EXPECTED_PROBLEMS.items():
        assert reported[path].startswith(reason), (path, reported[path])
    assert [(w.path, w.reason) for w in report.warnings] == [
        ("_posts/2020-01-04-windows-1252.md", "pas en UTF-8 : lu comme du Windows-1252 (cp1252)")]
    assert sorted(report.drafts) == ["_posts/2020-01-08-non-publie.md", "_posts/_2020-01-07-brouillon.md"]
    engine = open_engine(tmp_path / "index")
    assert paths(engine) == ["_defis/2019-01-01-phares.md", "_posts/2020-01-01-bonne-page.md",
                             "_posts/2020-01-04-windows-1252.md", "lien-interne.md"]
    assert paths(engine, "déjà vu œuvre") == ["_posts/2020-01-04-windows-1252.md"]
    # The data file that parses still reaches its page; the broken one is only reported.
    assert engine.search(SearchRequest(q="phares", filters={"promotion": ["3"]})).total == 1
    assert not os.path.exists("/tmp/eig-search-pwned")


def test_check_reports_without_writing(tmp_path):
    report = check(bad_site_copy(tmp_path))
    assert len(report.skipped) == len(EXPECTED_PROBLEMS)
    assert len(report.warnings) == 1
    assert not (tmp_path / "index").exists()


def test_large_site_is_indexed_in_one_segment_per_worker(make_site, tmp_path, open_engine):
    files = {f"_posts/2020-01-{1 + i % 28:02d}-page-{i}.md": POST.format(title=f"Page {i}", body=f"mot{i} commun")
             for i in range(260)}
    files["_posts/_2020-01-01-brouillon.md"] = POST.format(title="x", body="y")
    files["_posts/2020-01-02-vide.md"] = ""
    root = make_site(files)
    report = build(root, tmp_path / "index", processes=2)
    assert (report.indexed, report.drafts, [p.path for p in report.skipped]) == (
        260, ["_posts/_2020-01-01-brouillon.md"], ["_posts/2020-01-02-vide.md"])
    _, index = IndexStore(tmp_path / "index").open()
    assert len(index._segments()) == 2
    engine = open_engine(tmp_path / "index")
    assert engine.search(SearchRequest(q="commun")).total == 260
    assert paths(engine, "mot137") == ["_posts/2020-01-26-page-137.md"]
    # An update on top of the two segments works as on a single one.
    (root / "_posts/2020-01-26-page-137.md").write_text(POST.format(title="Page 137", body="nouveau"))
    assert update(root, tmp_path / "index").updated == 1
    assert paths(open_engine(tmp_path / "index"), "nouveau") == ["_posts/2020-01-26-page-137.md"]


def test_update_reuses_the_parsed_data_files(small_site, tmp_path, monkeypatch):
    (small_site / "_data").mkdir()
    (small_site / "_data/pages.yml").write_text("- link_to: /2020/01/01/phares.html\n  promotion: 9\n")
    build(small_site, tmp_path / "index")
    monkeypatch.setattr("indexer.build.loading.read_data_file", lambda path: pytest.fail("_data parsed again"))
    (small_site / "_posts/2020-01-02-balises.md").write_text(POST.format(title="Balises", body="Des bouées."))
    assert update(small_site, tmp_path / "index").updated == 1


def test_large_data_files_are_parsed_in_child_processes_with_the_same_result(small_site, monkeypatch):
    (small_site / "_data").mkdir()
    (small_site / "_data/a.yml").write_text("- link_to: /2020/01/01/phares.html\n  promotion: 1\n  ville: Brest\n")
    (small_site / "_data/b.yml").write_text("- link_to: /2020/01/01/phares.html\n  promotion: 2\n")
    (small_site / "_data/c.yml").write_text("- link_to: [non fermé\n")
    in_process = Site(small_site, processes=1)
    monkeypatch.setattr("indexer.build.loading.DATA_POOL_BYTES", 0)
    pooled = Site(small_site, processes=2)
    assert pooled.data == in_process.data
    assert pooled.data.for_url("/2020/01/01/phares.html") == {
        "link_to": "/2020/01/01/phares.html", "promotion": 2, "ville": "Brest"}  # later files win
    assert [problem.path for problem in pooled.data_problems] == ["_data/c.yml"]


def test_config_exclude_is_respected(make_site, tmp_path, open_engine):
    root = make_site({"_config.yml": "exclude: [brouillons, notes/*.md]\n",
                      "brouillons/page.md": POST.format(title="a", body="caché"),
                      "notes/page.md": POST.format(title="b", body="caché"),
                      "visible.md": POST.format(title="c", body="montré")})
    build(root, tmp_path / "index")
    assert paths(open_engine(tmp_path / "index")) == ["visible.md"]
