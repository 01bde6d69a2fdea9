"""The full build: every file of the site read again, into a new generation.

Each pool worker claims the files it reads :data:`SHARD_CHUNK` at a time and writes them into a
Whoosh segment of its own (:func:`~indexer.whoosh_io.commit.shard_writer`); the indexer then
commits the segments together without merging them: parsing, analysis and writing all run on
every core, and nothing is written twice.
"""

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from indexer.build.filetable import file_entry, previous_states, tally, write_table
from indexer.build.loading import Site
from indexer.build.parsing import POOL_THRESHOLD, Parsed, init_worker, parse
from indexer.build.pool import worker_count
from indexer.build.publish import new_generation, publish
from indexer.build.report import Report
from indexer.language.glossary import SITE_PAIRS_FILE
from indexer.site.bilingual import data_pairs
from indexer.site.files import SourceFile
from indexer.store.generations import IndexStore
from indexer.store.schema import build_schema
from indexer.whoosh_io.commit import commit_segments, create_index, finish_shard, shard_writer

#: Files a pool worker takes at a time while building: about a tenth of a second of work.
SHARD_CHUNK = 32
# Segments are written as separate files, not one compound file: Whoosh reads a compound file's
# parts by slicing its memory map, which copies them (230 MB held by each reader at 100k pages).

_cursor = None  # in a pool worker: the index of the next source no worker has claimed yet


@dataclass
class Shard:
    """What one worker wrote: a Whoosh segment and the outcome of each of its files."""

    segment: object
    outcomes: list[Parsed]


def full_build(site: Site, store: IndexStore, progress: bool, note: str = "") -> Report:
    """Index every file of ``site`` into a new generation of ``store`` and publish it."""
    report = Report(mode="build", note=note)
    report.start(site)
    with new_generation(store) as path:
        index = create_index(path, build_schema())
        shards = _write_shards(path, site, progress)
        commit_segments(index, [shard.segment for shard in shards if shard.segment is not None])
        order = {source.relative_path: i for i, source in enumerate(site.sources)}
        outcomes = sorted((parsed for shard in shards for parsed in shard.outcomes), key=lambda p: order[p.path])
        files = {}
        for parsed in outcomes:
            report.count(parsed)
            files[parsed.path] = file_entry(parsed)
        site.save_data(path)
        # What the site says in two languages (for English queries) comes from _data alone: an
        # update, which starts from a full build's _data, keeps this file by its hard link.
        (path / SITE_PAIRS_FILE).write_text(json.dumps(data_pairs(site.root), ensure_ascii=False), "utf-8")
        write_table(path, files, site)
        tally(report, previous_states(store), files)
        publish(store, path, site, report)
    return report


def _init_shard_worker(root, config, data, cursor, parent: int | None = None) -> None:
    global _cursor
    _cursor = cursor
    init_worker(root, config, data, parent)


def _write_shards(index_path: Path, site: Site, progress: bool) -> list[Shard]:
    """Index every source, in one shard per core (or in this process for small sites)."""
    sources = site.sources
    workers = 1 if len(sources) < POOL_THRESHOLD else worker_count(site.processes)
    if workers == 1:
        _init_shard_worker(site.root, site.config, site.data, None)
        return [_index_shard(str(index_path), sources)]
    cursor = multiprocessing.Value("l", 0)
    bar = tqdm(total=len(sources), unit="fichier", disable=not progress, leave=False)
    with ProcessPoolExecutor(workers, initializer=_init_shard_worker,
                             initargs=(site.root, site.config, site.data, cursor, os.getpid())) as pool:
        futures = [pool.submit(_index_shard, str(index_path), sources) for _ in range(workers)]
        while wait(futures, timeout=0.2).not_done:
            bar.update(min(cursor.value, len(sources)) - bar.n)  # files taken, a chunk ahead of files done
        shards = [future.result() for future in futures]
    bar.close()
    return shards


def _index_shard(index_path: str, sources: list[SourceFile]) -> Shard:
    """Parse the sources this worker claims and write them into a segment of its own."""
    writer = shard_writer(index_path)
    outcomes = []
    for source in _claimed(sources):
        parsed = parse(source)
        if parsed.record:
            writer.add_document(**parsed.record)
            parsed.record = None  # written: no need to send it back
        outcomes.append(parsed)
    return Shard(finish_shard(writer), outcomes)


def _claimed(sources: list[SourceFile]):
    """The sources this worker indexes: all of them in a single process; in a pool, the next
    ``SHARD_CHUNK`` not yet taken, until none is left. A fixed share per worker left one core
    idle for up to two seconds at 20,000 pages, when the other was slower or had heavier pages."""
    if _cursor is None:
        yield from sources
        return
    while True:
        with _cursor.get_lock():
            start = _cursor.value
            _cursor.value = start + SHARD_CHUNK
        if start >= len(sources):
            return
        yield from sources[start:start + SHARD_CHUNK]
