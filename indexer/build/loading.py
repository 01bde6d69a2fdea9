"""A site as a run reads it: its configuration, its page files, its ``_data`` parsed once.

The parsed ``_data`` is saved with each full build and reused by the next ``update`` while
``_config.yml`` and ``_data`` are unchanged (:attr:`Site.settings_signature`): large YAML files
take seconds to parse.
"""

import hashlib
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from functools import cached_property
from pathlib import Path

from indexer.build.pool import become_pool_worker, worker_count
from indexer.errors import EigSearchError, FileRejected
from indexer.gcpause import collector_paused
from indexer.site.access import read_bytes, resolve_inside
from indexer.site.config import CONFIG_FILE, SiteConfig, load_config
from indexer.site.datafiles import DataIndex, data_files, merge_data, read_data_file
from indexer.site.files import MAX_SITE_FILE_BYTES, Skipped, discover

#: ``_data`` files weighing this much in all are parsed in child processes: YAML parsing takes
#: seconds there, and its garbage (ten times the file size) then never enters the indexer's heap,
#: which every pool worker inherits.
DATA_POOL_BYTES = 1024 * 1024
DATA_CACHE_FILE = "data.pickle"


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
        if self.processes == 1 or sum(path.stat().st_size for path in files) < DATA_POOL_BYTES:
            return [read_data_file(path) for path in files]
        workers = min(len(files), worker_count(self.processes))
        with ProcessPoolExecutor(workers, initializer=become_pool_worker, initargs=(os.getpid(),)) as pool:
            biggest_first = sorted(files, key=lambda path: -path.stat().st_size)
            contents = dict(zip(biggest_first, pool.map(read_data_file, biggest_first)))
        return [contents[path] for path in files]

    @property
    def data_problems(self) -> list[Skipped]:
        self.data  # noqa: B018 - parses the data files if not done yet
        return self._data[1]

    def save_data(self, folder: Path) -> None:
        """Keep the parsed ``_data`` with a generation, for the next update to reuse.

        Only plain values are pickled: a class is pickled by its module path, which a later
        version of this program may have moved.
        """
        problems = [(problem.path, problem.reason) for problem in self.data_problems]
        with open(folder / DATA_CACHE_FILE, "wb") as file:
            pickle.dump((self.settings_signature, self.data.entries, self.data.files, problems), file,
                        pickle.HIGHEST_PROTOCOL)

    def reuse_data(self, folder: Path) -> None:
        """Take the parsed ``_data`` saved with a generation, if the files have not changed since.

        A cache that cannot be loaded is no cache: missing, truncated, or saved by another version
        of this program (another layout, or classes under module paths that no longer exist).
        """
        try:
            with open(folder / DATA_CACHE_FILE, "rb") as file, collector_paused():  # written by this program
                signature, entries, files, problems = pickle.load(file)
        except (OSError, EOFError, ValueError, pickle.UnpicklingError, ImportError, AttributeError):
            return
        if signature == self.settings_signature:
            self._data = (DataIndex(entries, files), [Skipped(path, reason) for path, reason in problems])

    @cached_property
    def settings_signature(self) -> str:
        """Hash of ``_config.yml`` and ``_data``: when it changes, every page may change. They are
        read as the run reads them: nothing outside the site, no file over the size limit."""
        digest = hashlib.sha1()
        for path in [self.root / CONFIG_FILE, *data_files(self.root)]:
            relative = path.relative_to(self.root)
            digest.update(os.fsencode(relative))
            try:
                digest.update(read_bytes(resolve_inside(self.root, relative), MAX_SITE_FILE_BYTES))
            except FileRejected as error:  # missing, outside the site, too big: the reason counts
                digest.update(str(error).encode())
        return digest.hexdigest()
