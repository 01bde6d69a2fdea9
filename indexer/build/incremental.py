"""``update``: plan what changed since the current generation, then apply the plan.

:func:`plan_update` decides from facts alone (what the current generation is and holds, the size
and modification time of each file of the site) whether a full build is needed and why, or
which files to read again and which pages to delete; it reads nothing, so every case is tested
without an index (``tests/test_update_plan.py``). :func:`update_index` gathers the facts and
applies the plan: a file read again whose content did not change (touched) keeps its page.
"""

import os
from dataclasses import dataclass, field, replace

from indexer.build.filetable import file_entry, file_states, tally
from indexer.build.full import full_build
from indexer.build.loading import Site
from indexer.build.ownership import ensure_same_site
from indexer.build.parsing import parse_all
from indexer.build.publish import new_generation, publish
from indexer.build.report import Report
from indexer.site.files import Skipped
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
    files: dict = field(default_factory=dict)  # its file table, read only when in this format


@dataclass(frozen=True)
class UpdatePlan:
    """A full build and why, or the files to read again and the pages to delete."""

    rebuild: str = ""  # why every file must be read again; "" when an update will do
    reread: tuple[str, ...] = ()  # files added, or changed in size or modification time, in site order
    removed: tuple[str, ...] = ()  # files of the table that are gone
    delete: tuple[str, ...] = ()  # the pages of the removed files
    kept: dict = field(default_factory=dict)  # the table's rows of the files still in the site


def read_current(store: IndexStore) -> Current:
    """The facts :func:`plan_update` needs (the damage check reads the whole generation)."""
    damage = store.damage()
    if damage:
        return Current(damage=damage)
    name = store.current_name()
    if not name:
        return Current()
    manifest = store.manifest(name)
    current = Current(name, schema_version=manifest.get("schema_version"), settings=manifest.get("settings"))
    if current.schema_version != SCHEMA_VERSION:  # another format: its table is not read
        return current
    return replace(current, files=file_states(store, name))


def source_stats(site: Site) -> dict[str, tuple]:
    """``(size, modification time in ns)`` of each page file of the site, ``()`` if it is gone."""
    root = str(site.root)  # os.path.join: a Path per file costs more than its stat at 100k files
    return {source.relative_path: _stat(os.path.join(root, source.relative_path)) for source in site.sources}


def plan_update(current: Current, settings: str, stats: dict[str, tuple]) -> UpdatePlan:
    """What to do to bring ``current`` to a site of ``settings`` (its signature) and file ``stats``."""
    if current.damage:
        return UpdatePlan(rebuild=current.damage)
    if not current.name:
        return UpdatePlan(rebuild="pas encore d'index")
    if current.schema_version != SCHEMA_VERSION:
        return UpdatePlan(rebuild="format d'index modifié")
    if current.settings != settings:
        return UpdatePlan(rebuild="_config.yml ou _data modifié")
    known = current.files
    removed = tuple(sorted(known.keys() - stats.keys()))
    return UpdatePlan(
        reread=tuple(path for path, stat in stats.items() if stat != tuple(known.get(path, {}).get("stat", ()))),
        removed=removed,
        delete=tuple(path for path in removed if known[path]["status"] == "indexed"),
        kept={path: entry for path, entry in known.items() if path in stats},
    )


def update_index(site: Site, store: IndexStore, progress: bool) -> Report:
    """Plan, then apply the plan: a full build, nothing, or a new generation with the changes."""
    ensure_same_site(store, site.root)
    current = read_current(store)
    plan = plan_update(current, site.settings_signature, source_stats(site))
    if plan.rebuild:
        return full_build(site, store, progress, note=f"{plan.rebuild} : construction complète")
    return _apply(plan, current, site, store, progress)


def _apply(plan: UpdatePlan, current: Current, site: Site, store: IndexStore, progress: bool) -> Report:
    site.reuse_data(store.folder / current.name)
    report = Report(mode="update", generation=current.name)
    report.start(site)
    known, files = current.files, dict(plan.kept)
    to_delete, to_add = list(plan.delete), []
    reread = set(plan.reread)
    for parsed in parse_all(site, [source for source in site.sources if source.relative_path in reread], progress):
        report.count(parsed)
        before = known.get(parsed.path, {})
        files[parsed.path] = file_entry(parsed)
        if before.get("status") == parsed.status == "indexed" and before["hash"] == parsed.content_hash:
            continue  # touched, not changed
        if before.get("status") == "indexed":  # changed, or now a draft, unreadable or no page
            to_delete.append(parsed.path)
        if parsed.record:
            to_add.append(parsed.record)
    _recall_unchanged(report, files)
    tally(report, known, files)
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
        publish(store, path, site, report, files)
    return report


def _recall_unchanged(report: Report, files: dict) -> None:
    """Files not read again keep their earlier outcome in the report: drafts, skipped files."""
    skipped, drafts = {p.path for p in report.skipped}, set(report.drafts)
    for path, entry in files.items():
        if path in skipped:
            continue
        if entry["status"] == "draft" and path not in drafts:
            report.drafts.append(path)
        elif entry["status"] == "skipped":
            report.skipped.append(Skipped(path, entry.get("reason", "")))


def _stat(path: str) -> tuple:
    try:
        stat = os.stat(path)
    except OSError:
        return ()
    return (stat.st_size, stat.st_mtime_ns)
