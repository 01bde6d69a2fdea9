"""Keep an index fresh while the site's files are saved (``eig-search watch``).

The site is watched with ``watchfiles`` (inotify on Linux): the changes of a burst (an editor
saving, a ``git pull`` writing 200 files) are gathered until none came for :data:`QUIET_MS`, or
for :data:`GATHER_MS` at most, then one incremental update reads the files they name and those
alone (:func:`~indexer.build.run.update` with ``changed``). What Jekyll would not read is not
watched: hidden files and folders (``.git``), ``_site``, ``_layouts``, ``node_modules``…, files
that are neither pages nor data, editors' temporary files, and the index folder when it lies
in the site.

An update that fails (a bad ``_config.yml``, the index locked by an ``eig-search index``) is
reported and the watch goes on; the next update then looks at the whole site, so that no change
told before the failure is missed. A stop (:meth:`Watcher.stop`) while waiting ends the watch at
once; during an update it abandons the update, whose unfinished generation is removed (a full
build reading the site with worker processes first lets them finish the files they took).
"""

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from indexer.build.report import Report
from indexer.build.run import update
from indexer.errors import EigSearchError, IndexLocked
from indexer.site.config import CONFIG_FILE, JEKYLL_FOLDERS
from indexer.site.datafiles import DATA_EXTENSIONS, DATA_FOLDER
from indexer.site.files import EXCLUDED_FOLDERS, PAGE_EXTENSIONS

#: An update starts once no change came for this long (milliseconds)…
QUIET_MS = 300
#: …or this long after the first change of a burst that does not end.
GATHER_MS = 2000
#: An update refused because another indexer held the index is tried again after this long.
RETRY_MS = 2000
#: How often the watcher wakes up when nothing changes (to start, to retry).
TICK_MS = 250
#: Folders of a Jekyll site that hold no page and no data (layouts, includes, the built site…).
UNREAD_FOLDERS = JEKYLL_FOLDERS - {"_posts", DATA_FOLDER}


class StopWatching(BaseException):
    """Raised in the update a stop interrupts (a BaseException: nothing catches it on the way)."""


@dataclass
class Outcome:
    """One update: its report, or the error that stopped it; the files it was told of."""

    report: Report | None
    error: EigSearchError | None
    changed: frozenset[str] | None  # None: the whole site was looked at


class SiteFilter(watchfiles.DefaultFilter):
    """The changes an update may care about: pages, ``_data`` files, ``_config.yml`` and folders
    (added, renamed, removed), where Jekyll reads them, outside the index folder; editors'
    temporary files are left out by :class:`watchfiles.DefaultFilter`."""

    ignore_dirs = ()  # judged on the path inside the site below, not on the folders above it

    def __init__(self, root: Path, index_folder: Path):
        super().__init__()
        self.root, self.index_folder = str(root), str(index_folder)

    def __call__(self, change, path: str) -> bool:
        if path == self.index_folder or path.startswith(self.index_folder + os.sep):
            return False
        parts = os.path.relpath(path, self.root).split(os.sep)
        if parts[0] in UNREAD_FOLDERS or any(part.startswith(".") or part in EXCLUDED_FOLDERS for part in parts):
            return False
        name = parts[-1].lower()
        read = (name.endswith(PAGE_EXTENSIONS) or parts == [CONFIG_FILE]
                or (parts[0] == DATA_FOLDER and name.endswith(DATA_EXTENSIONS)))
        return (read or os.path.isdir(path) or not os.path.lexists(path)) and super().__call__(change, path)


class Watcher:
    """Watches one site and updates one index."""

    def __init__(self, site_root, index_folder, quiet_ms: int = QUIET_MS, gather_ms: int = GATHER_MS):
        self.root = Path(site_root).resolve()
        self.index_folder = Path(index_folder)
        self.quiet_ms, self.gather_ms = quiet_ms, gather_ms
        self.stopping = threading.Event()
        self.updating = False

    def stop(self) -> None:
        """End the watch (from a signal handler): at once while waiting; while updating, by
        raising :class:`StopWatching` in the update."""
        self.stopping.set()
        if self.updating:
            raise StopWatching

    def updates(self):
        """Yield an :class:`Outcome` per update: one as soon as the site is watched (what changed
        while nobody watched: nothing saved from then on is missed), then one per burst of
        changes, until :meth:`stop`."""
        last, tried = None, 0.0
        for batch in watchfiles.watch(self.root, watch_filter=SiteFilter(self.root, self.index_folder.resolve()),
                                      debounce=self.gather_ms, step=self.quiet_ms, stop_event=self.stopping,
                                      rust_timeout=TICK_MS, yield_on_timeout=True, raise_interrupt=False):
            if last is not None and not batch:
                locked = isinstance(last.error, IndexLocked)
                if not locked or time.monotonic() - tried < RETRY_MS / 1000:
                    continue
            told = frozenset(os.path.relpath(path, self.root) for _change, path in batch)
            tried = time.monotonic()
            last = self._update(told if last is not None and last.error is None else None)
            yield last

    def _update(self, changed: frozenset[str] | None) -> Outcome:
        if self.stopping.is_set():
            raise StopWatching
        self.updating = True
        try:
            report = update(self.root, self.index_folder, changed=changed)
        except EigSearchError as error:
            return Outcome(None, error, changed)
        finally:
            self.updating = False
        return Outcome(report, None, changed)
