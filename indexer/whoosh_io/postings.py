"""Postings and field lengths as numpy arrays, read block by block from Whoosh's files.

Whoosh stays the index (its files, its format, its lexicon); this module only reads it faster
than its matcher interface, which costs a Python call per posting. A posting list becomes two
arrays (document numbers, term frequencies) in one pass over its blocks, and is kept in a
small LRU so that the terms of frequent queries are read once per index generation.

Pages an update deleted are left out of everything read here. Whoosh only marks them: they stay
in their segment's files, and in its document frequencies, until the segment is merged; left in,
they would still weigh in scores and be offered as suggestions, which a full build of the same
site would not do.

It uses the W3 codec's block reader, an internal API: Whoosh is pinned at 2.7.4 (see
pyproject.toml) and the tests exercise this path on every run.
"""

from collections import OrderedDict

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3TermInfo, _lenfield
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length

#: Postings kept in memory per generation (document numbers + frequencies: 8 bytes each).
CACHE_POSTINGS = 4_000_000
_EMPTY = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
_BYTE_TO_LENGTH = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)
_TERM_INFO, _FIRST_ID = W3TermInfo._struct, 6  # a term's row in the terms table, and where its first document is


class Postings:
    """Read access to one generation's posting lists and field lengths, live pages only."""

    def __init__(self, reader, cache_postings: int = CACHE_POSTINGS):
        self.reader = reader
        self.leaves = list(reader.leaf_readers())
        self.size = reader.doc_count_all()
        self.live = np.ones(self.size, dtype=bool)
        for leaf, offset in self.leaves:
            if leaf.has_deletions():
                self.live[offset + np.fromiter(leaf._perdoc.deleted_docs(), dtype=np.int64)] = False
        self.complete = bool(self.live.all())  # no deleted page: Whoosh's counts are right
        self._cache: OrderedDict = OrderedDict()
        self._cached = 0
        self._budget = cache_postings
        self._lengths: dict[str, np.ndarray] = {}
        self._averages: dict[str, float] = {}
        self._ranks: dict[str, np.ndarray] = {}

    def term(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """``(document numbers, frequencies)`` of a term; empty arrays for an unknown one."""
        key = (field, text)
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        parts = [part for part in (_leaf_postings(leaf, offset, field, text) for leaf, offset in self.leaves) if part]
        found = (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])) if parts else _EMPTY
        if not self.complete:
            keep = self.live[found[0]]
            found = (found[0][keep], found[1][keep])
        self._remember(key, found)
        return found

    def _remember(self, key, value) -> None:
        self._cache[key] = value
        self._cached += len(value[0])
        while self._cached > self._budget and len(self._cache) > 1:
            _old, (ids, _tf) = self._cache.popitem(last=False)
            self._cached -= len(ids)

    def docs(self, field: str, text: str) -> np.ndarray:
        return self.term(field, text)[0]

    def doc_count(self) -> int:
        return int(self.live.sum())

    def doc_frequency(self, field: str, text: str) -> int:
        """How many pages hold a term."""
        frequency = self.reader.doc_frequency(field, text)
        return frequency if self.complete or not frequency else len(self.docs(field, text))

    def most_frequent(self, field: str, terms, limit: int) -> list[tuple[int, str]]:
        """``(pages, term)`` for the ``limit`` most frequent of ``terms``, the most frequent first.

        With deleted pages, Whoosh's count is an upper bound of the true one: the terms are
        visited from the highest bound down, and the postings read only until no term left can
        enter the list (a prefix may have thousands of terms).
        """
        ranked = sorted(((self.reader.doc_frequency(field, term), term) for term in terms), reverse=True)
        if self.complete or limit <= 0:
            return ranked[:max(0, limit)]
        best = []
        for bound, term in ranked:
            if len(best) == limit and (bound, term) < best[-1]:
                break
            frequency = len(self.docs(field, term))
            if frequency:
                best = sorted([*best, (frequency, term)], reverse=True)[:limit]
        return best

    def lengths(self, field: str) -> np.ndarray:
        """Length (in terms) of ``field`` in every document, as Whoosh stores it (quantised)."""
        if field not in self._lengths:
            parts = []
            for leaf, _offset in self.leaves:
                column = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
                raw = np.zeros(leaf.doc_count_all(), dtype=np.uint8)
                if column is not None:  # one read of the column's bytes (one byte per document)
                    stored = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
                    raw[:len(stored)] = stored
                parts.append(_BYTE_TO_LENGTH[raw])
            self._lengths[field] = np.concatenate(parts) if parts else np.zeros(0, np.float32)
        return self._lengths[field]

    def id_ranks(self, field: str) -> np.ndarray:
        """Per document, the rank of its term in ``field``, a unique ID field (``path``), among the
        live documents' terms in sorted order; deleted documents rank last.

        An order of the pages that does not depend on which build worker wrote them, to break ties.
        Read from the terms table alone, whose row of a term gives its first document: a tenth of
        a second for 100,000 pages, where reading their stored fields would take seconds.
        """
        if field not in self._ranks:
            terms, docnums = [], []
            for leaf, offset in self.leaves:
                for term, docnum in _first_documents(leaf, field):
                    terms.append(term)
                    docnums.append(offset + docnum)
            docnums = np.array(docnums, dtype=np.int64)
            live = self.live[docnums]  # an updated page's old copy holds its term too
            terms = [term for term, keep in zip(terms, live.tolist()) if keep]
            ranks = np.full(self.size, self.size, dtype=np.int64)
            ranks[docnums[live][sorted(range(len(terms)), key=terms.__getitem__)]] = np.arange(len(terms))
            self._ranks[field] = ranks
        return self._ranks[field]

    def average_length(self, field: str) -> float:
        """Of the live pages (summed in float64: exact, whatever the pages' order)."""
        if field not in self._averages:
            lengths = self.lengths(field)[self.live]
            self._averages[field] = float(lengths.mean(dtype=np.float64)) if len(lengths) and lengths.any() else 1.0
        return self._averages[field]


def _first_documents(leaf, field: str):
    """``(term, first document)`` for every term of a field in one segment, in term order."""
    table = leaf._terms
    if field not in table._fieldmap:
        return
    prefix = pack_ushort(table._fieldmap[field])
    for key, row in table._tindex.items_from(prefix):
        if not key.startswith(prefix):
            return
        yield key[len(prefix):], _TERM_INFO.unpack_from(row)[_FIRST_ID]


def _leaf_postings(leaf, offset: int, field: str, text: str):
    """The postings of one segment, or None; document numbers shifted by the segment's base."""
    if field not in leaf.schema:
        return None
    encoded = leaf.schema[field].to_bytes(text)
    if (field, encoded) not in leaf._terms:
        return None
    matcher = leaf._terms.matcher(field, encoded, leaf.schema[field].format)
    ids, weights = [], []
    while True:
        matcher._read_ids()
        matcher._read_weights()
        ids.append(np.asarray(matcher._ids, dtype=np.int32))
        weights.append(np.asarray(matcher._weights, dtype=np.float32))
        if matcher._lastblock:
            break
        matcher._next_block()
    return np.concatenate(ids) + offset, np.concatenate(weights)
