"""Hostile and pathological queries through the Flask test client, on a generated site.

Whoosh's query syntax (wildcards, ranges, fuzzy terms, fields) must be plain text to the engine;
odd bytes must not break decoding; page numbers must be refused or give an empty page. The
default part checks statuses on 2,000 pages; the stress part also checks wall time on 20,000.
"""

import random
import time
from urllib.parse import urlencode

import pytest

from indexer.search.engine import TIME_BUDGET
from indexer.search.request import RESULT_WINDOW

PATHS = ("/recherche", "/api/search")

#: Whoosh syntax that is slow or raises when given to its own parser.
PATHOLOGICAL = ("*e*", "*", "e*", "title:[a TO z]", "body:{a TO}", "objec~9", 'r".*"')

#: Odd query language and odd bytes: (label, raw percent-encoded query string).
ODD = {
    "NOT NOT object": "q=NOT+NOT+object",
    "NOT OR x": "q=NOT+OR+x",
    "330-deep nesting": "q=" + "%28" * 330 + "x" + "%29" * 330,
    "opening quote only": "q=%22securite+maritime",
    "closing quote only": "q=securite+maritime%22",
    "three quotes": "q=%22%22%22",
    "excluded open phrase": "q=-%22donnees",
    "lone OR": "q=OR",
    "lone minus": "q=-",
    "NUL byte": "q=x%00y",
    "NUL bytes only": "q=%00%00%00",
    "lone high surrogate": "q=%ED%A0%80",
    "lone low surrogate": "q=a%ED%B0%80b",
    "invalid UTF-8 byte": "q=%FF%FE",
    "truncated UTF-8 sequence": "q=caf%C3",
    "overlong UTF-8": "q=%C0%AF",
    "NUL in a facet value": "q=donnees&kind=d%00fi",
    "invalid UTF-8 in a facet": "q=donnees&tags=%FF",
    "surrogate in sort": "q=x&sort=%ED%A0%80",
}


def unknown_words(count: int, seed: int) -> str:
    """``count`` distinct letter strings of 8 to 12 letters that no page holds."""
    rng = random.Random(f"{count}-{seed}")  # no word shared between sizes: no neighbour cached
    return " ".join("".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(8, 12)))
                    for _ in range(count))


def get(client, path: str, raw_query: str):
    started = time.perf_counter()
    response = client.get(f"{path}?{raw_query}")
    return response, time.perf_counter() - started


# -- 1. Whoosh syntax is text ---------------------------------------------------------------------

@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("q", PATHOLOGICAL)
def test_pathological_query_is_answered(client_2k, path, q):
    response, _seconds = get(client_2k, path, urlencode({"q": q}))
    assert response.status_code in (200, 400)


@pytest.mark.stress
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("q", PATHOLOGICAL)
def test_pathological_query_within_budget_on_20k_pages(client_20k, path, q, record_property):
    per_page = 10 if path == "/recherche" else 20  # not the other path's cached result
    response, seconds = get(client_20k, path, urlencode({"q": q, "per_page": per_page}))
    record_property("seconds", round(seconds, 4))
    print(f"{path} q={q!r}: {response.status_code} in {seconds * 1000:.0f} ms")
    assert response.status_code in (200, 400)
    assert seconds < TIME_BUDGET


def long_word(letters: int, seed: int) -> str:
    rng = random.Random(f"{letters}-{seed}")
    return "".join(rng.choice("abcdefgh") for _ in range(letters))


#: Legitimate-looking queries made of unknown words: each would cost a walk of the vocabulary
#: (typo look-up) if the query's correction budget did not bound them.
EXPENSIVE = {"16 unknown words": lambda seed: unknown_words(16, seed),
             "32 unknown words": lambda seed: unknown_words(32, seed),
             "one 500-letter word": lambda seed: long_word(500, seed)}
#: The cheaper ones, for the default part.
EXPENSIVE_LIGHT = {"16 unknown words": EXPENSIVE["16 unknown words"],
                   "one 250-letter word": lambda seed: long_word(250, seed)}


@pytest.mark.parametrize("make", EXPENSIVE_LIGHT.values(), ids=EXPENSIVE_LIGHT.keys())
def test_expensive_query_is_answered(client_2k, make):
    response, seconds = get(client_2k, "/api/search", urlencode({"q": make(1)}))
    print(f"{response.status_code} in {seconds * 1000:.0f} ms")
    assert response.status_code in (200, 400)


@pytest.mark.stress
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("make", EXPENSIVE.values(), ids=EXPENSIVE.keys())
def test_expensive_query_within_budget_on_20k_pages(client_20k, path, make):
    response, seconds = get(client_20k, path, urlencode({"q": make(len(path))}))  # no cache shared between paths
    print(f"{path}: {response.status_code} in {seconds * 1000:.0f} ms")
    assert response.status_code in (200, 400)
    assert seconds < TIME_BUDGET


# -- 2. odd query language, odd bytes ---------------------------------------------------------------

@pytest.mark.parametrize("path", (*PATHS, "/api/suggest"))
@pytest.mark.parametrize("raw_query", ODD.values(), ids=ODD.keys())
def test_odd_query_is_answered(client_2k, path, raw_query):
    response, _seconds = get(client_2k, path, raw_query)
    assert response.status_code in (200, 400)


def test_odd_bytes_are_cleaned_not_searched(client_2k):
    """NULs and invalid UTF-8 are spaces or replacement characters, never an error."""
    nul = client_2k.get("/api/search?q=%00%00%00").get_json()
    assert nul["total"] == client_2k.get("/api/search?q=").get_json()["total"]  # an empty query
    assert client_2k.get("/api/search?q=x%00y").get_json()["total"] == \
        client_2k.get("/api/search?q=x+y").get_json()["total"]


def test_bad_sort_is_refused_with_a_message(client_2k):
    response = client_2k.get("/api/search?q=x&sort=%ED%A0%80")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"].startswith("tri inconnu")


# -- 5. page numbers -----------------------------------------------------------------------------

#: (page, per_page) → expected status, on an empty query (every page of the site matches).
PAGE_CASES = {
    "page=0": ("0", None, 400),
    "page=-1": ("-1", None, 400),
    "page=abc": ("abc", None, 400),
    "page=10**23": (str(10**23), None, 400),
    "page=1.5": ("1.5", None, 400),
    "last page of the window": (str(RESULT_WINDOW // 10), None, 200),
    "first page past the window": (str(RESULT_WINDOW // 10 + 1), None, 400),
    "per_page=50, last page of the window": (str(RESULT_WINDOW // 50), "50", 200),
    "per_page=50, past the window": (str(RESULT_WINDOW // 50 + 1), "50", 400),
    "per_page=15": ("1", "15", 400),
    "per_page=0": ("1", "0", 400),
    "per_page=abc": ("1", "abc", 400),
}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("case", PAGE_CASES.values(), ids=PAGE_CASES.keys())
def test_page_numbers(client_2k, path, case):
    page, per_page, status = case
    params = {"q": "", "page": page, **({"per_page": per_page} if per_page else {})}
    response = client_2k.get(path, query_string=params)
    assert response.status_code == status
    if path == "/api/search" and status == 200:
        data = response.get_json()
        assert data["total"] > RESULT_WINDOW  # the site is larger than the window
        assert len(data["hits"]) == data["per_page"]
        assert data["pages"] == RESULT_WINDOW // data["per_page"]
    if path == "/api/search" and status == 400:
        assert response.get_json()["error"]["status"] == 400


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("param", ("page", "per_page"))
def test_superscript_page_number_is_refused(client_2k, path, param):
    response = client_2k.get(path, query_string={"q": "", param: "²"})
    assert response.status_code == 400


def test_past_the_window_says_why(client_2k):
    data = client_2k.get("/api/search", query_string={"q": "", "page": RESULT_WINDOW // 10 + 1}).get_json()
    assert data["error"]["message"].startswith(f"seuls les {RESULT_WINDOW} premiers résultats")


@pytest.mark.parametrize("path", PATHS)
def test_page_past_the_last_result_is_empty(client_2k, path):
    first = client_2k.get("/api/search", query_string={"q": "pompiers"}).get_json()
    assert 0 < first["total"] < 500
    beyond = first["pages"] + 1
    response = client_2k.get(path, query_string={"q": "pompiers", "page": beyond})
    assert response.status_code == 200
    if path == "/api/search":
        assert response.get_json()["hits"] == []
        assert response.get_json()["total"] == first["total"]
    else:
        assert "Cette page est au-delà des résultats." in response.get_data(as_text=True)
