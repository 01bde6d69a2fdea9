"""A Whoosh segment writer whose postings stay in compact arrays and are sorted once, in memory.

Whoosh's own writer sends every posting through an external sort: each one becomes a tuple,
is pickled to a run file when the pool fills, unpickled and merged back, then the writer reads
the document's field length back from disk for it. For a site's worth of pages that is most of
the build. Here a posting costs four array slots (term, document, weight, value), one segment's
postings fit in a few tens of megabytes, and one stable numpy sort puts them in term order. The
segment files written are Whoosh's own, through its codec.

Text that arrives already analysed (terms separated by spaces, split by a plain regex
tokenizer) costs even less: each word becomes an id in a per-field array (:class:`TokenColumns`),
and frequencies, positions and postings are computed for the whole segment at once with numpy,
instead of one Whoosh ``Token`` object per word and one Python loop per posting.
"""

import heapq
import zlib
from array import array
from collections import defaultdict
from itertools import count, groupby
from operator import itemgetter, sub
from pickle import dumps

import numpy as np
from whoosh.analysis import CompositeAnalyzer, RegexTokenizer, StripFilter
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
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
    """Field lengths of a new segment as Whoosh stores them (one byte per document), read from
    each field's length column in one piece rather than once per posting."""

    #: Whoosh's ``byte_to_length`` for every byte; 0 stays 0 (no length).
    TABLE = np.array([0] + [byte_to_length(code) for code in range(1, 256)], dtype=np.int64)

    def __init__(self, per_doc_reader, doc_count: int):
        self._reader = per_doc_reader
        self._doc_count = doc_count
        self._lengths: dict[str, np.ndarray] = {}

    def of(self, fieldname: str, docnums) -> list[int]:
        """The length of ``fieldname`` in each of ``docnums`` (0 when it has none)."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            codes = np.zeros(self._doc_count, dtype=np.uint8)
            column = self._reader._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)  # Whoosh 2.7.4 internals
            if column is not None:
                stored = min(column._count, self._doc_count)
                codes[:stored] = np.frombuffer(column._dbfile.get(column._basepos, stored), dtype=np.uint8)
            lengths = self._lengths[fieldname] = self.TABLE[codes]
        return lengths[docnums].tolist()


#: Whoosh pickles posting blocks with protocol 2, where each value (a ``bytes``) becomes a call
#: to ``_codecs.encode`` with its text and encoding: for a block of 128 body postings, 4.7 kB
#: before compression and 1.6 kB after. Protocol 4 stores bytes as they are: 2.4 kB and 0.6 kB,
#: pickled nine times faster, compressed a third faster and read back six times faster. Whoosh
#: reads blocks with ``pickle.loads``, which takes any protocol.
BLOCK_PICKLE_PROTOCOL = 4


def write_term(fieldwriter, tbytes: bytes, docnums: list, weights: list, values: list, lengths: list) -> None:
    """Whoosh's ``start_term``, one ``add`` per posting and ``finish_term``, in one go.

    Writes what Whoosh 2.7.4's ``W3FieldWriter`` and ``W3PostingsWriter`` write: blocks of
    ``_blocklimit`` postings (delta-coded ids, float32 weights, values, pickled and compressed,
    preceded by their statistics), then the term's row in the terms table; only the pickle
    protocol of the blocks differs (see :data:`BLOCK_PICKLE_PROTOCOL`). What else differs is the
    Python work per posting and per block, which was most of a segment's writing time. Tied to
    the codec of the Whoosh release the project pins; ``tests/test_segments.py`` compares every
    posting and statistic with Whoosh's own writer.
    """
    postwriter = fieldwriter._postwriter
    postfile, limit, compression = postwriter._postfile, postwriter._blocklimit, postwriter._compression
    fixed_size = fieldwriter._format.fixed_value_size()
    terminfo = W3TermInfo()
    start = postfile.tell()
    postfile.write(WHOOSH3_HEADER_MAGIC)
    total = len(docnums)
    for begin in range(0, total, limit):
        end = begin + limit
        ids = docnums[begin:end]
        block_weights = array("f", weights[begin:end])
        highest = max(weights[begin:end])
        max_weight = highest if highest > 0 else 0
        present = [length for length in lengths[begin:end] if length]
        min_length, max_length = (min(present), max(present)) if present else (None, 0)
        _add_block_statistics(terminfo, ids, block_weights, max_weight, min_length, max_length)

        first = block_weights[0]
        if block_weights.count(first) != len(block_weights):
            mini_weights = tuple(block_weights)
        else:
            mini_weights = None if first == 1.0 else first
        block_values = values[begin:end]
        if not all(block_values):
            block_values = [value for value in block_values if value]
        if fixed_size is None or fixed_size < 0:
            mini_values = tuple(block_values)
        else:
            mini_values = b"".join(block_values) if fixed_size else None
        data = dumps((tuple(map(sub, ids, [0, *ids[:-1]])), mini_weights, mini_values), BLOCK_PICKLE_PROTOCOL)
        if compression:
            data = zlib.compress(data, compression)
        info = dumps((len(ids), ids[-1], max_weight, compression,
                      length_to_byte(min_length), length_to_byte(max_length)), 2)
        size = len(info) + len(data)
        postfile.write_int(-size if end >= total else size)  # the last block's size is negative
        postfile.write(info)
        postfile.write(data)
    terminfo.set_extent(start, postfile.tell() - start)
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + tbytes, terminfo.to_bytes())


def _add_block_statistics(terminfo, ids, weights, max_weight, min_length, max_length) -> None:
    """``W3TermInfo.add_block`` for a block given by its parts."""
    terminfo._weight += sum(weights)
    terminfo._df += len(ids)
    terminfo._minlength = min_length if terminfo._minlength is None else min(terminfo._minlength, min_length)
    terminfo._maxlength = max(terminfo._maxlength, max_length)
    terminfo._maxweight = max(terminfo._maxweight, max_weight)
    if terminfo._minid is None:
        terminfo._minid = ids[0]
    terminfo._maxid = ids[-1]


def word_splitter(field):
    """A function splitting a field's text into the words Whoosh's analyzer would give, without a
    ``Token`` object per word; ``None`` unless the analyzer is a plain :class:`RegexTokenizer`
    (pre-analysed text), optionally followed by a :class:`StripFilter` (comma-separated
    keywords), and the format ``Frequency`` or ``Positions``."""
    if not field.indexed or type(field.format) not in (Frequency, Positions):
        return None
    analyzer, strip = field.analyzer, False
    if type(analyzer) is CompositeAnalyzer and len(analyzer.items) == 2 and type(analyzer.items[1]) is StripFilter:
        analyzer, strip = analyzer.items[0], True
    if type(analyzer) is not RegexTokenizer or analyzer.gaps:
        return None
    findall = analyzer.expression.findall
    return (lambda text: [word.strip() for word in findall(text)]) if strip else findall


def _encode_positions(deltas: list[int]) -> bytes:
    """``Positions.encode`` of a posting whose position deltas are already computed."""
    return pack_uint(len(deltas)) + dumps(deltas, 2)


class TokenColumns:
    """One field's words for a whole segment: each word's id, in document order, and per
    document its number of words and boost. Postings are computed once, at the end, by sorting
    these arrays; a word costs one dictionary look-up while the documents are added."""

    def __init__(self, form):
        self.positions = type(form) is Positions
        self.field_boost = form.field_boost
        self.vocabulary = defaultdict(count().__next__)
        self.words, self.docnums, self.counts, self.boosts = array("I"), array("I"), array("I"), array("d")

    def add(self, docnum: int, words: list[str], boost: float) -> int:
        """Add one document's words; return the field's length in it."""
        if words:
            self.words.extend(map(self.vocabulary.__getitem__, words))
            self.docnums.append(docnum)
            self.counts.append(len(words))
            self.boosts.append(boost)
        return len(words)

    def iter_terms(self):
        """``(tbytes, docnums, weights, values)`` per term, in term order, documents in order —
        what Whoosh's ``Frequency.word_values`` / ``Positions.word_values`` and its pool give.

        Postings are held in numpy arrays and become Python lists one term at a time: a
        segment's worth of Python objects would weigh ten times more.
        """
        if not self.words:
            return
        terms = [word.encode() for word in self.vocabulary]
        in_order = sorted(range(len(terms)), key=terms.__getitem__)
        by_rank = [terms[i] for i in in_order]
        rank = np.empty(len(terms), dtype=np.int64)
        rank[in_order] = np.arange(len(terms))
        counts = np.frombuffer(self.counts, dtype=np.uint32).astype(np.int64)
        documents = np.frombuffer(self.docnums, dtype=np.uint32).astype(np.int64)
        span = int(documents[-1]) + 1
        key = rank[np.frombuffer(self.words, dtype=np.uint32)] * span + np.repeat(documents, counts)
        order = np.argsort(key, kind="stable")  # stable: a word's positions stay in order
        key = key[order]
        first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])  # one posting per (term, document)
        ends = np.r_[first[1:], len(key)]
        frequencies = ends - first
        posting_docs, posting_ranks = np.divmod(key[first], span)[::-1]
        del key
        boosts = np.repeat(np.frombuffer(self.boosts, dtype=np.float64), counts)[order][first]
        weights = (frequencies * self.field_boost) * boosts
        deltas = self._position_deltas(order, first, counts) if self.positions else None
        del order, boosts
        bounds = [*np.flatnonzero(np.r_[True, posting_ranks[1:] != posting_ranks[:-1]]).tolist(), len(first)]
        packed = {}  # frequency → its value; position → the value of a posting with that one position
        for start, end in zip(bounds, bounds[1:]):
            if deltas is None:
                values = [packed.get(f) or packed.setdefault(f, pack_uint(f)) for f in frequencies[start:end].tolist()]
            else:
                base = int(first[start])
                term_deltas = deltas[base:int(ends[end - 1])].tolist()
                values = [(packed.get(term_deltas[begin]) or packed.setdefault(term_deltas[begin], _encode_positions(
                    term_deltas[begin:stop]))) if stop - begin == 1 else _encode_positions(term_deltas[begin:stop])
                    for begin, stop in zip((first[start:end] - base).tolist(), (ends[start:end] - base).tolist())]
            yield (by_rank[int(posting_ranks[start])], posting_docs[start:end].tolist(),
                   weights[start:end].tolist(), values)

    @staticmethod
    def _position_deltas(order, first, counts) -> np.ndarray:
        """Per word, in posting order: its position minus the previous one of the same posting
        (the first counts from 0), as ``Positions.encode`` stores them."""
        starts = np.repeat(np.cumsum(counts) - counts, counts)
        positions = (np.arange(len(order)) - starts)[order]
        deltas = np.diff(positions, prepend=0)
        deltas[first] = positions[first]
        return deltas


class InMemorySegmentWriter(SegmentWriter):
    """``SegmentWriter`` with a :class:`TermPool` and :class:`TokenColumns`; the rest is Whoosh's."""

    def __init__(self, index, **kwargs):
        super().__init__(index, **kwargs)
        self.pool = TermPool()
        self.columns: dict[str, TokenColumns] = {}
        self._splitters: dict = {}  # field name → word_splitter(field), or str when there is none

    def add_document(self, **fields):
        """Whoosh's ``add_document`` (boosts, ``_stored_`` values, columns), postings added per field.

        A pre-analysed text field may also be given as its list of words (what its tokenizer
        would split the text into), which saves joining and splitting them again. Term vectors
        and separate spelling fields, which the project's schema does not use, are refused rather
        than silently left out.
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
                boost = self._field_boost(fields, name, docboost)
                split = self._splitters.get(name) or self._splitters.setdefault(name, word_splitter(field) or str)
                if split is not str and isinstance(value, (str, list)):
                    columns = self.columns.get(name) or self.columns.setdefault(name, TokenColumns(field.format))
                    words = columns.add(docnum, value if isinstance(value, list) else split(value), boost)
                    length = words if field.scorable else 0
                else:
                    length = self.pool.add_field(name, docnum, boost, field.index(value), field.scorable)
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
        for fieldname, tbytes, docnums, weights, values in self._all_terms():
            if fieldname != current:
                if current is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, self.schema[fieldname])
                current = fieldname
            write_term(fieldwriter, tbytes, docnums, weights, values,
                       lengths.of(fieldname, docnums) if lengths else [0] * len(docnums))
        if current is not None:
            fieldwriter.finish_field()
        fieldwriter.close()
        if reader:
            reader.close()
        self.columns = {}

    def _all_terms(self):
        """The pool's terms (other fields, merged segments) and the columns' terms, in field and
        term order; a term in both has its postings put back in document order."""
        columns = ((name, *term) for name in sorted(self.columns) for term in self.columns[name].iter_terms())
        merged = heapq.merge(self.pool.iter_terms(), columns, key=itemgetter(0, 1))
        for (fieldname, tbytes), group in groupby(merged, key=itemgetter(0, 1)):
            parts = list(group)
            if len(parts) == 1:
                yield parts[0]
                continue
            docnums, weights, values = ([x for part in parts for x in part[i]] for i in (2, 3, 4))
            order = sorted(range(len(docnums)), key=docnums.__getitem__)
            yield fieldname, tbytes, *([column[k] for k in order] for column in (docnums, weights, values))
