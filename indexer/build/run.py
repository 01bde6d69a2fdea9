"""The builder's entry points: ``check`` reads a site, ``build`` indexes all of it, ``update``
only what changed.

``build`` and ``update`` hold the index lock, write a new generation aside and switch readers to
it atomically (:mod:`indexer.store.generations`), so a failed or killed run leaves the index
readers use exactly as it was.
"""

import time

from indexer.build.full import full_build
from indexer.build.incremental import update_index
from indexer.build.loading import Site
from indexer.build.parsing import parse_all
from indexer.build.report import Report
from indexer.store.generations import IndexStore


def check(site_root, progress: bool = False) -> Report:
    """Parse the whole site without writing anything: every problem is reported."""
    site = Site(site_root)
    report = Report(mode="check")
    report.start(site)
    for parsed in parse_all(site, site.sources, progress):
        report.count(parsed)
    return report


def build(site_root, index_folder, progress: bool = False, processes: int | None = None) -> Report:
    """Index the whole site into a new generation and switch readers to it."""
    return _locked(full_build, site_root, index_folder, progress, processes)


def update(site_root, index_folder, progress: bool = False, processes: int | None = None) -> Report:
    """Re-read only added or changed files, delete removed ones; a full build when needed."""
    return _locked(update_index, site_root, index_folder, progress, processes)


def _locked(run, site_root, index_folder, progress: bool, processes: int | None) -> Report:
    started = time.perf_counter()
    site = Site(site_root, processes)
    store = IndexStore(index_folder)
    with store.lock():
        report = run(site, store, progress)
    report.seconds = time.perf_counter() - started
    return report
