"""Recording searches in a server process: rows queued in memory, written after the response.

A search adds its row to a bounded queue (no I/O); the web app calls :meth:`Recorder.flush`
once the response is sent, which writes every queued row in one short transaction. sqlite3
blocks the whole process while it works (a gevent worker's other connections too), so a write
waits at most :data:`WRITE_WAIT` for another worker's: if the file stays busy longer, the rows
stay queued and are tried again a second later (or at the next flush, or when the process
exits, whichever comes first). A log
that cannot be written (a read-only folder, a full disk) never fails a search: the reason is
logged once per process and those rows are dropped.
"""

import atexit
import logging
import sqlite3
import threading
import time
from collections import deque
from pathlib import Path

from indexer.querylog import database
from indexer.querylog.entries import Entry

#: Rows a process keeps queued at most while it cannot write (beyond, the oldest are dropped).
MAX_QUEUED = 10_000
#: Seconds a write after a response waits for another process's (the worker waits as long).
WRITE_WAIT = 0.005
#: Seconds before rows kept by a busy file are tried again.
RETRY_AFTER = 1.0
#: Seconds the last write, when the process exits, may wait.
EXIT_WAIT = 5.0
#: Old rows are deleted at most this often (seconds), by the write that comes due.
RETENTION_EVERY = 3600

log = logging.getLogger(__name__)


class Recorder:
    """The log of one server process."""

    def __init__(self, path: Path, retention: int = database.RETENTION_DAYS):
        self.path, self.retention = Path(path), retention
        self._queue: deque[Entry] = deque(maxlen=MAX_QUEUED)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._retention_due = 0.0
        self._reported: set[str] = set()
        self._retry_pending = False
        atexit.register(self.close)

    def add(self, entry: Entry | None) -> None:
        if entry is not None:
            self._queue.append(entry)

    def flush(self, wait: float = WRITE_WAIT) -> None:
        """Write the queued rows; on a busy file, keep them and try again soon."""
        with self._lock:
            rows = list(self._queue)
            if not rows:
                return
            try:
                if self._db is None:
                    self._db = database.connect(self.path, wait)
                self._db.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
                due = time.monotonic() >= self._retention_due
                database.write(self._db, rows, self.retention if due else None)
                if due:
                    self._retention_due = time.monotonic() + RETENTION_EVERY
            except sqlite3.Error as error:
                if database.is_busy(error):
                    self._retry_later()
                    return
                self._failed(error)
            except OSError as error:
                self._failed(error)
            for _row in rows:
                self._queue.popleft()

    def _retry_later(self) -> None:
        """A timer (a greenlet in a gevent worker, a thread elsewhere) flushes again soon."""
        if not self._retry_pending:
            self._retry_pending = True
            timer = threading.Timer(RETRY_AFTER, self._retry_now)
            timer.daemon = True
            timer.start()

    def _retry_now(self) -> None:
        self._retry_pending = False
        self.flush()

    def _failed(self, error: Exception) -> None:
        message = f"journal des recherches {self.path} : écriture impossible ({error}) ; les recherches sont servies sans être enregistrées"
        if message not in self._reported:
            self._reported.add(message)
            log.error("%s", message)
        self._disconnect()

    def close(self) -> None:
        """Write what is left (waiting up to :data:`EXIT_WAIT`), then close the file."""
        self.flush(EXIT_WAIT)
        with self._lock:
            self._disconnect()

    def _disconnect(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
