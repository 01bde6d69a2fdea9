"""Stored and reflected markup: a page whose title, summary, tags and body hold a script tag and
an attribute break-out, searched for, shown as similar, and served as JSON.

Nothing may come out unescaped: the only ``<script`` of a page is the app's own external file,
no attribute gains an ``onmouseover``, and the JSON snippets (HTML) hold only ``<mark>``.
"""

import re
from html.parser import HTMLParser

import pytest

from indexer.build.run import build
from searchweb import create_app
from searchweb.engine import EXTENSION as ENGINE
from searchweb.fingerprints import static_fingerprint
from searchweb.security import HEADERS

from .support import PROJECT

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '" onmouseover="x'
IMAGE = "<img src=x onerror=alert(1)>"
HOSTILE = f"{SCRIPT}{BREAKOUT}"

CONFIG = """\
url: "https://exemple.test"
collections:
  defis:
    output: true
    permalink: /defis/:year/:title.html
"""


FILLER = ("impôts fonciers", "écoles primaires", "hôpitaux publics", "forêts domaniales", "routes nationales",
          "musées nationaux", "tribunaux administratifs", "prisons françaises")


def page(title: str, extra: str) -> str:
    return f"""---
title: '{title.replace("'", "''")}'
description: '{HOSTILE.replace("'", "''")} résumé du piège'
tags: ['{SCRIPT}', '{BREAKOUT.replace("'", "''")}', 'pièges']
administration: '{IMAGE}'
---

Texte du défi piège sur la cartographie maritime des phares {extra}.

Le code `{SCRIPT}` et l'attribut `{BREAKOUT}` sont du texte ; &lt;script&gt;alert(2)&lt;/script&gt; aussi.

{IMAGE} et <script>alert(3)</script> sont du HTML brut retiré.
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    site = tmp_path_factory.mktemp("xss") / "site"
    (site / "_defis").mkdir(parents=True)
    (site / "_posts").mkdir()
    (site / "_config.yml").write_text(CONFIG, "utf-8")
    (site / "_defis" / "2019-01-01-piege.md").write_text(page(HOSTILE, "et des balises"), "utf-8")
    (site / "_defis" / "2020-01-01-piege-bis.md").write_text(page(f"Phares {HOSTILE}", "et des balises bis"), "utf-8")
    (site / "_posts" / "2020-02-02-article-piege.md").write_text(page(f"Article {HOSTILE}", "article"), "utf-8")
    for number, subject in enumerate(FILLER, start=1):  # so that the shared words are distinctive
        (site / "_defis" / f"2018-01-0{number}-{subject.split()[0]}.md").write_text(
            f"---\ntitle: {subject.capitalize()}\n---\n\nUn défi sur {subject}.\n", "utf-8")
    index = tmp_path_factory.mktemp("xss-index")
    report = build(site, index)
    assert report.indexed == 3 + len(FILLER) and not report.skipped
    app = create_app({"INDEX_DIR": str(index)})
    yield app.test_client()
    app.extensions[ENGINE].close()


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, as a browser would parse them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_safe_html(html: str) -> None:
    assert SCRIPT not in html and "alert(2)</script>" not in html and "<script>alert(3)" not in html
    assert IMAGE not in html and BREAKOUT not in html
    tags = Elements(html).tags
    def src(name: str) -> str:
        return f"/static/{name}?v=" + static_fingerprint(str(PROJECT / "searchweb" / "static"), name)
    assert [attrs for tag, attrs in tags if tag == "script"] == [  # the DSFR's (module or not), then ours
        {"type": "module", "src": src("dsfr/dsfr.module.min.js")},
        {"nomodule": None, "src": src("dsfr/dsfr.nomodule.min.js"), "defer": None},
        {"src": src("search.js"), "defer": None}]
    assert not [tag for tag, _attrs in tags if tag in ("img", "iframe", "object", "embed")]
    handlers = [(tag, name) for tag, attrs in tags for name in attrs if name.lower().startswith("on")]
    assert handlers == []
    for tag, attrs in tags:  # the attribute values came back whole: the quote did not end them
        for value in attrs.values():
            assert not (value or "").lower().startswith("javascript:")


def assert_headers(response) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, name


def test_results_page_escapes_stored_markup(client):
    response = client.get("/recherche?q=piege")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 résultats" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text
    assert_safe_html(html)
    assert_headers(response)


def test_results_page_escapes_facet_values_and_filters(client):
    response = client.get("/recherche", query_string={"q": "piege", "tags": [SCRIPT, BREAKOUT],
                                                     "administration": IMAGE})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert_safe_html(html)


def test_results_page_escapes_the_reflected_query(client):
    response = client.get("/recherche", query_string={"q": f"{HOSTILE} {IMAGE}"})
    assert response.status_code == 200
    assert_safe_html(response.get_data(as_text=True))
    error = client.get("/recherche", query_string={"q": HOSTILE, "page": SCRIPT})
    assert error.status_code == 400
    assert_safe_html(error.get_data(as_text=True))
    assert_headers(error)


def test_similar_page_escapes_the_source_and_the_hits(client):
    response = client.get("/similaires?path=_defis/2019-01-01-piege.md")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Phares &lt;script&gt;" in html  # the other défi is listed
    assert_safe_html(html)
    assert_headers(response)
    pasted = client.post("/similaires", data={"text": f"phares maritimes {HOSTILE} {IMAGE}"})
    assert pasted.status_code == 200
    assert_safe_html(pasted.get_data(as_text=True))
    missing = client.get("/similaires", query_string={"path": HOSTILE})
    assert missing.status_code == 404
    assert_safe_html(missing.get_data(as_text=True))


def only_marks(snippet_html: str) -> bool:
    return set(re.findall(r"</?([a-zA-Z][^\s>/]*)", snippet_html)) <= {"mark"}


def test_json_keeps_data_raw_and_snippets_escaped(client):
    response = client.get("/api/search?q=piege")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert_headers(response)  # nosniff: the JSON is never read as HTML
    hits = response.get_json()["hits"]
    assert {hit["title"] for hit in hits} == {HOSTILE, f"Phares {HOSTILE}", f"Article {HOSTILE}"}  # data, not HTML
    for hit in hits:
        assert only_marks(hit["snippet"]), hit["snippet"]
    escaped = client.get("/api/search?q=alert").get_json()["hits"]
    assert any("&lt;script&gt;" in hit["snippet"] for hit in escaped)


def test_similar_and_suggest_json(client):
    similar = client.get("/api/similar?path=_defis/2019-01-01-piege.md")
    assert similar.status_code == 200 and similar.mimetype == "application/json"
    assert similar.get_json()["hits"][0]["title"] == f"Phares {HOSTILE}"
    suggest = client.get("/api/suggest", query_string={"q": "<scr"})
    assert suggest.status_code == 200 and suggest.mimetype == "application/json"
    assert_headers(suggest)
    error = client.get("/api/search", query_string={"q": HOSTILE, "page": SCRIPT})
    assert error.status_code == 400 and error.mimetype == "application/json"
    assert_headers(error)


@pytest.mark.parametrize("target", ("/nulle-part", f"/recherche?q={'x' * 5000}"))
def test_error_pages_carry_the_security_headers(client, target):
    response = client.get(target)
    assert response.status_code in (404, 414)
    assert_headers(response)
    assert_safe_html(response.get_data(as_text=True))


def test_a_hostile_site_url_never_makes_a_javascript_link(tmp_path, make_app):
    site = tmp_path / "site"
    (site / "_defis").mkdir(parents=True)
    (site / "_config.yml").write_text(CONFIG.replace("https://exemple.test", "javascript:alert(1)//"), "utf-8")
    (site / "_defis" / "2019-01-01-phares.md").write_text("---\ntitle: Phares\n---\n\nLes phares.\n", "utf-8")
    build(site, tmp_path / "index")
    client = make_app({"INDEX_DIR": str(tmp_path / "index")}).test_client()
    assert_safe_html(client.get("/recherche?q=phares").get_data(as_text=True))
    assert not client.get("/api/search?q=phares").get_json()["hits"][0]["url"].startswith("javascript:")
