"""The search settings every layer agrees on: the facets (names, labels, the front-matter fields
they come from), the kinds of page (their labels, which are "projects"), and the normalised key
facets are filtered and counted on.

A site declares them (``search:`` in ``_config.yml``, read by :mod:`indexer.site.searchconfig`);
the indexer records the effective settings in each generation's manifest, and readers (search,
pages, API, command line) take them from there: an index always comes with its own facets.
Kept apart from the site reader so that searching an index never imports the reading code.
"""

import re
import unicodedata
from dataclasses import asdict, dataclass, field, replace

from indexer.language.analysis import fold

#: Facets computed for every page rather than read from its front matter.
COMPUTED_FACETS = ("kind", "collection", "language", "year")
#: Facets every index holds, shown or not: similar projects select pages by kind.
ALWAYS_INDEXED = ("kind", "collection")
#: The index's one facet field, and what separates a facet's name from a value in its terms.
FACET_FIELD = "facet"
FACET_SEPARATOR = ":"
#: A word of a facet value.
WORD_RE = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Facet:
    """One facet: the name used in URLs, the API and the index, the label a person reads, and the
    front-matter fields it is read from, in order of preference (none for a computed facet)."""

    name: str
    label: str
    fields: tuple[str, ...] = ()
    hidden: bool = False  # counted and filterable, not shown in the search page's sidebar


@dataclass(frozen=True)
class Kind:
    """How the pages of a collection are named: ``défi`` / ``défis``, ``Startup`` / ``Startups``.
    The singular is the page's kind as the index stores it and the API gives it."""

    singular: str
    plural: str


@dataclass(frozen=True)
class SearchSettings:
    """What an index is searched by: its facets in display order, the labels of its kinds,
    the kinds whose pages are projects (similar projects) and related reading, and the facets
    shown under each result."""

    facets: tuple[Facet, ...]
    kinds: dict[str, Kind] = field(default_factory=dict)  # kind value (singular) → labels
    projects: tuple[str, ...] = ()  # kind values
    related: tuple[str, ...] = ()  # kind values
    results: tuple[str, ...] = ()  # facet names
    #: Without projects given: the kinds among which the one with the most pages is the projects'.
    largest_of: tuple[str, ...] = ()

    def with_pages(self, pages_by_kind: dict[str, int]) -> "SearchSettings":
        """The settings once the pages are counted by kind (facet key or value → pages): the
        projects are then known."""
        if self.projects or not self.largest_of:
            return self
        pages = {facet_key(kind): count for kind, count in pages_by_kind.items()}
        largest = max(self.largest_of, key=lambda kind: (pages.get(facet_key(kind), 0), kind))
        return replace(self, projects=(largest,), related=tuple(kind for kind in self.related if kind != largest))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(facet.name for facet in self.facets)

    @property
    def labels(self) -> dict[str, str]:
        """Every facet's label (filters may name hidden facets too)."""
        return {facet.name: facet.label for facet in self.facets}

    @property
    def shown(self) -> dict[str, str]:
        """The facets of the search page's sidebar, in order, with their labels."""
        return {facet.name: facet.label for facet in self.facets if not facet.hidden}

    @property
    def read_facets(self) -> tuple[Facet, ...]:
        """The facets read from front matter (their values are each hit's in the API)."""
        return tuple(facet for facet in self.facets if facet.fields)

    def plural(self, kinds) -> str:
        """The plural naming pages of ``kinds`` (the first one's): « Défis », « Startups »."""
        for kind in kinds:
            labels = self.kinds.get(kind)
            return capitalised(labels.plural if labels else kind)
        return "Pages"

    def as_dict(self) -> dict:
        """The settings as the manifest keeps them (JSON)."""
        return {"facets": [asdict(facet) for facet in self.facets],
                "kinds": {kind: asdict(labels) for kind, labels in self.kinds.items()},
                "projects": list(self.projects), "related": list(self.related), "results": list(self.results),
                "largest_of": list(self.largest_of)}

    @classmethod
    def from_dict(cls, data: dict) -> "SearchSettings":
        """The settings a manifest recorded (:meth:`as_dict`)."""
        return cls(
            facets=tuple(Facet(item["name"], item["label"], tuple(item.get("fields", ())), bool(item.get("hidden")))
                         for item in data["facets"]),
            kinds={kind: Kind(labels["singular"], labels["plural"]) for kind, labels in data.get("kinds", {}).items()},
            projects=tuple(data.get("projects", ())), related=tuple(data.get("related", ())),
            results=tuple(data.get("results", ())), largest_of=tuple(data.get("largest_of", ())))


def capitalised(text: str) -> str:
    """First letter upper-cased, the rest as written (« Startup d'État »)."""
    return text[:1].upper() + text[1:]


#: The programme's facets (its site has a ``defis`` collection), in the order its pages show them.
PROGRAMME_FACETS = (
    Facet("kind", "Type de page"),
    Facet("promotion", "Promotion", ("promotion", "promo")),
    Facet("year", "Année"),
    Facet("ministere", "Ministère", ("ministere", "ministère", "ministry", "tutelle")),
    Facet("administration", "Administration", ("administration",)),
    Facet("tags", "Étiquettes", ("tags",)),
    Facet("categories", "Catégories", ("categories", "category")),
    Facet("language", "Langue"),
    Facet("author", "Auteur", ("author", "auteur", "authors")),
    Facet("collection", "Collection", hidden=True),
)
#: The facets of any other site without a ``search:`` section: the usual Jekyll fields.
JEKYLL_FACETS = (
    Facet("kind", "Type de page"),
    Facet("tags", "Étiquettes", ("tags",)),
    Facet("categories", "Catégories", ("categories", "category")),
    Facet("year", "Année"),
    Facet("language", "Langue"),
    Facet("collection", "Collection", hidden=True),
)
#: Labels of the facets computed for every page, when a ``search:`` section lists them bare.
COMPUTED_LABELS = {"kind": "Type de page", "collection": "Collection", "language": "Langue", "year": "Année"}


#: A final sigle in parentheses (two capitals at least), with what punctuation follows it.
_FINAL_SIGLE_RE = re.compile(r"\s*\((?=[^()]*[A-Z][^()]*[A-Z])[^\W\d_][\w&.-]{1,11}\)[\s,;.]*$")


def facet_key(value: str) -> str:
    """The normalised form facets are filtered and counted on: "Open data" = "open data",
    "é" composed or decomposed (NFC first: a combining accent is no letter and would cut the word),
    and a final sigle in parentheses left out ("Direction du budget (DB)" = "Direction du budget")."""
    value = unicodedata.normalize("NFC", value).replace("’", "'")
    value = _FINAL_SIGLE_RE.sub("", value) or value
    return " ".join(facet_words(value))


def facet_words(value: str) -> list[str]:
    """The folded words of a value, as :func:`facet_key` joins them."""
    return [fold(word) for word in WORD_RE.findall(value)]


def facet_term(name: str, key: str) -> str:
    """The term a value is indexed under in the one facet field: ``tags:open data``."""
    return f"{name}{FACET_SEPARATOR}{key}"
