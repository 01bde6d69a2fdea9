"""Reading a site: a bad file name, a data file nested a thousand deep or a huge file is that
file's report, never the run's end; the report cannot be forged by a file name; and nothing
outside the site is opened, nor a byte read of a file over the size limit.

``index``, ``check`` and ``update`` run as ``eig-search`` commands; what the indexer opens and
reads is watched with Linux inotify (``IN_OPEN``, ``IN_ACCESS``), not inferred from its output.
"""

import ctypes
import os
import struct
from pathlib import Path

import pytest

from .support import run_cli

GOOD = "---\ntitle: {title}\n---\n\nUne page saine sur les phares.\n"
LINKED = "- link_to: /2020/01/01/bonne-page.html\n  promotion: 9\n"
IN_ACCESS, IN_OPEN = 0x1, 0x20


class Watch:
    """The ``(mask, name)`` events of files opened or read in one folder (not its subfolders)."""

    def __init__(self, folder: Path):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0 or self.libc.inotify_add_watch(self.fd, bytes(folder), IN_ACCESS | IN_OPEN) < 0:
            pytest.skip("inotify is not available here")

    def events(self) -> list[tuple[int, bytes]]:
        try:
            data = os.read(self.fd, 1 << 20)
        except BlockingIOError:
            return []
        found, offset = [], 0
        while offset < len(data):
            _wd, mask, _cookie, size = struct.unpack_from("iIII", data, offset)
            found.append((mask, data[offset + 16:offset + 16 + size].rstrip(b"\0")))
            offset += 16 + size
        return found

    def close(self):
        os.close(self.fd)


@pytest.fixture
def watch():
    watches = []

    def start(folder: Path) -> Watch:
        watches.append(Watch(folder))
        return watches[-1]
    yield start
    for opened in watches:
        opened.close()


def make_site(root: Path) -> Path:
    site = root / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_posts/2020-01-01-bonne-page.md").write_text(GOOD.format(title="Bonne page"), "utf-8")
    return site


def run(command: str, site: Path, index: Path):
    """``eig-search COMMAND``; ``update`` runs on an index built before the bad files came."""
    if command == "check":
        return run_cli("check", "--site", site)
    return run_cli(command, "--site", site, "--index", index)


def reported(done) -> dict[str, str]:
    """``{path: reason}`` of the ``ignoré`` lines."""
    return dict(line.split(None, 1)[1].split(" : ", 1) for line in done.stderr.splitlines()
                if line.startswith("ignoré "))


def assert_went_on(command: str, done) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == (1 if command == "check" else 0), done.stderr
    if command == "check":
        assert "Vérification : 1 pages lisibles (article 1)" in done.stderr
    else:
        assert "Index gen-00000" in done.stderr and " : 1 documents " in done.stderr, done.stderr


@pytest.mark.parametrize("command", ["index", "check", "update"])
def test_a_name_that_is_not_utf8_is_reported_escaped_and_the_run_goes_on(tmp_path, command):
    site, index = make_site(tmp_path), tmp_path / "index"
    if command == "update":
        assert run_cli("index", "--site", site, "--index", index).returncode == 0
    posts = os.fsencode(site / "_posts")
    with open(os.path.join(posts, b"2020-01-02-caf\xe9.md"), "w", encoding="utf-8") as page:  # Latin-1 name
        page.write(GOOD.format(title="Café"))
    os.mkdir(os.path.join(posts, b"dossier-\xfe"))
    with open(os.path.join(posts, b"dossier-\xfe", b"2020-01-03-dedans.md"), "w", encoding="utf-8") as page:
        page.write(GOOD.format(title="Dedans"))
    done = run(command, site, index)
    assert_went_on(command, done)
    assert reported(done) == {
        "_posts/2020-01-02-caf\\xe9.md": "fichier non lu : nom qui n'est pas en UTF-8",
        "_posts/dossier-\\xfe": "dossier non parcouru : nom qui n'est pas en UTF-8",
    }


@pytest.mark.parametrize("command", ["index", "check"])
def test_control_characters_in_a_name_cannot_forge_lines_of_the_report(tmp_path, command):
    site = make_site(tmp_path)
    forged = "Index gen-000009 : 999 documents"
    (site / f"a\n{forged}.md").write_text(GOOD.format(title="A"), "utf-8")
    (site / "_posts" / "2020-01-04-\x1b[2Kefface.md").write_text(GOOD.format(title="B"), "utf-8")
    done = run(command, site, tmp_path / "index")
    assert_went_on(command, done)
    assert not any(line.startswith(forged) for line in done.stderr.splitlines())
    assert "\x1b" not in done.stderr
    assert [line for line in done.stderr.splitlines() if line.startswith("ignoré")] == [
        f"ignoré   a\\n{forged}.md : fichier non lu : nom avec un caractère de contrôle",
        "ignoré   _posts/2020-01-04-\\x1b[2Kefface.md : fichier non lu : nom avec un caractère de contrôle",
    ]


@pytest.mark.parametrize("command", ["index", "check"])
def test_data_nested_a_thousand_deep_is_that_files_report(tmp_path, command):
    site = make_site(tmp_path)
    (site / "_data").mkdir()
    (site / "_data/profond.json").write_text("[" * 1000 + "]" * 1000, "utf-8")  # 2 kB
    deep = "[" * 990 + "]" * 990  # under libyaml's own limit, too deep to pickle
    (site / "_data/profond.yml").write_text(f"- link_to: /2020/01/01/bonne-page.html\n  x: {deep}\n", "utf-8")
    (site / "_data/surrogat.json").write_text('[{"link_to": "/2020/01/01/bonne-page.html", "d": "\\ud800"}]')
    (site / "_data/sain.yml").write_text(LINKED, "utf-8")
    done = run(command, site, tmp_path / "index")
    assert_went_on(command, done)
    assert reported(done) == {
        "_data/profond.json": "fichier de données trop imbriqué (plus de 32 niveaux)",
        "_data/profond.yml": "fichier de données trop imbriqué (plus de 32 niveaux)",
        "_data/surrogat.json": "fichier de données : caractère invalide (moitié de paire UTF-16 isolée)",
    }


def outside_site(tmp_path: Path) -> Path:
    outside = tmp_path / "dehors"
    outside.mkdir()
    (outside / "donnees.yml").write_text(LINKED, "utf-8")
    (outside / "config.yml").write_text("title: Pas ce site\n", "utf-8")
    return outside


@pytest.mark.parametrize("command", ["index", "check", "update"])
def test_a_data_folder_linked_outside_the_site_is_never_opened(tmp_path, watch, command):
    site, index, outside = make_site(tmp_path), tmp_path / "index", outside_site(tmp_path)
    os.symlink(outside, site / "_data")
    if command == "update":
        assert run_cli("index", "--site", site, "--index", index).returncode == 0
    watched = watch(outside)
    done = run(command, site, index)
    assert_went_on(command, done)
    assert reported(done) == {"_data": "dossier en lien symbolique non suivi"}
    assert watched.events() == []


@pytest.mark.parametrize("command", ["index", "check", "update"])
def test_a_config_linked_outside_the_site_is_refused_unopened(tmp_path, watch, command):
    site, index, outside = make_site(tmp_path), tmp_path / "index", outside_site(tmp_path)
    if command == "update":
        assert run_cli("index", "--site", site, "--index", index).returncode == 0
    os.symlink(outside / "config.yml", site / "_config.yml")
    watched = watch(outside)
    done = run(command, site, index)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"{site.resolve()}/_config.yml: lien symbolique vers l'extérieur du site" in done.stderr
    assert watched.events() == []


def test_a_config_linked_inside_the_site_is_read(tmp_path):
    site = make_site(tmp_path)
    (site / "reglages").mkdir()
    (site / "reglages/config.yml").write_text("baseurl: /blog\n", "utf-8")
    os.symlink("reglages/config.yml", site / "_config.yml")
    done = run_cli("index", "--site", site, "--index", tmp_path / "index")
    assert done.returncode == 0, done.stderr
    assert reported(done) == {}
    assert "/blog/2020/01/01/bonne-page.html" in run_cli("query", "phares", "--index", tmp_path / "index").stdout


def big_sparse_file(path: Path, size: int = 400 * 2**20) -> None:
    """A file of ``size`` bytes that takes no room on disk (and only costs memory if read)."""
    with open(path, "wb") as file:
        file.truncate(size)


def read_or_opened(events, name: bytes, mask: int) -> bool:
    return any(event_name == name and event_mask & mask for event_mask, event_name in events)


@pytest.mark.parametrize("command", ["index", "check"])
def test_a_huge_data_file_is_refused_before_a_byte_is_read(tmp_path, watch, command):
    site = make_site(tmp_path)
    (site / "_data").mkdir()
    big_sparse_file(site / "_data/enorme.yml")
    watched = watch(site / "_data")
    done = run(command, site, tmp_path / "index")
    assert_went_on(command, done)
    assert reported(done) == {"_data/enorme.yml": "fichier trop volumineux (400.0 Mo, limite 5 Mo)"}
    events = watched.events()
    assert read_or_opened(events, b"enorme.yml", IN_OPEN)  # it was looked at…
    assert not read_or_opened(events, b"enorme.yml", IN_ACCESS)  # …but not read


@pytest.mark.parametrize("command", ["index", "check"])
def test_a_huge_config_is_refused_before_a_byte_is_read(tmp_path, watch, command):
    site = make_site(tmp_path)
    big_sparse_file(site / "_config.yml")
    watched = watch(site)
    done = run(command, site, tmp_path / "index")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "_config.yml: fichier trop volumineux (400.0 Mo, limite 1 Mo)" in done.stderr
    assert not read_or_opened(watched.events(), b"_config.yml", IN_ACCESS)
