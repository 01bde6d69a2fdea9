"""One site file → a :class:`Parsed`: the index record of a page, or why the file is no page.

Runs in the indexer for small sites and in pool workers for large ones, where the site's
configuration and ``_data`` are set once per worker (:func:`init_worker`). Only
:class:`~indexer.errors.FileRejected` means a bad file: the site reader raises it for whatever a
file can hold, so any other exception is a bug of this program and stops the run.
"""

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from indexer.build.pool import become_pool_worker, worker_count
from indexer.build.records import record_for
from indexer.errors import FileRejected
from indexer.language.synonyms import acronyms_in
from indexer.site.config import SiteConfig
from indexer.site.documents import Draft, StaticFile, read_document
from indexer.site.files import SourceFile

#: Below this many files, parsing in the main process beats starting a pool.
POOL_THRESHOLD = 200


@dataclass
class Parsed:
    """The outcome of reading one file."""

    path: str
    status: str  # "indexed", "draft", "static" (no front matter: not a page) or "skipped"
    stat: tuple[int, int]
    source: SourceFile | None = None  # what the table keeps to read the file again
    reason: str = ""
    record: dict | None = None
    content_hash: str = ""
    kind: str = ""
    warnings: list[str] = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    acronyms: list[tuple[str, str]] = field(default_factory=list)


_worker_site: tuple | None = None


def init_worker(root: Path, config: SiteConfig, data, parent: int | None = None) -> None:
    """Give this process the site :func:`parse` reads (``data``: its ``_data`` parsed, or as
    saved with a generation); ``parent``: the indexer, when in a pool."""
    global _worker_site
    _worker_site = (root, config, data)
    if parent is not None:
        become_pool_worker(parent)


def parse(source: SourceFile) -> Parsed:
    """Read one file of the site set by :func:`init_worker`."""
    root, config, data = _worker_site
    path = source.relative_path
    try:
        stat = os.stat(root / path)
        signature = (stat.st_size, stat.st_mtime_ns)
    except OSError as error:
        return Parsed(path, "skipped", (0, 0), source, reason=f"illisible : {error.strerror}")
    try:
        document = read_document(root, source, config, data)
    except Draft:
        return Parsed(path, "draft", signature, source)
    except StaticFile:
        return Parsed(path, "static", signature, source)
    except FileRejected as error:
        return Parsed(path, "skipped", signature, source, reason=str(error))
    return Parsed(path, "indexed", signature, source, record=record_for(document),
                  content_hash=document.content_hash, kind=document.kind, warnings=document.warnings,
                  facets=document.facets, acronyms=acronyms_in(document.text + "\n" + document.extra))


def parse_all(site, sources: list[SourceFile], progress: bool):
    """Yield a :class:`Parsed` per source of ``site`` (a :class:`~indexer.build.loading.Site`),
    in order, using every core for large sites."""
    bar = tqdm(total=len(sources), unit="fichier", disable=not progress, leave=False)
    if len(sources) < POOL_THRESHOLD or site.processes == 1:
        init_worker(site.root, site.config, site.data)
        for source in sources:
            yield parse(source)
            bar.update()
    else:
        with ProcessPoolExecutor(worker_count(site.processes), initializer=init_worker,
                                 initargs=(site.root, site.config, site.data, os.getpid())) as pool:
            for parsed in pool.map(parse, sources, chunksize=64):
                yield parsed
                bar.update()
    bar.close()
