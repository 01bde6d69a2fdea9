"""The Flask app through its test client: every route, exact answers, every bad input."""

import pytest

from searchweb import create_app
from searchweb.engine import EXTENSION as ENGINE
from searchweb.security import HEADERS


@pytest.fixture(scope="module")
def app(corpus_index):
    app = create_app({"INDEX_DIR": str(corpus_index), "TESTING": True, "SITE_URL": "https://eig.exemple.gouv.fr"})
    yield app
    app.extensions[ENGINE].close()


@pytest.fixture
def client(app):
    return app.test_client()


def test_search_page_lists_hits_with_links_badges_snippets_and_facets(client):
    page = client.get("/recherche?q=orgues").get_data(as_text=True)
    assert '<a href="https://eig.exemple.gouv.fr/defis/2017/mcc-inventaire-des-orgues.html">Inventaire des orgues</a>' in page
    assert '<span class="fr-badge fr-badge--sm fr-badge--no-icon fr-badge--blue-cumulus">Défi</span>' in page
    assert "<mark>orgues</mark>" in page
    assert 'role="status" aria-live="polite"' in page
    assert "4 résultats" in page
    assert 'href="?q=orgues&amp;kind=d%C3%A9fi">Défis <span class="kind-tabs__count">(1)</span>' in page  # a tab by kind
    assert 'href="/similaires?path=_defis/2017-01-01-mcc-inventaire-des-orgues.md"' in page


def test_home_lists_everything_for_browsing_facets(client):
    page = client.get("/").get_data(as_text=True)
    assert "Résultats 1 à 10 sur 101" in page
    assert "Promotion 3 <span class=\"facet__count\">(13)</span>" in page


def test_filter_chips_and_clear_link(client):
    page = client.get("/recherche?q=donnees&kind=défi&year=2019").get_data(as_text=True)
    assert 'aria-label="Retirer le filtre Type de page : Défi">Type de page : Défi</a>' in page
    assert 'href="?q=donnees&amp;year=2019#results-title"' in page  # the chip for "défi" keeps the other filter
    assert 'href="?q=donnees#results-title">Effacer les filtres' in page


def test_zero_results_by_filters_says_which_filter_to_drop(client):
    page = client.get("/recherche?q=orgues&year=2019").get_data(as_text=True)
    assert "Aucun résultat" in page
    assert '<a href="?q=orgues">sans le filtre « Année »</a> : 4 résultats' in page


def test_spelling_correction_is_announced(client):
    page = client.get("/recherche?q=catallogage").get_data(as_text=True)
    assert "Mot corrigé : « catalogage » au lieu de « catallogage »." in page
    assert 'href="?q=catallogage&amp;exact=1">Rechercher exactement « catallogage »' in page


def test_api_search_structure(client):
    data = client.get("/api/search?q=orgues&kind=défi").get_json()
    assert data["total"] == 1 and data["page"] == 1 and data["per_page"] == 10
    hit = data["hits"][0]
    assert {key: hit[key] for key in ("path", "url", "title", "kind", "promotion", "administration", "tags")} == {
        "path": "_defis/2017-01-01-mcc-inventaire-des-orgues.md",
        "url": "https://eig.exemple.gouv.fr/defis/2017/mcc-inventaire-des-orgues.html",
        "title": "Inventaire des orgues", "kind": "défi", "promotion": ["1"],
        "administration": ["Ministère de la Culture"], "tags": hit["tags"],
    }
    assert "<mark>orgues</mark>" in hit["snippet"]
    assert data["facets"]["kind"] == [
        {"value": "défi", "count": 1, "selected": True},
        {"value": "actualité", "count": 1, "selected": False},
        {"value": "article", "count": 1, "selected": False},
        {"value": "page", "count": 1, "selected": False},
    ]


def test_api_similar_by_path_and_by_text(client):
    by_path = client.get("/api/similar?path=_defis/2019-01-01-cibnav.md").get_json()
    assert by_path["hits"][0]["path"] != "_defis/2019-01-01-cibnav.md"
    assert all(hit["kind"] == "défi" for hit in by_path["hits"])
    assert all(hit["kind"] in ("article", "actualité") for hit in by_path["articles"])
    assert "navires" in by_path["hits"][0]["shared_terms"]
    by_text = client.post("/api/similar", json={"text": "Cartographier les parcelles en agriculture biologique"})
    assert by_text.get_json()["hits"][0]["path"] == "_defis/2019-01-01-cartobio.md"


def test_api_suggest(client):
    orgues = client.get("/api/suggest?q=orgu").get_json()["suggestions"]
    assert [(item["type"], item["value"], item["kind"]) for item in orgues] == [
        ("title", "Inventaire des orgues", "défi"),
        ("title", "Patrimoine : l’inventaire des orgues de France ouvert à tous", "actualité")]
    titles = client.get("/api/suggest?q=Carto").get_json()["suggestions"]
    assert titles[0] == {"type": "title", "value": "CartoBio", "url": "https://eig.exemple.gouv.fr/defis/2019/cartobio.html",
                         "kind": "défi", "summary": "Cartographier les parcelles bio pour alléger la certification des "
                                                   "exploitations"}


def test_similar_page_by_path_and_pasted_text(client):
    page = client.get("/similaires?path=_defis/2019-01-01-cibnav.md").get_data(as_text=True)
    assert "Défis proches de « <a" in page and "En commun" in page
    pasted = client.post("/similaires", data={"text": "prendre rendez-vous en préfecture pour un titre de séjour"})
    assert pasted.status_code == 200
    assert "PlaniPref" in pasted.get_data(as_text=True)


@pytest.mark.parametrize("url, status, message", [
    ("/recherche?page=abc", 400, "le paramètre « page » doit être un nombre entier positif"),
    ("/recherche?per_page=abc", 400, "le paramètre « per_page » doit être un nombre entier positif"),
    ("/recherche?per_page=13", 400, "résultats par page : choisir parmi 10, 20, 50"),
    ("/recherche?page=0", 400, "le numéro de page commence à 1"),
    ("/recherche?page=999999", 400, "seuls les 1000 premiers résultats sont consultables"),
    ("/recherche?page=100000000000000000000000", 400, "doit être un nombre entier positif"),
    ("/recherche?sort=hasard", 400, "tri inconnu"),
    ("/similaires?path=_defis/inconnu.md", 404, "page inconnue : _defis/inconnu.md"),
    ("/nulle-part", 404, "Cette page n&#39;existe pas."),
])
def test_bad_parameters_give_a_helpful_page(client, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("url, status", [
    ("/api/search?page=abc", 400), ("/api/search?per_page=7", 400), ("/api/similar", 400),
    ("/api/similar?path=nope.md", 400), ("/api/nope", 404),
])
def test_api_errors_are_json(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.get_json()["error"]["status"] == status
    assert response.get_json()["error"]["message"]


def test_api_similar_refuses_bad_bodies(client):
    assert client.post("/api/similar", data="pas du json").status_code == 400
    assert client.post("/api/similar", json={"texte": "x"}).status_code == 400
    too_long = client.post("/api/similar", json={"text": "mot " * 5000})
    assert too_long.status_code in (400, 413)
    assert too_long.get_json()["error"]["message"]


@pytest.mark.parametrize("q", ['"non fermé', "*", "~2", "*e*", "title:[a TO z]", "NOT NOT object", "a\x00b",
                               "x" * 5000, "(((((a)))))", "-", "OR", "' OR 1=1 --"])
def test_odd_queries_never_fail(client, q):
    for url in ("/recherche", "/api/search"):
        response = client.get(url, query_string={"q": q})
        assert response.status_code in (200, 400, 414), (url, q)


def test_invalid_utf8_and_lone_surrogates_in_the_url(client):
    for raw in ("%ED%A0%80", "%FF%FE", "%C3"):
        assert client.get(f"/recherche?q={raw}").status_code == 200
        assert client.get(f"/api/search?q={raw}").status_code == 200


def test_long_query_is_cut_and_said(client):
    response = client.get("/recherche", query_string={"q": "orgues " + "x" * 600})
    assert "seuls ses 500 premiers caractères ont été utilisés" in response.get_data(as_text=True)


def test_query_and_titles_are_escaped(client):
    page = client.get("/recherche", query_string={"q": '<script>alert(1)</script> " onmouseover="x'}).get_data(as_text=True)
    assert "<script>alert" not in page
    assert '" onmouseover="x' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("url", ["/", "/recherche?q=x", "/api/search", "/similaires", "/nope", "/static/style.css"])
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    response.close()
    for name, value in HEADERS.items():
        assert response.headers[name] == value
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_no_inline_script_or_style_in_pages(client):
    for url in ("/", "/recherche?q=orgues", "/similaires?path=_defis/2019-01-01-cibnav.md", "/nope"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and "<style" not in page and " style=" not in page and "onclick" not in page


def test_missing_index_is_a_503_page(tmp_path, make_app):
    client = make_app({"INDEX_DIR": str(tmp_path / "none"), "TESTING": True}).test_client()
    response = client.get("/recherche?q=x")
    assert response.status_code == 503
    assert "en cours de construction" in response.get_data(as_text=True)
    assert client.get("/api/search").get_json()["error"]["status"] == 503


def test_settings_come_from_the_config_dict(corpus_index, make_app):
    app = make_app({"INDEX_DIR": str(corpus_index), "SITE_NAME": "Mon programme", "SITE_URL": ""})
    page = app.test_client().get("/recherche?q=orgues").get_data(as_text=True)
    assert "Mon programme" in page
    assert '<a href="/defis/2017/mcc-inventaire-des-orgues.html">' in page


def test_too_many_words_is_said(client):
    page = client.get("/recherche", query_string={"q": " ".join(f"mot{i}" for i in range(40))}).get_data(as_text=True)
    assert "seuls les 32 premiers ont été utilisés" in page
