"""The facets every layer agrees on: their names, the front-matter fields they come from, and the
normalised key they are filtered and counted on.

Kept apart from the site reader so that searching an index never imports the reading code.
"""

import re
import unicodedata

from indexer.language.analysis import fold

AUTHOR_KEYS = ("author", "auteur", "authors")

#: Facets: name → front-matter (or data) fields they are read from, in order of preference.
FACET_SOURCES = {
    "tags": ("tags",),
    "categories": ("categories", "category"),
    "promotion": ("promotion", "promo"),
    "administration": ("administration",),
    "author": AUTHOR_KEYS,
}
FACETS = ("kind", "tags", "categories", "year", "promotion", "administration", "author", "lang", "collection")
#: Facets shown in the search pages' sidebar and accepted as filters, in display order, with the
#: labels a person reads (the pages, the command line's statistics).
FACET_LABELS = {
    "kind": "Type de page",
    "promotion": "Promotion",
    "year": "Année",
    "administration": "Administration",
    "tags": "Étiquettes",
    "categories": "Catégories",
    "lang": "Langue",
    "author": "Auteur",
}


def facet_key(value: str) -> str:
    """The normalised form facets are filtered and counted on: "Open data" = "open data", and
    "é" composed or decomposed (NFC first: a combining accent is no letter and would cut the word)."""
    value = unicodedata.normalize("NFC", value).replace("’", "'")
    return " ".join(fold(word) for word in re.findall(r"[^\W_]+", value))
