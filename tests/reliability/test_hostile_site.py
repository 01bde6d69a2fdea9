"""A hostile site folder: ``eig-search index`` reports every bad file, indexes none of them,
executes nothing, and still indexes the good pages with exit code 0."""

import os

import pytest

from indexer.errors import BadQuery
from indexer.search.engine import SearchEngine
from indexer.search.request import SearchRequest

from .support import run_cli

CONFIG = """\
url: "https://exemple.test"
collections:
  defis:
    output: true
    permalink: /defis/:year/:title.html
"""
GOOD = "---\ntitle: {title}\n---\n\nUne page saine sur les phares et la sécurité maritime.\n"
LEVELS = "abcdefghi"


def alias_bomb() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip(LEVELS, LEVELS[1:]):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "---\n" + "\n".join(lines) + "\ntitle: Bombe\n---\n\nUn milliard de rires.\n"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """``(site, index, marker, expected {relative path: reason fragment}, completed process)``."""
    root = tmp_path_factory.mktemp("hostile")
    site, index, marker = root / "site", root / "index", root / "pwned"
    posts, defis = site / "_posts", site / "_defis"
    posts.mkdir(parents=True)
    defis.mkdir()
    (site / "_config.yml").write_text(CONFIG, "utf-8")
    (defis / "2019-01-01-phares.md").write_text(GOOD.format(title="Phares"), "utf-8")
    (posts / "2020-01-01-bonne-page.md").write_text(GOOD.format(title="Bonne page"), "utf-8")

    os.symlink("/etc/passwd", posts / "2020-01-02-passwd.md")
    os.symlink("/etc", posts / "etc")  # a folder outside the site
    os.symlink("2020-01-03-boucle.md", posts / "2020-01-03-boucle.md")  # a file that points at itself
    os.symlink("..", defis / "remonte")  # a folder loop back to the site root
    with open(posts / "2020-01-04-enorme.md", "w", encoding="utf-8") as big:  # 50 MB of real text
        big.write("---\ntitle: Énorme\n---\n\n")
        line = "Une ligne de texte pour remplir le fichier énorme.\n" * 1000
        while big.tell() < 50 * 2**20:
            big.write(line)
    (posts / "2020-01-05-binaire.md").write_bytes(b"---\ntitle: Binaire\n---\n\x00\x01\x02\xff" * 100)
    (posts / "2020-01-06-python.md").write_text(
        f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n---\n\nCode.\n', "utf-8")
    (posts / "2020-01-07-python-new.md").write_text(
        f"---\ntitle: Objet\nx: !!python/object/new:subprocess.Popen [[touch, {marker}]]\n---\n\nCode.\n", "utf-8")
    (posts / "2020-01-08-bombe.md").write_text(alias_bomb(), "utf-8")
    # Neither UTF-8 nor Windows-1252 (0x81, 0x8d, 0x8f, 0x90 and 0x9d are unassigned in cp1252).
    (posts / "2020-01-09-illisible.md").write_bytes(b"---\ntitle: Illisible\n---\n\nTexte \x81\x8d\x8f\x90\x9d \xc3\x28.\n")
    (posts / "2020-01-10-front-matter-enorme.md").write_text(
        "---\ntitle: Gros\nliste:\n" + "  - élément de liste assez long pour peser\n" * 8_000 + "---\n\nCorps.\n",
        "utf-8")
    expected = {
        "_posts/2020-01-02-passwd.md": "lien symbolique vers l'extérieur du site",
        "_posts/etc": "dossier en lien symbolique non suivi",
        "_posts/2020-01-03-boucle.md": "illisible",
        "_defis/remonte": "dossier en lien symbolique non suivi",
        "_posts/2020-01-04-enorme.md": "fichier trop volumineux",
        "_posts/2020-01-05-binaire.md": "fichier binaire",
        "_posts/2020-01-06-python.md": "front matter mal formé",
        "_posts/2020-01-07-python-new.md": "front matter mal formé",
        "_posts/2020-01-08-bombe.md": "ses alias YAML se déploieraient en",
        "_posts/2020-01-09-illisible.md": "texte illisible",
        "_posts/2020-01-10-front-matter-enorme.md": "front matter trop volumineux",
    }
    done = run_cli("index", "--site", site, "--index", index, timeout=120)
    return site, index, marker, expected, done


def test_hostile_site_is_indexed_with_exit_code_0(hostile):
    _site, _index, _marker, expected, done = hostile
    assert done.returncode == 0, done.stderr
    assert "Index gen-000001 : 2 documents" in done.stderr
    assert f"Fichiers ignorés : {len(expected)} ;" in done.stderr


def test_every_hostile_file_is_reported_with_its_reason(hostile):
    _site, _index, _marker, expected, done = hostile
    reported = {line.split(" : ", 1)[0].split(None, 1)[1]: line.split(" : ", 1)[1]
                for line in done.stderr.splitlines() if line.startswith("ignoré")}
    assert set(reported) == set(expected)
    for path, reason in expected.items():
        assert reason in reported[path], (path, reported[path])


def test_no_hostile_file_is_indexed(hostile):
    _site, index, _marker, expected, _done = hostile
    engine = SearchEngine(index)
    try:
        assert engine.stats()["documents"] == 2
        for path in expected:
            with pytest.raises(BadQuery):
                engine.document(path)
        for word in ("root", "nologin", "lol", "énorme", "illisible", "binaire"):
            assert engine.search(SearchRequest(q=word)).hits == [], word
        assert [hit.path for hit in engine.search(SearchRequest(q="")).hits] == [
            "_posts/2020-01-01-bonne-page.md", "_defis/2019-01-01-phares.md"]
    finally:
        engine.close()


def test_nothing_was_executed(hostile):
    _site, _index, marker, _expected, _done = hostile
    assert not marker.exists()

