"""``update``: plan what changed since the current generation, then apply the plan.

:func:`plan_update` decides from facts alone (what the current generation is and holds, the size
and modification time of the files looked at) whether a full build is needed and why, or which
files to read again and which pages to delete; it reads nothing, so every case is tested without
an index (``tests/test_update_plan.py``). :func:`update_index` gathers the facts and applies the
plan: a file read again whose content did not change (touched) keeps its page.

The files looked at are the files of the table, stated (0.3 s at 100,000 files), when no folder
changed since the site was listed (no file was added, removed or renamed); else every file of
a new listing of the site (0.5 s more); or, when the caller knows which files changed
(``eig-search watch`` does), those alone: a file the table does not hold that may be a page, or
a folder, still needs the listing.
"""

import os
from contextlib import contextmanager
from dataclasses import dataclass, replace

from indexer.build.filetable import FileTable, file_entry, recalled_site, source_of, tally, write_changes
from indexer.build.full import full_build
from indexer.build.loading import Site
from indexer.build.ownership import ensure_same_site
from indexer.build.parsing import parse_all
from indexer.build.publish import new_generation, publish
from indexer.build.report import Report
from indexer.site.files import PAGE_EXTENSIONS, Skipped, SourceFile
from indexer.store.generations import IndexStore
from indexer.store.schema import SCHEMA_VERSION
from indexer.whoosh_io.commit import update_writer


@dataclass(frozen=True)
class Current:
    """What an update needs to know of the current generation."""

    name: str | None = None  # None: no index yet
    damage: str | None = None  # why its files cannot be built on, if they cannot
    schema_version: int | None = None
    settings: str | None = None  # the signature of the _config.yml and _data it was built from
    documents: int = 0
    files: dict | None = None  # {path: (size, time, status)} of the files looked at, from its table
    table: FileTable | None = None  # its table, opened only when in this format


@dataclass(frozen=True)
class UpdatePlan:
    """A full build and why, or the files to read again and the pages to delete."""

    rebuild: str = ""  # why every file must be read again; "" when an update will do
    reread: tuple[str, ...] = ()  # files added, or changed in size or modification time, in site order
    removed: tuple[str, ...] = ()  # files of the table that are gone
    delete: tuple[str, ...] = ()  # the pages of the removed files


def read_current(store: IndexStore) -> Current:
    """The facts :func:`plan_update` needs but the table's rows (see :func:`_looked_at`)."""
    damage = store.damage()
    if damage:
        return Current(damage=damage)
    name = store.current_name()
    if not name:
        return Current()
    manifest = store.manifest(name)
    current = Current(name, schema_version=manifest.get("schema_version"), settings=manifest.get("settings"),
                      documents=manifest.get("documents", 0))
    if current.schema_version != SCHEMA_VERSION:  # another format: its table is not read
        return current
    return replace(current, table=FileTable(store.folder / name))


def _stats(root, paths) -> dict[str, tuple]:
    """``(size, modification time in ns)`` of each file, ``()`` if it is gone."""
    with _opened(root) as folder:  # paths relative to the folder: no path joined per file
        return {path: _stat(path, folder) for path in paths}


def _stat_changes(root, table: FileTable) -> dict[str, tuple]:
    """Those files of ``table`` whose size or time is not the one recorded, stated again."""
    with _opened(root) as folder:
        return {path: stat for path, recorded in table.recorded_stats() if (stat := _stat(path, folder)) != recorded}


def plan_update(current: Current, settings: str, stats: dict[str, tuple], whole_site: bool = True) -> UpdatePlan:
    """What to do to bring ``current`` to a site of ``settings`` (its signature) and file ``stats``:
    of every file of the site, or with ``whole_site`` false of some files the table holds (a
    file of the table not among them is unchanged)."""
    if current.damage:
        return UpdatePlan(rebuild=current.damage)
    if not current.name:
        return UpdatePlan(rebuild="pas encore d'index")
    if current.schema_version != SCHEMA_VERSION:
        return UpdatePlan(rebuild="format d'index modifié")
    if current.settings != settings:
        return UpdatePlan(rebuild="_config.yml ou _data modifié")
    known = current.files
    if whole_site:
        removed = tuple(sorted(known.keys() - stats.keys()))
    else:
        removed = tuple(sorted(path for path, stat in stats.items() if not stat and path in known))
    return UpdatePlan(
        # a file listed but gone before its stat is read again: reading it reports it
        reread=tuple(path for path, stat in stats.items()
                     if (stat or whole_site) and stat != tuple(known.get(path, ())[:2])),
        removed=removed,
        delete=tuple(path for path in removed if known[path][2] == "indexed"),
    )


def update_index(site: Site, store: IndexStore, progress: bool, changed=None) -> Report:
    """Plan, then apply the plan: a full build, nothing, or a new generation with the changes.

    ``changed``: the paths (relative to the site) of the files that may have changed since the
    current generation, if known; None: look at every file of the site.
    """
    ensure_same_site(store, site.root)
    current = read_current(store)
    table = current.table
    try:
        if table is not None:
            site.recall(*recalled_site(table))
        stats = _looked_at(site, table, changed)
        if stats is None and table is not None and site.listing_unchanged():
            stats = _stat_changes(site.root, table)  # no folder changed: no file was added or removed
        whole_site = stats is None
        if whole_site:
            stats = _stats(site.root, [source.relative_path for source in site.sources])
        known = table.summary(None if whole_site else stats) if table is not None else {}
        plan = plan_update(replace(current, files=known), site.settings_signature, stats, whole_site)
        if plan.rebuild:
            return full_build(site, store, progress, note=f"{plan.rebuild} : construction complète")
        return _apply(plan, current, site, store, progress)
    finally:
        if table is not None:
            table.close()


def _looked_at(site: Site, table: FileTable | None, changed) -> dict[str, tuple] | None:
    """The stats of the ``changed`` files the table holds, or None when the whole site must
    be looked at: nothing told, no table, or a file new to the table that may be a page, a
    folder (added, or holding files of the table: removed or renamed)."""
    if changed is None or table is None:
        return None
    known = table.summary(set(changed))
    for path in changed:
        if path in known:
            continue
        if path.lower().endswith(PAGE_EXTENSIONS) or os.path.isdir(site.root / path) or table.holds_under(path):
            return None
    return _stats(site.root, sorted(known))


def _apply(plan: UpdatePlan, current: Current, site: Site, store: IndexStore, progress: bool) -> Report:
    site.reuse_data(store.folder / current.name)
    report = Report(mode="update", generation=current.name)
    report.start(site)
    table = current.table
    before = table.get((*plan.reread, *plan.removed))
    changes: dict = {path: None for path in plan.removed}
    to_delete, to_add = list(plan.delete), []
    for parsed in parse_all(site, _sources(site, plan.reread, before), progress):
        report.count(parsed)
        was = before.get(parsed.path, {})
        changes[parsed.path] = file_entry(parsed)
        if was.get("status") == parsed.status == "indexed" and was["hash"] == parsed.content_hash:
            continue  # touched, not changed
        if was.get("status") == "indexed":  # changed, or now a draft, unreadable or no page
            to_delete.append(parsed.path)
        if parsed.record:
            to_add.append(parsed.record)
    _recall_unchanged(report, table, changes)
    tally(report, before, changes, current.documents)
    if not to_delete and not to_add:
        report.note = "rien à mettre à jour" if not plan.reread and not plan.removed else "aucune page modifiée"
        return report
    with new_generation(store, base=current.name) as path:
        writer = update_writer(path)
        for doc_path in to_delete:
            writer.delete_by_term("path", doc_path)
        for record in to_add:
            writer.add_document(**record)
        writer.commit()
        write_changes(path, table, before, changes, site)
        publish(store, path, site, report)
    return report


def _sources(site: Site, reread: tuple[str, ...], before: dict) -> list[SourceFile]:
    """The files to read again: from the listing of the site when it was made, else (each
    then in the table) as the table knows them."""
    if not reread or any(path not in before for path in reread):
        wanted = set(reread)
        return [source for source in site.sources if source.relative_path in wanted]
    return [source_of(path, before[path]) for path in reread]


def _recall_unchanged(report: Report, table: FileTable, changes: dict) -> None:
    """Files not read again keep their earlier outcome in the report: drafts, skipped files."""
    for path, entry in table.with_status(("draft", "skipped")).items():
        if path in changes:
            continue
        if entry["status"] == "draft":
            report.drafts.append(path)
        else:
            report.skipped.append(Skipped(path, entry.get("reason", "")))


@contextmanager
def _opened(root):
    folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        yield folder
    finally:
        os.close(folder)


def _stat(path: str, folder: int) -> tuple:
    try:
        stat = os.stat(path, dir_fd=folder)
    except OSError:
        return ()
    return (stat.st_size, stat.st_mtime_ns)
