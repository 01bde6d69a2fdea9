"""The documented limits of the web app, at and just past each boundary (README, « Sécurité et
fiabilité »): request body, query string, similar text, query length, terms, filter values."""

import time
from urllib.parse import urlencode

import pytest

from indexer.search import querylang
from indexer.search.engine import TIME_BUDGET
from indexer.search.querylang import MAX_QUERY_CHARS, MAX_TERMS
from indexer.search.request import PER_PAGE_CHOICES, RESULT_WINDOW
from searchweb import DEFAULTS
from searchweb.params import MAX_FILTER_VALUES, MAX_QUERY_STRING

from .support import PROJECT

BODY_LIMIT = DEFAULTS["MAX_CONTENT_LENGTH"]
SIMILAR_LIMIT = DEFAULTS["SIMILAR_TEXT_MAX_CHARS"]


def timed(call):
    started = time.perf_counter()
    response = call()
    return response, time.perf_counter() - started


# -- 4. oversized bodies and URLs -------------------------------------------------------------------

def test_similar_api_refuses_100000_characters_quickly(client_2k):
    response, seconds = timed(lambda: client_2k.post("/api/similar", json={"text": "défi " * 20_000}))
    assert response.status_code == 413  # the JSON body is over the 64 kB request limit
    assert response.get_json() == {"error": {"status": 413, "message": "Le texte envoyé est trop long."}}
    assert seconds < TIME_BUDGET


def test_similar_page_refuses_100000_characters_quickly(client_2k):
    response, seconds = timed(lambda: client_2k.post("/similaires", data={"text": "défi " * 20_000}))
    assert response.status_code == 413
    assert seconds < TIME_BUDGET


def test_similar_text_over_its_limit_but_under_the_body_limit_is_a_400(client_2k):
    text = "x" * (SIMILAR_LIMIT + 1)
    assert len(text) + 20 < BODY_LIMIT
    api = client_2k.post("/api/similar", json={"text": text})
    assert api.status_code == 400
    assert api.get_json()["error"]["message"] == f"texte trop long : {SIMILAR_LIMIT} caractères au plus"
    page = client_2k.post("/similaires", data={"text": text})
    assert page.status_code == 400
    assert f"Le texte est trop long : {SIMILAR_LIMIT} caractères au plus." in page.get_data(as_text=True)


def test_similar_text_at_its_limit_is_answered(client_2k):
    words = "cartographie des parcelles agricoles et des données de santé "
    text = (words * (SIMILAR_LIMIT // len(words) + 1))[:SIMILAR_LIMIT]
    response = client_2k.post("/api/similar", json={"text": text})
    assert response.status_code == 200
    assert response.get_json()["hits"]


@pytest.mark.parametrize("path", ("/recherche", "/api/search", "/api/suggest", "/similaires"))
def test_5000_character_query_string_is_refused(client_2k, path):
    response = client_2k.get(f"{path}?q={'a' * 5_000}")
    assert response.status_code == 414


def test_query_string_limit_is_exact(client_2k):
    prefix = "q=donnees&tags="
    at_limit = prefix + "x" * (MAX_QUERY_STRING - len(prefix))
    assert client_2k.get(f"/api/search?{at_limit}").status_code == 200
    assert client_2k.get(f"/api/search?{at_limit}x").status_code == 414


# -- query length, terms, filters -------------------------------------------------------------------

def test_long_query_is_cut_and_said(client_2k):
    q = "données " * 100  # 800 characters
    data = client_2k.get("/api/search", query_string={"q": q}).get_json()
    assert data["truncated"] is True
    page = client_2k.get("/recherche", query_string={"q": q})
    assert page.status_code == 200
    short = client_2k.get("/api/search", query_string={"q": "données"}).get_json()
    assert short["truncated"] is False


def test_query_character_limit_is_exact():
    assert querylang.clean("a" * (MAX_QUERY_CHARS + 100)) == "a" * MAX_QUERY_CHARS
    assert querylang.parse("a" * MAX_QUERY_CHARS).truncated is False
    assert querylang.parse("a" * (MAX_QUERY_CHARS + 1)).truncated is True
    assert querylang.parse("a" + " " * 1_000 + "b").truncated is False  # spaces collapse before counting


def test_terms_beyond_the_limit_are_dropped_and_said(client_2k):
    words = ["données", "santé", "justice", "culture"] * 10
    at_limit = client_2k.get("/api/search", query_string={"q": " ".join(words[:MAX_TERMS])}).get_json()
    over = client_2k.get("/api/search", query_string={"q": " ".join(words[:MAX_TERMS + 1])}).get_json()
    assert at_limit["truncated"] is False
    assert over["truncated"] is True
    assert over["total"] == at_limit["total"]  # the 33rd word changed nothing


def test_too_many_filter_values_are_refused(client_2k):
    values = [("q", "données")] + [("tags", f"étiquette {n}") for n in range(MAX_FILTER_VALUES + 1)]
    response = client_2k.get("/api/search?" + urlencode(values))
    assert response.status_code == 400
    assert client_2k.get("/api/search?" + urlencode(values[:-1])).status_code == 200


def test_per_page_choices(client_2k):
    for per_page in PER_PAGE_CHOICES:
        assert client_2k.get("/api/search", query_string={"per_page": per_page}).status_code == 200
    assert client_2k.get("/api/search", query_string={"per_page": 100}).status_code == 400


# -- the README states these very values --------------------------------------------------------------

def test_readme_states_the_limits():
    readme = (PROJECT / "README.md").read_text("utf-8")
    assert "## Sécurité et fiabilité" in readme
    section = readme.split("## Sécurité et fiabilité", 1)[1].split("\n## ", 1)[0]
    from indexer.site.files import MAX_SITE_FILE_BYTES
    from indexer.site.frontmatter import MAX_EXPANDED_NODES, MAX_FRONT_MATTER_BYTES

    for figure in (f"{MAX_QUERY_CHARS} caractères", f"{MAX_TERMS} mots", f"{RESULT_WINDOW} premiers",
                   " ou ".join(map(str, PER_PAGE_CHOICES[1:])), f"{TIME_BUDGET:.0f} s",
                   f"{SIMILAR_LIMIT:,}".replace(",", " ") + " caractères", f"{BODY_LIMIT // 1024} ko",
                   f"{MAX_QUERY_STRING:,}".replace(",", " ") + " octets", f"{MAX_SITE_FILE_BYTES // 2**20} Mo",
                   f"{MAX_FRONT_MATTER_BYTES // 1024} ko", f"{MAX_EXPANDED_NODES:,}".replace(",", " "),
                   f"{MAX_FILTER_VALUES} valeurs"):
        assert figure in section, figure
