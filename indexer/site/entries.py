"""Which entries of a site Jekyll reads: its ``EntryFilter`` rules, and the ``search.exclude``
paths the indexer leaves out besides.

As in Jekyll, an entry whose name starts with ``.``, ``_``, ``#`` or ``~`` (or ends with ``~``) is
left out unless ``include`` names it, and an excluded entry is left out unless ``include`` names
it too. A pattern of ``include`` or ``exclude`` names an entry when it matches it as a shell
pattern (``*`` crossing folders), when the entry's path starts with it (``exclude: [docs]`` also
leaves out ``docs-old/``: Jekyll compares the text of the paths), or when it is the folder's path
with a final ``/``. Patterns are relative to the site's root (a leading ``/`` changes nothing).
"""

import re
from fnmatch import translate

#: First characters of the entries Jekyll leaves out unless included.
SPECIAL_FIRST = (".", "_", "#", "~")
_SPECIAL_BUT_UNDERSCORE = tuple(char for char in SPECIAL_FIRST if char != "_")


def is_special(entry: str, allow_underscore: bool = False) -> bool:
    """Jekyll's ``special?`` or ``backup?`` (``allow_underscore``: a leading ``_`` does not count)."""
    return entry.startswith(_SPECIAL_BUT_UNDERSCORE if allow_underscore else SPECIAL_FIRST) or entry.endswith("~")


class Patterns:
    """Jekyll's ``glob_include?`` for a list of patterns: a pattern names a site-relative path
    as a shell pattern, as the start of its text, or as the folder's path with a final ``/``.

    The patterns are compiled once into one expression: matched one by one, the 22 of Jekyll's
    default ``exclude`` took 0.4 s of listing a 20,000-page site, which ``update`` does each run.
    """

    def __init__(self, patterns):
        self.patterns = tuple(pattern.lstrip("/") for pattern in patterns)
        self.shell = re.compile("|".join(map(translate, self.patterns))) if self.patterns else None

    def __call__(self, path: str, folder: bool = False) -> bool:
        if not self.patterns:
            return False
        return (path.startswith(self.patterns) or self.shell.match(path) is not None
                or (folder and path + "/" in self.patterns))


class Entries:
    """The ``include`` and ``exclude`` patterns of a site, and ``search.exclude``."""

    def __init__(self, include, exclude, not_indexed=()):
        self.include = tuple(include)
        self.exclude = tuple(pattern for pattern in exclude if pattern not in self.include)
        self.not_indexed_patterns = tuple(not_indexed)
        self._included, self._excluded = Patterns(self.include), Patterns(self.exclude)
        self._not_indexed = Patterns(self.not_indexed_patterns)

    def included(self, entry: str, folder: bool = False) -> bool:
        """``include`` names the entry (a path inside the folder being read) or its last name."""
        return self._included(entry, folder) or self._included(entry.rsplit("/", 1)[-1], folder)

    def excluded(self, path: str, folder: bool = False) -> bool:
        return self._excluded(path, folder)

    def not_indexed(self, path: str, folder: bool = False) -> bool:
        """``search.exclude`` names the path: Jekyll publishes it, the search leaves it out."""
        return self._not_indexed(path, folder)

    def keeps(self, name: str, path: str, folder: bool = False) -> bool:
        """Whether the walk of the pages' tree goes into a folder or reads a file; a file whose
        name starts with ``_`` is kept as a draft (Jekyll leaves it out), a hidden one is not."""
        if name.endswith(".") or self.not_indexed(path, folder):
            return False
        included = self.included(name, folder)
        if self.excluded(path, folder) and not included:
            return False
        return included or not is_special(name, allow_underscore=not folder)
