"""Build and update the index of a site: parse in a process pool, write one new generation.

``build`` reads every file; ``update`` re-reads only the files whose size or modification time
changed since the current generation, and deletes the pages whose files are gone. Both hold the
index lock, write aside and switch atomically (see :mod:`indexer.store.generations`), so a failed or
killed run leaves the index readers use exactly as it was.
"""

import ctypes
import hashlib
import multiprocessing
import os
import pickle
import signal
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path

from tqdm import tqdm

from indexer.build.filetable import (
    file_entry,
    file_states,
    previous_states,
    tally,
    write_table,
)
from indexer.build.ownership import ensure_same_site
from indexer.build.records import record_for
from indexer.errors import EigSearchError, FileRejected
from indexer.gcpause import collector_paused
from indexer.language.synonyms import acronyms_in
from indexer.site.access import read_bytes, resolve_inside
from indexer.site.config import CONFIG_FILE, SiteConfig, load_config
from indexer.site.datafiles import DataIndex, data_files, merge_data, read_data_file
from indexer.site.documents import Draft, StaticFile, read_document
from indexer.site.files import MAX_FILE_BYTES, Skipped, SourceFile, discover
from indexer.store.generations import IndexStore, release_inherited_locks
from indexer.store.schema import SCHEMA_VERSION, build_schema
from indexer.whoosh_io.commit import (
    commit_segments,
    create_index,
    finish_shard,
    shard_writer,
    update_writer,
)

#: Below this many files, parsing in the main process beats starting a pool.
POOL_THRESHOLD = 200
#: Files a pool worker takes at a time while building: about a tenth of a second of work.
SHARD_CHUNK = 32
#: ``_data`` files weighing this much in all are parsed in child processes: YAML parsing takes
#: seconds there, and its garbage (ten times the file size) then never enters the indexer's heap,
#: which every pool worker inherits.
DATA_POOL_BYTES = 1024 * 1024
DATA_CACHE_FILE = "data.pickle"
# Segments are written as separate files, not one compound file: Whoosh reads a compound file's
# parts by slicing its memory map, which copies them (230 MB held by each reader at 100k pages).


@dataclass
class Report:
    """What a run did, for the end-of-run summary and ``--json`` output."""

    mode: str = "build"
    site: str = ""
    generation: str | None = None
    indexed: int = 0
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Skipped] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    note: str = ""

    @property
    def problems(self) -> list[Skipped]:
        return self.skipped + self.warnings


@dataclass
class Parsed:
    """The outcome of reading one file in a pool worker."""

    path: str
    status: str  # "indexed", "draft", "static" (no front matter: not a page) or "skipped"
    stat: tuple[int, int]
    reason: str = ""
    record: dict | None = None
    content_hash: str = ""
    kind: str = ""
    warnings: list[str] = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    acronyms: list[tuple[str, str]] = field(default_factory=list)


class Site:
    """A site folder with its configuration and data, read once per run."""

    def __init__(self, root, processes: int | None = None):
        self.root = Path(root).resolve()
        self.processes = processes
        if not self.root.is_dir():
            raise EigSearchError(f"dossier du site introuvable : {root}")
        try:
            self.config: SiteConfig = load_config(self.root)
        except FileRejected as error:
            raise EigSearchError(f"{self.root / CONFIG_FILE}: {error}") from None
        self.sources, self.refused = discover(self.root, self.config, tuple(self.config.exclude))
        self.refused += [Skipped(CONFIG_FILE, problem) for problem in self.config.problems]
        self._data: tuple[DataIndex, list[Skipped]] | None = None

    @property
    def data(self) -> DataIndex:
        """The ``_data`` entries, parsed on first use (large YAML files take seconds)."""
        if self._data is None:
            files = data_files(self.root)
            with collector_paused():  # the workers' results are unpickled here
                self._data = merge_data(self.root, files, self._read_data_files(files))
        return self._data[0]

    def _read_data_files(self, files: list[Path]) -> list:
        workers = min(len(files), self.processes or os.cpu_count() or 1)
        if self.processes == 1 or sum(path.stat().st_size for path in files) < DATA_POOL_BYTES:
            return [read_data_file(path) for path in files]
        with ProcessPoolExecutor(workers, initializer=_become_pool_worker, initargs=(os.getpid(),)) as pool:
            biggest_first = sorted(files, key=lambda path: -path.stat().st_size)
            contents = dict(zip(biggest_first, pool.map(read_data_file, biggest_first)))
        return [contents[path] for path in files]

    @property
    def data_problems(self) -> list[Skipped]:
        self.data  # noqa: B018 - parses the data files if not done yet
        return self._data[1]

    def save_data(self, folder: Path) -> None:
        """Keep the parsed ``_data`` with a generation, for the next update to reuse."""
        with open(folder / DATA_CACHE_FILE, "wb") as file:
            pickle.dump((self.settings_signature, self.data, self.data_problems), file, pickle.HIGHEST_PROTOCOL)

    def reuse_data(self, folder: Path) -> None:
        """Take the parsed ``_data`` saved with a generation, if the files have not changed since."""
        try:
            with open(folder / DATA_CACHE_FILE, "rb") as file, collector_paused():  # written by this program
                signature, data, problems = pickle.load(file)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            return
        if signature == self.settings_signature:
            self._data = (data, problems)

    @cached_property
    def settings_signature(self) -> str:
        """Hash of ``_config.yml`` and ``_data``: when it changes, every page may change. They are
        read as the run reads them: nothing outside the site, no file over the size limit."""
        digest = hashlib.sha1()
        for path in [self.root / CONFIG_FILE, *data_files(self.root)]:
            relative = path.relative_to(self.root)
            digest.update(os.fsencode(relative))
            try:
                digest.update(read_bytes(resolve_inside(self.root, relative), MAX_FILE_BYTES))
            except FileRejected as error:  # missing, outside the site, too big: the reason counts
                digest.update(str(error).encode())
        return digest.hexdigest()


# -- parsing (runs in pool workers) ---------------------------------------------------------------

_worker_site: tuple | None = None
_worker_cursor = None


def _init_worker(root: Path, config: SiteConfig, data: DataIndex, cursor=None, parent: int | None = None) -> None:
    global _worker_site, _worker_cursor
    _worker_site = (root, config, data)
    _worker_cursor = cursor
    if parent is not None:
        _become_pool_worker(parent)


def _become_pool_worker(parent: int) -> None:
    """A pool worker holds no lock and does not outlive the indexer."""
    release_inherited_locks()
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when the indexer dies (kill -9 included)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _parse(source: SourceFile) -> Parsed:
    root, config, data = _worker_site
    path = source.relative_path
    try:
        stat = os.stat(root / path)
        signature = (stat.st_size, stat.st_mtime_ns)
    except OSError as error:
        return Parsed(path, "skipped", (0, 0), reason=f"illisible : {error.strerror}")
    try:
        document = read_document(root, source, config, data)
    except Draft:
        return Parsed(path, "draft", signature)
    except StaticFile:
        return Parsed(path, "static", signature)
    except FileRejected as error:
        return Parsed(path, "skipped", signature, reason=str(error))
    except (OSError, RecursionError, ValueError, TypeError) as error:
        return Parsed(path, "skipped", signature, reason=f"lecture impossible : {error}")
    return Parsed(path, "indexed", signature, record=record_for(document),
                  content_hash=document.content_hash, kind=document.kind, warnings=document.warnings,
                  facets=document.facets, acronyms=acronyms_in(document.text + "\n" + document.extra))


def parse_all(site: Site, sources: list[SourceFile], progress: bool):
    """Yield a :class:`Parsed` per source, in order, using every core for large sites."""
    bar = tqdm(total=len(sources), unit="fichier", disable=not progress, leave=False)
    if len(sources) < POOL_THRESHOLD or site.processes == 1:
        _init_worker(site.root, site.config, site.data)
        for source in sources:
            yield _parse(source)
            bar.update()
    else:
        workers = site.processes or os.cpu_count() or 1
        with ProcessPoolExecutor(workers, initializer=_init_worker,
                                 initargs=(site.root, site.config, site.data, None, os.getpid())) as pool:
            for parsed in pool.map(_parse, sources, chunksize=64):
                yield parsed
                bar.update()
    bar.close()


# -- full build and incremental update --------------------------------------------------------------

def check(site_root, progress: bool = False) -> Report:
    """Parse the whole site without writing anything: every problem is reported."""
    site = Site(site_root)
    report = Report(mode="check")
    _start_report(report, site)
    for parsed in parse_all(site, site.sources, progress):
        _account(report, parsed)
    return report


def build(site_root, index_folder, progress: bool = False, processes: int | None = None) -> Report:
    """Index the whole site into a new generation and switch readers to it."""
    started = time.perf_counter()
    site = Site(site_root, processes)
    store = IndexStore(index_folder)
    with store.lock():
        report = _full_build(site, store, progress)
    report.seconds = time.perf_counter() - started
    return report


def update(site_root, index_folder, progress: bool = False, processes: int | None = None) -> Report:
    """Re-read only added or changed files, delete removed ones; a full build when needed."""
    started = time.perf_counter()
    site = Site(site_root, processes)
    store = IndexStore(index_folder)
    with store.lock():
        report = _incremental(site, store, progress)
    report.seconds = time.perf_counter() - started
    return report


@dataclass
class Shard:
    """What one worker wrote: a Whoosh segment and the outcome of each of its files."""

    segment: object
    outcomes: list[Parsed]


def _index_shard(index_path: str, sources: list[SourceFile]) -> Shard:
    """Parse the sources this worker claims and write them into a segment of its own (runs in a
    pool worker).

    Each worker writes its own segment (:func:`~indexer.whoosh_io.commit.shard_writer`) and the
    parent assembles the segments without merging them: parsing, analysis and writing all run on
    every core, and nothing is written twice.
    """
    writer = shard_writer(index_path)
    outcomes = []
    for source in _claimed(sources):
        parsed = _parse(source)
        if parsed.record:
            writer.add_document(**parsed.record)
            parsed.record = None  # written: no need to send it back
        outcomes.append(parsed)
    return Shard(finish_shard(writer), outcomes)


def _claimed(sources: list[SourceFile]):
    """The sources this worker indexes: all of them in a single process; in a pool, the next
    ``SHARD_CHUNK`` not yet taken, until none is left. A fixed share per worker left one core
    idle for up to two seconds at 20,000 pages, when the other was slower or had heavier pages."""
    if _worker_cursor is None:
        yield from sources
        return
    while True:
        with _worker_cursor.get_lock():
            start = _worker_cursor.value
            _worker_cursor.value = start + SHARD_CHUNK
        if start >= len(sources):
            return
        yield from sources[start:start + SHARD_CHUNK]


def _write_shards(index_path: Path, site: Site, progress: bool) -> list[Shard]:
    """Index every source, in one shard per core (or in this process for small sites)."""
    sources = site.sources
    workers = 1 if len(sources) < POOL_THRESHOLD else site.processes or os.cpu_count() or 1
    if workers == 1:
        _init_worker(site.root, site.config, site.data)
        return [_index_shard(str(index_path), sources)]
    cursor = multiprocessing.Value("l", 0)
    bar = tqdm(total=len(sources), unit="fichier", disable=not progress, leave=False)
    with ProcessPoolExecutor(workers, initializer=_init_worker,
                             initargs=(site.root, site.config, site.data, cursor, os.getpid())) as pool:
        futures = [pool.submit(_index_shard, str(index_path), sources) for _ in range(workers)]
        while wait(futures, timeout=0.2).not_done:
            bar.update(min(cursor.value, len(sources)) - bar.n)  # files taken, a chunk ahead of files done
        shards = [future.result() for future in futures]
    bar.close()
    return shards


def _full_build(site: Site, store: IndexStore, progress: bool, note: str = "") -> Report:
    report = Report(mode="build", note=note)
    _start_report(report, site)
    path = store.start()
    try:
        index = create_index(path, build_schema())
        shards = _write_shards(path, site, progress)
        commit_segments(index, [shard.segment for shard in shards if shard.segment is not None])
        order = {source.relative_path: i for i, source in enumerate(site.sources)}
        outcomes = sorted((parsed for shard in shards for parsed in shard.outcomes), key=lambda p: order[p.path])
        files = {}
        for parsed in outcomes:
            _account(report, parsed)
            files[parsed.path] = file_entry(parsed)
        site.save_data(path)
        write_table(path, files)
        tally(report, previous_states(store), files)
        report.generation = store.publish(path, _manifest(site, report, files))
    except BaseException:
        store.discard(path)
        raise
    return report


def _incremental(site: Site, store: IndexStore, progress: bool) -> Report:
    ensure_same_site(store, site.root)
    damage = store.damage()  # reads the whole generation: never build on damaged files
    if damage:
        return _full_build(site, store, progress, note=f"{damage} : construction complète")
    current = store.current_name()
    if not current:
        return _full_build(site, store, progress, note="pas encore d'index : construction complète")
    manifest = store.manifest(current)
    if manifest.get("schema_version") != SCHEMA_VERSION:
        return _full_build(site, store, progress, note="format d'index modifié : construction complète")
    if manifest.get("settings") != site.settings_signature:
        return _full_build(site, store, progress,
                           note="_config.yml ou _data modifié : construction complète")
    site.reuse_data(store.folder / current)
    report = Report(mode="update", generation=current)
    _start_report(report, site)
    known: dict = file_states(store, current)
    present = {source.relative_path for source in site.sources}
    root = str(site.root)  # os.path.join: a Path per file costs more than its stat at 100k files
    changed = [source for source in site.sources if _stat(os.path.join(root, source.relative_path)) != tuple(
        known.get(source.relative_path, {}).get("stat", ()))]
    removed = sorted(set(known) - present)
    files = {path: entry for path, entry in known.items() if path in present}
    to_delete = [path for path in removed if known[path]["status"] == "indexed"]
    to_add = []
    for parsed in parse_all(site, changed, progress):
        _account(report, parsed)
        before = known.get(parsed.path, {})
        files[parsed.path] = file_entry(parsed)
        if before.get("status") == parsed.status == "indexed" and before["hash"] == parsed.content_hash:
            continue  # touched, not changed
        if before.get("status") == "indexed":  # changed, or now a draft, unreadable or no page
            to_delete.append(parsed.path)
        if parsed.record:
            to_add.append(parsed.record)
    skipped, drafts = {p.path for p in report.skipped}, set(report.drafts)
    for path, entry in files.items():  # unchanged files keep their earlier outcome in the report
        if path in skipped:
            continue
        if entry["status"] == "draft" and path not in drafts:
            report.drafts.append(path)
        elif entry["status"] == "skipped":
            report.skipped.append(Skipped(path, entry.get("reason", "")))
    tally(report, known, files)
    if not to_delete and not to_add:
        report.note = "rien à mettre à jour" if not changed and not removed else "aucune page modifiée"
        return report
    path = store.start(base=current)
    try:
        writer = update_writer(path)
        for doc_path in to_delete:
            writer.delete_by_term("path", doc_path)
        for record in to_add:
            writer.add_document(**record)
        writer.commit()
        write_table(path, files)
        report.generation = store.publish(path, _manifest(site, report, files))
    except BaseException:
        store.discard(path)
        raise
    return report


def _start_report(report: Report, site: Site) -> None:
    report.site = str(site.root)
    report.skipped.extend(site.data_problems)
    report.skipped.extend(site.refused)


def _account(report: Report, parsed: Parsed) -> None:
    if parsed.status == "draft":
        report.drafts.append(parsed.path)
    elif parsed.status == "skipped":
        report.skipped.append(Skipped(parsed.path, parsed.reason))
    elif parsed.status == "indexed":
        report.kinds[parsed.kind] += 1
        report.warnings.extend(Skipped(parsed.path, warning) for warning in parsed.warnings)


def _stat(path: str) -> tuple:
    try:
        stat = os.stat(path)
    except OSError:
        return ()
    return (stat.st_size, stat.st_mtime_ns)


def _manifest(site: Site, report: Report, files: dict) -> dict:
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
