"""One open generation of the index: its searcher and the arrays a search reads, loaded once.

A :class:`Generation` is what :class:`~indexer.search.engine.SearchEngine` searches, and what the
similar-pages ranking and the relevance evaluation read. They use only its public interface:
the arrays and tables below, :meth:`Generation.stored`, :meth:`Generation.document_number`,
:meth:`Generation.kinds_mask` and :meth:`Generation.bm25f`; the Whoosh searcher behind them is
the generation's own business.
"""

import json
from collections import OrderedDict

import numpy as np

from indexer.errors import IndexDamaged
from indexer.fields import SearchSettings, facet_key
from indexer.language import synonyms
from indexer.search import queryplan, translations
from indexer.search.facets import FacetTable
from indexer.search.kinds import KindGroups
from indexer.search.scoring import Scorer
from indexer.store.displayforms import DISPLAY_FILE
from indexer.store.generations import IndexStore
from indexer.whoosh_io.postings import Postings


class Generation:
    """An open generation: searcher, facet arrays, priors and dates, loaded once."""

    def __init__(self, store: IndexStore, name: str):
        self.name, self.index = store.open(name)
        self.manifest = store.manifest(name)
        self.searcher = self.index.searcher()
        try:
            self._load(store, name)
        except BaseException:
            self.searcher.close()  # a half-opened generation must not keep its files open
            raise

    def _load(self, store: IndexStore, name: str) -> None:
        if not isinstance(self.manifest.get("search"), dict):
            raise IndexDamaged(store.folder, f"le manifeste de {name} ne dit pas les facettes de l'index")
        #: The facets, kinds and projects of the site, as the indexer recorded them.
        self.search = SearchSettings.from_dict(self.manifest["search"])
        self.reader = self.searcher.reader()
        try:
            displays = json.loads((store.folder / name / DISPLAY_FILE).read_text("utf-8"))
        except FileNotFoundError:
            displays = {}
        self.postings = Postings(self.reader)
        self.facets = FacetTable(self.reader, self.postings, displays, self.search.names)
        pages = self.facets.counts("kind", self.facets.live).tolist()
        self.search = self.search.with_pages(dict(zip(self.facets.keys["kind"], pages)))
        try:
            acronyms = json.loads((store.folder / name / synonyms.ACRONYMS_FILE).read_text("utf-8"))
        except FileNotFoundError:
            acronyms = {}
        self.thesaurus = synonyms.thesaurus(acronyms)
        #: English → French translations, for queries that read as English.
        self.glossary = translations.for_generation(self, store.folder / name)
        self.scorer = Scorer(self.postings, self.facets.live)
        self.lexicon = queryplan.Lexicon(self.postings)
        #: Results of recent searches: a new generation starts with an empty cache.
        self.results: OrderedDict = OrderedDict()
        size = self.facets.size
        self.dates = np.zeros(size, dtype=np.int64)
        if size:
            self.dates[:] = np.fromiter(self.reader.column_reader("date"), dtype=np.int64, count=size)
        self.recency = self.dates.astype(np.float64) * 1e-12  # only ever breaks ties
        #: The kinds searched for, and the others (profiles…), which weigh less and may not crowd them out.
        self.kind_groups = KindGroups.of(self.search, self.facets)
        self.priors = self.kind_groups.priors(self.facets)
        self.secondary = self.kind_groups.mask(self.facets, self.kind_groups.secondary)
        self._cards = None

    @property
    def cards(self) -> list:
        """``[title, url, kind]`` of every live document, read on first use (for suggestions)."""
        if self._cards is None:
            column, live = self.reader.column_reader("card"), self.facets.live
            self._cards = [json.loads(column[docnum]) if live[docnum] and column[docnum] else None
                           for docnum in range(self.facets.size)]
        return self._cards

    def stored(self, docnum: int) -> dict:
        """A document's stored fields: its ``path`` and its ``record`` (what a hit shows)."""
        return self.searcher.stored_fields(docnum)

    def document_number(self, path: str) -> int | None:
        """The document number of an indexed page, None if the generation does not hold it."""
        return self.searcher.document_number(path=path)

    def kinds_mask(self, kinds) -> np.ndarray:
        """The live documents of the given kinds (display values), as a boolean array."""
        return self.facets.mask("kind", [facet_key(kind) for kind in kinds]) & self.facets.live

    def bm25f(self, query, limit: int, among: np.ndarray | None = None) -> list[int]:
        """The first ``limit`` documents by Whoosh's own BM25F for a Whoosh query, only those of
        the boolean array ``among`` if given: the plain reference the evaluation compares with."""
        allowed = None if among is None else set(np.flatnonzero(among).tolist())
        return [hit.docnum for hit in self.searcher.search(query, filter=allowed, limit=limit)]

    def mask(self, query) -> np.ndarray:
        """Documents matching a Whoosh query, as a boolean array."""
        mask = np.zeros(self.facets.size, dtype=bool)
        ids = np.fromiter(query.docs(self.searcher), dtype=np.int64)
        mask[ids] = True
        return mask & self.facets.live

    def among(self, query, docnums: np.ndarray) -> np.ndarray:
        """Which of ``docnums`` match a Whoosh query, visiting only them (``skip_to``)."""
        matcher = query.matcher(self.searcher)
        found = []
        for docnum in sorted(docnums.tolist()):
            if not matcher.is_active():
                break
            matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                found.append(docnum)
        return np.array(found, dtype=np.int64)

    def close(self) -> None:
        self.searcher.close()
