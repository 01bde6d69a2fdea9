"""``_data`` files: entries that point at a page lend it their fields.

A data entry is any mapping, at any depth of a ``_data/*.yml`` (or ``.yaml``/``.json``) file,
whose ``link_to``, ``url`` or ``permalink`` names a page of the site. Nothing here knows a file
name or a field name of one particular site.
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from indexer.errors import FileRejected
from indexer.gcpause import collector_paused
from indexer.site.access import read_bytes
from indexer.site.files import DATA_FOLDER, MAX_SITE_FILE_BYTES, Skipped, decode
from indexer.site.frontmatter import check_parsed, parse_yaml, too_nested
from indexer.site.permalinks import normalise

LINK_KEYS = ("link_to", "url", "permalink")
DATA_EXTENSIONS = (".yml", ".yaml", ".json")
#: Nested structures are walked at most this deep (defends against pathological files).
MAX_DEPTH = 8


@dataclass
class DataIndex:
    """Data entries keyed by the normalised URL they point at."""

    entries: dict[str, dict] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def for_url(self, url: str) -> dict:
        return self.entries.get(normalise(url), {})


def data_files(root: Path) -> list[Path]:
    """The data files under ``root/_data``, in the order their entries are merged.

    Symlinks, to files or folders, are left out: ``_data`` is read only where it is the site's.
    """
    folder = root / DATA_FOLDER
    if folder.is_symlink() or not folder.is_dir():
        return []
    found = []
    for parent, _subfolders, names in os.walk(folder, followlinks=False):
        found.extend(Path(parent, name) for name in names if name.lower().endswith(DATA_EXTENSIONS)
                     and not os.path.islink(os.path.join(parent, name)))
    return sorted(found)


def read_data_file(path: Path) -> list[tuple[str, dict]] | FileRejected:
    """The ``(link, entry)`` pairs of one data file, or why it was refused (picklable either way):
    whatever a file holds is that file's report, never the run's end."""
    try:
        with collector_paused():
            return list(_linked_entries(_read(path), depth=0))
    except FileRejected as error:
        return error


def merge_data(root: Path, files: list[Path], contents: list) -> tuple[DataIndex, list[Skipped]]:
    """One index from :func:`read_data_file`'s results; later files add to earlier entries."""
    index, problems = DataIndex(), []
    for path, content in zip(files, contents):
        relative_path = path.relative_to(root).as_posix()
        if isinstance(content, FileRejected):
            problems.append(Skipped(relative_path, str(content)))
            continue
        index.files.append(relative_path)
        for url, entry in content:
            index.entries.setdefault(normalise(url), {}).update(entry)
    return index, problems


def _read(path: Path):
    text, _warnings = decode(read_bytes(path, MAX_SITE_FILE_BYTES))
    if path.suffix == ".json":
        try:
            value = json.loads(text)
        except ValueError as error:
            raise FileRejected(f"JSON mal formé : {error}") from None
        except RecursionError:
            raise FileRejected(too_nested("fichier de données")) from None
        check_parsed(value, "fichier de données")
        return value
    return parse_yaml(text, "fichier de données", MAX_SITE_FILE_BYTES)


def _linked_entries(value, depth: int):
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        link = site_link(value)
        if link:
            yield link, value
            return
        children = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return
    for child in children:
        yield from _linked_entries(child, depth + 1)


def site_link(entry: dict) -> str | None:
    """The site-relative link of an entry (``/defis/2019/x.html``), if it has one."""
    for key in LINK_KEYS:
        link = entry.get(key)
        if isinstance(link, str) and link.startswith("/"):
            return link
    return None
