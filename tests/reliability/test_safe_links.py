"""Links the pages print are safe: a hostile ``baseurl`` or permalink never becomes a link to
another site or a ``javascript:`` link. Every ``href`` of the search and similar pages, and every
``url`` of the JSON API, is ``http(s)://`` or a path of this site (one leading ``/``, no
backslash, no control character); a page whose permalink would lead elsewhere is reported and
linked by its default URL."""

import re
from html.parser import HTMLParser

import pytest

from .support import run_cli

CONFIG = """\
baseurl: "javascript:alert(1)//x"
collections:
  defis:
    output: true
"""
PAGE = "---\ntitle: {title}\n{extra}---\n\nLe défi des phares et de la sécurité maritime ({title}).\n"
PAGES = {
    "_defis/2019-01-01-barre.md": ("Barre", "permalink: '/\\evil.example/y'\n"),
    "_posts/2020-01-02-tabulation.md": ("Tabulation", 'permalink: "\\t/evil.example/z"\n'),
    "_posts/2020-01-03-sain.md": ("Sain", "permalink: /phares/sain/\n"),
    "\\evil.example.md": ("Nom", ""),
}
#: The links of the pages: a refused permalink gives way to the default URL, a backslash that the
#: file name holds is percent-encoded.
EXPECTED = {
    "_defis/2019-01-01-barre.md": "/defis/2019-01-01-barre.html",
    "_posts/2020-01-02-tabulation.md": "/2020/01/02/tabulation.html",
    "_posts/2020-01-03-sain.md": "/phares/sain/",
    "\\evil.example.md": "/%5Cevil.example.html",
}
_UNSAFE_RE = re.compile(r"[\\\x00-\x1f\x7f-\x9f]")


def is_safe_href(href: str) -> bool:
    """``http(s)://…`` or a path of this site; ``?…`` and ``#…`` stay on the page."""
    if _UNSAFE_RE.search(href):
        return False
    return bool(re.match(r"https?://[^/]", href) or re.match(r"/(?![/\\])", href) or href[:1] in "?#")


class Links(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.hrefs = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.hrefs.extend(value for name, value in attrs if name == "href")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("links")
    site, index = root / "site", root / "index"
    site.mkdir()
    (site / "_config.yml").write_text(CONFIG, "utf-8")
    for path, (title, extra) in PAGES.items():
        (site / path).parent.mkdir(exist_ok=True)
        (site / path).write_text(PAGE.format(title=title, extra=extra), "utf-8")
    return index, run_cli("index", "--site", site, "--index", index)


def test_the_hostile_settings_are_reported_and_the_pages_indexed(hostile):
    _index, done = hostile
    assert done.returncode == 0, done.stderr
    assert "Index gen-000001 : 4 documents" in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith(("ignoré", "attention"))]
    assert lines == [
        "ignoré   _config.yml : réglage baseurl « javascript:alert(1)//x » ignoré : "
        "ce n'est pas un chemin du site (/dossier)",
        "attention _defis/2019-01-01-barre.md : permalien « /\\evil.example/y » refusé "
        "(il mènerait hors du site) : page liée à son adresse par défaut",
        "attention _posts/2020-01-02-tabulation.md : permalien « \\t/evil.example/z » refusé "
        "(il mènerait hors du site) : page liée à son adresse par défaut",
    ]


@pytest.mark.parametrize("site_url", [None, "https://exemple.test", "https://exemple.test\\@evil.example"])
def test_every_href_of_the_pages_is_safe(hostile, make_app, site_url):
    index, _done = hostile
    client = make_app({"INDEX_DIR": str(index), "SITE_URL": site_url}).test_client()
    base = "https://exemple.test" if site_url == "https://exemple.test" else ""
    search = client.get("/recherche?q=phares")
    assert search.status_code == 200
    hrefs = Links(search.get_data(as_text=True)).hrefs
    assert [href for href in hrefs if not is_safe_href(href)] == []
    assert {base + url for url in EXPECTED.values()} <= set(hrefs)
    for path in EXPECTED:
        similar = client.get("/similaires", query_string={"path": path})
        assert similar.status_code == 200
        hrefs = Links(similar.get_data(as_text=True)).hrefs
        assert [href for href in hrefs if not is_safe_href(href)] == []
        assert base + EXPECTED[path] in hrefs


def test_every_url_of_the_api_is_safe(hostile, make_app):
    index, _done = hostile
    client = make_app({"INDEX_DIR": str(index)}).test_client()
    hits = client.get("/api/search?q=phares").get_json()["hits"]
    assert {hit["path"]: hit["url"] for hit in hits} == EXPECTED
    similar = client.get("/api/similar", query_string={"path": "_posts/2020-01-03-sain.md"}).get_json()
    suggestions = client.get("/api/suggest?q=tab").get_json()["suggestions"]
    urls = [hit["url"] for hit in similar["hits"] + similar["articles"]] + [s["url"] for s in suggestions if "url" in s]
    assert urls and all(is_safe_href(url) for url in urls), urls


@pytest.mark.parametrize(("stored", "linked"), [
    ("/\\evil.example/y", "/%5Cevil.example/y"),
    ("\t/evil.example/z", "/%09/evil.example/z"),
    ("//evil.example/w", "/evil.example/w"),
    ("javascript:alert(1)", "/javascript:alert(1)"),
    ("/defis/2019/phares.html", "/defis/2019/phares.html"),
])
def test_the_app_links_a_stored_url_only_as_a_path_of_the_site(make_app, tmp_path, stored, linked):
    """The last line of defence, for an index built before links were checked."""
    app = make_app({"INDEX_DIR": str(tmp_path / "index"), "SITE_URL": ""})
    assert app.jinja_env.from_string("{{ url|site_path }}").render(url=stored) == linked
