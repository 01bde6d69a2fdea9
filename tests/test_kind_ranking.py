"""Défis first: profiles (kinds the settings list neither as projects nor as related reading) take
at most 3 of each 10 results while défis and articles match, a person's name still finds them,
and the counts by kind do not move when a kind is selected."""

import pytest

from indexer.fields import facet_key
from indexer.search.engine import SearchEngine
from indexer.search.kinds import SECONDARY_PER_WINDOW, WINDOW
from indexer.search.request import SearchRequest

from .handmade import CONFIG, built_index, page

#: Topical queries: the three of the issue, then words of the programme's themes.
ISSUE_QUERIES = ("controle peche", "intelligence artificielle", "justice")
THEMES = ("sante", "environnement", "donnees", "agriculture", "education", "transport", "energie",
          "securite", "emploi", "culture", "logement", "finances publiques", "territoires", "climat",
          "fraude", "archives", "accessibilite", "algorithme", "mer", "open data")
#: "At least this many défis or articles match" is when the rule holds.
ENOUGH = WINDOW - SECONDARY_PER_WINDOW

FILLER = " ".join(["Le programme accompagne les équipes pendant dix mois avec des ateliers réguliers."] * 6)


def site_files(config: str) -> dict[str, str]:
    """Twelve short profiles full of the words, eight long défis and two articles naming them once,
    and one profile of a person with a name of her own."""
    return {
        "_config.yml": config,
        **{f"_communaute/2019-01-01-eig-{i:02}.md": page(f"Profil {i:02}", "Pêche maritime. " * (8 - i % 4))
           for i in range(12)},
        **{f"_defis/2019-01-01-defi-{i}.md": page(f"Défi {i}", f"La pêche maritime est un enjeu. {FILLER}")
           for i in range(8)},
        **{f"_posts/2019-0{i + 1}-01-article-{i}.md": page(f"Article {i}", f"Sur la pêche maritime. {FILLER}")
           for i in range(2)},
        "_communaute/2019-01-01-marie-curie.md": page("Marie Curie", "La pêche maritime et la recherche."),
        "a-propos.md": page("À propos", "Le programme et la pêche maritime.", date="2019-01-01"),
    }


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    """The same pages under the programme's settings, and with the profiles listed as related reading."""
    opened = {}
    for name, config in (("programme", CONFIG), ("related", CONFIG + "search:\n  related: [posts, communaute]\n")):
        opened[name] = SearchEngine(built_index(tmp_path_factory, site_files(config), name))
    yield opened
    for engine in opened.values():
        engine.close()


def kinds(engine, q: str, **request) -> list[str]:
    return [hit.kind for hit in engine.search(SearchRequest(q=q, **request)).hits]


def test_profiles_take_three_of_each_ten_while_projects_and_articles_remain(engines):
    engine = engines["programme"]
    ranked = [hit.path for hit in engine.search(SearchRequest(q="peche maritime", per_page=50)).hits]
    assert len(ranked) == 24
    shown = ["P" if engine.document(path)["kind"] == "personne" else "-" for path in ranked]
    # 3 profiles in ranks 1-10 and 11-20 while 11 other pages match (8 défis, 2 articles, a page),
    # the profiles held back first (they score better), then the rest of them once no other page is left
    assert "".join(shown) == "PPP-------" "PPP----PPP" "PPPP"
    # the profiles kept in front are the best-scored ones: the shortest pages, full of the words
    assert ranked[0].startswith("_communaute/")
    # every page size shows the same order: page 2 continues page 1
    pages = [hit.path for number in (1, 2, 3) for hit in
             engine.search(SearchRequest(q="peche maritime", page=number, per_page=10)).hits]
    assert pages == ranked


def test_the_rule_comes_from_the_settings_not_from_a_kind_name(engines):
    """Listed as related reading, the profiles are no longer held back: they lead, as they score."""
    assert kinds(engines["related"], "peche maritime").count("personne") > SECONDARY_PER_WINDOW


def test_a_persons_name_puts_their_profile_first(engines):
    assert engines["programme"].search(SearchRequest(q="marie curie")).hits[0].path == \
        "_communaute/2019-01-01-marie-curie.md"


def test_every_page_listed_the_kinds_searched_for_leading(engines):
    """Without a query, pages newest first: at equal dates the défis before the profiles."""
    shown = kinds(engines["programme"], "", per_page=20)
    # an article of February, then the pages of the 1st of January: défis, article, page, profiles
    assert shown == ["article", *["défi"] * 8, "article", "page", *["personne"] * 9]


def test_counts_by_kind_do_not_change_when_a_kind_is_selected(engines):
    engine = engines["programme"]
    everything = engine.search(SearchRequest(q="peche maritime"))
    tabs = [(value.value, value.count) for value in everything.tabs]
    assert tabs == [("défi", 8), ("article", 2), ("personne", 13), ("page", 1)]
    for kind, _count in tabs:
        selected = engine.search(SearchRequest(q="peche maritime", filters={"kind": [kind]}))
        assert [(value.value, value.count) for value in selected.tabs] == tabs
        assert [value.value for value in selected.tabs if value.selected] == [kind]


# The real programme site (skipped when ../shared is absent).

@pytest.mark.parametrize("q", ISSUE_QUERIES + THEMES)
def test_real_site_profiles_never_bury_the_defis(site_eig_engine, q):
    settings = site_eig_engine.settings()
    searched_for = {facet_key(kind) for kind in (*settings.projects, *settings.related)}
    result = site_eig_engine.search(SearchRequest(q=q))
    matching = sum(value.count for value in result.facets["kind"] if value.key in searched_for)
    if q in ISSUE_QUERIES:
        assert matching >= ENOUGH  # the issue's queries are cases of the rule
    if matching >= ENOUGH:
        assert [hit.kind for hit in result.hits].count("personne") <= SECONDARY_PER_WINDOW


def test_real_site_every_persons_name_finds_their_profile_first(site_eig_engine):
    profiles = [hit for number in range(1, 7) for hit in site_eig_engine.search(
        SearchRequest(filters={"kind": ["personne"]}, per_page=50, page=number)).hits]
    assert len(profiles) == 259
    missed = [hit.title for hit in profiles[::4]  # one in four: a name query costs a typo correction's time
              if site_eig_engine.search(SearchRequest(q=hit.title)).hits[0].path != hit.path]
    assert missed == []
