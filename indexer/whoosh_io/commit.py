"""Writing segments side by side and committing them as one index, through Whoosh's private
writer API (``_finalize_segment``, ``_commit_toc``…): the build pipeline calls these functions
and never touches a Whoosh writer's internals itself.
"""

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from indexer.whoosh_io.segments import InMemorySegmentWriter


def create_index(folder, schema) -> object:
    """An empty Whoosh index in ``folder`` (segments are added by :func:`commit_segments`)."""
    return whoosh_index.create_in(str(folder), schema)


def shard_writer(folder) -> InMemorySegmentWriter:
    """A writer for one build worker's own segment: unlocked, as Whoosh's multiprocessing writer
    is, since the parent holds the index lock and commits the segments itself."""
    return InMemorySegmentWriter(whoosh_index.open_dir(str(folder)), _lk=False, compound=False)


def finish_shard(writer: InMemorySegmentWriter):
    """Write a shard's segment files; its segment, or None when the worker added no page.

    No ``writer._finish()``: it would delete the temporary folder the other shards still use;
    the parent's writer removes it once every shard is done (:func:`commit_segments`).
    """
    segment = writer._finalize_segment() if writer._added else None
    if segment is None:
        writer._close_segment()
    return segment


def commit_segments(index, segments: list) -> None:
    """Make the shards' segments the index's content (taking Whoosh's own write lock)."""
    writer = SegmentWriter(index)
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()


def update_writer(folder) -> InMemorySegmentWriter:
    """A writer that deletes and adds pages in an existing index (``update``), with Whoosh's lock."""
    return InMemorySegmentWriter(whoosh_index.open_dir(str(folder)), compound=False)
