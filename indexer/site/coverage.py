"""Never silently read almost nothing: what a site holds that Jekyll does not make pages of.

After a run, the files with front matter that did not become pages are counted by why: the
``_`` folders Jekyll does not read (a collection in the wrong place, ``_pages`` without
``include``), the drafts. When fewer than half of a site's files with front matter became pages,
the run says so, and why. The collections with ``output: false`` are listed apart: Jekyll reads
them but publishes no page of theirs, so they have no URL to link to and are not indexed.
Only these folders are walked, never an excluded one, and only a file's first bytes are read.
"""

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from indexer.site.config import SiteConfig
from indexer.site.files import PAGE_EXTENSIONS, Skipped, unread_folders

#: Jekyll's ``has_yaml_header?``: a first line of three dashes (a UTF-8 byte order mark allowed).
_HEADER_RE = re.compile(rb"(?:\xef\xbb\xbf)?---[ \t]*\r?\n")
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
#: Where the report puts a problem of the whole site.
SITE = "site"


@dataclass
class Survey:
    """Files with front matter that Jekyll reads but does not publish, or does not read."""

    unread: dict[str, int] = field(default_factory=dict)  # why (a folder and its reason) → files
    unpublished: dict[str, int] = field(default_factory=dict)  # output: false collection → files

    def notes(self) -> list[str]:
        """The collections with ``output: false``, for the report."""
        return [f"collection {name} (output: false) : {count} fichier{'s' if count > 1 else ''} que Jekyll lit "
                "sans en publier de page ; pas d'adresse où les lier, non indexés"
                for name, count in self.unpublished.items()]

    def problems(self, pages: int, drafts: int) -> list[Skipped]:
        """A warning when fewer than half of the files with front matter became pages, and why."""
        total = pages + drafts + sum(self.unread.values())
        if not total or 2 * pages >= total:
            return []
        reasons = [f"{count} dans {why}" for why, count in self.unread.items()]
        reasons += [f"{drafts} brouillon{'s' if drafts > 1 else ''}"] if drafts else []
        return [Skipped(SITE, f"seulement {pages} page{'s' if pages > 1 else ''} sur {total} fichiers à front matter : "
                              + " ; ".join(reasons))]


def survey(root: Path, config: SiteConfig) -> Survey:
    """Walk the collections Jekyll reads without publishing (``output: false``) and the ``_``
    folders of the pages' tree that it does not read."""
    found = Survey()
    for name, collection in config.collections.items():
        folder = config.collection_folder(name)
        if name != "posts" and not collection.output and (root / folder).is_dir():
            found.unpublished[name] = _with_front_matter(root / folder)
    declared = {config.collection_folder(name) for name in config.collections}
    for folder in unread_folders(root, config):
        count = 0 if folder in declared else _with_front_matter(root / folder)
        if count:
            found.unread[_why(folder, config)] = count
    return found


def _why(folder: str, config: SiteConfig) -> str:
    name = folder.rsplit("/", 1)[-1]
    if name[1:] in config.collections:
        return (f"{folder} (Jekyll lit la collection {name[1:]} dans {config.collection_folder(name[1:])} : "
                "voyez collections_dir)")
    return (f"{folder} (Jekyll ne lit pas un dossier « _ » qui n'est ni une collection déclarée "
            "ni nommé par include)")


def _with_front_matter(folder: Path) -> int:
    """Page files with front matter in ``folder``, at any depth (hidden folders left out)."""
    count = 0
    for parent, subfolders, files in os.walk(folder, followlinks=False):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        count += sum(name.lower().endswith(PAGE_EXTENSIONS) and has_yaml_header(os.path.join(parent, name))
                     for name in files)
    return count


def has_yaml_header(path: str) -> bool:
    """Whether a regular file (never a symlink, a pipe or a device) opens with front matter."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return False
        return bool(_HEADER_RE.match(os.read(descriptor, 64)))
    except OSError:
        return False
    finally:
        os.close(descriptor)
