"""The table of files a generation keeps, and what is computed from it.

For every file of the site the table holds what the run that built the generation saw: size and
modification time, content hash, outcome, collection, and for a page what it brings to the
generation's derived data (its facet values as written, the acronyms it spells out). ``update``
compares the table with the site to find what changed.

It is kept in two parts, so that an update of one page at 100,000 pages neither reads nor
writes the whole table (it took 2 s to load as JSON, 1 s to write again):

- ``files.sqlite``, written by a full build, then only when the changes below grow past
  :data:`REWRITE_SHARE` of it: opened read-only, it answers for the files an update looks at,
  and lists sizes and times in 0.1 s. Generations share it by hard link; it is never modified.
- ``state.json``, written by every run: the rows changed since ``files.sqlite`` was written
  (``None`` for a file gone), and what the run saw of the site besides pages (names its listing
  refused, each settings file's size, time and digest, every acronym with its names' counts).

The derived data (``facets.json``, ``acronyms.json``) is counted over the whole table by a full
build, then updated by taking back each changed page's old share and adding its new one: an
updated index holds exactly what a full build of the same site would, and a page that was
deleted or unpublished takes its forms and acronyms with it.
"""

import json
import sqlite3
from pathlib import Path
from urllib.request import pathname2url

from indexer.errors import EigSearchError
from indexer.gcpause import collector_paused
from indexer.language.synonyms import ACRONYMS_FILE, AcronymCounter
from indexer.site.files import Skipped, SourceFile
from indexer.store.displayforms import DISPLAY_FILE, DisplayForms

TABLE_FILE = "files.sqlite"
STATE_FILE = "state.json"
#: ``files.sqlite`` is written anew once the rows changed since exceed this share of it (and
#: :data:`REWRITE_MIN` rows): below, reading and writing them in ``state.json`` costs less.
REWRITE_SHARE = 0.05
REWRITE_MIN = 1000
#: Paths per ``IN (…)`` of a query (SQLite allows 999 parameters by default in older versions).
QUERY_CHUNK = 500


def file_entry(parsed) -> dict:
    """A file's row: what ``update`` compares, and a page's share of the derived data."""
    entry = {"stat": list(parsed.stat), "hash": parsed.content_hash, "status": parsed.status,
             "reason": parsed.reason, "kind": parsed.kind, "collection": parsed.source.collection,
             "folder": parsed.source.folder}
    if parsed.status == "indexed":  # empty parts left out
        entry["facets"] = {name: values for name, values in parsed.facets.items() if values}
        if parsed.acronyms:
            entry["acronyms"] = [list(pair) for pair in parsed.acronyms]
    return entry


def source_of(path: str, entry: dict) -> SourceFile:
    """The file of a row, as the listing of the site gave it (to read it again without one)."""
    return SourceFile(path, entry["collection"], entry["folder"])


class FileTable:
    """The table of one generation (see the module's docstring), read-only."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        with collector_paused():
            self.state = json.loads((self.folder / STATE_FILE).read_text("utf-8"))
        self.changes: dict = self.state["changes"]
        uri = f"file:{pathname2url(str(self.folder / TABLE_FILE))}?mode=ro&immutable=1"
        self.db = sqlite3.connect(uri, uri=True)

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def summary(self, paths=None) -> dict[str, tuple]:
        """``{path: (size, time, status)}`` of every file, or of those of ``paths`` it holds."""
        query = "SELECT path, size, mtime, status FROM stats"
        rows = {path: (size, time, status) for path, size, time, status in self._select(query, paths)}
        for path, entry in self._changes(paths):
            if entry is None:
                rows.pop(path, None)
            else:
                rows[path] = (*entry["stat"], entry["status"])
        return rows

    def recorded_stats(self):
        """``(path, (size, time))`` of every file, in no particular order."""
        for path, size, time in self.db.execute("SELECT path, size, mtime FROM stats"):
            if path not in self.changes:
                yield path, (size, time)
        for path, entry in self.changes.items():
            if entry is not None:
                yield path, tuple(entry["stat"])

    def get(self, paths) -> dict[str, dict]:
        """The rows of those of ``paths`` the table holds."""
        query = "SELECT path, entry FROM entries"
        rows = {path: json.loads(entry) for path, entry in self._select(query, paths)}
        for path, entry in self._changes(paths):
            if entry is None:
                rows.pop(path, None)
            else:
                rows[path] = entry
        return rows

    def with_status(self, statuses: tuple[str, ...]) -> dict[str, dict]:
        """The rows of the files of these outcomes (drafts, skipped files: a few)."""
        marks = ",".join("?" * len(statuses))
        query = f"SELECT path, entry FROM entries JOIN stats USING (path) WHERE status IN ({marks})"
        rows = {path: json.loads(entry) for path, entry in self.db.execute(query, statuses)}
        for path, entry in self.changes.items():
            rows.pop(path, None)
            if entry is not None and entry["status"] in statuses:
                rows[path] = entry
        return dict(sorted(rows.items()))

    def holds_under(self, folder: str) -> bool:
        """Whether a file under ``folder`` may be in the table (a folder removed or renamed)."""
        prefix = folder.rstrip("/") + "/"
        found = self.db.execute("SELECT 1 FROM stats WHERE path >= ? AND path < ? LIMIT 1",
                                (prefix, prefix[:-1] + "0")).fetchone()  # "0" follows "/"
        return bool(found) or any(path.startswith(prefix) for path in self.changes)

    def all(self) -> dict[str, dict]:
        """Every row (a full build compares the whole table with the new one)."""
        return self.get(None)

    def _select(self, query: str, paths):
        if paths is None:
            yield from self.db.execute(query)
            return
        paths = list(paths)
        for start in range(0, len(paths), QUERY_CHUNK):
            chunk = paths[start:start + QUERY_CHUNK]
            yield from self.db.execute(f"{query} WHERE path IN ({','.join('?' * len(chunk))})", chunk)

    def _changes(self, paths):
        if paths is None:
            return self.changes.items()
        return [(path, self.changes[path]) for path in paths if path in self.changes]


def file_states(store, name: str) -> dict:
    """Every row of the table of generation ``name``."""
    with FileTable(store.folder / name) as table:
        return table.all()


def previous_states(store) -> dict:
    """The table of the current generation, or an empty one when there is none to compare with
    (no index yet, or one whose table cannot be read: every page then counts as added)."""
    try:
        name = store.current_name()
        return file_states(store, name) if name else {}
    except (OSError, ValueError, KeyError, sqlite3.Error, EigSearchError):  # another format, no generation…
        return {}


def write_table(folder: Path, files: dict, site) -> None:
    """Write the whole table of a full build and the data derived from it."""
    forms, acronyms = DisplayForms(), AcronymCounter()
    for entry in files.values():
        if entry["status"] == "indexed":
            forms.add(entry["facets"])
            acronyms.add(entry.get("acronyms", ()))
    rows = _write_rows(folder, [_row(path, entry) for path, entry in sorted(files.items())])
    _write_state(folder, site, forms, acronyms, rows, changes={})


def write_changes(folder: Path, table: FileTable, before: dict, changes: dict, site) -> None:
    """Write an update's table and derived data into its generation, which starts with hard
    links to the files of ``table``'s: each file written is created anew, never edited.

    ``before`` holds the earlier rows of the changed files, ``changes`` their new rows (``None``
    for a file gone).
    """
    forms = DisplayForms(json.loads((table.folder / DISPLAY_FILE).read_text("utf-8")))
    acronyms = AcronymCounter(table.state["acronyms"])
    for entry in before.values():
        if entry["status"] == "indexed":
            forms.remove(entry["facets"])
            acronyms.remove(entry.get("acronyms", ()))
    for entry in changes.values():
        if entry is not None and entry["status"] == "indexed":
            forms.add(entry["facets"])
            acronyms.add(entry.get("acronyms", ()))
    merged, rows = {**table.changes, **changes}, table.state["rows"]
    if len(merged) > max(REWRITE_MIN, REWRITE_SHARE * rows):
        rows = _write_rows(folder, _merged_rows(table, merged))
        merged = {}
    _write_state(folder, site, forms, acronyms, rows, merged)


def _row(path: str, entry: dict) -> tuple:
    return (path, *entry["stat"], entry["status"], json.dumps(entry, ensure_ascii=False))


def _merged_rows(table: FileTable, changes: dict) -> list[tuple]:
    """The rows of ``table`` with ``changes`` applied, in path order (rows not changed are
    copied as they are, their JSON not parsed)."""
    rows = {row[0]: row for row in table.db.execute(
        "SELECT path, size, mtime, status, entry FROM stats JOIN entries USING (path)")}
    for path, entry in changes.items():
        if entry is None:
            rows.pop(path, None)
        else:
            rows[path] = _row(path, entry)
    return [rows[path] for path in sorted(rows)]


def _write_rows(folder: Path, rows: list[tuple]) -> int:
    """Write ``files.sqlite`` anew (never through a hard link); the number of rows."""
    (folder / TABLE_FILE).unlink(missing_ok=True)
    db = sqlite3.connect(folder / TABLE_FILE)
    try:
        db.execute("PRAGMA journal_mode = OFF")  # a new file of an unpublished folder: publish syncs it
        db.execute("CREATE TABLE stats (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, status TEXT) "
                   "WITHOUT ROWID")
        db.execute("CREATE TABLE entries (path TEXT PRIMARY KEY, entry TEXT) WITHOUT ROWID")
        db.executemany("INSERT INTO stats VALUES (?, ?, ?, ?)", (row[:4] for row in rows))
        db.executemany("INSERT INTO entries VALUES (?, ?)", ((row[0], row[4]) for row in rows))
        db.execute("CREATE INDEX outcomes ON stats (status)")  # drafts and skipped files: a few
        db.commit()
    finally:
        db.close()
    return len(rows)


def _write_state(folder: Path, site, forms: DisplayForms, acronyms: AcronymCounter, rows: int,
                 changes: dict) -> None:
    state = {"rows": rows, "changes": changes,
             "refused": [[problem.path, problem.reason] for problem in site.listing_refused],
             "settings_files": site.settings_files, "folders": site.folder_times, "acronyms": acronyms.as_counts()}
    for name, value in ((DISPLAY_FILE, forms.as_dict()), (ACRONYMS_FILE, acronyms.as_dict()), (STATE_FILE, state)):
        (folder / name).unlink(missing_ok=True)
        (folder / name).write_text(json.dumps(value, ensure_ascii=False), "utf-8")


def recalled_site(table: FileTable) -> tuple[list[Skipped], dict, dict]:
    """What :meth:`~indexer.build.loading.Site.recall` takes from the state of a generation."""
    state = table.state
    return [Skipped(path, reason) for path, reason in state["refused"]], state["settings_files"], state["folders"]


def tally(report, before: dict, after: dict, indexed_before: int | None = None) -> None:
    """The report's counts: pages added, changed, removed (a file deleted, or that became a
    draft, unreadable or no page) and unchanged. ``before`` and ``after`` hold the rows of every
    file, or with ``indexed_before`` (the number of pages before) of the files that may have
    changed only (``None`` or no row: no such file)."""
    was = {path: entry["hash"] for path, entry in before.items() if entry and entry["status"] == "indexed"}
    now = {path: entry["hash"] for path, entry in after.items() if entry and entry["status"] == "indexed"}
    report.indexed = (len(was) if indexed_before is None else indexed_before) - len(was) + len(now)
    report.added = len(now.keys() - was.keys())
    report.deleted = len(was.keys() - now.keys())
    report.updated = sum(path in was and was[path] != digest for path, digest in now.items())
    report.unchanged = report.indexed - report.added - report.updated
