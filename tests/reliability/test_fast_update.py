"""``update`` touches what changed and little else, and still gives what a fresh index gives.

Told which files changed (``eig-search watch`` tells it), it neither lists nor stats the rest of
the site; it never reads the whole file table nor every ``_data`` file again, and it reads only
the index files whose size or time changed since they were published. The table is kept as a
read-only ``files.sqlite`` plus the rows changed since (``state.json``), written anew once those
grow: before and after, an updated index answers as a fresh one.
"""

import hashlib
import json
import os
import shutil
import time

import pytest

from indexer.build import filetable
from indexer.build.filetable import file_states
from indexer.build.run import build, update
from indexer.store.generations import IndexStore

from .test_update_derived import BEFORE, DELETED, UNPUBLISHED, answers, change

#: Every file :func:`change` adds, edits, renames, deletes or unpublishes.
CHANGED = ["_posts/2023-01-10-radiophares.md", DELETED, "_posts/2023-01-11-semaphores.md", UNPUBLISHED,
           "_posts/2023-01-12-bouees.md", "_posts/2023-01-12-bouees-houlographes.md",
           "_posts/2023-01-13-ecluses.md", "_posts/2023-01-14-amers.md"]


@pytest.fixture
def site(corpus_copy):
    for path, text in BEFORE.items():
        (corpus_copy / path).write_text(text, "utf-8")
    return corpus_copy


def forbid(monkeypatch, target: str, what: str) -> None:
    def refused(*args, **kwargs):
        raise AssertionError(f"{what} : l'update n'aurait pas dû en avoir besoin")
    monkeypatch.setattr(target, refused)


def derived(index) -> dict:
    store = IndexStore(index)
    folder = store.folder / store.current_name()
    return {name: json.loads((folder / name).read_text("utf-8")) for name in ("facets.json", "acronyms.json")}


def test_an_update_told_which_files_changed_answers_as_a_fresh_index(site, tmp_path):
    updated, fresh = tmp_path / "updated", tmp_path / "fresh"
    build(site, updated)
    change(site)
    report = update(site, updated, changed=CHANGED)  # new files among them: the site is listed
    assert (report.added, report.updated, report.deleted) == (2, 1, 5)
    build(site, fresh)
    assert answers(updated) == answers(fresh)
    assert file_states(IndexStore(updated), "gen-000002") == file_states(IndexStore(fresh), "gen-000001")


def test_an_update_told_of_known_files_looks_at_nothing_else(site, tmp_path, monkeypatch):
    """No listing of the site, no stat of other files, no ``_data`` read again, no whole table."""
    updated, fresh = tmp_path / "updated", tmp_path / "fresh"
    build(site, updated)
    edited, gone = site / "_posts/2023-01-13-ecluses.md", site / "_posts/2023-01-10-radiophares.md"
    edited.write_text(edited.read_text("utf-8").replace("Rhône", "Rhin"), "utf-8")
    gone.unlink()
    with monkeypatch.context() as patched:
        forbid(patched, "indexer.build.loading.discover", "lister le site")
        forbid(patched, "indexer.build.loading.read_bytes", "relire _config.yml ou _data")
        forbid(patched, "indexer.build.filetable.FileTable.all", "lire toute la table")
        report = update(site, updated, changed=["_posts/2023-01-13-ecluses.md", "_posts/2023-01-10-radiophares.md",
                                                "assets/style.css"])
    assert (report.mode, report.added, report.updated, report.deleted) == ("update", 0, 1, 1)
    build(site, fresh)
    assert answers(updated) == answers(fresh)


def test_a_new_folder_or_a_folder_gone_makes_the_update_list_the_site(site, tmp_path):
    index = tmp_path / "index"
    build(site, index)
    shutil.move(site / "_defis", tmp_path / "defis-ailleurs")
    report = update(site, index, changed=["_defis"])
    assert report.deleted > 0 and report.indexed == IndexStore(index).manifest()["documents"]
    shutil.move(tmp_path / "defis-ailleurs", site / "_defis")
    assert update(site, index, changed=["_defis"]).added == report.deleted


def test_the_table_written_anew_after_many_changes_is_a_fresh_table(site, tmp_path, monkeypatch):
    updated, fresh = tmp_path / "updated", tmp_path / "fresh"
    build(site, updated)
    change(site)
    monkeypatch.setattr(filetable, "REWRITE_MIN", 3)
    update(site, updated)
    store = IndexStore(updated)
    with filetable.FileTable(updated / store.current_name()) as table:
        assert table.changes == {} and table.state["rows"] == len(file_states(store, store.current_name()))
    page = site / "_posts/2023-01-14-amers.md"
    page.write_text(page.read_text("utf-8").replace("amers", "amers et les feux"), "utf-8")
    update(site, updated)
    with filetable.FileTable(updated / store.current_name()) as table:
        assert list(table.changes) == ["_posts/2023-01-14-amers.md"]  # below the threshold: kept aside
    build(site, fresh)
    assert file_states(store, store.current_name()) == file_states(IndexStore(fresh), "gen-000001")
    assert derived(updated) == derived(fresh)
    assert answers(updated) == answers(fresh)


def test_only_index_files_whose_time_changed_are_read_before_an_update(site, tmp_path, monkeypatch):
    index = tmp_path / "index"
    build(site, index)
    hashed, file_digest = [], hashlib.file_digest

    def counting(file, digest):
        hashed.append(os.path.relpath(file.name, tmp_path))
        return file_digest(file, digest)
    monkeypatch.setattr(hashlib, "file_digest", counting)
    page = site / "_posts/2023-01-14-amers.md"
    page.write_text(BEFORE["_posts/2023-01-13-ecluses.md"].replace("Écluses du Rhône", "Amers"), "utf-8")
    update(site, index)
    assert [path for path in hashed if path.startswith("index/gen-000001/")] == []  # intact: none read again
    # A copy that did not keep the files' times: each is read once, found intact, built on.
    copy = tmp_path / "copy"
    shutil.copytree(index, copy, copy_function=shutil.copyfile)
    hashed.clear()
    page.write_text(page.read_text("utf-8") + "\nUn feu de plus.\n", "utf-8")
    assert update(site, copy).mode == "update"
    assert [f"copy/gen-000002/{name}" for name in IndexStore(copy).manifest("gen-000002")["files"]] == [
        path for path in hashed if path.startswith("copy/gen-000002/")]
    # Bytes altered in place, the size kept: the time changed, the checksum tells.
    segment = next((copy / "gen-000003").glob("*.pst"))
    with open(segment, "r+b") as file:
        file.write(b"\0" * 64)
    page.write_text(page.read_text("utf-8") + "\nEt un autre.\n", "utf-8")
    report = update(site, copy)
    assert report.mode == "build"
    assert report.note == (f"index endommagé (gen-000003/{segment.name} ne correspond plus à sa somme de "
                           "contrôle) : construction complète")


def test_settings_files_are_read_again_only_when_their_size_or_time_changed(site, tmp_path, monkeypatch):
    (site / "_data").mkdir(exist_ok=True)
    data = site / "_data/zz-phares.yml"
    data.write_text("- link_to: /blog/2023/01/13/ecluses.html\n  promotion: 7\n", "utf-8")
    index = tmp_path / "index"
    build(site, index)
    page = site / "_posts/2023-01-13-ecluses.md"
    page.write_text(page.read_text("utf-8") + "\nLes portes.\n", "utf-8")
    with monkeypatch.context() as patched:
        forbid(patched, "indexer.build.loading.read_bytes", "relire _config.yml ou _data")
        assert update(site, index).mode == "update"
    data.write_text(data.read_text("utf-8").replace("7", "8"), "utf-8")  # same size, another time
    assert update(site, index).note == "_config.yml ou _data modifié : construction complète"


def test_the_site_is_listed_again_only_when_a_folder_changed(site, tmp_path, monkeypatch):
    """Editing pages changes no folder: ``update`` then states the files of its table alone."""
    hour_ago = time.time() - 3600
    for folder in [site, *(path for path in site.rglob("*") if path.is_dir())]:
        os.utime(folder, (hour_ago, hour_ago))  # settled: times older than the clock's resolution
    index = tmp_path / "index"
    build(site, index)
    page = site / "_posts/2023-01-13-ecluses.md"
    page.write_text(page.read_text("utf-8").replace("Rhône", "Rhin"), "utf-8")
    with monkeypatch.context() as patched:
        forbid(patched, "indexer.build.loading.discover", "lister le site")
        assert update(site, index).updated == 1
    (site / "_posts/2023-01-15-feux.md").write_text(BEFORE["_posts/2023-01-12-bouees.md"], "utf-8")
    report = update(site, index)  # _posts changed: listed
    assert (report.added, report.indexed) == (1, IndexStore(index).manifest()["documents"])
    page.write_text(page.read_text("utf-8").replace("Rhin", "Rhône"), "utf-8")
    assert update(site, index).updated == 1  # _posts changed a moment ago: listed again, no harm
