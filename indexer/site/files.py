"""Find the files of a site that may hold pages, as Jekyll finds them, and read them without
trusting them.

Discovery follows Jekyll's reader (:mod:`indexer.site.entries` holds its rules): pages in the
folders it walks (never an excluded folder, nor one whose name starts with ``_ . # ~`` unless
``include`` names it), the ``_posts`` and ``_drafts`` of those folders (inside ``collections_dir``
when it is set), and the published collections in ``collections_dir``. Reading is defensive:
symlinks must stay inside the site root, symlinked folders are not followed (so loops end), names
that are not UTF-8 or hold control characters are refused, huge, binary and undecodable files are
refused, and non-UTF-8 text falls back to cp1252 with a warning. Text is composed (NFC) as it is
decoded, so an accent decomposed by macOS or a PDF copy is the letter a visitor types.
"""

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from indexer.errors import FileRejected
from indexer.site.access import read_bytes, resolve_inside
from indexer.site.config import JEKYLL_FOLDERS, SiteConfig
from indexer.site.config import MARKDOWN_EXTENSIONS as MARKDOWN_NAMES
from indexer.site.entries import Entries, is_special

MARKDOWN_EXTENSIONS = tuple("." + extension for extension in MARKDOWN_NAMES)
PAGE_EXTENSIONS = (*MARKDOWN_EXTENSIONS, ".html", ".htm")
MAX_SITE_FILE_BYTES = 5 * 1024 * 1024
DATA_FOLDER = "_data"
#: Folders of posts in every folder Jekyll walks; the drafts' are counted, never published.
POST_FOLDERS = ("_posts", "_drafts")
#: Folders never worth watching for changes, whatever the site's configuration: Jekyll's output
#: and caches, installed packages.
EXCLUDED_FOLDERS = frozenset({"node_modules", "vendor", "_site", ".bundle", ".jekyll-cache"})
#: What a report never prints as is: control characters, line and paragraph separators, bidi
#: overrides, and the lone surrogates that stand for bytes of a name that is not UTF-8.
_UNPRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f]")
_NOT_UTF8_RE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class SourceFile:
    """A candidate page: its path relative to the site root, the collection it belongs to, and
    the folder of that collection (``content/_startups``, ``en/_posts``; "" for a page)."""

    relative_path: str
    collection: str  # "posts", a collection name, or "pages"
    folder: str = ""

    @property
    def name(self) -> str:
        return self.relative_path.rsplit("/", 1)[-1]

    @property
    def is_markdown(self) -> bool:
        return self.relative_path.lower().endswith(MARKDOWN_EXTENSIONS)

    @property
    def is_draft_name(self) -> bool:
        """Jekyll ignores entries whose name starts with ``_``, and publishes ``_drafts`` only on
        demand: they are drafts here."""
        inner = self.relative_path[len(self.folder) + 1:] if self.folder else self.name
        return inner.startswith("_") or self.name.startswith("_") or self.folder.rsplit("/", 1)[-1] == "_drafts" \
            or "/_drafts/" in "/" + self.relative_path


@dataclass(frozen=True)
class Skipped:
    """A file that was not indexed (or indexed with a warning), and why, for the report; both
    are kept :func:`printable`, so that a file name cannot forge a line of the report."""

    path: str
    reason: str

    def __post_init__(self):
        object.__setattr__(self, "path", printable(self.path))
        object.__setattr__(self, "reason", printable(self.reason))


def printable(text: str) -> str:
    """``text`` with what a terminal or a log would not show as is escaped: a byte of a name
    that is not UTF-8 as ``\\xfe``, a newline as ``\\n``, a bidi override as ``\\u202e``."""
    return _UNPRINTABLE_RE.sub(_escape, text)


def _escape(match) -> str:
    char = match.group()
    if "\udc80" <= char <= "\udcff":  # os.fsdecode's stand-in for an undecodable byte
        return f"\\x{ord(char) - 0xdc00:02x}"
    return char.encode("unicode_escape").decode("ascii")


def name_problem(name: str) -> str | None:
    """Why a file or folder name cannot be indexed: its URL and its report line would be wrong."""
    if _NOT_UTF8_RE.search(name):
        return "nom qui n'est pas en UTF-8"
    if _CONTROL_RE.search(name):
        return "nom avec un caractère de contrôle"
    return None


def discover(root: Path, config: SiteConfig, excluded: tuple[str, ...] = (),
             folders: list[str] | None = None) -> tuple[list[SourceFile], list[Skipped]]:
    """All candidate page files under ``root`` in walk order (a folder's files before its
    subfolders'), and the folders and names that were refused; ``excluded``: more patterns not
    to read (the site's ``exclude`` and ``search.exclude`` always apply); ``folders``: a list
    to which each folder read is added (``update`` lists the site again only when one changed)."""
    walk = _Walk(root, config, Entries(config.include, [*config.exclude, *excluded], config.search.exclude))
    walk.folders = folders if folders is not None else []
    if os.path.lexists(root / DATA_FOLDER):  # read by Jekyll, never walked here: a symlink is said
        walk.enterable(DATA_FOLDER)
    walk.pages("")
    for name, collection in config.collections.items():
        folder = config.collection_folder(name)
        if name != "posts" and collection.output and (root / folder).is_dir() and walk.enterable(folder):
            walk.documents(folder, name, base=f"_{name}")
    for pattern in config.include:  # a file include names is a page, even in a folder Jekyll skips
        path = pattern.strip("/")
        if path.lower().endswith(PAGE_EXTENSIONS) and path not in walk.paths and _plain_file(root, path) \
                and not walk.entries.not_indexed(path):
            walk.add(SourceFile(path, "pages"))
    walk.sources.sort(key=lambda source: _walk_order(source.relative_path))
    return walk.sources, walk.refused


def unread_folders(root: Path, config: SiteConfig) -> list[str]:
    """The ``_`` folders of the pages' tree that Jekyll does not read (neither its own, nor
    ``_posts`` or ``_drafts``, nor named by ``include``): where pages may hide."""
    walk = _Walk(root, config, Entries(config.include, config.exclude, config.search.exclude))
    walk.pages("")
    return walk.unread


class _Walk:
    """The files found so far, and the names refused."""

    def __init__(self, root: Path, config: SiteConfig, entries: Entries):
        self.root, self.config, self.entries = root, config, entries
        self.sources: list[SourceFile] = []
        self.refused: list[Skipped] = []
        self.paths: set[str] = set()
        self.unread: list[str] = []  # the "_" folders the walk passed by
        self.folders: list[str] = []  # the folders read

    def add(self, source: SourceFile) -> None:
        self.sources.append(source)
        self.paths.add(source.relative_path)

    def pages(self, relative: str) -> None:
        """One folder of the pages' tree, as Jekyll's reader walks it: its pages, its ``_posts``
        and ``_drafts`` (inside ``collections_dir`` when it is set), then its subfolders."""
        folders, files = _listing(self.root / relative if relative else self.root)
        self.folders.append(relative)
        for name in files:
            path = _join(relative, name)
            if name.lower().endswith(PAGE_EXTENSIONS) and self.entries.keeps(name, path):
                self.page_file(path, SourceFile(path, "pages"))
        collections_dir = self.config.collections_dir
        if not collections_dir or ("/" + relative).startswith("/" + collections_dir):
            for name in POST_FOLDERS:
                if name in folders and self.enterable(_join(relative, name)):
                    self.documents(_join(relative, name), "posts")
        for name in folders:
            path = _join(relative, name)
            if self.entries.keeps(name, path, folder=True):
                if self.enterable(path):
                    self.pages(path)
            elif name.startswith("_") and name not in JEKYLL_FOLDERS and not self.entries.excluded(path, folder=True):
                self.unread.append(path)

    def documents(self, folder: str, collection: str, base: str | None = None) -> None:
        """Every page file of a collection (or of a ``_posts`` folder), at any depth. As in
        Jekyll, hidden entries are left out and a name starting with ``_`` too (here: counted as
        a draft); ``exclude`` applies to the path in the site and, for a collection, to the path
        Jekyll checks (``_name/…``, inside ``collections_dir``)."""
        entries = self.entries
        for parent, subfolders, files in os.walk(self.root / folder, followlinks=False):
            relative = Path(parent).relative_to(self.root).as_posix()
            self.folders.append(relative)
            subfolders[:] = [name for name in sorted(subfolders)
                             if not is_special(name, allow_underscore=True) and self.enterable(_join(relative, name))]
            for name in sorted(files):
                path = _join(relative, name)
                inner = path[len(folder) + 1:]
                if not name.lower().endswith(PAGE_EXTENSIONS) or entries.not_indexed(path):
                    continue
                hidden = is_special(inner, allow_underscore=True) or is_special(name, allow_underscore=True)
                excluded = entries.excluded(path) or (base is not None and entries.excluded(f"{base}/{inner}"))
                if (hidden or excluded) and not entries.included(inner):
                    continue
                self.page_file(path, SourceFile(path, collection, folder))

    def page_file(self, path: str, source: SourceFile) -> None:
        problem = name_problem(source.name)
        if problem:
            self.refused.append(Skipped(path, f"fichier non lu : {problem}"))
        else:
            self.add(source)

    def enterable(self, path: str) -> bool:
        """A folder the walk may enter: not a symlink (loops, or the outside of the site), a name
        that a report and a URL can hold."""
        if os.path.islink(self.root / path):
            self.refused.append(Skipped(path, "dossier en lien symbolique non suivi"))
            return False
        problem = name_problem(path.rsplit("/", 1)[-1])
        if problem:
            self.refused.append(Skipped(path, f"dossier non parcouru : {problem}"))
            return False
        return True


def _listing(folder: Path) -> tuple[list[str], list[str]]:
    """The subfolders (symlinks to folders among them) and the other entries of a folder, sorted."""
    folders, files = [], []
    try:
        with os.scandir(folder) as scan:
            for item in scan:
                (folders if item.is_dir() else files).append(item.name)
    except OSError:
        return [], []
    return sorted(folders), sorted(files)


def _plain_file(root: Path, relative: str) -> bool:
    try:
        return (root / relative).is_file()
    except OSError:
        return False


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _walk_order(relative_path: str) -> tuple:
    """A folder's files before its subfolders', folders in name order (as ``os.walk`` goes)."""
    parts = relative_path.split("/")
    return tuple(parts[:-1]), parts[-1]


def read_text(root: Path, relative_path: str) -> tuple[str, list[str]]:
    """The text of a site file and any warnings; :class:`FileRejected` when it must be skipped."""
    raw = read_bytes(resolve_inside(root, relative_path), MAX_SITE_FILE_BYTES)
    if not raw:
        raise FileRejected("fichier vide")
    if b"\x00" in raw[:8192]:
        raise FileRejected("fichier binaire (octets NUL)")
    return decode(raw)


def decode(raw: bytes) -> tuple[str, list[str]]:
    """UTF-8 (BOM allowed) or, failing that, cp1252 with a warning; else :class:`FileRejected`.

    The text comes out in NFC, the one place file bytes become text for pages and ``_data``."""
    try:
        text, warnings = raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        try:
            text, warnings = raw.decode("cp1252"), ["pas en UTF-8 : lu comme du Windows-1252 (cp1252)"]
        except UnicodeDecodeError:
            raise FileRejected("texte illisible (ni UTF-8 ni Windows-1252)") from None
    return unicodedata.normalize("NFC", text), warnings
