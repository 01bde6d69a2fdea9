"""The benchmark suite: a deterministic generator whose sites index cleanly, and an end-to-end run.

No timing is asserted: only that every measure is produced, on a tiny site.
"""

import copy
import re

import pytest

from bench import generate, run, tantivy_ref, web
from indexer.build.loading import Site
from indexer.build.run import build
from indexer.search.engine import SearchEngine
from indexer.site.permalinks import normalise

DOCS = 60


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench-site") / "site"
    counts = generate.generate(folder, DOCS, seed=1)
    return folder, counts


def test_same_seed_gives_the_same_tree(tiny_site, tmp_path):
    folder, counts = tiny_site
    again = generate.generate(tmp_path / "again", DOCS, seed=1)
    assert again == counts
    assert generate.tree_digest(tmp_path / "again") == generate.tree_digest(folder)


def test_another_seed_gives_another_tree(tiny_site, tmp_path):
    folder, _counts = tiny_site
    generate.generate(tmp_path / "other", DOCS, seed=2)
    assert generate.tree_digest(tmp_path / "other") != generate.tree_digest(folder)


def test_generator_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(generate.EigSearchError, match="pas vide"):
        generate.generate(tmp_path, 5)


def test_the_project_indexes_every_generated_page(tiny_site, tmp_path):
    folder, counts = tiny_site
    assert sum(counts.values()) == DOCS
    assert len(generate.page_files(folder)) == DOCS
    assert (folder / "_config.yml").is_file()
    report = build(folder, tmp_path / "index")
    assert (report.indexed, report.skipped, report.drafts, report.warnings) == (DOCS, [], [], [])


def test_data_entries_point_at_generated_pages(tiny_site, tmp_path):
    folder, _counts = tiny_site
    build(folder, tmp_path / "index")
    engine = SearchEngine(tmp_path / "index")
    try:
        urls = {normalise(stored["record"]["url"]) for stored in engine.generation().searcher.all_stored_fields()}
        stats = engine.stats()
    finally:
        engine.close()
    linked = set(Site(folder).data.entries)
    assert linked and linked <= urls
    if generate.default_source() == generate.DEFAULT_SOURCE:  # the real site: défis carry a promotion
        assert sum(stats["facets"]["promotion"].values()) == stats["facets"]["kind"]["défi"]


def test_generated_pages_have_realistic_front_matter(tiny_site):
    folder, _counts = tiny_site
    texts = [path.read_text("utf-8") for path in generate.page_files(folder)]
    assert all(text.startswith("---\n") and "\nlang: " in text and "\ndate: " in text for text in texts)
    posts = [text for path, text in zip(generate.page_files(folder), texts) if "/_posts/" in f"/{path.relative_to(folder)}"]
    assert posts and any("\ntags:" in text and "\nauthor:" in text for text in posts)


def test_edit_appends_to_the_requested_number_of_pages(tmp_path):
    generate.generate(tmp_path / "site", 30, seed=3)
    edited = generate.edit(tmp_path / "site", 7, 1)
    assert len(edited) == len(set(edited)) == 7
    assert all(generate.EDIT_MARK in (tmp_path / "site" / path).read_text("utf-8") for path in edited)


def test_apportion_keeps_the_total_and_the_proportions():
    assert generate.apportion(60, {"a": 71, "b": 55, "c": 11, "d": 259}) == {"a": 11, "b": 8, "c": 2, "d": 39}


@pytest.fixture(scope="module")
def bench_results(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("bench-run")
    return run.run([DOCS], seed=1, repeats=1, http_requests=10, http_time_cap=30, workdir=workdir)


def test_bench_runs_end_to_end(bench_results):
    (result,) = bench_results
    assert result["build"]["project"]["documents"] == DOCS
    assert result["build"]["whoosh"]["documents"] == DOCS
    assert result["update"]["1"]["updated"] == 1
    assert result["update"]["100"]["updated"] == DOCS  # fewer pages than edits: each page once
    if tantivy_ref.available():
        assert result["build"]["tantivy"]["documents"] == DOCS
    for side in result["query"].values():
        assert side["samples"] == 40 and side["faceted_p50"] > 0


def test_freshness_is_measured_with_a_real_watcher(bench_results):
    """Each saved page was found by a search; the watcher stopped cleanly."""
    freshness = bench_results[0]["freshness"]
    assert len(freshness["seconds"]) == len(freshness["updates"]) == 5 and freshness["exit"] == 0
    row = next(line for line in run.render(bench_results).splitlines() if line.startswith(f"| {run.ROWS[17]} |"))
    assert re.match(r"\| .* \| [\d.]+ / [\d.]+ \| — \| — \| — \| ≤ 2 s [✓✗] \|$", row), row


def test_table_has_every_row(bench_results):
    table = run.render(bench_results)
    lines = table.splitlines()
    assert lines[0] == "| mesure | projet | Whoosh simple | tantivy | projet / Whoosh | cible |"
    assert f"| **{DOCS} pages** (" in table
    labels = [line.split(" | ")[0].removeprefix("| ") for line in lines[3:]]
    assert labels == list(run.ROWS)
    assert all(line.count("|") == 7 for line in lines)
    http = next(line for line in lines if line.startswith(f"| {run.ROWS[12]} |"))
    assert re.match(rf"\| {re.escape(run.ROWS[12])} \| ([\d.]+|n/a .*|échec .*) \|", http)


def test_table_shows_na_without_tantivy(bench_results):
    result = copy.deepcopy(bench_results[0])
    result["unavailable"]["tantivy"] = "n/a (tantivy non installé)"
    result["build"].pop("tantivy", None)
    result["query"].pop("tantivy", None)
    build_row = next(line for line in run.render([result]).splitlines() if line.startswith(f"| {run.ROWS[0]} |"))
    assert build_row.split(" | ")[3] == "n/a"


def test_http_is_na_while_the_web_app_is_missing(monkeypatch):
    real_import = web.importlib.import_module

    def without_searchweb(name, *args):
        if name == "searchweb":
            raise ImportError(name)
        return real_import(name, *args)

    monkeypatch.setattr(web.importlib, "import_module", without_searchweb)
    assert web.unavailable() == "n/a (web app not available)"
