"""The builder's entry points: ``check`` reads a site, ``build`` indexes all of it, ``update``
only what changed.

``build`` and ``update`` hold the index lock, write a new generation aside and switch readers to
it atomically (:mod:`indexer.store.generations`), so a failed or killed run leaves the index
readers use exactly as it was.
"""

import time
from functools import partial

from indexer.build.full import full_build
from indexer.build.incremental import update_index
from indexer.build.loading import Site
from indexer.build.ownership import search_file_to_read
from indexer.build.parsing import parse_all
from indexer.build.report import Report
from indexer.build.review import review
from indexer.store.generations import IndexStore


def check(site_root, progress: bool = False, search_file=None) -> Report:
    """Parse the whole site without writing anything: every problem is reported, and the facets
    its pages could have are suggested (``search_file``: the --config file, if any)."""
    site = Site(site_root, search_file=search_file)
    report = Report(mode="check")
    report.start(site)
    metas = []
    for parsed in parse_all(site, site.sources, progress):
        report.count(parsed)
        if parsed.record:
            metas.append(parsed.record["record"]["meta"])
    review(site, report, metas)
    return report


def build(site_root, index_folder, progress: bool = False, processes: int | None = None,
          search_file=None) -> Report:
    """Index the whole site into a new generation and switch readers to it."""
    return _locked(full_build, site_root, index_folder, progress, processes, search_file, reviewed=True)


def update(site_root, index_folder, progress: bool = False, processes: int | None = None,
           changed=None, search_file=None) -> Report:
    """Re-read only added or changed files, delete removed ones; a full build when needed.

    ``changed``: the paths, relative to the site, of the only files that may have changed (a
    watcher knows them), so that the others are not even stated; None: look at every file.
    ``search_file``: the --config file, by default the one the index was built with.
    """
    return _locked(partial(update_index, changed=changed), site_root, index_folder, progress, processes,
                   search_file_to_read(index_folder, search_file))


def _locked(run, site_root, index_folder, progress: bool, processes: int | None, search_file=None,
            reviewed: bool = False) -> Report:
    started = time.perf_counter()
    site = Site(site_root, processes, search_file)
    store = IndexStore(index_folder)
    with store.lock():
        report = run(site, store, progress)
    if reviewed:
        review(site, report)
    report.seconds = time.perf_counter() - started
    return report
