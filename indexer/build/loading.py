"""A site as a run reads it: its configuration, its page files, its ``_data`` parsed once.

The parsed ``_data`` is saved with each full build and reused by the next ``update`` while
``_config.yml`` and ``_data`` are unchanged (:attr:`Site.settings_signature`): large YAML files
take seconds to parse. Each entry is saved pickled on its own and unpickled only when a page
asks for it: an update reads one or a few pages, not the 100,000 entries of a large site.
"""

import hashlib
import os
import pickle
import time
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
from indexer.site.permalinks import normalise

#: ``_data`` files weighing this much in all are parsed in child processes: YAML parsing takes
#: seconds there, and its garbage (ten times the file size) then never enters the indexer's heap,
#: which every pool worker inherits.
DATA_POOL_BYTES = 1024 * 1024
DATA_CACHE_FILE = "data.pickle"
#: A folder's time is trusted once it is this old (nanoseconds): see :attr:`Site.folder_times`.
SETTLED_NS = 2_000_000_000


class SavedData:
    """The ``_data`` entries saved with a generation, each unpickled when a page asks for it;
    :func:`~indexer.site.documents.read_document` only calls :meth:`for_url`."""

    def __init__(self, pickled: dict[str, bytes]):
        self.pickled = pickled

    def for_url(self, url: str) -> dict:
        entry = self.pickled.get(normalise(url))
        return pickle.loads(entry) if entry else {}


class Site:
    """A site folder with its configuration and data, read once per run.

    Its page files are listed on first use: an update told which files changed
    (:func:`~indexer.build.incremental.update_index`) lists none.
    """

    def __init__(self, root, processes: int | None = None, search_file=None):
        self.root = Path(root).resolve()
        self.processes = processes
        if not self.root.is_dir():
            raise EigSearchError(f"dossier du site introuvable : {root}")
        try:  # search_file: the --config file giving the search: section
            self.config: SiteConfig = load_config(self.root, search_file)
        except FileRejected as error:
            raise EigSearchError(f"{self.root / CONFIG_FILE}: {error}") from None
        self._data: tuple[DataIndex | SavedData, list[Skipped]] | None = None
        self._refused: list[Skipped] | None = None
        self._settings_seen: dict = {}
        self._folders_seen: dict = {}
        self._walked: list[str] = []

    @cached_property
    def _discovered(self) -> tuple[list, list[Skipped]]:
        return discover(self.root, self.config, tuple(self.config.exclude), self._walked)

    @property
    def listed(self) -> bool:
        return "_discovered" in self.__dict__

    @property
    def sources(self) -> list:
        """Every file of the site that may hold a page, in site order."""
        return self._discovered[0]

    @property
    def refused(self) -> list[Skipped]:
        """What the listing refused, then the problems of ``_config.yml``."""
        return self.listing_refused + [Skipped(CONFIG_FILE, problem) for problem in self.config.problems]

    @property
    def listing_refused(self) -> list[Skipped]:
        """Folders and names the listing refused; without a listing, what the last one refused
        (see :meth:`recall`)."""
        if self._refused is not None and not self.listed:
            return self._refused
        return self._discovered[1]

    @property
    def folder_times(self) -> dict[str, int]:
        """``{folder: modification time}`` of each folder the listing read or holding a page (the
        last listing's, if none was made). While none changes, no file was added to them,
        removed or renamed: ``update`` lists nothing (0.5 s at 100,000 pages) and only states the
        files it knows. A folder changed in the last :data:`SETTLED_NS` gets -1, as a change
        within the same tick of the clock would not change its time again."""
        if not self.listed:
            return self._folders_seen
        folders = {*self._walked, *(source.relative_path.rpartition("/")[0] for source in self.sources)}
        settled = time.time_ns() - SETTLED_NS
        times = {folder: _folder_time(self.root / folder) for folder in sorted(folders)}
        return {folder: stamp if stamp < settled else -1 for folder, stamp in times.items()}

    def listing_unchanged(self) -> bool:
        """Whether every folder the last listing read is as it saw it (see :attr:`folder_times`)."""
        seen = self._folders_seen
        return bool(seen) and all(stamp >= 0 and _folder_time(self.root / folder) == stamp
                                  for folder, stamp in seen.items())

    def recall(self, refused: list[Skipped], settings_seen: dict, folders_seen: dict) -> None:
        """Take what the run that built the current generation saw: the names its listing
        refused (kept while no listing is made), each settings file's size, time and digest (a
        file still of the same size and time is not read again), the folders it listed."""
        self._refused = refused
        self._settings_seen = settings_seen
        self._folders_seen = folders_seen

    @property
    def data(self) -> DataIndex | SavedData:
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
        self.data
        return self._data[1]

    def save_data(self, folder: Path) -> None:
        """Keep the parsed ``_data`` with a generation, for the next update to reuse.

        Only plain values are pickled: a class is pickled by its module path, which a later
        version of this program may have moved.
        """
        problems = [(problem.path, problem.reason) for problem in self.data_problems]
        entries = {url: pickle.dumps(entry, pickle.HIGHEST_PROTOCOL) for url, entry in self.data.entries.items()}
        with open(folder / DATA_CACHE_FILE, "wb") as file:
            pickle.dump((self.settings_signature, problems, entries), file, pickle.HIGHEST_PROTOCOL)

    def reuse_data(self, folder: Path) -> None:
        """Take the ``_data`` saved with a generation, if the files have not changed since.

        A cache that cannot be loaded is no cache: missing, truncated, or saved by another version
        of this program (another layout, or classes under module paths that no longer exist).
        """
        try:
            with open(folder / DATA_CACHE_FILE, "rb") as file, collector_paused():  # written by this program
                signature, problems, entries = pickle.load(file)
            saved = (SavedData(dict(entries)), [Skipped(path, reason) for path, reason in problems])
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, ImportError, AttributeError):
            return
        if signature == self.settings_signature:
            self._data = saved

    @cached_property
    def settings_files(self) -> dict[str, list]:
        """``{path: [size, time, digest]}`` of ``_config.yml`` and each ``_data`` file, as the run
        reads them: nothing outside the site, no file over the size limit (the reason is then the
        digest). Files of the size and time :meth:`recall` gave keep their digest."""
        seen = {}
        for path in [self.root / CONFIG_FILE, *data_files(self.root)]:
            relative = path.relative_to(self.root).as_posix()
            try:
                stat = os.stat(path)
                stamp = [stat.st_size, stat.st_mtime_ns]
            except OSError:
                stamp = [-1, -1]
            before = self._settings_seen.get(relative)
            if stamp[0] >= 0 and isinstance(before, list) and before[:2] == stamp:
                seen[relative] = before
            else:
                seen[relative] = [*stamp, self._settings_digest(relative)]
        return seen

    def _settings_digest(self, relative: str) -> str:
        try:
            content = read_bytes(resolve_inside(self.root, relative), MAX_SITE_FILE_BYTES)
        except FileRejected as error:  # missing, outside the site, too big: the reason counts
            return "!" + str(error)
        return hashlib.sha1(content).hexdigest()

    @cached_property
    def settings_signature(self) -> str:
        """Digest of ``_config.yml``, ``_data`` and the search settings (from a --config file
        too): when it changes, every page may change."""
        digest = hashlib.sha1(self.config.search.signature().encode())
        for relative, (_size, _time, content) in self.settings_files.items():
            digest.update(os.fsencode(relative) + b"\0" + content.encode() + b"\0")
        return digest.hexdigest()


def _folder_time(path: Path) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1
