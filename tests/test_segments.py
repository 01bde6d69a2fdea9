"""The in-memory segment writer writes exactly the index Whoosh's own writer writes."""

import random

from whoosh import fields, index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.writing import SegmentWriter

from indexer.whoosh_io.segments import InMemorySegmentWriter, TermPool

WORDS = "phare navire port douane orgue archive carte sol eau forêt impôt école santé données".split()


def _documents(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    return [{"path": f"p{number}", "title": " ".join(rng.choices(WORDS, k=rng.randint(1, 4))),
             "body": " ".join(rng.choices(WORDS, k=rng.randint(0, 60))),
             # Comma-separated keywords, with spaces around some and an empty one now and then.
             "tags": rng.choice([",", " , ", ", "]).join(rng.sample(WORDS, rng.randint(0, 3))) + "," * rng.randint(0, 1),
             "size": rng.randint(0, 10_000),
             # Pre-analysed text, as the project writes it: repeated terms, tabs and newlines, empty values.
             "terms": " \t".join(rng.choices(WORDS, k=rng.randint(0, 30))) + "\n" * rng.randint(0, 1),
             "terms_exact": "  ".join(rng.choices(WORDS, k=rng.randint(0, 30)))}
            for number in range(count)]


SCHEMA = fields.Schema(path=fields.ID(stored=True, unique=True), title=fields.TEXT(stored=True),
                       body=fields.TEXT(), tags=fields.KEYWORD(commas=True, scorable=True),
                       size=fields.NUMERIC(stored=True),
                       terms=fields.TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=True),
                       terms_exact=fields.TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False, field_boost=2.0))


def _write(folder, writer_class, documents, deleted=()) -> None:
    folder.mkdir()
    ix = index.create_in(str(folder), SCHEMA)
    half = len(documents) // 2
    for number, part in enumerate((documents[:half], documents[half:])):
        writer = writer_class(ix)
        for path in deleted:
            writer.delete_by_term("path", path)
        for document in part:
            writer.add_document(**document)
        writer.commit(optimize=number == 1)  # the second commit merges the first segment into its own


def _contents(folder) -> list:
    """Per segment: every term with its statistics and postings; then every stored document."""
    with index.open_dir(str(folder)).searcher() as searcher:
        reader = searcher.reader()
        found = []
        for segment, offset in reader.leaf_readers():
            for fieldname, text in segment.all_terms():
                info = segment.term_info(fieldname, text)
                matcher = segment.postings(fieldname, text)
                matcher = getattr(matcher, "child", matcher)  # deleted documents are still in the blocks
                postings = []
                while matcher.is_active():
                    # The block each posting is in: its size and statistics (Whoosh 2.7.4 internals).
                    postings.append((offset + matcher.id(), matcher.weight(), matcher.value(),
                                     matcher._blocklength, matcher.block_max_weight(),
                                     matcher.block_min_length(), matcher.block_max_length()))
                    matcher.next()
                found.append((fieldname, text, info.weight(), info.doc_frequency(), info.min_length(),
                              info.max_length(), info.max_weight(), postings))
        stored = [reader.stored_fields(docnum) for docnum in reader.all_doc_ids()]
        lengths = {name: reader.field_length(name) for name in ("title", "body", "tags", "terms", "terms_exact")}
    return [found, stored, lengths]


def test_same_terms_statistics_postings_and_stored_fields_as_whoosh(tmp_path):
    documents = _documents(300)
    _write(tmp_path / "whoosh", SegmentWriter, documents, deleted=("p3", "p40"))
    _write(tmp_path / "ours", InMemorySegmentWriter, documents, deleted=("p3", "p40"))
    expected = _contents(tmp_path / "whoosh")
    assert expected[0] and len(expected[1]) == 298
    assert _contents(tmp_path / "ours") == expected


def test_pre_analysed_fields_given_as_word_lists_write_the_same_index(tmp_path):
    documents = _documents(120, seed=3)
    as_lists = [{**document, "terms": document["terms"].split(), "terms_exact": document["terms_exact"].split()}
                for document in documents]
    _write(tmp_path / "text", InMemorySegmentWriter, documents)
    _write(tmp_path / "lists", InMemorySegmentWriter, as_lists)
    expected = _contents(tmp_path / "text")
    assert expected[2]["terms"] > 0
    assert _contents(tmp_path / "lists") == expected


def test_pool_sorts_by_field_term_then_document():
    pool = TermPool()
    for item in [("b", b"x", 0, 1.0, b"1"), ("a", b"z", 0, 2.0, None), ("a", b"y", 1, 1.0, b"1"),
                 ("a", b"z", 2, 1.0, None), ("b", b"x", 3, 3.0, b"3")]:
        pool.add(item)
    assert list(pool.iter_postings()) == [("a", b"y", 1, 1.0, b"1"), ("a", b"z", 0, 2.0, None),
                                          ("a", b"z", 2, 1.0, None), ("b", b"x", 0, 1.0, b"1"),
                                          ("b", b"x", 3, 3.0, b"3")]
    pool.cleanup()
    assert list(pool.iter_postings()) == []
