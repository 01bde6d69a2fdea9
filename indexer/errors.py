"""The project's exceptions, one per failure a user can meet, each with a message for them.

They end at one of two edges: the CLI turns them into ``click.ClickException`` messages
(:mod:`indexer.cli`), the web app into friendly pages or JSON errors (:mod:`searchweb.errors`).
On the way, only code that knows what to do with one catches it: the build reports a
:class:`FileRejected` file and skips it, an :class:`IndexDamaged` generation is rebuilt by
``update`` or reported by ``check``, and the search page shows a :class:`BadQuery` in place.

What a visitor reads (:class:`VisitorError`) is a French template marked with :func:`N_` and its
values: the CLI shows it filled in as written, the web app looks the template up in its message
catalogues first (``make translations``), so the indexer needs no translation machinery.
"""


def N_(message: str) -> str:
    """Mark a message for the catalogues (``pybabel extract`` finds it) and give it back untouched:
    it is translated where it is shown, in the visitor's language."""
    return message


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


class VisitorError(EigSearchError):
    """An error a visitor of the search reads: ``message`` is a template marked with :func:`N_`
    (``%(name)s`` placeholders), ``params`` its values; ``str()`` is the French message."""

    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.message, self.params = message, params


class BadQuery(VisitorError):
    """A search request with invalid parameters (a number that is not one, a value out of range)."""


class SearchTimeout(VisitorError):
    """A search that ran past its time budget (the visitor is asked to narrow it)."""
