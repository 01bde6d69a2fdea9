"""Index generations on disk: build aside, switch atomically, never show a half-built index.

Layout of an index folder::

    CURRENT            name of the generation readers should open (replaced atomically)
    gen-000042/        one complete Whoosh index + manifest.json
    gen-000043.tmp/    a generation being written (an orphan if its indexer was killed)
    .lock              held by the one indexer allowed to run

A reader that opened an older generation keeps working after the switch: old generations are
pruned only once two newer ones exist. Incremental updates start from hard links of the current
generation's files (Whoosh never rewrites a segment file), so they cost little disk and time.
"""

import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index

from .errors import IndexLocked, IndexMissing, IndexOutdated
from .schema import SCHEMA_VERSION

CURRENT_FILE = "CURRENT"
LOCK_FILE = ".lock"
MANIFEST_FILE = "manifest.json"
PREFIX = "gen-"
TMP_SUFFIX = ".tmp"
#: Generations kept besides the current one, for readers still holding them open.
KEEP_PREVIOUS = 2


#: Descriptors of the index locks this process holds: forked workers close their copies.
_HELD_LOCKS: set[int] = set()


def release_inherited_locks() -> None:
    """In a forked worker: drop the copies of the parent's lock descriptors.

    A flock() lock lasts as long as any copy of its descriptor is open: a worker orphaned by a
    killed indexer would otherwise keep the index locked forever.
    """
    for fd in list(_HELD_LOCKS):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD_LOCKS.clear()


class IndexStore:
    """The generations of one index folder."""

    def __init__(self, folder):
        self.folder = Path(folder)

    # -- readers ----------------------------------------------------------------------------

    def current_name(self) -> str | None:
        """Name of the current generation, or None when nothing has been published yet."""
        try:
            name = (self.folder / CURRENT_FILE).read_text("ascii").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return name or None

    def in_current_format(self) -> bool:
        """Whether there is a current generation that this program can open."""
        name = self.current_name()
        try:
            return bool(name) and self.manifest(name).get("schema_version") == SCHEMA_VERSION
        except IndexMissing:
            return False

    def manifest(self, name: str | None = None) -> dict:
        """The manifest of a generation (the current one by default)."""
        name = name or self._require_current()
        try:
            return json.loads((self.folder / name / MANIFEST_FILE).read_text("utf-8"))
        except FileNotFoundError:
            raise IndexMissing(f"la génération {name} de {self.folder} n'a pas de manifeste") from None

    def open(self, name: str | None = None):
        """``(name, whoosh index)`` of a generation, checked against this schema version."""
        name = name or self._require_current()
        version = self.manifest(name).get("schema_version")
        if version != SCHEMA_VERSION:
            raise IndexOutdated(
                f"l'index de {self.folder} a le format {version}, ce programme attend le format "
                f"{SCHEMA_VERSION} : reconstruisez-le avec `eig-search index`")
        return name, whoosh_index.open_dir(str(self.folder / name))

    def _require_current(self) -> str:
        name = self.current_name()
        if not name:
            raise IndexMissing(f"aucun index dans {self.folder} : construisez-le avec `eig-search index`")
        return name

    # -- the one writer -----------------------------------------------------------------------

    @contextmanager
    def lock(self):
        """Hold the indexer lock; raise :class:`IndexLocked` at once if another process has it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        handle = open(self.folder / LOCK_FILE, "a+")
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "inconnu"
                raise IndexLocked(
                    f"un autre indexeur travaille déjà sur {self.folder} (processus {holder}) : "
                    "attendez qu'il ait fini") from None
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            _HELD_LOCKS.add(handle.fileno())
            yield
        finally:
            _HELD_LOCKS.discard(handle.fileno())
            handle.close()

    def start(self, base: str | None = None) -> Path:
        """A fresh folder for the next generation, holding hard links to ``base``'s files if given.

        Hard-linked files are shared with the base generation: they may be deleted or replaced
        in the new folder, never opened for writing.
        """
        self.remove_orphans()
        path = self.folder / (self._next_name() + TMP_SUFFIX)
        path.mkdir(parents=True)
        if base:
            for source in (self.folder / base).iterdir():
                if source.is_file() and not source.name.endswith("LOCK") and source.name != MANIFEST_FILE:
                    os.link(source, path / source.name)
        return path

    def publish(self, path: Path, manifest: dict) -> str:
        """Write the manifest, make the generation durable, then point ``CURRENT`` at it."""
        name = path.name[: -len(TMP_SUFFIX)]
        manifest = {**manifest, "schema_version": SCHEMA_VERSION, "generation": name}
        (path / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")  # a new file
        for file in path.iterdir():
            _fsync(file)
        final = self.folder / name
        os.rename(path, final)
        pointer = self.folder / (CURRENT_FILE + TMP_SUFFIX)
        pointer.write_text(name + "\n", "ascii")
        _fsync(pointer)
        os.replace(pointer, self.folder / CURRENT_FILE)
        _fsync(self.folder)
        self.prune()
        return name

    def discard(self, path: Path) -> None:
        """Remove an unfinished generation (a failed run leaves the current one untouched)."""
        shutil.rmtree(path, ignore_errors=True)

    def remove_orphans(self) -> list[str]:
        """Delete unfinished generations left by a killed indexer. Call with the lock held."""
        orphans = sorted(p.name for p in self.folder.glob(PREFIX + "*" + TMP_SUFFIX))
        for name in orphans:
            shutil.rmtree(self.folder / name, ignore_errors=True)
        return orphans

    def prune(self) -> None:
        """Drop generations older than the current one and the ``KEEP_PREVIOUS`` before it."""
        current = self.current_name()
        names = self.generations()
        if current not in names:
            return
        for name in names[: max(0, names.index(current) - KEEP_PREVIOUS)]:
            shutil.rmtree(self.folder / name, ignore_errors=True)

    def generations(self) -> list[str]:
        """Published generations, oldest first."""
        if not self.folder.is_dir():
            return []
        return sorted(p.name for p in self.folder.iterdir()
                      if p.is_dir() and p.name.startswith(PREFIX) and not p.name.endswith(TMP_SUFFIX))

    def _next_name(self) -> str:
        numbers = [int(name[len(PREFIX):]) for name in self.generations() if name[len(PREFIX):].isdigit()]
        return f"{PREFIX}{max(numbers, default=0) + 1:06d}"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
