"""Cards staff can act on: a project's team (with profile pages when the site has them), its
links from the data (source code, poster, videos, the administration's site; only http(s)), and
its date as precise as the data — in the API, on results and on similar-project cards."""

import pytest

from indexer.build.run import build
from indexer.search.cards import links, public, team, year_only

from .small_sites import DEFIS_CONFIG, write_site

DEFIS = """\
phares:
  title: Phares
  link_to: /defis/2019/phares.html
  year: 2019
  eigs: [Alice Martin, Bruno Petit]
  mentors: [Chloé Roux, Alice Martin]
  source_code: https://forge.example.org/phares
  poster: /img/posters/phares.pdf
  administration_website: "javascript:alert(1)"
  end_of_project_videos:
    - {id: x7abc, platform: dailymotion, description: Restitution, show: true}
    - {id: zz, platform: inconnue}
    - {id: dQw4, platform: youtube}
balises:
  title: Balises
  link_to: /defis/2019/balises.html
  year: 2019
  mentors: [Chloé Roux]
  administration_website: https://mer.example.gouv.fr
"""
PAGES = {
    "_defis/2019-01-01-phares.md": "---\ntitle: Phares\n---\nLes phares et les balises de la côte.\n",
    "_defis/2019-01-01-balises.md": "---\ntitle: Balises\n---\nLes balises et les phares du port.\n",
    "_defis/2019-03-14-bouees.md": "---\ntitle: Bouées\n---\nLes bouées, les balises et les phares.\n",
    "_posts/2019-02-01-alice.md": "---\ntitle: Alice Martin\n---\nAlice Martin raconte son défi.\n",
    **{f"_defis/2018-01-01-{subject}.md": f"---\ntitle: {subject}\n---\nUn projet sur les {subject}.\n"
       for subject in ("vignes", "forêts", "musées", "trains", "prisons", "stades")},
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("cards-site"),
                      {"_config.yml": DEFIS_CONFIG + "url: https://site.example.org\n", "_data/defis.yml": DEFIS,
                       **PAGES})
    build(root, root / "index")
    return root / "index"


@pytest.fixture(scope="module")
def client(index):
    from searchweb import create_app
    from searchweb.engine import EXTENSION
    app = create_app({"INDEX_DIR": str(index), "TESTING": True, "QUERY_LOG": "off"})
    yield app.test_client()
    app.extensions[EXTENSION].close()


def test_team_and_links_from_the_data():
    record = {"meta": {"eigs": ["Ana", "Ana"], "mentors": "Paul", "source_code": "https://git.example/x",
                       "poster": "ftp://old/poster.pdf", "administration_website": "/administration.html",
                       "end_of_project_videos": [{"id": "v1", "platform": "Vimeo"}, "not a video"]}}
    assert team(record) == [{"name": "Ana", "role": "eig"}, {"name": "Paul", "role": "mentor"}]
    assert links(record) == [{"kind": "source_code", "url": "https://git.example/x"},
                             {"kind": "video", "url": "https://vimeo.com/v1"},
                             {"kind": "website", "url": "/administration.html"}]  # the ftp poster is no link
    assert team({"meta": {}}) == [] and links({}) == []


def test_only_addresses_a_visitor_may_follow_are_public():
    items = [{"kind": "poster", "url": "/img/p.pdf"}, {"kind": "video", "url": "https://v.example/1"},
             {"name": "Ana", "role": "eig", "url": "/communaute/ana.html"}, {"name": "Paul", "role": "mentor"}]
    assert public(items, "https://site.example") == [
        {"kind": "poster", "url": "https://site.example/img/p.pdf"}, {"kind": "video", "url": "https://v.example/1"},
        {"name": "Ana", "role": "eig", "url": "https://site.example/communaute/ana.html"},
        {"name": "Paul", "role": "mentor"}]
    assert public(items, "javascript:alert(1)") == [{"kind": "video", "url": "https://v.example/1"},
                                                    {"name": "Ana", "role": "eig"}, {"name": "Paul", "role": "mentor"}]


@pytest.mark.parametrize("record, expected", [
    ({"date": "2019-01-01", "meta": {"year": 2019}}, True),
    ({"date": "2019-03-14", "meta": {"year": 2019}}, False),
    ({"date": "2019-01-01", "meta": {}}, False),  # a post of New Year's Day
    ({"date": "", "meta": {"year": 2019}}, False),
])
def test_a_page_dated_by_its_year_alone(record, expected):
    assert year_only(record) is expected


def test_the_api_gives_team_links_and_the_dates_precision(client):
    hit = next(hit for hit in client.get("/api/search?q=phares").get_json()["hits"] if hit["title"] == "Phares")
    assert hit["team"] == [
        {"name": "Alice Martin", "role": "eig", "url": "https://site.example.org/2019/02/01/alice.html"},
        {"name": "Bruno Petit", "role": "eig"}, {"name": "Chloé Roux", "role": "mentor"}]
    assert hit["links"] == [{"kind": "source_code", "url": "https://forge.example.org/phares"},
                            {"kind": "poster", "url": "https://site.example.org/img/posters/phares.pdf"},
                            {"kind": "video", "url": "https://www.dailymotion.com/video/x7abc"},
                            {"kind": "video", "url": "https://www.youtube.com/watch?v=dQw4"}]
    assert hit["date_precision"] == "year"
    similar = client.get("/api/similar?path=_defis/2019-01-01-phares.md").get_json()["hits"]
    balises = next(hit for hit in similar if hit["title"] == "Balises")
    assert balises["links"] == [{"kind": "website", "url": "https://mer.example.gouv.fr"}]
    assert balises["date_precision"] == "year" and "year_only" not in balises
    bouees = next(hit for hit in similar if hit["title"] == "Bouées")
    assert (bouees["team"], bouees["links"], bouees["date_precision"]) == ([], [], "day")


def test_result_and_similar_cards_show_them(client):
    for page in (client.get("/recherche?q=phares"), client.get("/similaires?path=_defis/2019-01-01-balises.md")):
        html = page.get_data(as_text=True)
        assert ' datetime="2019">2019</time>' in html and "1er janvier 2019" not in html
        assert '<a href="https://site.example.org/2019/02/01/alice.html">Alice Martin</a>' in html
        assert "Chloé Roux (mentor)" in html
        assert '<a href="https://forge.example.org/phares">Code source</a>' in html
        assert '<a href="https://www.youtube.com/watch?v=dQw4">Vidéo 2</a>' in html
        assert "javascript:" not in html
        assert ' datetime="2019-03-14">14 mars 2019</time>' in html
