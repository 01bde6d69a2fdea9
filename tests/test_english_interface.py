"""The English interface, through the Flask test client on the shipped corpus: how the language is
chosen, that the whole interface follows it (pages, errors, the API's messages) while results stay
as the site wrote them, and that links and forms keep a language asked for in the URL."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from flask_babel import ngettext

from indexer.errors import BadQuery
from indexer.fields import COMPUTED_LABELS, JEKYLL_FACETS, PROGRAMME_FACETS, capitalised
from indexer.site.searchconfig import KIND_BY_COLLECTION, default_kind
from searchweb.formatting import hit_date, long_date
from searchweb.labels import DEFAULT_WORDS
from tests.conftest import PROJECT
from tests.test_web import app, client  # noqa: F401  (the corpus app and its test client)

ORGUES = "_defis/2017-01-01-mcc-inventaire-des-orgues.md"
#: Words of the French interface that no English page may show (the site's own words aside).
FRENCH_WORDS = ("Rechercher", "Recherche", "résultat", "Résultats", "Filtrer", "Filtres", "Trier",
                "Pertinence", "Précédente", "Suivante", "Première", "Dernière", "Aller", "Afficher",
                "Effacer", "Retirer", "Appliquer", "Fermer", "Accueil", "Retour", "Erreur", "Aucun",
                "Aucune", "Projets similaires", "En commun", "Même", "Mêmes", "Équipe", "Type de page",
                "Étiquettes", "Année", "Langue", "Promotion", "Défi", "Défis", "Actualité", "Actualités",
                "Personne", "Personnes", "Vouliez-vous",
                "janvier", "février", "avril", "juin", "juillet", "août", "décembre", "Moteur", "Syntaxe",
                "Collez", "Comparer", "Très proche", "Éloigné", "Code source", "Vidéo")
#: Facets whose values the interface names (the others' values are the site's words).
INTERFACE_FACETS = {"facet-kind", "facet-language", "facet-year", "facet-promotion"}
#: Attributes a person reads or hears.
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "aria-description")


def page(client, url: str, headers=None) -> BeautifulSoup:
    return BeautifulSoup(client.get(url, headers=headers or {}).get_data(as_text=True), "html.parser")


def interface_text(soup: BeautifulSoup) -> str:
    """What a person reads or hears of a page, the site's own words (results, facet values, the
    compared page's title) taken out: the interface alone."""
    body = soup.body
    data = body.select("script, style, [lang], .hit__title, .hit__snippet, .hit__facts, .hit .fr-tag")
    data += [value for facet in body.select("fieldset.facet") if facet.get("id") not in INTERFACE_FACETS
             for value in facet.select(".facet__value")]
    for element in data:
        element.decompose()
    attributes = [element.get(name, "") for element in body.find_all(True) for name in READ_ATTRIBUTES]
    return "\n".join([soup.title.get_text(), body.get_text("\n"), *attributes])  # lines: element bounds


def french_words_in(text: str) -> list[str]:
    """The French interface's words in ``text``, and its typography: « quotes », a space before
    a colon, semicolon, question or exclamation mark."""
    words = [word for word in FRENCH_WORDS if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
    return words + re.findall(r"[«»]|\S[ \u00a0\u202f]+[:;?!](?!\S)", text)


# --- Which language ---

@pytest.mark.parametrize("url, headers, language", [
    ("/recherche?q=orgues", {}, "fr"),
    ("/recherche?q=orgues&lang=en", {}, "en"),
    ("/recherche?q=orgues", {"Accept-Language": "en-US,en;q=0.9"}, "en"),
    ("/recherche?q=orgues", {"Accept-Language": "de-DE,en;q=0.5,fr;q=0.3"}, "en"),
    ("/recherche?q=orgues", {"Accept-Language": "fr-FR,en;q=0.8"}, "fr"),  # a region: still French
    ("/recherche?q=orgues", {"Accept-Language": "en;q=0.2, fr-CA;q=0.9"}, "fr"),
    ("/recherche?q=orgues", {"Accept-Language": "fr;q=0, en-GB;q=0.5"}, "en"),
    ("/recherche?q=orgues&lang=fr", {"Accept-Language": "en-US,en;q=0.9"}, "fr"),
    ("/recherche?q=orgues&lang=de", {"Accept-Language": "en"}, "en"),  # not offered: the browser decides
    ("/recherche?q=orgues&lang=de", {}, "fr"),
])
def test_language_from_the_url_then_the_browser_then_french(client, url, headers, language):
    assert page(client, url, headers).html["lang"] == language


def test_english_chrome_and_french_results(client):
    soup = page(client, "/recherche?q=orgues&lang=en")
    text = soup.get_text(" ")
    assert "Inventaire des orgues" in text  # the site's title, as written
    assert "Search" in text and "Challenge" in text
    assert re.search(r"\b4 results\b", text)
    assert french_words_in(interface_text(soup)) == []


@pytest.mark.parametrize("url", [
    "/?lang=en",
    "/recherche?q=cohort&language=en&lang=en",
    "/recherche?q=cohort&language=en&sort=date&per_page=20&lang=en",
    "/recherche?q=zzyzxqq&lang=en",  # no result: tips
    "/recherche?q=%22controle+des+navirres+de+peche%22&lang=en",  # no result: a suggestion
    "/recherche?q=navirres+peche&lang=en",  # a corrected word
    "/recherche?q=orgues+zzyzxqq&lang=en",  # a word left out
    "/recherche?q=donnees&kind=d%C3%A9fi&year=2019&lang=en",  # filters, chips
    "/recherche?q=donnees&kind=d%C3%A9fi&year=1900&lang=en",  # filters that rule out everything
    "/recherche?q=orgues&page=2&lang=en",  # beyond the results
    "/recherche?q=orgues&expand=tags&lang=en",
    f"/similaires?path={ORGUES}&lang=en",
    "/similaires?lang=en",
])
def test_no_french_interface_word_on_english_pages(client, url):
    assert french_words_in(interface_text(page(client, url))) == []


@pytest.mark.parametrize("url, status", [
    ("/nulle-part?lang=en", 404),
    ("/recherche?q=orgues&per_page=13&lang=en", 400),
    ("/recherche?q=orgues&page=abc&lang=en", 400),
    ("/similaires?path=_defis/inconnu.md&lang=en", 404),
])
def test_error_pages_in_english(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.html["lang"] == "en"
    assert french_words_in(interface_text(soup)) == []


def test_error_messages_in_english(client):
    assert "This page does not exist." in client.get("/nulle-part?lang=en").get_data(as_text=True)
    assert "results per page: choose from 10, 20, 50" in client.get(
        "/recherche?q=orgues&per_page=13&lang=en").get_data(as_text=True)
    page_ = client.get("/recherche?q=orgues&page=abc", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "the “page” parameter must be a positive whole number (received: “abc”)" in page_


@pytest.mark.parametrize("url, headers, message", [
    ("/api/search?q=orgues&per_page=13&lang=en", {}, "results per page: choose from 10, 20, 50"),
    ("/api/search?q=orgues&per_page=13", {"Accept-Language": "en-GB"}, "results per page: choose from 10, 20, 50"),
    ("/api/search?q=orgues&per_page=13", {}, "résultats par page : choisir parmi 10, 20, 50"),
    ("/api/search?q=orgues&sort=hasard&lang=en", {}, "unknown sort “hasard”: choose from relevance, date, promotion"),
    ("/api/similar?path=_defis/inconnu.md&lang=en", {}, "unknown page: _defis/inconnu.md"),
    ("/api/nulle-part", {"Accept-Language": "en"}, "This page does not exist."),
])
def test_api_errors_follow_the_language(client, url, headers, message):
    assert client.get(url, headers=headers).get_json()["error"]["message"] == message


def test_too_many_filter_values_names_the_facet_in_english(client):
    url = "/api/search?" + "&".join(f"tags=t{number}" for number in range(21)) + "&lang=en"
    assert client.get(url).get_json()["error"]["message"] == "too many values for the “Tags” filter (20 at most)"


def test_api_data_is_the_same_in_both_languages(client):
    french = client.get("/api/search?q=orgues").get_json()
    english = client.get("/api/search?q=orgues&lang=en").get_json()
    assert english == french
    assert client.get(f"/api/similar?path={ORGUES}&lang=en").get_json() == client.get(
        f"/api/similar?path={ORGUES}").get_json()


def test_the_command_line_keeps_french_messages():
    assert str(BadQuery("page inconnue : %(path)s", path="x.md")) == "page inconnue : x.md"


# --- Links and forms keep an explicit language ---

def links_and_forms(soup: BeautifulSoup):
    """The page's links to this server's pages and its forms."""
    links = [a["href"] for a in soup.find_all("a", href=True)
             if a["href"].startswith(("?", "/recherche", "/similaires", "/?"))]
    return links, soup.find_all("form")


def form_language(form) -> str | None:
    """The language a form asks for: a hidden field of a GET form, its address for a POST."""
    if (form.get("method") or "get").lower() == "post":
        return (parse_qs(urlsplit(form.get("action", "")).query).get("lang") or [None])[0]
    field = form.find("input", attrs={"type": "hidden", "name": "lang"})
    return field["value"] if field else None


@pytest.mark.parametrize("url", [
    "/recherche?q=donnees&kind=d%C3%A9fi&lang=en",
    "/recherche?q=orgues&expand=tags&lang=en",
    f"/similaires?path={ORGUES}&lang=en",
    "/similaires?lang=en",
    "/nulle-part?lang=en",
])
def test_links_and_forms_keep_lang_en(client, url):
    links, forms = links_and_forms(page(client, url))
    switch = [link for link in links if parse_qs(urlsplit(link).query).get("lang") == ["fr"]]
    assert len(switch) <= 2  # the way back to French (in the header, and its menu on phones)
    assert [link for link in links if link not in switch and parse_qs(urlsplit(link).query).get("lang") != ["en"]] == []
    assert [form.get("action") for form in forms if form_language(form) != "en"] == []


def test_without_lang_in_the_url_links_leave_it_to_the_browser(client):
    links, forms = links_and_forms(page(client, "/recherche?q=donnees", {"Accept-Language": "en"}))
    assert [link for link in links if "lang=" in link and "lang=fr" not in link and "lang=en" not in link] == []
    assert forms and [form_language(form) for form in forms] == [None] * len(forms)


def test_language_switch_goes_to_the_other_language_and_back(client):
    english = page(client, "/recherche?q=orgues&kind=d%C3%A9fi&lang=en")
    to_french = english.find("a", href=re.compile(r"lang=fr"))
    assert parse_qs(urlsplit(to_french["href"]).query) == {"q": ["orgues"], "kind": ["défi"], "lang": ["fr"]}
    french = page(client, to_french["href"])
    assert french.html["lang"] == "fr"
    back = french.find("a", href=re.compile(r"lang=en"))
    assert parse_qs(urlsplit(back["href"]).query) == {"q": ["orgues"], "kind": ["défi"], "lang": ["en"]}


# --- What the Python side shows ---

@pytest.mark.parametrize("language, iso, shown", [
    ("fr", "2019-03-07", "7 mars 2019"), ("fr", "2019-03-01", "1er mars 2019"),
    ("en", "2019-03-07", "7 March 2019"), ("en", "2019-03-01", "1 March 2019"), ("en", "pas une date", ""),
])
def test_dates_in_the_page_language(app, language, iso, shown):
    with app.test_request_context(f"/?lang={language}"):
        assert long_date(iso) == shown


def test_a_date_known_by_its_year_alone_shows_the_year(app, corpus_engine):
    hit = corpus_engine.similar(path=ORGUES, limit=1)[0]
    hit.year_only = True
    with app.test_request_context("/?lang=en"):
        assert hit_date(hit) == hit.date[:4]


def test_french_plurals_take_the_singular_for_zero_and_one(app):
    with app.test_request_context("/?lang=fr"):
        assert [ngettext("%(num)s résultat", "%(num)s résultats", n) for n in (0, 1, 2)] == [
            "0 résultat", "1 résultat", "2 résultats"]
    with app.test_request_context("/?lang=en"):
        assert [ngettext("%(num)s résultat", "%(num)s résultats", n) for n in (0, 1, 2)] == [
            "0 results", "1 result", "2 results"]


def test_every_default_label_of_the_programme_is_translated():
    """The labels the indexer gives when a site names none are all in :data:`DEFAULT_WORDS`, whose
    entries the English catalogue translates (the site's own labels are its data)."""
    defaults = {facet.label for facet in (*PROGRAMME_FACETS, *JEKYLL_FACETS)} | set(COMPUTED_LABELS.values())
    for collection in KIND_BY_COLLECTION:
        kind = default_kind(collection)
        defaults |= {capitalised(kind.singular), capitalised(kind.plural)}
    assert defaults - DEFAULT_WORDS == set()
    with open(PROJECT / "searchweb/translations/en/LC_MESSAGES/messages.po", "rb") as po:
        english = {message.id: message.string for message in read_po(po) if message.id}
    assert [word for word in sorted(DEFAULT_WORDS) if not english.get(word)] == []


def test_the_check_finds_the_french_interface(client):
    """The word check above is no blind one: the same pages in French show many of the words."""
    assert len(french_words_in(interface_text(page(client, "/recherche?q=donnees&kind=d%C3%A9fi&year=2019")))) >= 15
    assert len(french_words_in(interface_text(page(client, f"/similaires?path={ORGUES}")))) >= 8
