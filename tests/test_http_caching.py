"""HTTP caching, compression and proxy headers through the Flask test client, on real indexes.

ETags come from the generation and the request, are the same in every worker, change with a new
generation, and an ``If-None-Match`` holding one gets a 304 before any search runs; compressed
variants have their own ETag; static files have fingerprinted URLs kept a year, the widget's
files stable URLs kept an hour; ``X-Forwarded-*`` count only with ``BEHIND_PROXY``.
"""

import gzip
import hashlib
import re
import shutil
from xml.etree import ElementTree

import brotli
import pytest

from indexer.build.run import build, update
from searchweb.engine import EXTENSION as ENGINE
from searchweb.security import HEADERS

from .conftest import PROJECT

STATIC = PROJECT / "searchweb" / "static"
CARTOBIO = "_defis/2019-01-01-cartobio.md"
#: One GET of every view whose answers carry an ETag.
VALIDATED = ["/api/search?q=orgues", "/api/suggest?q=carto", f"/api/similar?path={CARTOBIO}", "/",
             "/recherche?q=donnees", f"/similaires?path={CARTOBIO}", "/similaires"]
#: Answers of 1 KiB or more, compressed when the client accepts it.
LARGE = ["/recherche?q=donnees", "/api/search?q=donnees", f"/similaires?path={CARTOBIO}"]
ETAG_RE = re.compile(r'"[0-9a-f]{32}"')
DECOMPRESS = {"gzip": gzip.decompress, "br": brotli.decompress}
POST = "---\ntitle: {title}\n---\n{body}\n"
OPENSEARCH_URL = "{http://a9.com/-/spec/opensearch/1.1/}Url"


@pytest.fixture
def client(make_app, corpus_index):
    return make_app({"INDEX_DIR": str(corpus_index)}).test_client()


def get(client, target: str, encoding: str = "identity", etag: str | None = None, method: str = "GET", **kwargs):
    headers = {"Accept-Encoding": encoding, **({"If-None-Match": etag} if etag else {})}
    response = client.open(target, method=method, headers={**headers, **kwargs.pop("headers", {})}, **kwargs)
    response.get_data()
    response.close()
    return response


def coded(etag: str, coding: str) -> str:
    return f'{etag[:-1]}:{coding}"'


def small_site(make_site, body: str):
    return make_site({"_posts/2020-01-01-phares.md": POST.format(title="Phares", body=body),
                      "_posts/2020-01-02-ports.md": POST.format(title="Ports", body="Les ports et les phares.")})


# --- ETags and Cache-Control ---

def test_each_interface_language_has_its_own_etag(client):
    french = get(client, "/recherche?q=orgues").headers["ETag"]
    english = client.get("/recherche?q=orgues", headers={"Accept-Language": "en-GB,en;q=0.9"}).headers["ETag"]
    assert english != french
    assert client.get("/recherche?q=orgues&lang=en").headers["ETag"] not in (french, english)
    assert get(client, "/recherche?q=orgues").headers["ETag"] == french


@pytest.mark.parametrize("target", VALIDATED)
def test_every_search_answer_has_an_etag_to_revalidate(client, make_app, corpus_index, target):
    response = get(client, target)
    assert response.status_code == 200
    assert ETAG_RE.fullmatch(response.headers["ETag"])
    assert response.headers["Cache-Control"] == "no-cache"
    assert {part.strip() for part in response.headers["Vary"].split(",")} == {"Accept-Encoding", "Accept-Language"}
    other_worker = make_app({"INDEX_DIR": str(corpus_index)}).test_client()
    assert get(other_worker, target).headers["ETag"] == response.headers["ETag"]
    assert get(client, target, method="HEAD").headers["ETag"] == response.headers["ETag"]


@pytest.mark.parametrize("target", VALIDATED)
def test_if_none_match_gets_a_304_without_a_body(client, target):
    etag = get(client, target).headers["ETag"]
    response = get(client, target, etag=etag)
    assert (response.status_code, response.data) == (304, b"")
    assert {name: response.headers.get(name) for name in ("ETag", "Cache-Control", "Vary")} == {
        "ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Language, Accept-Encoding"}
    for name, value in HEADERS.items():  # the CSP and its friends, unchanged
        assert response.headers[name] == value
    assert get(client, target, etag=f'"other", W/{etag}').status_code == 304  # weak comparison
    assert get(client, target, etag='"other"').status_code == 200


def test_a_304_is_given_before_any_search_runs(make_app, corpus_index):
    etag = get(make_app({"INDEX_DIR": str(corpus_index)}).test_client(), "/api/search?q=orgues").headers["ETag"]
    app = make_app({"INDEX_DIR": str(corpus_index)})
    client = app.test_client()
    assert get(client, "/api/search?q=orgues", etag=etag).status_code == 304
    results = app.extensions[ENGINE].generation().results  # searches this engine ran (and remembers)
    assert len(results) == 0
    assert get(client, "/api/search?q=orgues").status_code == 200
    assert len(results) == 1


def test_each_request_has_its_own_etag(client, make_app, corpus_index):
    targets = ["/api/search?q=orgues", "/api/search?q=orgue", "/api/search?q=orgues&page=1", "/recherche?q=orgues",
               "/api/suggest?q=orgues"]
    etags = [get(client, target).headers["ETag"] for target in targets]
    etags.append(get(client, targets[0], base_url="https://localhost").headers["ETag"])
    etags.append(get(client, targets[0], base_url="http://recherche.exemple.gouv.fr").headers["ETag"])
    elsewhere = make_app({"INDEX_DIR": str(corpus_index), "SITE_URL": "https://ailleurs.exemple.org"})
    etags.append(get(elsewhere.test_client(), targets[0]).headers["ETag"])  # the URLs in the body change
    assert len(set(etags)) == len(etags)


def test_a_new_generation_changes_the_etags(make_app, make_site, tmp_path):
    site = small_site(make_site, "Les phares guident les navires.")
    build(site, tmp_path / "index")
    client = make_app({"INDEX_DIR": str(tmp_path / "index")}).test_client()
    first = {target: get(client, target) for target in ("/api/search?q=phares", "/recherche?q=phares")}
    (site / "_posts/2020-01-03-quais.md").write_text(POST.format(title="Quais", body="Des phares."), "utf-8")
    assert update(site, tmp_path / "index").generation == "gen-000002"
    for target, before in first.items():
        after = get(client, target, etag=before.headers["ETag"])
        assert after.status_code == 200
        assert ETAG_RE.fullmatch(after.headers["ETag"]) and after.headers["ETag"] != before.headers["ETag"]
        assert after.data != before.data
        assert get(client, target, etag=after.headers["ETag"]).status_code == 304


def test_an_index_rebuilt_from_scratch_has_new_etags_under_the_same_generation_name(make_app, make_site, tmp_path):
    build(small_site(make_site, "Les phares guident les navires."), tmp_path / "index")
    before = get(make_app({"INDEX_DIR": str(tmp_path / "index")}).test_client(), "/api/search?q=phares")
    shutil.rmtree(tmp_path / "index")
    build(small_site(make_site, "Les phares éclairent la côte."), tmp_path / "index")  # gen-000001 again
    after = get(make_app({"INDEX_DIR": str(tmp_path / "index")}).test_client(), "/api/search?q=phares")
    assert before.data != after.data
    assert before.headers["ETag"] != after.headers["ETag"]


@pytest.mark.parametrize("method, target", [("GET", "/api/search?page=0"), ("GET", "/recherche?per_page=7"),
                                            ("GET", "/api/similar?path=inconnu.md"),
                                            ("POST", "/api/similar")])
def test_errors_and_posted_searches_have_no_etag(client, method, target):
    response = get(client, target, method=method, json={"text": "des orgues"} if method == "POST" else None)
    assert response.status_code == (200 if method == "POST" else 400)
    assert "ETag" not in response.headers
    assert response.headers.get("Cache-Control") == (None if method == "POST" else "no-cache")


def test_a_missing_index_is_a_503_without_etag(make_app, tmp_path):
    response = get(make_app({"INDEX_DIR": str(tmp_path / "none")}).test_client(), "/api/search?q=x", etag="*")
    assert response.status_code == 503
    assert "ETag" not in response.headers and response.headers["Cache-Control"] == "no-cache"


# --- Compression ---

@pytest.mark.parametrize("coding", ["gzip", "br"])
@pytest.mark.parametrize("target", LARGE)
def test_pages_and_json_are_compressed_with_their_own_etag(client, target, coding):
    plain = get(client, target)
    response = get(client, target, encoding=f"{coding}, identity;q=0.5")
    assert response.headers["Content-Encoding"] == coding
    assert response.headers["Vary"] == "Accept-Language, Accept-Encoding"
    assert response.headers["ETag"] == coded(plain.headers["ETag"], coding)
    assert int(response.headers["Content-Length"]) == len(response.data) < len(plain.data) / 3
    assert DECOMPRESS[coding](response.data) == plain.data
    for name, value in HEADERS.items():
        assert response.headers[name] == value


def test_brotli_is_preferred_and_gzip_given_to_those_without_it(client):
    assert get(client, LARGE[0], encoding="gzip, deflate, br").headers["Content-Encoding"] == "br"
    assert get(client, LARGE[0], encoding="gzip, deflate").headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in get(client, LARGE[0], encoding="deflate").headers


def test_a_304_names_a_variant_the_client_accepts(client):
    target = "/api/search?q=donnees"
    plain = get(client, target).headers["ETag"]
    brotli_etag = get(client, target, encoding="br").headers["ETag"]
    revalidated = get(client, target, encoding="gzip, br", etag=brotli_etag)
    assert (revalidated.status_code, revalidated.headers["ETag"]) == (304, brotli_etag)
    assert get(client, target, encoding="gzip, br", etag=plain).headers["ETag"] == plain  # plain is always fine
    refused = get(client, target, encoding="gzip", etag=brotli_etag)  # a cache's br copy, for a gzip client
    assert (refused.status_code, refused.headers["ETag"]) == (200, coded(plain, "gzip"))


def test_small_answers_are_not_compressed(client):
    response = get(client, "/api/suggest?q=orgu", encoding="gzip, br")  # one suggestion
    assert len(response.data) < 1024
    assert "Content-Encoding" not in response.headers
    assert ETAG_RE.fullmatch(response.headers["ETag"])


def test_compression_saves_most_of_a_results_page_of_the_real_site(make_app, site_eig_index):
    client = make_app({"INDEX_DIR": str(site_eig_index)}).test_client()
    sizes = {coding: len(get(client, "/recherche?q=donnees", encoding=coding).data) for coding in ("identity", "gzip", "br")}
    assert sizes["br"] < sizes["identity"] / 4 and sizes["gzip"] < sizes["identity"] / 4, sizes


# --- Static files ---

def static_urls(client) -> dict:
    page = get(client, "/recherche?q=orgues").get_data(as_text=True)
    return {name: url for url, name in re.findall(r'(?:href|src)="(/static/([a-z./-]+)\?v=[0-9a-f]{12})"', page)}


def test_pages_link_static_files_by_a_fingerprint_of_their_content(client):
    urls = static_urls(client)
    assert {"favicon.svg", "style.css", "search.js", "dsfr/dsfr.min.css", "dsfr/dsfr.module.min.js"} <= set(urls)
    assert urls == {name: f"/static/{name}?v={hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]}"
                    for name in urls}


def test_fingerprinted_static_files_are_kept_a_year(client):
    for name, url in static_urls(client).items():
        response = get(client, url)
        assert (response.status_code, response.data) == (200, (STATIC / name).read_bytes())
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Expires" not in response.headers


@pytest.mark.parametrize("target", ["/static/style.css", "/static/style.css?v=000000000000", "/static/style.css?v="])
def test_static_files_without_their_current_fingerprint_are_revalidated(client, target):
    response = get(client, target)
    assert (response.status_code, response.headers["Cache-Control"]) == (200, "no-cache")


def test_every_file_the_dsfr_stylesheets_name_is_served_and_kept_a_day(client):
    """The DSFR's CSS names its fonts and icons relative to itself, without a fingerprint: each one
    is vendored (no 404 when a page uses it) and kept a day rather than revalidated on every page."""
    named = set()
    for sheet in (STATIC / "dsfr").rglob("*.css"):
        for target in re.findall(r'url\((?!["\']?data:)["\']?([^)"\']+)', sheet.read_text()):
            named.add((sheet.parent / target).resolve().relative_to(STATIC.resolve()).as_posix())
    assert "dsfr/fonts/Marianne-Regular.woff2" in named and len(named) > 50
    for name in sorted(named):
        if not name.endswith(".woff"):  # the woff2 comes first in each @font-face: browsers stop there
            response = get(client, f"/static/{name}")
            assert response.status_code == 200, name
            assert response.headers["Cache-Control"] == "public, max-age=86400", name


@pytest.mark.parametrize("name", ["widget.js", "widget.css"])
def test_the_widget_files_keep_a_stable_url_and_a_short_lifetime(client, name):
    response = get(client, f"/{name}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=3600"


# --- Vary with CORS ---

def test_cors_answers_vary_by_origin_and_encoding_and_keep_their_etag(make_app, corpus_index):
    site = "https://eig.exemple.gouv.fr"
    client = make_app({"INDEX_DIR": str(corpus_index), "CORS_ORIGINS": site}).test_client()
    response = get(client, "/api/search?q=orgues", headers={"Origin": site})
    assert response.headers["Vary"] == "Accept-Language, Accept-Encoding, Origin"
    assert response.headers["ETag"] == get(client, "/api/search?q=orgues").headers["ETag"]
    revalidated = get(client, "/api/search?q=orgues", etag=response.headers["ETag"], headers={"Origin": site})
    assert revalidated.status_code == 304
    assert revalidated.headers["Access-Control-Allow-Origin"] == site
    assert revalidated.headers["Vary"] == "Accept-Language, Accept-Encoding, Origin"


# --- Behind a proxy ---

FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "recherche.exemple.gouv.fr"}


def search_template(client) -> str:
    root = ElementTree.fromstring(get(client, "/opensearch.xml", headers=FORWARDED).data)
    return next(url.get("template") for url in root.iter(OPENSEARCH_URL) if url.get("type") == "text/html")


def test_forwarded_headers_are_ignored_by_default(client):
    assert search_template(client) == "http://localhost/recherche?q={searchTerms}"


@pytest.mark.parametrize("setting", [True, "1", "oui"])
def test_behind_a_proxy_its_scheme_and_host_are_used(make_app, corpus_index, setting):
    client = make_app({"INDEX_DIR": str(corpus_index), "BEHIND_PROXY": setting}).test_client()
    assert search_template(client) == "https://recherche.exemple.gouv.fr/recherche?q={searchTerms}"
    # One hop: the value the proxy set last, not one a client sent before it.
    root = ElementTree.fromstring(get(client, "/opensearch.xml", headers={
        "X-Forwarded-Proto": "http, https", "X-Forwarded-Host": "pirate.example, recherche.exemple.gouv.fr"}).data)
    assert {url.get("template").split("/")[2] for url in root.iter(OPENSEARCH_URL)} == {"recherche.exemple.gouv.fr"}


def test_the_proxy_setting_comes_from_the_environment(make_app, corpus_index, monkeypatch):
    monkeypatch.setenv("EIG_SEARCH_BEHIND_PROXY", "1")
    client = make_app({"INDEX_DIR": str(corpus_index)}).test_client()
    assert search_template(client).startswith("https://recherche.exemple.gouv.fr/")
    monkeypatch.setenv("EIG_SEARCH_BEHIND_PROXY", "0")
    assert search_template(make_app({"INDEX_DIR": str(corpus_index)}).test_client()).startswith("http://localhost/")
    monkeypatch.setenv("EIG_SEARCH_BEHIND_PROXY", "peut-être")
    with pytest.raises(ValueError) as error:
        make_app({"INDEX_DIR": str(corpus_index)})
    assert str(error.value) == "réglage BEHIND_PROXY (EIG_SEARCH_BEHIND_PROXY) : « peut-être » n'est ni 1 (oui) ni 0 (non)"
