"""What a site says in two languages, from its ``_data`` files: French and English texts that say the
same thing, for the glossary of English queries (:mod:`indexer.language.glossary`).

Two shapes are understood, whatever the files are called: a file and its English twin
(``nav.yml`` and ``nav-en.yml``, ``faq-eig.yml`` and ``faq-eig-en.yml``), and a file whose top
level is keyed by language (``fr:`` and ``en:``). The two sides are walked together: mappings by
their keys, lists item by item — by a key whose value both items share (an anchor, a section id)
when they have one, else by position when both lists are as long. A file that cannot be read
is left out: the site's own report already tells.
"""

import re
from pathlib import Path

from indexer.errors import FileRejected
from indexer.site.access import read_bytes
from indexer.site.datafiles import MAX_DEPTH, data_files
from indexer.site.files import DATA_FOLDER, MAX_SITE_FILE_BYTES, decode
from indexer.site.frontmatter import parse_yaml

ENGLISH_SUFFIXES = ("-en", "_en", ".en")
LANGUAGE_KEYS = ("fr", "en")
#: Text longer than this (an answer of a FAQ) is not a phrase to learn words from.
MAX_PHRASE_CHARS = 200


def data_pairs(root: Path) -> list[list[str]]:
    """``[french, english]`` texts the site's bilingual ``_data`` files pair, in file order."""
    folder = Path(root) / DATA_FOLDER
    files = {path.relative_to(folder).with_suffix("").as_posix(): path for path in data_files(Path(root))
             if path.suffix in (".yml", ".yaml")}
    pairs = []
    for name, path in files.items():
        twin = next((files[name + suffix] for suffix in ENGLISH_SUFFIXES if name + suffix in files), None)
        if twin is not None:
            pairs += walk(_read(path), _read(twin))
        elif _keyed_by_language(path):
            french = _read(path)
            if isinstance(french, dict) and all(key in french for key in LANGUAGE_KEYS):
                pairs += walk(french["fr"], french["en"])
    return [list(pair) for pair in dict.fromkeys(pairs)]


def _keyed_by_language(path: Path) -> bool:
    """Whether a file may have ``fr:`` and ``en:`` at its top level (or be a flow mapping): the
    others are not parsed, YAML taking seconds (6.5 s for the 20,000-page bench site's _data)."""
    try:
        text = read_bytes(path, MAX_SITE_FILE_BYTES).decode("utf-8", "replace")
    except (FileRejected, OSError):
        return False
    return text.lstrip().startswith("{") or all(
        re.search(rf"^[\"']?{key}[\"']?[ \t]*:", text, re.MULTILINE) for key in LANGUAGE_KEYS)


def walk(french, english, depth: int = 0) -> list[tuple[str, str]]:
    """The texts found at the same place in two parallel structures."""
    if depth > MAX_DEPTH:
        return []
    if isinstance(french, str) and isinstance(english, str):
        french, english = french.strip(), english.strip()
        if french and english and french != english and len(french) <= MAX_PHRASE_CHARS \
                and len(english) <= MAX_PHRASE_CHARS and not _is_path(french):
            return [(french, english)]
        return []
    if isinstance(french, dict) and isinstance(english, dict):
        return [pair for key in french if key in english for pair in walk(french[key], english[key], depth + 1)]
    if isinstance(french, list) and isinstance(english, list):
        return [pair for left, right in _aligned(french, english) for pair in walk(left, right, depth + 1)]
    return []


def _aligned(french: list, english: list) -> list[tuple]:
    """Items of two lists that say the same thing: matched by the identifying key they share the
    most values of (an anchor, a section id), else by position when the lists are as long."""
    best, shared = None, 0
    for key in {key for item in french if isinstance(item, dict) for key in item}:
        left, right = _identities(french, key), _identities(english, key)
        if left is not None and right is not None and len(left.keys() & right.keys()) > shared:
            best, shared = (left, right), len(left.keys() & right.keys())
    if best is not None:
        left, right = best
        return [(item, right[value]) for value, item in left.items() if value in right]
    return list(zip(french, english)) if len(french) == len(english) else []


def _identities(items: list, key) -> dict | None:
    """``value → item`` for the items holding ``key`` with a text or number, None unless those
    values tell the items apart."""
    found = {}
    for item in items:
        value = item.get(key) if isinstance(item, dict) else None
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            if value in found:
                return None
            found[value] = item
    return found


def _is_path(text: str) -> bool:
    return " " not in text and ("/" in text or text.endswith((".html", ".md")))


def _read(path: Path):
    try:
        text, _warnings = decode(read_bytes(path, MAX_SITE_FILE_BYTES))
        return parse_yaml(text, "fichier de données", MAX_SITE_FILE_BYTES)
    except (FileRejected, OSError):
        return None
