"""The table of files a generation keeps (``files.json``), and what is computed from it.

For every file of the site the table holds what the run that built the generation saw: size and
modification time, content hash, outcome, and for a page what it brings to the generation's
derived data (its facet values as written, the acronyms it spells out). ``update`` compares the
table with the site to find what changed. Then ``index`` and ``update`` alike compute the
report's counts, the facets' display forms and the acronyms from the whole table: an updated
index holds exactly what a full build of the same site would, and a page that was deleted or
unpublished takes its forms and acronyms with it.
"""

import json
from pathlib import Path

from indexer.errors import IndexDamaged
from indexer.gcpause import collector_paused
from indexer.language.synonyms import ACRONYMS_FILE, AcronymCounter
from indexer.store.displayforms import DISPLAY_FILE, DisplayForms

FILES_FILE = "files.json"


def file_entry(parsed) -> dict:
    """A file's row: what ``update`` compares, and a page's share of the derived data."""
    entry = {"stat": list(parsed.stat), "hash": parsed.content_hash, "status": parsed.status,
             "reason": parsed.reason, "kind": parsed.kind}
    if parsed.status == "indexed":  # empty parts left out: the table is read whole at each update
        entry["facets"] = {name: values for name, values in parsed.facets.items() if values}
        if parsed.acronyms:
            entry["acronyms"] = [list(pair) for pair in parsed.acronyms]
    return entry


def file_states(store, name: str) -> dict:
    """The table of generation ``name``.

    Kept apart from the manifest: only ``index`` and ``update`` need it, and it is large on a
    large site, while every reader opens the manifest.
    """
    with collector_paused():
        return json.loads((store.folder / name / FILES_FILE).read_text("utf-8"))


def previous_states(store) -> dict:
    """The table of the current generation, or an empty one when there is none to compare with
    (no index yet, or one whose table cannot be read: every page then counts as added)."""
    try:
        name = store.current_name()
        return file_states(store, name) if name else {}
    except (OSError, ValueError, IndexDamaged):  # IndexDamaged: CURRENT names no generation
        return {}


def write_table(folder: Path, files: dict) -> None:
    """Write the table and the data derived from it into a generation being built.

    Each file is created anew: an update's folder starts with hard links to the current
    generation's files, which must be replaced, never edited.
    """
    forms, acronyms = DisplayForms(), AcronymCounter()
    for entry in files.values():
        if entry["status"] == "indexed":
            forms.add(entry["facets"])
            acronyms.add(entry.get("acronyms", ()))
    for name, value in ((DISPLAY_FILE, forms.as_dict()), (ACRONYMS_FILE, acronyms.as_dict()), (FILES_FILE, files)):
        (folder / name).unlink(missing_ok=True)
        (folder / name).write_text(json.dumps(value, ensure_ascii=False), "utf-8")


def tally(report, before: dict, after: dict) -> None:
    """The report's counts, ``after`` compared with ``before``: pages added, changed, removed
    (a file deleted, or that became a draft, unreadable or no page) and unchanged."""
    was = {path: entry.get("hash") for path, entry in before.items() if entry.get("status") == "indexed"}
    now = {path: entry["hash"] for path, entry in after.items() if entry["status"] == "indexed"}
    report.indexed = len(now)
    report.added = len(now.keys() - was.keys())
    report.deleted = len(was.keys() - now.keys())
    report.updated = sum(path in was and was[path] != digest for path, digest in now.items())
    report.unchanged = report.indexed - report.added - report.updated
