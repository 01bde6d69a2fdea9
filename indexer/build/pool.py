"""The indexer's worker processes: how many, and how they are tied to the indexer.

A worker holds none of the indexer's locks and does not outlive it, even killed with ``kill -9``:
an orphaned worker would keep the index lock's file open and go on using a core for nothing.
"""

import ctypes
import os
import signal

from indexer.store.generations import release_inherited_locks


def worker_count(processes: int | None) -> int:
    """``processes`` when given, else one worker per core."""
    return processes or os.cpu_count() or 1


def become_pool_worker(parent: int) -> None:
    """Run first in every pool worker: drop the inherited locks, die with ``parent``."""
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
