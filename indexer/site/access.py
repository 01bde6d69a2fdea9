"""Open a site's files without trusting them: every check is made before a byte is read.

A symlink is followed only when its target stays inside the site; the file opened must be a
regular file (a FIFO or a device could block the run or never end) and its size is read from
the open descriptor and checked against the limit before reading, so a 400 MB file costs nothing.
"""

import os
import stat
from pathlib import Path

from indexer.errors import FileRejected

_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def resolve_inside(root: Path, relative_path: str) -> Path:
    """The file to open for ``relative_path``: itself, or the target of its symlink when that
    target is inside ``root``; else :class:`FileRejected`."""
    path = root / relative_path
    try:
        if not path.is_symlink():
            return path
    except OSError as error:  # a name too long for the system, a folder that cannot be entered
        raise FileRejected(f"illisible : {error.strerror}") from None
    target = Path(os.path.realpath(path))  # never raises, even on a loop (the open then fails)
    if not target.is_relative_to(os.path.realpath(root)):
        raise FileRejected("lien symbolique vers l'extérieur du site")
    return target


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path`` (not a symlink), at most ``limit`` of them."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
        with open(descriptor, "rb") as file:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                raise FileRejected("pas un fichier ordinaire (dossier, tube ou périphérique)")
            if info.st_size > limit:
                raise FileRejected(_too_big(info.st_size, limit))
            raw = file.read(limit + 1)
    except OSError as error:  # at the open, or a disk error while reading
        raise FileRejected(f"illisible : {error.strerror}") from None
    if len(raw) > limit:  # it grew since fstat
        raise FileRejected(_too_big(len(raw), limit))
    return raw


def _too_big(size: int, limit: int) -> str:
    mega = 1024 * 1024
    return f"fichier trop volumineux ({size / mega:.1f} Mo, limite {limit / mega:g} Mo)"
