"""An index belongs to its site: ``update`` without ``--site`` reads the site the index was built
from, ``update`` with another site is refused and leaves the index as it was, every command says
which site it read, and the report's counts are true (a page that became a draft is removed)."""

import os

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.search.engine import SearchEngine
from indexer.search.request import SearchRequest
from indexer.store.generations import IndexStore

from .support import CORPUS

POST = "---\ntitle: {title}\n{extra}---\n\n{body}\n"


def post(title: str, body: str = "Un texte sur les phares et les balises.", extra: str = "") -> str:
    return POST.format(title=title, body=body, extra=extra)


@pytest.fixture
def site(make_site):
    return make_site({
        "_config.yml": 'title: "Site des phares"\n',
        "_posts/2021-01-01-phare-du-four.md": post("Phare du Four"),
        "_posts/2021-01-02-phare-de-cordouan.md": post("Phare de Cordouan"),
        "_posts/2021-01-03-balise-de-la-vieille.md": post("Balise de la Vieille"),
    })


def run(*args):
    """``eig-search ARGS`` in this process: (exit code, what it printed, stderr included)."""
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    return result.exit_code, result.output


def documents(index) -> list[str]:
    """The paths of the pages the index serves."""
    engine = SearchEngine(index)
    try:
        return sorted(hit.path for hit in engine.search(SearchRequest(q="", per_page=50)).hits)
    finally:
        engine.close()


def snapshot(index) -> dict:
    """Every file of the index folder (the lock file aside) with its size and modification time."""
    return {path.relative_to(index).as_posix(): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in sorted(index.rglob("*")) if path.is_file() and path.name != ".lock"}


def test_update_without_site_reads_the_site_the_index_was_built_from(site, tmp_path):
    index = tmp_path / "index"
    assert run("index", "--site", site, "--index", index)[0] == 0
    (site / "_posts/2021-01-04-phare-d-eckmuhl.md").write_text(post("Phare d'Eckmühl"), "utf-8")
    code, output = run("update", "--index", index)
    assert code == 0, output
    assert f"Site lu : {site.resolve()}\n" in output
    assert "(ajoutés 1, modifiés 0, supprimés 0, inchangés 3)" in output
    assert documents(index) == ["_posts/2021-01-01-phare-du-four.md", "_posts/2021-01-02-phare-de-cordouan.md",
                                "_posts/2021-01-03-balise-de-la-vieille.md", "_posts/2021-01-04-phare-d-eckmuhl.md"]


def test_update_with_another_site_is_refused_and_leaves_the_index_untouched(site, tmp_path):
    index = tmp_path / "index"
    assert run("index", "--site", site, "--index", index)[0] == 0
    before = snapshot(index)
    code, output = run("update", "--site", CORPUS, "--index", index)
    assert code == 1
    assert output == (f"Erreur : {index} : cet index est celui du site {site.resolve()}, pas de {CORPUS} ; rien n'a "
                      f"été modifié. Pour mettre à jour l'index, omettez --site ; pour y indexer {CORPUS} à la "
                      f"place, `eig-search index --site {CORPUS} --index {index}`\n")
    assert snapshot(index) == before
    assert len(documents(index)) == 3
    link = tmp_path / "lien-vers-le-site"  # the same folder by another path is the same site
    link.symlink_to(site, target_is_directory=True)
    code, output = run("update", "--site", link, "--index", index)
    assert (code, "rien à mettre à jour\n" in output) == (0, True), output


def test_a_moved_site_is_refused_until_indexed_again(site, tmp_path):
    index = tmp_path / "index"
    assert run("index", "--site", site, "--index", index)[0] == 0
    moved = site.rename(tmp_path / "ailleurs")
    before = snapshot(index)
    gone = f"cet index a été construit depuis le site {site.resolve()}, qui n'existe plus (déplacé ou supprimé ?)"
    code, output = run("update", "--index", index)
    assert code == 1 and gone in output and f"`eig-search index --site DOSSIER --index {index}`" in output
    code, output = run("update", "--site", moved, "--index", index)
    assert code == 1 and gone in output and f"`eig-search index --site {moved} --index {index}`" in output
    assert snapshot(index) == before
    code, output = run("index", "--site", moved, "--index", index)
    assert code == 0 and f"Site lu : {moved}\n" in output
    assert IndexStore(index).manifest()["site"] == str(moved)
    assert run("update", "--index", index)[0] == 0


def test_index_without_site_rebuilds_the_site_of_the_index(site, tmp_path):
    index = tmp_path / "index"
    assert run("index", "--site", site, "--index", index)[0] == 0
    code, output = run("index", "--index", index)
    assert code == 0 and f"Site lu : {site.resolve()}\n" in output
    assert "Index gen-000002 : 3 documents (ajoutés 0, modifiés 0, supprimés 0, inchangés 3)" in output


def test_update_without_site_or_index_still_indexes_the_sample_corpus(tmp_path):
    code, output = run("update", "--index", tmp_path / "index")
    assert code == 0 and f"Site lu : {CORPUS}\n" in output
    assert "Index gen-000001 : 101 documents (ajoutés 101" in output


def test_every_command_says_which_site_it_read(site, tmp_path, monkeypatch):
    import searchweb.serve

    monkeypatch.setattr(searchweb.serve, "run", lambda index, **options: None)
    read = f"Site lu : {site.resolve()}\n"
    index = tmp_path / "index"
    for command in (["index", "--site", site, "--index", index], ["update", "--index", index],
                    ["check", "--site", site], ["serve", "--build-if-missing", "--index", tmp_path / "other"]):
        if command[0] == "serve":
            read = f"Site lu : {CORPUS}\n"  # no index yet: the sample corpus
        code, output = run(*command)
        assert code == 0 and read in output, (command, output)
    code, output = run("serve", "--index", index)
    assert code == 0 and f"(index : {index}, site : {site.resolve()})" in output


def test_counts_are_true_for_drafts_unreadable_pages_and_full_rebuilds(site, tmp_path):
    index = tmp_path / "index"
    assert run("index", "--site", site, "--index", index)[0] == 0
    (site / "_posts/2021-01-01-phare-du-four.md").write_text(post("Phare du Four", extra="published: false\n"))
    (site / "_posts/2021-01-02-phare-de-cordouan.md").write_text("")  # empty: skipped
    code, output = run("update", "--index", index)
    assert code == 0, output
    assert "Index gen-000002 : 1 documents (ajoutés 0, modifiés 0, supprimés 2, inchangés 1)" in output
    # A change of _config.yml rebuilds everything: the counts still compare with the index before.
    (site / "_config.yml").write_text('title: "Phares et balises"\n', "utf-8")
    (site / "_posts/2021-01-03-balise-de-la-vieille.md").unlink()
    (site / "_posts/2021-01-05-phare-de-la-jument.md").write_text(post("Phare de la Jument"), "utf-8")
    code, output = run("update", "--index", index)
    assert code == 0 and "_config.yml ou _data modifié : construction complète\n" in output
    assert "Index gen-000003 : 1 documents (ajoutés 1, modifiés 0, supprimés 1, inchangés 0)" in output
    os.utime(site / "_posts/2021-01-05-phare-de-la-jument.md", ns=(1, 1))
    code, output = run("update", "--index", index)
    assert code == 0 and "aucune page modifiée" in output
    assert "(ajoutés 0, modifiés 0, supprimés 0, inchangés 1)" in output
