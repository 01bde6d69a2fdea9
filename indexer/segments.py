"""A Whoosh segment writer whose postings stay in compact arrays and are sorted once, in memory.

Whoosh's own writer sends every posting through an external sort: each one becomes a tuple,
is pickled to a run file when the pool fills, unpickled and merged back, then the writer reads
the document's field length back from disk for it. For a site's worth of pages that is most of
the build. Here a posting costs four array slots (term, document, weight, value), one segment's
postings fit in a few tens of megabytes, and one stable numpy sort puts them in term order. The
segment files written are Whoosh's own, through its codec.

Text that arrives already analysed (terms separated by spaces, split by a plain regex
tokenizer) is also counted directly, instead of becoming one Whoosh ``Token`` object per word.
"""

from array import array
from collections import Counter

import numpy as np
from whoosh.analysis import RegexTokenizer
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter



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
        """Add ``(fieldname, tbytes, docnum, weight, vbytes)``, as Whoosh's pool does (when merging)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        self.add_field(fieldname, docnum, 1.0, [(tbytes, 0, weight, vbytes)], scorable=False)

    def add_field(self, fieldname: str, docnum: int, boost: float, items, scorable: bool) -> int:
        """Add one document's ``(tbytes, freq, weight, vbytes)`` items for a field; return its length."""
        field_terms = self._term_ids.get(fieldname)
        if field_terms is None:
            field_terms = self._term_ids[fieldname] = {}
        value_ids, length = self._value_ids, 0
        for tbytes, freq, weight, vbytes in items:
            if scorable:
                length += freq
            term = field_terms.get(tbytes)
            if term is None:
                term = field_terms[tbytes] = len(self._terms)
                self._terms.append((fieldname, tbytes))
            value = value_ids.get(vbytes)
            if value is None:
                value = value_ids[vbytes] = len(self._values)
                self._values.append(vbytes)
            self._posting_terms.append(term)
            self._docnums.append(docnum)
            self._weights.append(weight * boost)
            self._posting_values.append(value)
        return length

    def iter_terms(self):
        """``(fieldname, tbytes, docnums, weights, values)`` per term, sorted as Whoosh's writer expects.

        One stable sort: within a term, postings keep their (increasing) document order.
        """
        if not self._terms:
            return
        rank = np.empty(len(self._terms), dtype=np.int64)
        rank[sorted(range(len(self._terms)), key=self._terms.__getitem__)] = np.arange(len(self._terms))
        posting_terms = np.frombuffer(self._posting_terms, dtype=np.uint32)
        order = np.argsort(rank[posting_terms], kind="stable")
        term_ids = posting_terms[order]
        docnums = np.frombuffer(self._docnums, dtype=np.uint32)[order]
        weights = np.frombuffer(self._weights, dtype=np.float64)[order]
        values = np.frombuffer(self._posting_values, dtype=np.uint32)[order]
        del order
        bounds = [0, *(np.flatnonzero(term_ids[1:] != term_ids[:-1]) + 1).tolist(), len(term_ids)]
        vbytes = self._values
        for start, end in zip(bounds, bounds[1:]):
            fieldname, tbytes = self._terms[term_ids[start]]
            yield (fieldname, tbytes, docnums[start:end].tolist(), weights[start:end].tolist(),
                   [vbytes[value] for value in values[start:end].tolist()])

    def iter_postings(self):
        """Every posting, sorted by field, term and document (Whoosh's pool interface)."""
        for fieldname, tbytes, docnums, weights, values in self.iter_terms():
            for docnum, weight, value in zip(docnums, weights, values):
                yield fieldname, tbytes, docnum, weight, value

    def cleanup(self) -> None:
        self.__init__()


class FieldLengths:
    """Field lengths of a new segment, read from its column once per field, not once per posting."""

    def __init__(self, per_doc_reader, doc_count: int):
        self._reader = per_doc_reader
        self._doc_count = doc_count
        self._lengths: dict[str, np.ndarray] = {}

    def of(self, fieldname: str, docnums: list[int]) -> list[int]:
        """The length of ``fieldname`` in each of ``docnums`` (0 when it has none)."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = self._lengths[fieldname] = np.array(
                [read(doc, fieldname, 0) or 0 for doc in range(self._doc_count)], dtype=np.int64)
        return lengths[docnums].tolist()


def write_term_postings(postwriter, docnums: list, weights: list, values: list, lengths: list) -> None:
    """Whoosh's ``W3PostingsWriter.add_posting`` for every posting of a term, a block at a time.

    The same blocks (of ``_blocklimit`` postings) and the same block statistics as one call per
    posting, each block filled in one go from the empty buffer a new term or a written block leaves;
    what differs is the number of Python calls. Tied to Whoosh 2.7.4's codec, which the
    project pins; ``tests/test_segments.py`` compares the result with Whoosh's own writer.
    """
    limit = postwriter._blocklimit
    for start in range(0, len(docnums), limit):
        if start:
            postwriter._write_block()  # then the buffer is empty again, its statistics reset
        end = start + limit
        postwriter._ids.extend(docnums[start:end])
        block_weights = weights[start:end]
        postwriter._weights.extend(block_weights)
        postwriter._maxweight = max(postwriter._maxweight, *block_weights)
        postwriter._values.extend(value for value in values[start:end] if value)
        present = [length for length in lengths[start:end] if length]
        if present:
            postwriter._minlength, postwriter._maxlength = min(present), max(present)


def analysed_items(field, value) -> list | None:
    """What ``field.index(value)`` returns, computed in bulk when ``value`` is pre-analysed text.

    Applies to a field split by a plain :class:`RegexTokenizer` (no filters) into Whoosh's
    ``Frequency`` or ``Positions`` format; ``None`` for any other field, which Whoosh indexes.
    """
    analyzer, form = field.analyzer, field.format
    if not isinstance(value, str) or type(analyzer) is not RegexTokenizer or analyzer.gaps:
        return None
    words = analyzer.expression.findall(value)
    boost = form.field_boost
    if type(form) is Frequency:
        return [(word.encode(), freq, freq * boost, pack_uint(freq)) for word, freq in Counter(words).items()]
    if type(form) is Positions:
        positions: dict[str, list[int]] = {}
        for position, word in enumerate(words):
            positions.setdefault(word, []).append(position)
        return [(word.encode(), len(where), len(where) * boost, form.encode(where))
                for word, where in positions.items()]
    return None


class InMemorySegmentWriter(SegmentWriter):
    """``SegmentWriter`` with a :class:`TermPool` and :func:`analysed_items`; the rest is Whoosh's."""

    def __init__(self, index, **kwargs):
        super().__init__(index, **kwargs)
        self.pool = TermPool()

    def add_document(self, **fields):
        """Whoosh's ``add_document`` (boosts, ``_stored_`` values, columns), postings added per field.

        Term vectors and separate spelling fields, which the project's schema does not use, are
        refused rather than silently left out.
        """
        self._check_state()
        schema, docnum, perdoc = self.schema, self.docnum, self.perdocwriter
        docboost = self._doc_boost(fields)
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            if field.vector or field.separate_spelling():
                raise NotImplementedError(f"{name} : vecteurs et champs d'orthographe non pris en charge")
            length = 0
            if field.indexed:
                items = analysed_items(field, value)
                if items is None:
                    items = field.index(value)
                boost = self._field_boost(fields, name, docboost)
                length = self.pool.add_field(name, docnum, boost, items, field.scorable)
            stored = fields.get(f"_stored_{name}", value)
            perdoc.add_field(name, field, stored if field.stored else None, length)
            if field.column_type and stored is not None:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(stored))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self):
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = FieldLengths(reader, self.docnum) if reader else None
        fieldwriter, current = self.fieldwriter, None
        for fieldname, tbytes, docnums, weights, values in self.pool.iter_terms():
            if fieldname != current:
                if current is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, self.schema[fieldname])
                current = fieldname
            fieldwriter.start_term(tbytes)
            write_term_postings(fieldwriter._postwriter, docnums, weights, values,
                                lengths.of(fieldname, docnums) if lengths else [0] * len(docnums))
            fieldwriter.finish_term()
        if current is not None:
            fieldwriter.finish_field()
        fieldwriter.close()
        if reader:
            reader.close()
