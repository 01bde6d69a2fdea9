"""Which entries of a site Jekyll reads: its ``EntryFilter`` rules, and the ``search.exclude``
paths the indexer leaves out besides.

As in Jekyll, an entry whose name starts with ``.``, ``_``, ``#`` or ``~`` (or ends with ``~``) is
left out unless ``include`` names it, and an excluded entry is left out unless ``include`` names
it too. A pattern of ``include`` or ``exclude`` names an entry when it matches it as a shell
pattern (``*`` crossing folders), when the entry's path starts with it (``exclude: [docs]`` also
leaves out ``docs-old/``: Jekyll compares the text of the paths), or when it is the folder's path
with a final ``/``. Patterns are relative to the site's root (a leading ``/`` changes nothing).
"""

from fnmatch import fnmatchcase

#: First characters of the entries Jekyll leaves out unless included.
SPECIAL_FIRST = (".", "_", "#", "~")


def is_special(entry: str, allow_underscore: bool = False) -> bool:
    """Jekyll's ``special?`` or ``backup?`` (``allow_underscore``: a leading ``_`` does not count)."""
    first = tuple(char for char in SPECIAL_FIRST if char != "_") if allow_underscore else SPECIAL_FIRST
    return entry.startswith(first) or entry.endswith("~")


def matches(pattern: str, path: str, folder: bool = False) -> bool:
    """Jekyll's ``glob_include?`` for one pattern and one site-relative path."""
    pattern = pattern.lstrip("/")
    return fnmatchcase(path, pattern) or path.startswith(pattern) or (folder and pattern == path + "/")


class Entries:
    """The ``include`` and ``exclude`` patterns of a site, and ``search.exclude``."""

    def __init__(self, include, exclude, not_indexed=()):
        self.include = tuple(include)
        self.exclude = tuple(pattern for pattern in exclude if pattern not in self.include)
        self.not_indexed_patterns = tuple(not_indexed)

    def included(self, entry: str, folder: bool = False) -> bool:
        """``include`` names the entry (a path inside the folder being read) or its last name."""
        name = entry.rsplit("/", 1)[-1]
        return any(matches(pattern, entry, folder) or matches(pattern, name, folder) for pattern in self.include)

    def excluded(self, path: str, folder: bool = False) -> bool:
        return any(matches(pattern, path, folder) for pattern in self.exclude)

    def not_indexed(self, path: str, folder: bool = False) -> bool:
        """``search.exclude`` names the path: Jekyll publishes it, the search leaves it out."""
        return any(matches(pattern, path, folder) for pattern in self.not_indexed_patterns)

    def keeps(self, name: str, path: str, folder: bool = False) -> bool:
        """Whether the walk of the pages' tree goes into a folder or reads a file; a file whose
        name starts with ``_`` is kept as a draft (Jekyll leaves it out), a hidden one is not."""
        if name.endswith(".") or self.not_indexed(path, folder):
            return False
        included = self.included(name, folder)
        if self.excluded(path, folder) and not included:
            return False
        return included or not is_special(name, allow_underscore=not folder)
