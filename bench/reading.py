"""Single-process reading for the reference set-ups, with the project's own reader and analysis.

The references index what a plain set-up would: the title and the body text, analysed by the
project's French chain (stemmed terms joined by spaces), and the facet values in the project's
normalised form, so that the same filters select the same pages everywhere.
"""

import time
from dataclasses import dataclass, field

from indexer.build.loading import Site
from indexer.errors import FileRejected
from indexer.fields import facet_key
from indexer.language.analysis import analyse
from indexer.site.documents import Draft, StaticFile, read_document

#: Facets the references count: the brief's list (the project counts all of its nine).
FACET_FIELDS = ("kind", "tags", "year", "promotion", "administration", "language")


@dataclass
class Analysed:
    path: str
    url: str
    title_display: str
    title: str  # stemmed terms, space-separated
    body: str
    facets: dict[str, list[str]]  # facet keys (normalised values)


@dataclass
class Reading:
    """Reads a site's pages one by one and keeps the time spent (parse + analysis)."""

    root: str
    seconds: float = 0.0
    skipped: int = 0
    documents: int = 0
    site: Site = field(init=False)

    def __post_init__(self):
        started = time.perf_counter()
        self.site = Site(self.root, processes=1)  # a single-process reference reads its data in-process too
        self.seconds += time.perf_counter() - started

    def __iter__(self):
        site = self.site
        for source in site.sources:
            started = time.perf_counter()
            try:
                document = read_document(site.root, source, site.config, site.data)
            except (Draft, StaticFile):
                continue
            except FileRejected:  # as the indexer: any other error is a bug
                self.skipped += 1
                continue
            finally:
                self.seconds += time.perf_counter() - started
            started = time.perf_counter()
            analysed = Analysed(
                path=document.path, url=document.url, title_display=document.title,
                title=analyse(document.title, document.lang)[1], body=analyse(document.text, document.lang)[1],
                facets={name: list(dict.fromkeys(key for key in map(facet_key, document.facets.get(name, [])) if key))
                        for name in FACET_FIELDS})
            self.seconds += time.perf_counter() - started
            self.documents += 1
            yield analysed


def query_terms(q: str) -> list[str]:
    """Stemmed terms of a query (French chain, as the index was written)."""
    return analyse(q)[1].split()


def filter_keys(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    """Display values of facet filters → normalised keys."""
    return {name: [key for key in map(facet_key, values) if key] for name, values in filters.items()}
