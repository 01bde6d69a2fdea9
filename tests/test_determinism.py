"""The same site gives the same index and the same rankings, build after build.

A build with a pool of workers gives each page the document number of the order in which the
workers happened to take the files, so document numbers differ from one build to the next: the
postings are compared by path, and results with equal scores (or dates) must come in path order,
not in document order.
"""

import numpy as np
import pytest
from whoosh import index

from bench.generate import generate
from bench.queries import QUERIES, filters_for
from indexer.build.run import build
from indexer.search.engine import SearchEngine
from indexer.search.request import SearchRequest
from indexer.search.scoring import top
from tests.conftest import CORPUS
from tests.test_whoosh_io import SHARDED_PAGES, _by_path

BUILDS = ("pool-1", "pool-2", "single")
#: Words on the most page titles of the site: queries whose results tie the most.
FREQUENT_TITLE_WORDS = 15


@pytest.fixture(scope="module")
def engines(tmp_path_factory) -> dict[str, SearchEngine]:
    """One generated site built twice with two workers, and once with one."""
    folder = tmp_path_factory.mktemp("determinism")
    generate(folder / "site", SHARDED_PAGES, source=CORPUS, seed=5)
    opened = {}
    for name in BUILDS:
        build(folder / "site", folder / name, processes=1 if name == "single" else 2)
        opened[name] = SearchEngine(folder / name)
    yield opened
    for engine in opened.values():
        engine.close()


def _queries(engine: SearchEngine) -> list[str]:
    """The benchmark's queries, the words of the most titles, and the empty query (every page)."""
    with index.open_dir(str(engine.store.folder / engine.store.current_name())).reader() as reader:
        frequent = [term.decode() for _count, term in reader.most_frequent_terms("title_exact", FREQUENT_TITLE_WORDS)]
    return [*QUERIES, *frequent, ""]


def _results(engine: SearchEngine, queries: list[str]) -> list:
    """Per query and sort, and with the query's facet filter: the total and the first 50 results."""
    found = []
    for number, query in enumerate(queries):
        for sort, filters in (("relevance", {}), ("date", {}), ("relevance", filters_for(number))):
            result = engine.search(SearchRequest(q=query, sort=sort, filters=filters, per_page=50))
            found.append((query, sort, filters, result.total, [(hit.path, hit.score) for hit in result.hits]))
    return found


def test_the_same_postings_by_path(engines):
    first, second = (_by_path(engines[name].store) for name in ("pool-1", "pool-2"))
    assert (first[1], second[1]) == (2, 2)  # segments: one per worker
    for part, (expected, found) in enumerate(zip(first[2:], second[2:])):
        assert found == expected, part


def test_the_same_rankings(engines):
    queries = _queries(engines["single"])
    expected = _results(engines["single"], queries)
    ties = sum(len(hits) - len({score for _path, score in hits}) for *_, hits in expected)
    assert ties > 100  # the comparison is only worth something if many results tie
    for name in ("pool-1", "pool-2"):
        assert _results(engines[name], queries) == expected, name


def test_pages_of_one_date_come_by_relevance_then_in_path_order(engines):
    """Newest first; at equal dates the most relevant (without a query: of a kind, in path order)."""
    for query in ("", *QUERIES[:10]):
        hits = engines["pool-1"].search(SearchRequest(q=query, sort="date", per_page=50)).hits
        for kind in {hit.kind for hit in hits} if not query else [None]:
            shown = [(hit.date, -hit.score, hit.path) for hit in hits if kind in (None, hit.kind)]
            by_path = sorted(shown, key=lambda item: item[1:])
            assert shown == sorted(by_path, key=lambda item: item[0], reverse=True)  # undated ("") last


def test_top_puts_equal_scores_in_path_order():
    scores = np.array([1.0, 3.0, 2.0, 3.0, 2.0, 2.0])
    path_rank = np.array([5, 4, 3, 2, 1, 0])
    assert top(scores, np.arange(6), 10, path_rank).tolist() == [3, 1, 5, 4, 2, 0]
    assert top(scores, np.arange(6), 3, path_rank).tolist() == [3, 1, 5]
    # A tie at the cut: the pages kept are the first by path, whichever the partition met first.
    for candidates in ([2, 4, 5, 0], [0, 5, 4, 2], [4, 0, 2, 5]):
        assert top(scores, np.array(candidates), 2, path_rank).tolist() == [5, 4]
    assert top(scores, np.arange(6), 0, path_rank).tolist() == []


def test_the_same_similar_pages(engines):
    paths = [hit.path for hit in engines["single"].search(SearchRequest(q="", per_page=10)).hits]
    for path in paths:
        expected = [(hit.path, hit.score) for hit in engines["single"].similar(path=path, kinds=("défi", "article"))]
        assert expected
        for name in ("pool-1", "pool-2"):
            assert [(hit.path, hit.score) for hit in engines[name].similar(path=path, kinds=("défi", "article"))] \
                == expected, (name, path)


def test_the_same_title_suggestions(engines):
    prefixes = {query[:length] for query in _queries(engines["single"]) for length in (2, 3) if len(query) > length}
    for prefix in sorted(prefixes):
        expected = engines["single"].suggest(prefix, limit=10)
        for name in ("pool-1", "pool-2"):
            assert engines[name].suggest(prefix, limit=10) == expected, (name, prefix)
