"""The project's exceptions, one per failure a user can meet, each with a message for them.

They end at one of two edges: the CLI turns them into ``click.ClickException`` messages
(:mod:`indexer.cli`), the web app into friendly pages or JSON errors (:mod:`searchweb.errors`).
On the way, only code that knows what to do with one catches it: the build reports a
:class:`FileRejected` file and skips it, an :class:`IndexDamaged` generation is rebuilt by
``update`` or reported by ``check``, and the search page shows a :class:`BadQuery` in place.
"""


class EigSearchError(Exception):
    """Base class: an error with a message meant for the user."""


class FileRejected(EigSearchError):
    """A site file that cannot be indexed; the message says why (it is reported and skipped)."""


class IndexMissing(EigSearchError):
    """No index has been built at this location yet."""


class IndexOutdated(EigSearchError):
    """The index was built by another schema or analysis version: rebuild it."""


class IndexDamaged(EigSearchError):
    """The files of the current generation are not those its indexer published (truncated, missing
    or altered), or ``CURRENT`` names no generation of the folder: rebuild the index."""

    def __init__(self, folder, detail: str):
        super().__init__(f"l'index de {folder} est endommagé ({detail}) : reconstruisez-le avec `eig-search index`")
        self.detail = detail


class IndexNotWritable(EigSearchError):
    """The indexer cannot write in the index folder (read-only, or not a folder)."""


class IndexLocked(EigSearchError):
    """Another indexer holds the lock on this index folder."""


class SiteMismatch(EigSearchError):
    """An update asked of an index from another site than the one it was built from (or from a
    site whose folder is gone): the index is left as it was."""


class BadQuery(EigSearchError):
    """A search request with invalid parameters (a number that is not one, a value out of range)."""


class SearchTimeout(EigSearchError):
    """A search that ran past its time budget (the visitor is asked to narrow it)."""
