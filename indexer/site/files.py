"""Find the files of a site that may hold pages, and read them without trusting them.

Discovery follows Jekyll: ``_posts`` folders (at any depth), configured collection folders, and
pages outside ``_`` folders. Reading is defensive: symlinks must stay inside the site root,
symlinked folders are not followed (so loops end), names that are not UTF-8 or hold control
characters are refused, huge, binary and undecodable files are refused, and non-UTF-8 text
falls back to cp1252 with a warning. Text is composed (NFC) as it is decoded, so an accent
decomposed by macOS or a PDF copy is the letter a visitor types.
"""

import fnmatch
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from indexer.errors import FileRejected
from indexer.site.access import read_bytes, resolve_inside
from indexer.site.config import JEKYLL_FOLDERS, SiteConfig

PAGE_EXTENSIONS = (".md", ".markdown", ".html", ".htm")
MARKDOWN_EXTENSIONS = (".md", ".markdown")
MAX_SITE_FILE_BYTES = 5 * 1024 * 1024
#: Folders Jekyll never builds, besides hidden and ``_`` ones.
EXCLUDED_FOLDERS = frozenset({"node_modules", "vendor", "_site", ".bundle", ".jekyll-cache"})
#: What a report never prints as is: control characters, line and paragraph separators, bidi
#: overrides, and the lone surrogates that stand for bytes of a name that is not UTF-8.
_UNPRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f]")
_NOT_UTF8_RE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class SourceFile:
    """A candidate page: its path relative to the site root and the collection it belongs to."""

    relative_path: str
    collection: str  # "posts", a collection name, or "pages"

    @property
    def name(self) -> str:
        return self.relative_path.rsplit("/", 1)[-1]

    @property
    def is_markdown(self) -> bool:
        return self.relative_path.lower().endswith(MARKDOWN_EXTENSIONS)

    @property
    def is_draft_name(self) -> bool:
        """Jekyll ignores entries whose name starts with ``_``: they are drafts here."""
        return self.name.startswith("_") or "/_drafts/" in "/" + self.relative_path


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


def _name_problem(name: str) -> str | None:
    """Why a file or folder name cannot be indexed: its URL and its report line would be wrong."""
    if _NOT_UTF8_RE.search(name):
        return "nom qui n'est pas en UTF-8"
    if _CONTROL_RE.search(name):
        return "nom avec un caractère de contrôle"
    return None


def discover(root: Path, config: SiteConfig, excluded: tuple[str, ...] = ()) -> tuple[list[SourceFile], list[Skipped]]:
    """All candidate page files under ``root``, sorted, and the folders that were refused."""
    sources, refused = [], []
    for folder, subfolders, files in os.walk(root, followlinks=False):
        relative_folder = Path(folder).relative_to(root).as_posix()
        relative_folder = "" if relative_folder == "." else relative_folder
        collection = _collection_of(relative_folder, config)
        kept = []
        for sub in sorted(subfolders):
            sub_path = f"{relative_folder}/{sub}".lstrip("/")
            if os.path.islink(os.path.join(folder, sub)):
                refused.append(Skipped(sub_path, "dossier en lien symbolique non suivi"))
            elif _walkable(sub_path, sub, collection, config, excluded):
                if _name_problem(sub):
                    refused.append(Skipped(sub_path, f"dossier non parcouru : {_name_problem(sub)}"))
                else:
                    kept.append(sub)
        subfolders[:] = kept
        for name in sorted(files):
            relative_path = f"{relative_folder}/{name}".lstrip("/")
            if name.lower().endswith(PAGE_EXTENSIONS) and not _is_excluded(relative_path, excluded):
                if _name_problem(name):
                    refused.append(Skipped(relative_path, f"fichier non lu : {_name_problem(name)}"))
                else:
                    sources.append(SourceFile(relative_path, collection or "pages"))
    return sources, refused


def _collection_of(relative_folder: str, config: SiteConfig) -> str | None:
    parts = relative_folder.split("/") if relative_folder else []
    if "_posts" in parts:
        return "posts"
    if parts and config.collection_for_folder(parts[0]):
        return parts[0][1:]
    return None


def _walkable(sub_path: str, name: str, collection: str | None, config: SiteConfig, excluded) -> bool:
    if name.startswith(".") or name in EXCLUDED_FOLDERS or _is_excluded(sub_path, excluded):
        return False
    if not name.startswith("_") or collection:
        return True
    if name == "_posts":
        return True
    if "/" not in sub_path and name not in JEKYLL_FOLDERS:
        found = config.collection_for_folder(name)
        return bool(found and found.output)
    return False


def _is_excluded(relative_path: str, excluded) -> bool:
    return any(fnmatch.fnmatch(relative_path, pattern) or relative_path.startswith(pattern.rstrip("/") + "/")
               for pattern in excluded)


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
