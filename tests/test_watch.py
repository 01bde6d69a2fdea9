"""``eig-search watch`` for real: a watcher in a subprocess, files saved into its site, searches
on its index. Each update prints one JSON line (``--json``); the tests wait for those lines."""

import json
import os
import queue
import signal
import subprocess
import threading
import time

import pytest

from indexer.build.watching import SiteFilter
from indexer.search.engine import SearchEngine
from indexer.search.request import SearchRequest
from indexer.store.generations import IndexStore

from .reliability.support import EIG_SEARCH, PROJECT, clean_env

POST = "---\ntitle: {title}\n---\n{body}\n"
#: Seconds a watcher gets to show an update line (the first includes building the index).
WAIT = 60


class Watch:
    """``eig-search watch --json`` in its own session; its stdout lines read by a thread."""

    def __init__(self, site, index):
        self.process = subprocess.Popen(
            [*EIG_SEARCH, "watch", "--site", str(site), "--index", str(index), "--json"], cwd=PROJECT,
            env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.lines: queue.Queue = queue.Queue()
        self.updates: list[dict] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(json.loads(line))

    def next_update(self, timeout: float = WAIT) -> dict:
        """The next update line; fails the test when none comes in time."""
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"aucune mise à jour en {timeout} s ; stderr : {self.stop_now()}")
        self.updates.append(line)
        return line

    def quiet(self, seconds: float) -> list[dict]:
        """The update lines printed during the next ``seconds``."""
        found, deadline = [], time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                found.append(self.lines.get(timeout=left))
            except queue.Empty:
                break
        self.updates.extend(found)
        return found

    def stop_now(self) -> str:
        """Kill the watcher if it still runs; what it wrote on stderr."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.reader.join(timeout=30)
        if not self.process.stderr.closed:
            with self.process.stdout, self.process.stderr:
                self.stderr = self.process.stderr.read()
        return self.stderr


@pytest.fixture
def site(make_site):
    return make_site({f"_posts/2020-01-0{n}-page-{n}.md": POST.format(title=f"Page {n}", body=f"Les phares numéro {n}.")
                      for n in range(1, 6)})


@pytest.fixture
def watching(site, tmp_path):
    """A watcher on ``site`` that has built its index (its first update line read)."""
    watch = Watch(site, tmp_path / "index")
    first = watch.next_update()
    assert first["mode"] == "build" and first["counts"]["indexed"] == 5, first
    yield watch
    watch.stop_now()


def found(index, q: str) -> list[str]:
    engine = SearchEngine(index)
    try:
        return [hit.path for hit in engine.search(SearchRequest(q=q)).hits]
    finally:
        engine.close()


def test_a_saved_page_is_searchable_once_its_update_line_is_printed(watching, site, tmp_path):
    page = site / "_posts/2020-01-02-page-2.md"
    page.write_text(POST.format(title="Page 2", body="Le sémaphore de Ouessant veille."), "utf-8")
    line = watching.next_update()
    assert (line["mode"], line["changed"], line["counts"]["updated"]) == ("update", ["_posts/2020-01-02-page-2.md"], 1)
    assert found(tmp_path / "index", "ouessant") == ["_posts/2020-01-02-page-2.md"]
    (site / "_posts/2020-01-06-nouvelle.md").write_text(POST.format(title="Nouvelle", body="Un amer."), "utf-8")
    page.unlink()
    line = watching.next_update()
    assert (line["counts"]["added"], line["counts"]["deleted"], line["counts"]["indexed"]) == (1, 1, 5), line
    assert found(tmp_path / "index", "amer") == ["_posts/2020-01-06-nouvelle.md"]
    assert found(tmp_path / "index", "ouessant") == []


def test_a_malformed_file_is_reported_and_the_watch_goes_on(watching, site, tmp_path):
    bad = site / "_posts/2020-01-03-page-3.md"
    bad.write_text("---\ntitle: [non fermé\n---\nTexte.\n", "utf-8")
    line = watching.next_update()
    assert [problem["path"] for problem in line["skipped"]] == ["_posts/2020-01-03-page-3.md"], line
    assert line["counts"]["deleted"] == 1
    (site / "_posts/2020-01-04-page-4.md").write_text(POST.format(title="Page 4", body="Une balise."), "utf-8")
    line = watching.next_update()
    assert line["counts"]["updated"] == 1 and watching.process.poll() is None
    assert found(tmp_path / "index", "balise") == ["_posts/2020-01-04-page-4.md"]


def test_a_broken_config_is_reported_and_the_next_save_updates(watching, site, tmp_path):
    (site / "_config.yml").write_text("title: [non fermé\n", "utf-8")
    line = watching.next_update()
    assert "_config.yml" in line["error"]
    (site / "_config.yml").write_text("title: Phares\n", "utf-8")
    (site / "_posts/2020-01-05-page-5.md").write_text(POST.format(title="Page 5", body="Une bouée."), "utf-8")
    line = watching.next_update()
    assert line["mode"] == "build" and "_config.yml ou _data modifié" in line["note"], line
    assert found(tmp_path / "index", "bouée") == ["_posts/2020-01-05-page-5.md"]


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_ends_the_watch_cleanly(watching, tmp_path, signal_number):
    started = time.monotonic()
    os.kill(watching.process.pid, signal_number)
    assert watching.process.wait(timeout=10) == 0
    assert time.monotonic() - started < 5
    assert "Surveillance arrêtée" in watching.stop_now()
    index = tmp_path / "index"
    assert [path.name for path in index.glob("*.tmp")] == []
    with IndexStore(index).lock():  # released: taken at once
        pass


def test_a_burst_of_saves_makes_few_updates(watching, site, tmp_path):
    pages = sorted((site / "_posts").glob("*.md"))
    for number in range(20):
        page = pages[number % len(pages)]
        last = "ultime" if number == 19 else "vigie"
        page.write_text(POST.format(title=page.stem, body=f"Rafale {number} : la {last}."), "utf-8")
        time.sleep(0.02)
    lines = [watching.next_update(), *watching.quiet(3)]
    assert 1 <= len(lines) <= 3, lines
    assert sum(line["counts"]["updated"] for line in lines) >= 5
    assert found(tmp_path / "index", "ultime") == [pages[19 % len(pages)].relative_to(site).as_posix()]


def test_what_jekyll_does_not_read_is_not_watched(tmp_path):
    site = tmp_path / "site"
    keep = SiteFilter(site, site / "index")
    assert [path for path in ["_posts/a.md", "_data/x.yml", "_config.yml", "pages/b.html", "index.md"]
            if not keep(None, str(site / path))] == []
    (site / "assets").mkdir(parents=True)
    (site / "assets/style.css").write_text("p {}", "utf-8")
    assert keep(None, str(site / "assets")) and keep(None, str(site / "removed-folder"))
    assert [path for path in ["index/gen-000001/x.pst", "index", ".git/HEAD", "_site/a.html", "a/.hidden.md",
                              "node_modules/x/a.md", ".jekyll-cache/x", "_posts/.a.md.swp", "_posts/a.md~",
                              "_layouts/default.html", "_includes/nav.html", "assets/style.css"]
            if keep(None, str(site / path))] == []
