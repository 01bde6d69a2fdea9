"""How a run that writes ends: its generation gets the manifest, then readers switch to it; a
failure anywhere, ``Ctrl-C`` included, removes the unfinished folder and leaves readers on the
generation they had (:mod:`indexer.store.generations`)."""

from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

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


def publish(store: IndexStore, path: Path, site, report) -> None:
    """Write the manifest of a generation whose files are all written, and switch to it."""
    report.generation = store.publish(path, _manifest(site, report))


def _manifest(site, report) -> dict:
    return {
        "site": str(site.root),
        "site_url": site.config.url,
        "site_title": site.config.title,
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "settings": site.settings_signature,
        "search": site.config.search.manifest(),
        "documents": report.indexed,
        "drafts": sorted(report.drafts),
        "skipped": sorted([p.path, p.reason] for p in report.skipped),
    }
