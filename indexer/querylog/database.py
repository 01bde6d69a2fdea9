"""The log file: where it is, its table, opening it, writing rows, forgetting old ones.

One SQLite file (standard library ``sqlite3``) in WAL mode: the server's workers append to it
at the same time, each in a short transaction, while a report reads it. It lies beside the
generations of the index (``queries.sqlite3``), never inside one, so reindexing keeps it.
Deleted rows are overwritten (``secure_delete``): a query past its retention or purged does not
linger in the file's free pages.
"""

import sqlite3
import time
from dataclasses import astuple, fields
from pathlib import Path

from indexer.querylog.entries import Entry, minute

FILE_NAME = "queries.sqlite3"
OFF = "off"
#: Days a search is kept by default (``EIG_SEARCH_QUERY_LOG_DAYS``).
RETENTION_DAYS = 180
PATH_VARIABLE, DAYS_VARIABLE = "EIG_SEARCH_QUERY_LOG", "EIG_SEARCH_QUERY_LOG_DAYS"
GENERATION_PREFIX = "gen-"

COLUMNS = tuple(field.name for field in fields(Entry))
SCHEMA = """
CREATE TABLE IF NOT EXISTS searches (
    id INTEGER PRIMARY KEY,
    minute TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    query TEXT NOT NULL,
    filters TEXT NOT NULL,
    sort TEXT NOT NULL,
    page INTEGER NOT NULL,
    results INTEGER NOT NULL,
    corrections TEXT NOT NULL,
    relaxed INTEGER NOT NULL,
    suggestion TEXT,
    ms REAL NOT NULL
)"""
#: The log's own settings: the retention its server applies, which a report applies too.
SETTINGS = "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)"
INDEXES = ("CREATE INDEX IF NOT EXISTS searches_minute ON searches (minute)",)
INSERT = f"INSERT INTO searches ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


def log_path(setting, index_folder) -> Path | None:
    """The log file for a setting (``QUERY_LOG``, ``$EIG_SEARCH_QUERY_LOG``): empty means
    ``queries.sqlite3`` in the index folder, ``off`` no log. A generation's folder is refused:
    the indexer deletes old generations, and the log with them."""
    text = str(setting or "").strip()
    if text.lower() == OFF:
        return None
    path = Path(text) if text else Path(index_folder) / FILE_NAME
    parent = path.resolve().parent
    if parent.name.startswith(GENERATION_PREFIX) and parent.parent == Path(index_folder).resolve():
        raise ValueError(f"journal des recherches {path} : il serait effacé avec la génération {parent.name} ; "
                         f"placez-le hors des dossiers {GENERATION_PREFIX}*")
    return path


def retention_days(setting) -> int:
    """Days rows are kept (``QUERY_LOG_DAYS``, ``$EIG_SEARCH_QUERY_LOG_DAYS``): a whole number, at least 1."""
    text = str(setting if setting not in (None, "") else RETENTION_DAYS).strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 100_000:
        raise ValueError(f"{DAYS_VARIABLE} : un nombre entier de jours, au moins 1 (reçu : « {text[:20]} »)")
    return int(text)


def connect(path: Path, wait: float, create: bool = True) -> sqlite3.Connection:
    """An open log in autocommit mode (transactions are explicit); ``wait``: seconds a write waits
    for another. Without ``create``, a missing file is an error (``sqlite3.OperationalError``)."""
    target = Path(path).absolute().as_uri() + ("" if create else "?mode=rw")
    db = sqlite3.connect(target, uri=True, timeout=wait, isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")  # WAL: safe against a crash, no fsync per search
        db.execute("PRAGMA secure_delete = ON")
        for statement in (SCHEMA, SETTINGS, *INDEXES):
            db.execute(statement)
    except BaseException:
        db.close()
        raise
    return db


def is_busy(error: sqlite3.Error) -> bool:
    """Whether another connection held the file longer than we waited (try again later)."""
    return (getattr(error, "sqlite_errorcode", 0) & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def cutoff(days: float, now: float | None = None) -> str:
    """The first minute still inside the last ``days`` days."""
    return minute((time.time() if now is None else now) - days * 86_400)


def write(db: sqlite3.Connection, entries, retention: int | None = None, now: float | None = None) -> None:
    """Append rows in one transaction; with ``retention``, delete the rows older than that many
    days and note that retention in the log, for reports."""
    with db:
        db.execute("BEGIN IMMEDIATE")
        db.executemany(INSERT, [astuple(entry) for entry in entries])
        if retention is not None:
            db.execute("INSERT OR REPLACE INTO settings VALUES ('retention_days', ?)", (str(retention),))
            forget(db, retention, now)


def stored_retention(db: sqlite3.Connection) -> int | None:
    """The retention the server last applied, if it wrote one."""
    row = db.execute("SELECT value FROM settings WHERE name = 'retention_days'").fetchone()
    return int(row[0]) if row else None


def forget(db: sqlite3.Connection, retention: int, now: float | None = None) -> int:
    """Delete the rows older than ``retention`` days; how many."""
    return db.execute("DELETE FROM searches WHERE minute < ?", (cutoff(retention, now),)).rowcount


def purge(db: sqlite3.Connection) -> int:
    """Empty the log and shrink its file (the WAL included); how many rows were deleted."""
    with db:
        db.execute("BEGIN IMMEDIATE")
        deleted = db.execute("DELETE FROM searches").rowcount
    db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return deleted
