"""One form of each letter: a site, a query, a filter or a pasted text with accents decomposed
(NFD, as macOS and copies from PDFs give them) finds what the composed (NFC) form finds; and the
query echoed in a page carries no NUL and no bidirectional control.

The hand-made site has half of its défis written in NFD (title, body, tags), the other half in NFC.
"""

import unicodedata
from html.parser import HTMLParser

import pytest

from indexer.build.run import build
from searchweb import create_app
from searchweb.engine import EXTENSION as ENGINE


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


CONFIG = """\
url: "https://exemple.test"
collections:
  defis:
    output: true
    permalink: /defis/:year/:title.html
defaults:
  - scope: {path: _defis}
    values: {administration: "Agence de l'Économie bleue"}
"""

#: (file, title, tags, body) of the pages about the subject; the odd ones are written in NFD (and
#: ``_config.yml`` too).
SUBJECT = (
    ("2019-01-01-phares", "Sécurité maritime des phares", ["Sécurité", "Mer"],
     "La sécurité maritime des phares côtiers, vérifiée par les équipes."),
    ("2019-02-01-balises", "Sécurité maritime des balises", ["Sécurité", "Données ouvertes"],
     "La sécurité maritime des balises côtières, vérifiée chaque été."),
    ("2020-01-01-ports", "Sûreté des ports et sécurité maritime", ["Données ouvertes", "Mer"],
     "Les ports, leur sûreté et la sécurité maritime des navires."),
    ("2020-02-01-epaves", "Épaves et sécurité maritime", ["Sécurité", "Mer"],
     "Les épaves signalées : sécurité maritime et données ouvertes."),
)
#: Other défis, so that the subject's words are distinctive for similar projects.
FILLER = ("impôts fonciers", "écoles primaires", "hôpitaux publics", "forêts domaniales", "routes nationales",
          "musées nationaux", "tribunaux administratifs", "prisons françaises", "fêtes locales", "trésor public")

QUERY = "sécurité maritime"
TAG = "Sécurité"
#: Characters that must never come back in a page: NUL, bidirectional embeddings, overrides,
#: isolates and marks.
HIDDEN = "\x00\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"


def page(title: str, tags: list[str], body: str) -> str:
    listed = ", ".join(f"'{tag}'" for tag in tags)
    return f"---\ntitle: '{title}'\ntags: [{listed}]\n---\n\n{body}\n"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    site = tmp_path_factory.mktemp("unicode") / "site"
    (site / "_defis").mkdir(parents=True)
    (site / "_config.yml").write_text(nfd(CONFIG), "utf-8")
    for number, (name, title, tags, body) in enumerate(SUBJECT):
        text = page(title, tags, body)
        (site / "_defis" / f"{name}.md").write_text(nfd(text) if number % 2 else text, "utf-8")
    for number, subject in enumerate(FILLER, start=1):
        (site / "_defis" / f"2018-01-{number:02d}-{number}.md").write_text(
            page(subject.capitalize(), ["Divers"], f"Un défi sur les {subject}."), "utf-8")
    assert nfd(QUERY).encode() in (site / "_defis" / "2019-02-01-balises.md").read_bytes()
    index = tmp_path_factory.mktemp("unicode-index")
    report = build(site, index)
    assert report.indexed == len(SUBJECT) + len(FILLER) and not report.skipped
    app = create_app({"INDEX_DIR": str(index)})
    yield app.test_client()
    app.extensions[ENGINE].close()


def search(client, **params) -> dict:
    response = client.get("/api/search", query_string={"per_page": 50, **params})
    assert response.status_code == 200
    return response.get_json()


def paths(result: dict) -> list[str]:
    return [hit["path"] for hit in result["hits"]]


@pytest.mark.parametrize("query", (QUERY, "sécurité", "épaves", '"sécurité maritime"'))
def test_a_decomposed_query_finds_what_the_composed_one_finds(client, query):
    composed, decomposed = search(client, q=query), search(client, q=nfd(query))
    assert (decomposed["total"], paths(decomposed)) == (composed["total"], paths(composed))
    assert composed["total"] == (1 if query == "épaves" else len(SUBJECT))  # NFD pages found too


def test_a_decomposed_tag_filter_matches_the_composed_tag(client):
    composed, decomposed = search(client, tags=TAG), search(client, tags=nfd(TAG))
    assert decomposed["total"] == composed["total"] == 3
    assert paths(decomposed) == paths(composed)
    assert search(client, q=nfd(QUERY), tags=nfd("Données ouvertes"))["total"] == 2


def test_facet_values_are_shown_once(client):
    facets = search(client, q=QUERY)["facets"]
    assert {value["value"]: value["count"] for value in facets["tags"]} == {
        TAG: 3, "Mer": 3, "Données ouvertes": 2}
    assert facets["administration"] == [  # from _config.yml, written in NFD
        {"value": "Agence de l'Économie bleue", "count": len(SUBJECT), "selected": False}]
    for values in facets.values():
        assert all(unicodedata.is_normalized("NFC", value["value"]) for value in values)
    selected = search(client, q=QUERY, tags=nfd(TAG))["facets"]["tags"]
    assert [(value["value"], value["selected"]) for value in selected if value["selected"]] == [(TAG, True)]


def test_a_decomposed_description_has_the_same_similar_projects(client):
    text = "Nous voulons améliorer la sécurité maritime autour des phares et des balises côtières."
    composed = client.post("/api/similar", json={"text": text})
    decomposed = client.post("/api/similar", json={"text": nfd(text)})
    assert composed.status_code == decomposed.status_code == 200
    assert decomposed.get_json() == composed.get_json()
    assert {hit["path"] for hit in composed.get_json()["hits"]} >= {
        "_defis/2019-01-01-phares.md", "_defis/2019-02-01-balises.md"}


class Echo(HTMLParser):
    """The page title and the value of the search box, as a browser reads them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.title, self.box, self._in_title = "", None, False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self._in_title = tag == "title"
        if tag == "input" and dict(attrs).get("id") == "q":
            self.box = dict(attrs).get("value")

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


HOSTILE_QUERY = f"\x00{nfd('sé')}\u202ecurité\u2066 \u200fmaritime\u2069\u200e"


@pytest.mark.parametrize("extra, status", (({}, 200), ({"page": "x"}, 400)))
def test_the_echoed_query_carries_no_nul_and_no_bidi_control(client, extra, status):
    response = client.get("/recherche", query_string={"q": HOSTILE_QUERY, **extra})
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert not set(HIDDEN) & set(html)
    echo = Echo(html)
    assert echo.box == QUERY
    if status == 200:
        assert echo.title.startswith(f"« {QUERY} » — recherche")
        assert f"{len(SUBJECT)} résultats" in html


def test_the_real_site_answers_a_decomposed_query_like_a_composed_one(site_eig_index, make_app):
    real_site = make_app({"INDEX_DIR": str(site_eig_index)}).test_client()
    composed, decomposed = search(real_site, q=QUERY), search(real_site, q=nfd(QUERY))
    assert composed["total"] > 10
    assert (decomposed["total"], paths(decomposed)) == (composed["total"], paths(composed))


def test_a_file_named_in_nfd_gets_the_url_of_its_composed_name(tmp_path, make_app):
    """macOS may hand the indexer decomposed file names; git and the served site have them
    composed: the page's URL, title and ``_data`` entry are those of the composed name."""
    site = tmp_path / "site"
    (site / "_defis").mkdir(parents=True)
    (site / "_data").mkdir()
    (site / "_config.yml").write_text(CONFIG, "utf-8")
    name = nfd("2021-03-01-phares-côtiers.md")
    (site / "_defis" / name).write_text("---\nadministration: Mer\n---\n\nDes phares sur la côte.\n", "utf-8")
    (site / "_data" / "defis.yml").write_text(
        "- link_to: /defis/2021/phares-côtiers.html\n  description: Résumé venu des données.\n", "utf-8")
    build(site, tmp_path / "index")
    client = make_app({"INDEX_DIR": str(tmp_path / "index")}).test_client()
    hits = search(client, q="phares")["hits"]
    assert [(hit["path"], hit["url"], hit["title"]) for hit in hits] == [
        (f"_defis/{name}", "https://exemple.test/defis/2021/phares-côtiers.html", "Phares côtiers")]
    assert paths(search(client, q="données")) == [f"_defis/{name}"]  # the _data entry lent its text
