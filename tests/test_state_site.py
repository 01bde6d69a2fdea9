"""The STATE_SITE, BRAND_LINES and SITE_TAGLINE settings (searchweb/brand.py) through the Flask
test client: the Marianne block only on a State site, its lines and the tagline as set, from the
environment too, a clear error for a value that is neither yes nor no, and another ETag when
they change (they change the pages)."""

import pytest

from searchweb import create_app

PAGE = "/similaires?path=_defis/2019-01-01-cartobio.md"


def page_of(make_app, corpus_index, **config) -> str:
    app = make_app({"INDEX_DIR": str(corpus_index), "TESTING": True, **config})
    return app.test_client().get(PAGE).get_data(as_text=True)


def test_neutral_header_by_default(make_app, corpus_index):
    page = page_of(make_app, corpus_index)
    assert 'class="fr-logo"' not in page and "Française" not in page
    assert '<body class="site-neutral">' in page
    assert '<p class="fr-header__service-title">Entrepreneurs d&#39;intérêt général</p>' in page
    assert '<p class="fr-header__service-tagline">Moteur de recherche du site</p>' in page


def test_state_site_shows_the_marianne_block_with_its_lines(make_app, corpus_index):
    page = page_of(make_app, corpus_index, STATE_SITE=True, BRAND_LINES="Ministère | de l'Intérieur|",
                   SITE_TAGLINE="Les défis de l'État")
    assert '<body class="site-state">' in page
    assert page.count('<p class="fr-logo">Ministère<br>de l&#39;Intérieur</p>') == 2  # header and footer
    assert '<p class="fr-header__service-tagline">Les défis de l&#39;État</p>' in page


def test_state_site_from_the_environment(make_app, corpus_index, monkeypatch):
    monkeypatch.setenv("EIG_SEARCH_STATE_SITE", "oui")
    page = page_of(make_app, corpus_index)
    assert '<p class="fr-logo">République<br>Française</p>' in page


def test_a_value_neither_yes_nor_no_is_refused_by_name(corpus_index):
    with pytest.raises(ValueError, match="STATE_SITE.*peut-être"):
        create_app({"INDEX_DIR": str(corpus_index), "STATE_SITE": "peut-être"})


def test_the_setting_changes_the_etag(make_app, corpus_index):
    etags = {make_app({"INDEX_DIR": str(corpus_index), "STATE_SITE": state}).test_client().get(PAGE).headers["ETag"]
             for state in (False, True)}
    assert len(etags) == 2
