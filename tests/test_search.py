"""Searching the shipped corpus: accents, plurals, elision, phrases, filters, facets, suggestions."""

import pytest

from indexer.errors import BadQuery
from indexer.search.request import SearchRequest


def top(engine, q, n=3, **kwargs):
    return [hit.path for hit in engine.search(SearchRequest(q=q, **kwargs)).hits[:n]]


@pytest.mark.parametrize("query, expected", [
    ("securite maritime", "_defis/2019-01-01-cibnav.md"),
    ("sécurité des navires", "_defis/2019-01-01-cibnav.md"),
    ("orgues", "_defis/2017-01-01-mcc-inventaire-des-orgues.md"),
    ("inventaire orgue", "_defis/2017-01-01-mcc-inventaire-des-orgues.md"),
    ("l'agriculture biologique", "_defis/2019-01-01-cartobio.md"),
    ("parcelles agriculture bio", "_defis/2019-01-01-cartobio.md"),
    ("personnes decedees", "_defis/2017-01-01-mi-matchid.md"),
    ("titre de sejour prefecture", "_defis/2019-01-01-planipref.md"),
    ("incendies sapeurs pompiers essonne", "_defis/2018-01-01-previsecours.md"),
])
def test_visitors_find_the_page_without_accents_or_with_other_word_forms(corpus_engine, query, expected):
    assert expected in top(corpus_engine, query)


def test_phrase_and_exclusion(corpus_engine):
    with_phrase = corpus_engine.search(SearchRequest(q='"agriculture biologique"', per_page=50))
    assert with_phrase.total >= 2
    assert all("agriculture" in hit.snippet_text.lower() or "biologique" in hit.snippet_text.lower()
               or "agriculture" in hit.title.lower() for hit in with_phrase.hits)
    excluded = corpus_engine.search(SearchRequest(q='"agriculture biologique" -cartobio', per_page=50))
    assert "_defis/2019-01-01-cartobio.md" not in [hit.path for hit in excluded.hits]
    assert excluded.total < with_phrase.total


def test_snippet_highlights_the_matched_words_escaped(corpus_engine):
    hits = corpus_engine.search(SearchRequest(q="securite navires")).hits
    hit = next(hit for hit in hits if hit.path == "_defis/2019-01-01-cibnav.md")
    assert "<mark>" in hit.snippet_html
    marked = [piece.lower() for piece, matched in hit.snippet if matched]
    assert any(word.startswith("sécurité") for word in marked)
    assert any(word.startswith("navire") for word in marked)


def test_empty_query_lists_everything_newest_first(corpus_engine):
    result = corpus_engine.search(SearchRequest(per_page=50))
    assert result.total == 101
    dates = [hit.date for hit in result.hits if hit.date]
    assert dates == sorted(dates, reverse=True)


def test_filters_combine_or_within_a_facet_and_between_facets(corpus_engine):
    defis = corpus_engine.search(SearchRequest(filters={"kind": ["défi"]}))
    assert defis.total == 50
    two_years = corpus_engine.search(SearchRequest(filters={"kind": ["défi"], "year": ["2017", "2018"]}))
    assert two_years.total == 19
    facets = {v.value: (v.count, v.selected) for v in two_years.facets["year"]}
    # Disjunctive counts: the year facet is counted without its own filter, with the kind filter.
    assert facets["2017"] == (9, True) and facets["2018"] == (10, True) and facets["2019"] == (13, False)
    kinds = {v.value: v.count for v in two_years.facets["kind"]}
    assert kinds == {"défi": 19, "article": 10, "actualité": 1}


def test_facet_values_are_counted_case_and_accent_insensitively(corpus_engine):
    tags = {v.value: v.count for v in corpus_engine.search(SearchRequest()).facets["tags"]}
    assert "open data" in {key.lower() for key in tags}
    assert sum(1 for key in tags if key.lower() == "open data") == 1  # "Open data" and "open data": one bucket
    filtered = corpus_engine.search(SearchRequest(filters={"tags": ["OPEN DATA"]}))
    assert filtered.total == tags[next(k for k in tags if k.lower() == "open data")]


def test_typo_is_corrected_and_said(corpus_engine):
    result = corpus_engine.search(SearchRequest(q="catallogage"))
    assert result.corrected == {"catallogage": "catalogage"}
    assert result.hits[0].path == "_defis/2017-01-01-bnf-catalogage.md"


def test_no_result_because_of_filters_says_which_filter_to_drop(corpus_engine):
    result = corpus_engine.search(SearchRequest(q="orgues", filters={"year": ["2019"]}))
    assert result.total == 0
    assert result.drop_filters == [("year", 4)]


@pytest.mark.parametrize("request_kwargs, message", [
    ({"per_page": 13}, "résultats par page"),
    ({"page": 0}, "le numéro de page commence à 1"),
    ({"page": 101}, "seuls les 1000 premiers résultats"),
    ({"sort": "random"}, "tri inconnu"),
])
def test_invalid_parameters_are_refused_with_a_message(corpus_engine, request_kwargs, message):
    with pytest.raises(BadQuery, match=message):
        corpus_engine.search(SearchRequest(**request_kwargs))


def test_page_past_the_end_is_empty(corpus_engine):
    result = corpus_engine.search(SearchRequest(q="orgues", page=50))
    assert result.total == 4 and result.hits == []


def test_suggestions_give_titles_then_facet_values_then_words(corpus_engine):
    suggestions = corpus_engine.suggest("carto")
    assert suggestions[0] == {"type": "title", "value": "CartoBio", "url": "/defis/2019/cartobio.html",
                              "kind": "défi", "summary": "Cartographier les parcelles bio pour alléger la "
                                                        "certification des exploitations"}
    assert [item["type"] for item in suggestions] == ["title"] * 4 + ["facet", "term"]
    assert suggestions[4] == {"type": "facet", "value": "cartographie", "facet": "tags", "label": "Étiquettes",
                              "count": 3}


def test_stats_count_every_kind(corpus_engine):
    stats = corpus_engine.stats()
    assert stats["documents"] == 101
    assert stats["facets"]["kind"] == {"défi": 50, "article": 32, "actualité": 14, "page": 5}
    assert stats["facets"]["language"] == {"fr": 94, "en": 7}


def test_identical_searches_are_answered_from_the_generation_cache(corpus_engine):
    first = corpus_engine.search(SearchRequest(q="orgues", filters={"kind": ["défi"]}))
    again = corpus_engine.search(SearchRequest(q="orgues", filters={"kind": ["défi"]}))
    other = corpus_engine.search(SearchRequest(q="orgues", filters={"kind": ["article"]}))
    assert again is first and other is not first
    assert corpus_engine.generation().results  # the cache belongs to the generation: a reindex empties it


def test_suggestion_keeps_quotes_and_is_omitted_when_it_would_change_nothing(corpus_engine):
    result = corpus_engine.search(SearchRequest(q='"inventaire des orgeus"'))
    assert result.suggestion == '"inventaire des orgues"'
    assert corpus_engine.search(SearchRequest(q="zzzzqqq")).suggestion is None


def test_no_result_says_neither_relaxed_nor_corrected(corpus_engine):
    result = corpus_engine.search(SearchRequest(q='"navirres de peche de nuit"'))
    assert (result.total, result.relaxed, result.corrected) == (0, False, {})
