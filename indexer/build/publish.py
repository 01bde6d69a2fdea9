"""How a run that writes ends: its generation gets the file table and the manifest, then readers
switch to it; a failure anywhere, ``Ctrl-C`` included, removes the unfinished folder and leaves
readers on the generation they had (:mod:`indexer.store.generations`)."""

from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from indexer.build.filetable import write_table
from indexer.store.generations import IndexStore


@contextmanager
def new_generation(store: IndexStore, base: str | None = None):
    """The folder of a generation being written (a copy of ``base`` when given), discarded
    unless :func:`publish` was reached and returned."""
    path = store.start(base=base)
    try:
        yield path
    except BaseException:
        store.discard(path)
        raise


def publish(store: IndexStore, path: Path, site, report, files: dict) -> None:
    """Write the table of ``files`` and what derives from it, then the manifest, and switch."""
    write_table(path, files)
    report.generation = store.publish(path, _manifest(site, report, files))


def _manifest(site, report, files: dict) -> dict:
    return {
        "site": str(site.root),
        "site_url": site.config.url,
        "site_title": site.config.title,
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "settings": site.settings_signature,
        "documents": sum(entry["status"] == "indexed" for entry in files.values()),
        "drafts": sorted(path for path, entry in files.items() if entry["status"] == "draft"),
        "skipped": sorted([p.path, p.reason] for p in report.skipped),
    }
