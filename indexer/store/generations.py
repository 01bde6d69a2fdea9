"""Index generations on disk: build aside, switch atomically, never show a half-built index.

Layout of an index folder::

    CURRENT            name of the generation readers should open (replaced atomically)
    gen-000042/        one complete Whoosh index + manifest.json (with each file's size and sha256)
    gen-000043.tmp/    a generation being written (an orphan if its indexer was killed)
    .lock              held by the one indexer allowed to run

A reader that opened an older generation keeps working after the switch: old generations are
pruned only once two newer ones exist. Incremental updates start from hard links of the current
generation's files (Whoosh never rewrites a segment file), so they cost little disk and time.

A generation's manifest records the size, time and checksum of each of its files: readers compare
the sizes at each open; ``update`` the checksums of files whose time changed before building on a
generation (:meth:`IndexStore.damage`); readers all of them once a read fails (:meth:`IndexStore.reading`).
"""

import errno
import fcntl
import functools
import hashlib
import json
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.errors import (
    EigSearchError,
    IndexDamaged,
    IndexLocked,
    IndexMissing,
    IndexNotWritable,
    IndexOutdated,
)
from indexer.store.schema import SCHEMA_VERSION

CURRENT_FILE = "CURRENT"
LOCK_FILE = ".lock"
MANIFEST_FILE = "manifest.json"
PREFIX = "gen-"
TMP_SUFFIX = ".tmp"
#: Generations kept besides the current one, for readers still holding them open.
KEEP_PREVIOUS = 2
#: What ``CURRENT`` may hold: the name of a generation of the folder, nothing else (no path).
GENERATION_RE = re.compile(PREFIX + "[0-9]{6,}")
#: Readers keep the verdict of this many checksum verifications (one per generation).
VERDICTS = 8
#: Reasons an indexer cannot write, in the user's language (others are shown as the system says).
WRITE_ERRORS = {errno.EROFS: "système de fichiers en lecture seule", errno.EACCES: "permission refusée",
                errno.EPERM: "opération non permise", errno.ENOSPC: "disque plein",
                errno.ENOTDIR: "un élément du chemin n'est pas un dossier", errno.EEXIST: "ce n'est pas un dossier"}


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
        self._verdicts: dict[tuple, str | None] = {}

    # -- readers ----------------------------------------------------------------------------

    def current_name(self) -> str | None:
        """Name of the current generation, or None when nothing has been published yet.

        ``CURRENT`` must name a generation of this folder: anything else (``../x``, an absolute
        path, bytes of another file) is :class:`IndexDamaged`, never a path to follow.
        """
        try:
            with open(self.folder / CURRENT_FILE, "rb") as file:
                name = file.read(64).decode("ascii", "replace").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as error:
            raise IndexDamaged(self.folder, f"{CURRENT_FILE} illisible : {error.strerror}") from None
        if name and not GENERATION_RE.fullmatch(name):
            raise IndexDamaged(self.folder, f"{CURRENT_FILE} ne nomme pas une génération de l'index : {name[:40]!r}")
        return name or None

    def in_current_format(self) -> bool:
        """Whether there is a current generation that this program can open."""
        try:
            name = self.current_name()
            if not name or self.manifest(name).get("schema_version") != SCHEMA_VERSION:
                return False
            self.verify(name)
        except IndexDamaged:
            return False
        return True

    def check(self) -> None:
        """The check readers make at each open (see :meth:`verify`), on the current generation if
        there is one: a server refuses to start on a damaged index."""
        name = self.current_name()
        if name:
            self.verify(name)

    def manifest(self, name: str | None = None) -> dict:
        """The manifest of a generation (the current one by default)."""
        name = name or self._require_current()
        try:
            manifest = json.loads((self.folder / name / MANIFEST_FILE).read_text("utf-8"))
        except (FileNotFoundError, NotADirectoryError):
            raise IndexDamaged(self.folder, f"la génération {name} n'a pas de manifeste") from None
        except (OSError, ValueError) as error:  # ValueError: not UTF-8, or not JSON
            raise IndexDamaged(self.folder, f"manifeste de {name} illisible : {error}") from None
        if not isinstance(manifest, dict):
            raise IndexDamaged(self.folder, f"manifeste de {name} illisible")
        return manifest

    def open(self, name: str | None = None):
        """``(name, whoosh index)`` of a generation, checked against this schema version and
        against the file sizes its manifest recorded."""
        name = name or self._require_current()
        version = self.manifest(name).get("schema_version")
        if version != SCHEMA_VERSION:
            raise IndexOutdated(
                f"l'index de {self.folder} a le format {version}, ce programme attend le format "
                f"{SCHEMA_VERSION} : reconstruisez-le avec `eig-search index`")
        self.verify(name)
        known = self._verdicts.get(self._verdict_key(name))
        if known:  # found damaged by an earlier failed read: do not read it again at each request
            raise IndexDamaged(self.folder, known)
        with self.reading(name):
            return name, whoosh_index.open_dir(str(self.folder / name))

    def verify(self, name: str, thorough: bool = False, trust_times: bool = False) -> None:
        """Raise :class:`IndexDamaged` unless every file the manifest of generation ``name``
        records is there with its size and, if ``thorough``, its checksum.

        Sizes cost one ``stat`` per file: readers check them at each open. Checksums read the
        whole generation (0.08 s per 100 MB here): readers check them once after a read fails.
        With ``trust_times``, a file still of the recorded time is not read (:meth:`damage`).
        """
        folder = self.folder / name
        manifest = self.manifest(name)
        times = manifest.get("times", {}) if trust_times else {}
        for file, entry in manifest.get("files", {}).items():
            if not _plain_name(file) or not isinstance(entry, list) or len(entry) != 2:
                raise IndexDamaged(self.folder, f"manifeste de {name} illisible")
            size, digest = entry
            try:
                stat = (folder / file).stat()
                if stat.st_size != size:
                    raise IndexDamaged(self.folder, f"{name}/{file} fait {stat.st_size} octets au lieu de {size}")
                settled = times.get(file) == stat.st_mtime_ns
                if thorough and not settled and _sha256(folder / file) != digest:
                    raise IndexDamaged(self.folder, f"{name}/{file} ne correspond plus à sa somme de contrôle")
            except FileNotFoundError:
                raise IndexDamaged(self.folder, f"{name}/{file} manque") from None
            except OSError as error:
                raise IndexDamaged(self.folder, f"{name}/{file} illisible : {error.strerror}") from None

    def damage(self) -> str | None:
        """Why ``update`` must not build on the current generation (what its full build says
        instead), or None.

        Only files whose size or time differ from the manifest's are read: any write changes a
        file's time, and reading all 370 MB at 100,000 pages took a third of a second per update.
        What times cannot see (bytes altered by the disk, a time set back by hand) readers find
        at their first failed read, against the checksum recorded when the file was written.
        """
        try:
            name = self.current_name()
            if name is None:
                return None
            if "files" not in self.manifest(name):
                return "format d'index modifié"  # published before checksums were recorded
            self.verify(name, thorough=True, trust_times=True)
        except IndexDamaged as error:
            return f"index endommagé ({error.detail})"
        return None

    @contextmanager
    def reading(self, name: str | None = None):
        """Explain a failure while reading a generation (the current one by default).

        It is :class:`IndexDamaged` if the generation's files no longer match their checksums;
        otherwise the failure goes on as it is (a bug stays a bug). The verdict is kept: a
        failing request reads the whole generation once per process, not at every request.
        """
        try:
            yield
        except EigSearchError:
            raise
        except Exception as error:
            name = name or self.current_name()
            detail = self._verdict(name) if name else None
            if detail is None:
                raise
            raise IndexDamaged(self.folder, detail) from error

    def _verdict(self, name: str) -> str | None:
        key = self._verdict_key(name)
        if key not in self._verdicts:
            if len(self._verdicts) >= VERDICTS:
                self._verdicts.clear()
            try:
                self.verify(name, thorough=True)
                self._verdicts[key] = None
            except IndexDamaged as damage:
                self._verdicts[key] = damage.detail
        return self._verdicts[key]

    def _verdict_key(self, name: str) -> tuple:
        try:
            stat = os.stat(self.folder / name / MANIFEST_FILE)
        except OSError:
            return (name,)
        return (name, stat.st_ino, stat.st_mtime_ns)  # a rebuilt gen-000001 is another generation

    def _require_current(self) -> str:
        name = self.current_name()
        if not name:
            raise IndexMissing(f"aucun index dans {self.folder} : construisez-le avec `eig-search index`")
        return name

    # -- the one writer -----------------------------------------------------------------------

    @contextmanager
    def lock(self):
        """Hold the indexer lock; raise :class:`IndexLocked` at once if another process has it."""
        with self._writing():
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
        with self._writing():
            path.mkdir(parents=True)
            if base:
                for source in (self.folder / base).iterdir():
                    if _published(source):
                        os.link(source, path / source.name)
        return path

    def publish(self, path: Path, manifest: dict) -> str:
        """Write the manifest (with the files' checksums and times), make the generation
        durable, then point ``CURRENT`` at it."""
        name = path.name[: -len(TMP_SUFFIX)]
        files = self._checksums(path)
        times = {file: (path / file).stat().st_mtime_ns for file in files}
        manifest = {**manifest, "schema_version": SCHEMA_VERSION, "generation": name, "files": files, "times": times}
        with self._writing():
            (path / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")  # a new file
            for file in path.iterdir():
                if file.stat().st_nlink == 1:  # a file linked from the base generation is on disk already
                    _fsync(file)
            _fsync(path)
            final = self.folder / name
            os.rename(path, final)
            pointer = self.folder / (CURRENT_FILE + TMP_SUFFIX)
            pointer.write_text(name + "\n", "ascii")
            _fsync(pointer)
            os.replace(pointer, self.folder / CURRENT_FILE)
            _fsync(self.folder)
        self.prune()
        return name

    def _checksums(self, path: Path) -> dict:
        """``{file: [size, sha256]}`` of a generation about to be published. Files ``update``
        hard-linked from the current generation (verified just before) keep the figures recorded
        there: they are the same files, and hashing them again would read the whole index."""
        try:
            base = self.current_name()
            known = self.manifest(base).get("files", {}) if base else {}
        except IndexDamaged:
            base, known = None, {}
        files = {}
        for file in sorted(p for p in path.iterdir() if _published(p)):
            entry = known.get(file.name)
            if entry is None or not _same_file(file, self.folder / base / file.name):
                entry = [file.stat().st_size, _sha256(file)]
            files[file.name] = entry
        return files

    @contextmanager
    def _writing(self):
        """An indexer that cannot write in the folder stops with a message, not a traceback."""
        try:
            yield
        except OSError as error:
            reason = WRITE_ERRORS.get(error.errno, error.strerror or str(error))
            raise IndexNotWritable(
                f"impossible d'écrire dans l'index {self.folder} ({reason}) : l'indexeur doit pouvoir "
                "y écrire ; les serveurs, eux, le lisent même en lecture seule") from None

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


def reads_index(method):
    """Decorate a method of a reader that has a ``store``: see :meth:`IndexStore.reading`."""
    @functools.wraps(method)
    def reading(self, *args, **kwargs):
        with self.store.reading():
            return method(self, *args, **kwargs)
    return reading


def _published(path: Path) -> bool:
    """Whether a file of a generation is part of it (Whoosh's lock and the manifest are not)."""
    return path.is_file() and not path.name.endswith("LOCK") and path.name != MANIFEST_FILE


def _plain_name(name) -> bool:
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name and "\0" not in name


def _same_file(path: Path, other: Path) -> bool:
    return other.exists() and os.path.samefile(path, other)


def _sha256(path: Path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
