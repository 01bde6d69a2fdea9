"""What ``indexer/whoosh_io`` reads and writes is what Whoosh's own code reads, term by term.

The posting reader is compared with Whoosh's matchers and stored field lengths for every term of
the index of ``tests/test_segments.py``, once merged into one segment and once updated (pages
replaced or removed, left in their segment as deleted); a sharded build (two workers, two
segments) with a single-writer build of the same site, page by page.
"""

import json
import random

import numpy as np
import pytest
from whoosh import index

from bench.generate import generate
from indexer.build.parsing import POOL_THRESHOLD
from indexer.build.run import build
from indexer.store.generations import IndexStore
from indexer.whoosh_io.postings import Postings
from indexer.whoosh_io.segments import InMemorySegmentWriter
from tests.conftest import CORPUS
from tests.test_segments import SCHEMA, _documents, _write

#: Pages of the generated site: enough for the build to use its pool of workers.
SHARDED_PAGES = max(POOL_THRESHOLD * 2, 400)


@pytest.fixture(scope="module")
def segment_indexes(tmp_path_factory) -> dict:
    """The index of ``test_segments`` (one segment), and the same after an update (three segments,
    pages deleted from the first two)."""
    folder = tmp_path_factory.mktemp("whoosh-io")
    documents = _documents(300)
    _write(folder / "merged", InMemorySegmentWriter, documents, deleted=("p3", "p40"))
    _write(folder / "updated", InMemorySegmentWriter, documents, deleted=("p3", "p40"))
    rng = random.Random(11)
    ix = index.open_dir(str(folder / "updated"))
    for round_ in range(2):
        writer = InMemorySegmentWriter(ix)
        for document in rng.sample(documents, 40):  # some pages changed, some removed
            writer.delete_by_term("path", document["path"])
            if rng.random() < 0.7:
                writer.add_document(**{**document, "body": document["body"] + f" phare{round_}"})
        writer.commit(merge=False)  # deleted pages stay in their segment, as an update leaves them
    return {name: folder / name for name in ("merged", "updated")}


def _whoosh_postings(reader, field: str, tbytes: bytes) -> tuple[list[int], list[float]]:
    """Live documents and weights of a term, as Whoosh's matcher gives them."""
    matcher = reader.postings(field, tbytes)
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


def _text(field, tbytes: bytes):
    """The text :class:`Postings` is asked for, None for a term it cannot name (a numeric
    field's coarser tiers, which only range queries use)."""
    value = field.from_bytes(tbytes)
    return value if field.to_bytes(value) == tbytes else None


@pytest.mark.parametrize("name", ["merged", "updated"])
def test_postings_are_whoosh_postings_for_every_term(segment_indexes, name):
    with index.open_dir(str(segment_indexes[name])).searcher() as searcher:
        reader = searcher.reader()
        assert (len(list(reader.leaf_readers())), reader.has_deletions()) == (
            (1, False) if name == "merged" else (3, True))
        postings = Postings(reader, cache_postings=500)  # small: terms are evicted and read again
        unnamed, compared = set(), 0
        for fieldname, tbytes in reader.all_terms():
            text = _text(reader.schema[fieldname], tbytes)
            if text is None:
                unnamed.add(fieldname)
                continue
            ids, weights = _whoosh_postings(reader, fieldname, tbytes)
            for _ in range(2):  # read, then from the cache or read again
                found = postings.term(fieldname, text)
                assert found[0].tolist() == ids, (fieldname, text)
                assert found[1].tolist() == np.array(weights, dtype=np.float32).tolist(), (fieldname, text)
            assert postings.doc_frequency(fieldname, text) == len(ids)
            compared += 1
        assert unnamed == {"size"} and compared > 600
        assert len(postings.docs("body", "no such word")) == 0
        assert postings.doc_count() == reader.doc_count()


@pytest.mark.parametrize("name", ["merged", "updated"])
def test_lengths_are_whoosh_stored_lengths(segment_indexes, name):
    with index.open_dir(str(segment_indexes[name])).searcher() as searcher:
        reader = searcher.reader()
        postings = Postings(reader)
        live = list(reader.all_doc_ids())
        for fieldname in SCHEMA.names():
            # Whoosh gives None for an empty field, 0 for a field without lengths.
            stored = [reader.doc_field_length(docnum, fieldname) or 0 for docnum in range(reader.doc_count_all())]
            assert postings.lengths(fieldname).tolist() == stored, fieldname
            live_lengths = [stored[docnum] for docnum in live]
            average = sum(live_lengths) / len(live_lengths) if any(live_lengths) else 1.0
            assert postings.average_length(fieldname) == pytest.approx(average, rel=1e-12), fieldname


@pytest.mark.parametrize("name", ["merged", "updated"])
def test_most_frequent_terms_count_live_pages(segment_indexes, name):
    with index.open_dir(str(segment_indexes[name])).searcher() as searcher:
        reader = searcher.reader()
        postings = Postings(reader)
        for fieldname in ("body", "tags", "terms_exact"):
            terms = [tbytes.decode() for tbytes in reader.lexicon(fieldname)]
            counts = sorted(((len(_whoosh_postings(reader, fieldname, t.encode())[0]), t) for t in terms), reverse=True)
            assert postings.most_frequent(fieldname, terms, 5) == counts[:5]


@pytest.mark.parametrize("name", ["merged", "updated"])
def test_path_ranks_follow_the_sorted_paths_of_live_pages(segment_indexes, name):
    with index.open_dir(str(segment_indexes[name])).searcher() as searcher:
        reader = searcher.reader()
        ranks = Postings(reader).id_ranks("path")
        paths = {docnum: reader.stored_fields(docnum)["path"] for docnum in reader.all_doc_ids()}
        in_order = sorted(paths, key=paths.get)
        assert ranks[in_order].tolist() == list(range(len(paths)))
        deleted = sorted(set(range(reader.doc_count_all())) - set(paths))
        assert bool(deleted) == (name == "updated")
        assert (ranks[deleted] == reader.doc_count_all()).all()


# -- a sharded build against a single-writer build ---------------------------------------------------

@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> dict:
    """A generated site indexed by two workers, and by one."""
    folder = tmp_path_factory.mktemp("sharded")
    generate(folder / "site", SHARDED_PAGES, source=CORPUS, seed=3)
    for processes in (1, 2):
        build(folder / "site", folder / f"index-{processes}", processes=processes)
    return {processes: IndexStore(folder / f"index-{processes}") for processes in (1, 2)}


def _by_path(store: IndexStore):
    """A generation's content with documents named by path: stored fields, field lengths, and
    every term's postings (path, weight, value), in the index's term order."""
    name, ix = store.open(store.current_name())
    with ix.searcher() as searcher:
        reader = searcher.reader()
        paths = {docnum: reader.stored_fields(docnum)["path"] for docnum in reader.all_doc_ids()}
        stored = {path: reader.stored_fields(docnum) for docnum, path in paths.items()}
        lengths = {path: {field: reader.doc_field_length(docnum, field) for field in reader.schema.scorable_names()}
                   for docnum, path in paths.items()}
        dates, cards = reader.column_reader("date"), reader.column_reader("card")
        columns = {path: (dates[docnum], cards[docnum]) for docnum, path in paths.items()}
        terms = {}
        for fieldname, tbytes in reader.all_terms():
            matcher, found = reader.postings(fieldname, tbytes), []
            while matcher.is_active():
                found.append((paths[matcher.id()], matcher.weight(), matcher.value()))
                matcher.next()
            terms[fieldname, tbytes] = sorted(found)
        segments = len(list(reader.leaf_readers()))
    return name, segments, stored, lengths, columns, terms


def test_a_sharded_build_holds_what_a_single_writer_writes(two_builds):
    single, sharded = _by_path(two_builds[1]), _by_path(two_builds[2])
    assert (single[1], sharded[1]) == (1, 2)  # one segment per worker
    assert len(single[2]) == SHARDED_PAGES
    for part, (expected, found) in enumerate(zip(single[2:], sharded[2:])):
        assert found == expected, part


def test_a_sharded_build_writes_the_same_site_data(two_builds):
    """Everything beside Whoosh's files, byte for byte; the manifest but for its date and the
    checksums and times of the segment files; the builder's state but for its folders' times."""
    folders = [store.folder / store.current_name() for store in two_builds.values()]
    names = [sorted(p.name for p in folder.iterdir() if not p.name.startswith(("MAIN", "_MAIN")))
             for folder in folders]
    assert names[0] == names[1] and {"files.sqlite", "state.json", "facets.json", "manifest.json"} <= set(names[0])
    for name in names[0]:
        if name not in ("manifest.json", "state.json"):
            assert (folders[0] / name).read_bytes() == (folders[1] / name).read_bytes(), name
    states = [json.loads((folder / "state.json").read_text("utf-8")) for folder in folders]
    assert [{key: value for key, value in state.items() if key != "folders"} for state in states] == [
        {key: value for key, value in states[0].items() if key != "folders"}] * 2  # folders: when they were read
    manifests = [{key: value for key, value in store.manifest(store.current_name()).items()
                  if key not in ("built_at", "files", "times")} for store in two_builds.values()]
    assert manifests[0] == manifests[1]
