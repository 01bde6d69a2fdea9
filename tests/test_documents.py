"""From site files to documents: titles, dates, URLs, languages, kinds, summaries, facets, data."""

import pytest

from indexer.build.loading import Site
from indexer.fields import facet_key
from indexer.site.documents import Draft, StaticFile, read_document

CONFIG = """\
url: https://exemple.gouv.fr
baseurl: ""
defaults:
  - scope: {path: ""}
    values: {locale: fr}
  - scope: {path: "en"}
    values: {locale: en}
collections:
  defis:
    output: true
    permalink: /defis/:year/:title.html
  communaute:
    output: true
    permalink: /communaute/:year/:title.html
  brouillons:
    output: false
permalink: /blog/:year/:month/:day/:title.html
"""


def read(root, relative_path):
    site = Site(root)
    source = next(s for s in site.sources if s.relative_path == relative_path)
    return read_document(site.root, source, site.config, site.data)


@pytest.fixture
def site(make_site):
    return make_site({
        "_config.yml": CONFIG,
        "_defis/2019-01-01-cartobio.md": "---\ntitle: CartoBio\n---\nLes parcelles en agriculture biologique, "
                                         "cartographiées pour simplifier la certification des fermes.\n",
        "_posts/18-02-27-Bootcamp-Promo.md": "---\ntitle: Bootcamp\ntags: [Open data, atelier]\nauthor: Léa\n"
                                             "description: Une semaine pour souder la promotion.\n---\nCorps.\n",
        "_communaute/2020-01-01-lea-martin.md": "---\nnom: Léa Martin\n---\n« Développeuse passionnée. »\n",
        "en/_posts/2019-06-12-impact.md": "---\ntitle: Measuring impact\npermalink: /en/blog/:year/:month/:day/:title.html\n"
                                          "---\nHow we measure the impact of challenges.\n",
        "presentation.html": "---\nlayout: default\n---\n<h1>Le programme en bref</h1><p>Texte.</p>",
        "en/index.md": "---\nlang: en\ntitle: Home\n---\nWelcome.\n",
        "README.md": "Pas de front matter : un fichier statique.\n",
        "_brouillons/2020-01-01-x.md": "---\ntitle: Jamais publié\n---\n",
        "_data/defis.yml": "CartoBio:\n  link_to: /defis/2019/cartobio.html\n  promotion: 3\n  year: 2019\n"
                           "  administration: Agence Bio\n  skills: [dev, design]\n  description: Les parcelles bio\n"
                           "  projects:\n    - title: Carte\n      description: Une carte interactive des fermes\n",
        "_data/personnes.yml": "- title: Léa Martin\n  link_to: /communaute/2020/lea-martin.html\n  defis: [CartoBio]\n",
    })


def test_collection_document_with_data_entry(site):
    doc = read(site, "_defis/2019-01-01-cartobio.md")
    assert (doc.url, doc.title, doc.kind, doc.date, doc.lang) == ("/defis/2019/cartobio.html", "CartoBio", "défi",
                                                                 "2019-01-01", "fr")
    assert doc.facets["promotion"] == ["3"]
    assert doc.facets["administration"] == [  # its full name (indexer/site/data/ministeres.yml)
        "Agence française pour le développement et la promotion de l’agriculture biologique (Agence Bio)"]
    assert doc.facets["ministere"] == ["Ministère de l’Agriculture et de l’Alimentation"]
    assert doc.facets["year"] == ["2019"]
    assert doc.meta["skills"] == ["dev", "design"]
    assert doc.summary == "Les parcelles bio"  # the data entry's description fills the gap
    assert "Une carte interactive des fermes" in doc.extra  # nested data text is searchable


def test_two_digit_year_post(site):
    doc = read(site, "_posts/18-02-27-Bootcamp-Promo.md")
    assert doc.url == "/blog/2018/02/27/Bootcamp-Promo.html"
    assert doc.date == "2018-02-27"
    assert doc.kind == "article"
    assert doc.facets["tags"] == ["Open data", "atelier"]
    assert doc.facets["author"] == ["Léa"]
    assert doc.summary == "Une semaine pour souder la promotion."


def test_person_title_from_nom_and_people_data(site):
    doc = read(site, "_communaute/2020-01-01-lea-martin.md")
    assert (doc.title, doc.kind, doc.url) == ("Léa Martin", "personne", "/communaute/2020/lea-martin.html")
    assert "CartoBio" in doc.extra


def test_english_post_in_en_folder(site):
    doc = read(site, "en/_posts/2019-06-12-impact.md")
    assert (doc.lang, doc.url) == ("en", "/en/blog/2019/06/12/impact.html")


def test_pages_title_from_heading_and_urls(site):
    page = read(site, "presentation.html")
    assert (page.title, page.url, page.kind) == ("Le programme en bref", "/presentation", "page")
    home = read(site, "en/index.md")
    assert (home.url, home.lang) == ("/en/", "en")


def test_static_files_and_unpublished_collections(site):
    with pytest.raises(StaticFile):
        read(site, "README.md")
    assert not any(s.relative_path.startswith("_brouillons") for s in Site(site).sources)


def test_drafts(make_site):
    root = make_site({"_posts/_2020-01-01-a.md": "---\ntitle: a\n---\n",
                      "_posts/2020-01-02-b.md": "---\ntitle: b\npublished: false\n---\n"})
    site = Site(root)
    for source in site.sources:
        with pytest.raises(Draft):
            read_document(site.root, source, site.config, site.data)


def test_site_without_config_takes_underscore_folders_as_collections(make_site):
    root = make_site({"_actualites/lancement.markdown": "---\ntitle: Lancement\ndate: 2021-03-08 10:00:00 +01:00\n"
                                                        "chapeau-text: Une accroche.\n---\nTexte.\n",
                      "_includes/footer.html": "---\n---\nfooter"})
    doc = read(root, "_actualites/lancement.markdown")
    assert (doc.kind, doc.url, doc.date, doc.summary) == ("actualité", "/actualites/lancement.html",
                                                          "2021-03-08", "Une accroche.")
    assert [s.relative_path for s in Site(root).sources] == ["_actualites/lancement.markdown"]


@pytest.mark.parametrize("a, b", [("Open data", "open data"), ("Données", "donnees"), ("EIG 3", "eig-3"),
                                  ("Ministère de l’Intérieur", "Ministere de l'interieur")])
def test_facet_keys_ignore_case_accents_and_punctuation(a, b):
    assert facet_key(a) == facet_key(b)
