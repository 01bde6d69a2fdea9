"""Property-based fuzzing of the search URLs: whatever the query string, never a server error.

Queries are built from the site's own words, Whoosh and query-language operators, control and
invisible characters, lone surrogates, short random Unicode, and raw random bytes; the other
parameters (page, per_page, sort, facet filters) are drawn from valid and invalid values. Every
string is percent-encoded by hand (lone surrogates as the invalid UTF-8 a browser could send).

Default part: 300 examples on 2,000 pages, derandomized (the same examples on every CI run).
Stress part: 5,000 random examples on 20,000 pages, with the duration of each request recorded
and the 95th percentile checked against the 1 s time budget.
"""

import time
from collections import Counter
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.search.engine import TIME_BUDGET

from .support import percentile

WORDS = ("données", "open", "data", "intelligence", "artificielle", "sécurité", "routière", "santé",
         "algorithme", "design", "logiciel", "libre", "justice", "fraude", "fiscale", "cartographie",
         "pompiers", "médicaments", "citoyens", "service", "public", "entrepreneurs", "d'intérêt",
         "général", "l'État", "Etalab", "API", "numérique", "maritime", "navires", "écoles")
OPERATORS = ('"', "-", "OR", "NOT", "AND", "*", "?", "~", "~2", "^3", "(", ")", ":", "title:", "body:",
             "[", "]", "{", "}", "TO", "'", "’", "\\", "/", "&", "%", "+", "#", ";", "=", "<", ">",
             "<script>", "${x}", "{{ x }}", "%s", "'; DROP TABLE", "..", "../..")
ODD_CHARACTERS = ("\x00", "\x07", "\x1b", "\x7f", "\u00a0", "\u200b", "\u202e", "\ufeff", "\ufffd", "\ud800",
                  "\udfff", "\U0001f600", "ǅ", "ß", "ﬁ", "İ", "\u0301", "中文", "العربية")
SEPARATORS = (" ", "  ", "\t", "\n", " - ", '"')

tokens = st.one_of(st.sampled_from(WORDS), st.sampled_from(OPERATORS), st.sampled_from(ODD_CHARACTERS),
                   st.text(max_size=4))
queries = st.one_of(
    st.lists(st.tuples(tokens, st.sampled_from(SEPARATORS)), max_size=12).map(
        lambda pairs: "".join(token + separator for token, separator in pairs)),
    st.text(max_size=40),
)


#: Page numbers, including digits that are not ASCII ("²", "①", "١").
numbers = st.one_of(st.sampled_from(["", "1", "2", "0", "-1", "abc", "1e3", "99", "100", "101", "١", "²",
                                     str(10**23), " 1", "1 "]),
                    st.text(max_size=6))
FACETS = ("kind", "tags", "year", "promotion", "administration", "lang", "categories", "author", "inconnu")


def encode(value: str) -> str:
    """Percent-encode every byte; lone surrogates become the invalid UTF-8 a client might send."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


@st.composite
def query_strings(draw) -> str:
    if draw(st.integers(0, 9)) == 0:  # raw bytes, not even UTF-8
        return "q=" + quote(draw(st.binary(max_size=40)), safe="")
    pairs = [("q", draw(queries))]
    for name in ("page", "per_page", "sort"):
        if draw(st.booleans()):
            pairs.append((name, draw(numbers if name != "sort" else st.sampled_from(
                ["relevance", "date", "", "pertinence", "\x00"]))))
    for _ in range(draw(st.integers(0, 3))):
        pairs.append((draw(st.sampled_from(FACETS)), draw(st.one_of(st.sampled_from(
            ["défi", "article", "2019", "3", "fr", "Open data", "méthode"]), st.text(max_size=10)))))
    return "&".join(f"{encode(name)}={encode(value)}" for name, value in pairs)


paths = st.sampled_from(["/recherche", "/api/search", "/api/search", "/api/suggest"])

#: Statuses a request may get: an answer, a refused parameter, a too long URL, or the time
#: budget's 503 (counted apart: tests/reliability/test_queries.py shows when it happens).
ALLOWED = {200, 400, 414}
TIMEOUT_MESSAGE = "trop de temps"


def check(client, path: str, query_string: str, seen: Counter) -> float:
    started = time.perf_counter()
    response = client.get(f"{path}?{query_string}")
    seconds = time.perf_counter() - started
    body = response.get_data(as_text=True)
    if response.status_code == 503 and TIMEOUT_MESSAGE in body:
        seen["503 (time budget)"] += 1
    else:
        assert response.status_code in ALLOWED, f"{path}?{query_string} → {response.status_code}"
        seen[str(response.status_code)] += 1
    return seconds


COMMON_SETTINGS = dict(deadline=None, database=None, print_blob=True,
                       suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def test_fuzzed_query_strings_never_fail(client_2k):
    seen = Counter()

    @settings(max_examples=300, derandomize=True, **COMMON_SETTINGS)
    @given(path=paths, query_string=query_strings())
    def run(path, query_string):
        check(client_2k, path, query_string, seen)

    run()
    print(f"statuses: {dict(seen)}")
    assert seen["200"] > 0 and seen["400"] > 0  # both kinds of answer were met


#: Durations (seconds) of the stress fuzz, for the percentile test below.
STRESS_DURATIONS: list[float] = []


@pytest.mark.stress
def test_fuzzed_query_strings_never_fail_on_20k_pages(client_20k):
    seen = Counter()
    STRESS_DURATIONS.clear()

    @settings(max_examples=5_000, **COMMON_SETTINGS)
    @given(path=paths, query_string=query_strings())
    def run(path, query_string):
        STRESS_DURATIONS.append(check(client_20k, path, query_string, seen))

    run()
    print(f"statuses: {dict(seen)}")


@pytest.mark.stress
def test_fuzzed_requests_p95_within_budget(record_property):
    if not STRESS_DURATIONS:
        pytest.skip("needs test_fuzzed_query_strings_never_fail_on_20k_pages to run first")
    p50, p95 = percentile(STRESS_DURATIONS, 0.5), percentile(STRESS_DURATIONS, 0.95)
    slowest = max(STRESS_DURATIONS)
    print(f"{len(STRESS_DURATIONS)} requests: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
          f"max {slowest * 1000:.0f} ms, over 1 s: {sum(s > TIME_BUDGET for s in STRESS_DURATIONS)}")
    record_property("p95_ms", round(p95 * 1000, 1))
    assert p95 < TIME_BUDGET
