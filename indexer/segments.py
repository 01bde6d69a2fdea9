"""A Whoosh segment writer whose postings stay in compact arrays and are sorted once, in memory.

Whoosh's own writer sends every posting through an external sort: each one becomes a tuple,
is pickled to a run file when the pool fills, unpickled and merged back, then the writer reads
the document's field length back from disk for it. For a site's worth of pages that is most of
the build. Here a posting costs four array slots (term, document, weight, value), one segment's
postings fit in a few tens of megabytes, and one stable numpy sort puts them in term order. The
segment files written are Whoosh's own, through its codec.
"""

from array import array

import numpy as np
from whoosh.writing import SegmentWriter

#: Postings turned back into Python objects at a time, to keep the final pass's memory small.
CHUNK = 65_536


class TermPool:
    """Postings of one segment, in the order they were added (increasing document numbers)."""

    def __init__(self):
        self._term_ids: dict[str, dict[bytes, int]] = {}
        self._terms: list[tuple[str, bytes]] = []
        self._value_ids: dict = {}
        self._values: list = []
        self._reset_arrays()

    def _reset_arrays(self) -> None:
        self._posting_terms, self._docnums = array("I"), array("I")
        self._weights, self._posting_values = array("d"), array("I")

    def add(self, item) -> None:
        """Add ``(fieldname, tbytes, docnum, weight, vbytes)``, as Whoosh's pool does."""
        fieldname, tbytes, docnum, weight, vbytes = item
        field_terms = self._term_ids.get(fieldname)
        if field_terms is None:
            field_terms = self._term_ids[fieldname] = {}
        term = field_terms.get(tbytes)
        if term is None:
            term = field_terms[tbytes] = len(self._terms)
            self._terms.append((fieldname, tbytes))
        value = self._value_ids.get(vbytes)
        if value is None:
            value = self._value_ids[vbytes] = len(self._values)
            self._values.append(vbytes)
        self._posting_terms.append(term)
        self._docnums.append(docnum)
        self._weights.append(weight)
        self._posting_values.append(value)

    def iter_postings(self):
        """Every posting, sorted by field, term and document, as Whoosh's field writer expects."""
        if not self._terms:
            return
        rank = np.empty(len(self._terms), dtype=np.int64)
        rank[sorted(range(len(self._terms)), key=self._terms.__getitem__)] = np.arange(len(self._terms))
        posting_terms = np.frombuffer(self._posting_terms, dtype=np.uint32)
        # Stable: within a term, postings keep their (increasing) document order.
        order = np.argsort(rank[posting_terms], kind="stable")
        docnums = np.frombuffer(self._docnums, dtype=np.uint32)
        weights = np.frombuffer(self._weights, dtype=np.float64)
        values = np.frombuffer(self._posting_values, dtype=np.uint32)
        terms, vbytes = self._terms, self._values
        for start in range(0, len(order), CHUNK):
            chunk = order[start:start + CHUNK]
            for term, docnum, weight, value in zip(posting_terms[chunk].tolist(), docnums[chunk].tolist(),
                                                   weights[chunk].tolist(), values[chunk].tolist()):
                fieldname, tbytes = terms[term]
                yield fieldname, tbytes, docnum, weight, vbytes[value]

    def cleanup(self) -> None:
        self.__init__()


class FieldLengths:
    """Field lengths of a new segment, read from its column once per field, not once per posting."""

    def __init__(self, per_doc_reader, doc_count: int):
        self._reader = per_doc_reader
        self._doc_count = doc_count
        self._lengths: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = self._lengths[fieldname] = [read(doc, fieldname, 0) or 0 for doc in range(self._doc_count)]
        return lengths[docnum] or default


class InMemorySegmentWriter(SegmentWriter):
    """``SegmentWriter`` with a :class:`TermPool`; everything else is Whoosh's."""

    def __init__(self, index, **kwargs):
        super().__init__(index, **kwargs)
        self.pool = TermPool()

    def _flush_segment(self):
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = FieldLengths(reader, self.docnum) if reader else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader:
            reader.close()
