"""Sorts a visitor can use: by date with ties (pages dated by their year) broken by relevance, and
by promotion, the newest first, offered only where the site has promotions."""

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.errors import BadQuery
from indexer.search.engine import SearchEngine
from indexer.search.request import SearchRequest

from .handmade import CONFIG, built_index, page


#: Défis dated by their year (the 1st of January), in four promotions, some about fishing more than others.
FILES = {
    "_defis/2020-01-01-zeta.md": page("Zeta", "La pêche.", promotion=4),
    "_defis/2019-01-01-alpha.md": page("Alpha", "La pêche.", promotion=3),
    "_defis/2019-01-01-beta.md": page("Beta", "La pêche, la pêche, la pêche et le contrôle de la pêche.", promotion=3),
    "_defis/2019-01-01-gamma.md": page("Gamma", "La pêche et la pêche.", promotion=3),
    "_defis/2019-01-01-delta.md": page("Delta", "La pêche.", promotion="dig"),
    "_defis/2018-01-01-epsilon.md": page("Epsilon", "La pêche.", promotion=2),
    "_communaute/2019-01-01-lea.md": page("Léa", "La pêche."),
    "_posts/2021-03-01-article.md": page("Article", "La pêche."),
}


def make_engine(tmp_path_factory, name: str, config: str) -> SearchEngine:
    return SearchEngine(built_index(tmp_path_factory, {"_config.yml": config, **FILES}, name))


@pytest.fixture(scope="module")
def programme(tmp_path_factory):
    engine = make_engine(tmp_path_factory, "programme", CONFIG)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory):
    """The same pages on a site whose facets do not include promotions."""
    engine = make_engine(tmp_path_factory, "plain", CONFIG + "search:\n  facets: [kind, year, tags]\n")
    yield engine
    engine.close()


def titles(engine, **request) -> list[str]:
    return [hit.title for hit in engine.search(SearchRequest(**request)).hits]


def test_date_sort_puts_the_most_relevant_first_among_pages_of_one_year(programme):
    assert titles(programme, q="peche", sort="date") == [
        "Article", "Zeta", "Beta", "Gamma", "Alpha", "Delta", "Léa", "Epsilon"]


def test_date_sort_without_a_query_lists_a_years_pages_by_kind_then_a_to_z(programme):
    assert titles(programme, sort="date") == [
        "Article", "Zeta", "Alpha", "Beta", "Delta", "Gamma", "Léa", "Epsilon"]
    assert titles(programme, sort="date", filters={"promotion": ["3"]}) == ["Alpha", "Beta", "Gamma"]


def test_promotion_sort_newest_promotion_first_then_by_relevance(programme):
    # promotions by their latest page: 4 (2020), then 3 and dig (2019: numbered first), then 2;
    # pages of no promotion last, by relevance
    assert titles(programme, q="peche", sort="promotion") == [
        "Zeta", "Beta", "Gamma", "Alpha", "Delta", "Epsilon", "Article", "Léa"]
    assert titles(programme, sort="promotion")[:4] == ["Zeta", "Alpha", "Beta", "Gamma"]


def test_sorts_offered_where_the_site_has_promotions(programme, plain_site):
    assert programme.search(SearchRequest(q="peche")).sorts == ("relevance", "date", "promotion")
    assert plain_site.search(SearchRequest(q="peche")).sorts == ("relevance", "date")
    with pytest.raises(BadQuery, match="tri « promotion » indisponible sur ce site : choisir parmi relevance, date"):
        plain_site.search(SearchRequest(q="peche", sort="promotion"))


def test_api_and_command_line_accept_the_promotion_sort(programme, plain_site, make_app):
    api = make_app({"INDEX_DIR": str(programme.store.folder), "TESTING": True}).test_client()
    answer = api.get("/api/search?q=peche&sort=promotion").get_json()
    assert [hit["title"] for hit in answer["hits"]][:2] == ["Zeta", "Beta"]
    assert answer["sorts"] == ["relevance", "date", "promotion"]
    refused = make_app({"INDEX_DIR": str(plain_site.store.folder), "TESTING": True}).test_client()
    response = refused.get("/api/search?q=peche&sort=promotion")
    assert response.status_code == 400
    assert "indisponible" in response.get_json()["error"]["message"]
    found = CliRunner().invoke(main, ["query", "peche", "--sort", "promotion", "--index", str(programme.store.folder)])
    assert found.exit_code == 0, found.output
    assert found.output.index("Zeta") < found.output.index("Beta") < found.output.index("Article")
