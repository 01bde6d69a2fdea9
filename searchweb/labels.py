"""The programme's own words for kinds of page and facets, in the visitor's language.

A site's kinds and facet labels are its data, recorded in French in each index's manifest and
shown as the site wrote them. The defaults the indexer gives when a site names none
(:mod:`indexer.fields`, :mod:`indexer.site.searchconfig`) are the programme's words: those are
in the catalogues and translated when shown. ``tests/test_english_interface.py`` checks that
every default is listed here.
"""

from flask_babel import gettext

from indexer.errors import N_

#: Kinds of page as badges and tabs name them (singular and plural), then facet labels.
DEFAULT_WORDS = frozenset({
    N_("Défi"), N_("Défis"), N_("Article"), N_("Articles"), N_("Actualité"), N_("Actualités"),
    N_("Personne"), N_("Personnes"), N_("Page"), N_("Pages"),
    N_("Type de page"), N_("Promotion"), N_("Année"), N_("Ministère"), N_("Administration"),
    N_("Étiquettes"), N_("Catégories"), N_("Langue"), N_("Auteur"), N_("Collection"),
})


def ui_label(text: str) -> str:
    """``text`` in the visitor's language when it is one of the programme's default words, else
    as the site wrote it."""
    return gettext(text) if text in DEFAULT_WORDS else text


def translated_labels(labels: dict[str, str]) -> dict[str, str]:
    """Facet name → label, as :func:`ui_label` shows them."""
    return {name: ui_label(label) for name, label in labels.items()}
