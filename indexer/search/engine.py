"""Search the current generation: matching, ranking, facets, snippets, suggestions.

One :class:`SearchEngine` per process. It keeps one Whoosh searcher and the facet arrays of the
current generation, and reopens them only when ``CURRENT`` names a new generation, so a reindex
is picked up at the next request and costs nothing the rest of the time.
"""

import json
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from indexer.errors import BadQuery, SearchTimeout
from indexer.fields import FACETS, facet_key
from indexer.language import synonyms
from indexer.language.analysis import WORD_RE, fold
from indexer.search import querylang, queryplan, similar
from indexer.search.facets import FacetTable, FacetValue
from indexer.search.hits import PageHit
from indexer.search.scoring import Scorer, top
from indexer.search.snippets import QueryForms, snippet, to_html, to_text
from indexer.store.displayforms import DISPLAY_FILE
from indexer.store.generations import IndexStore, reads_index
from indexer.whoosh_io.postings import Postings

PER_PAGE_CHOICES = (10, 20, 50)
#: Results beyond this rank are never served: deep pages cost the most and serve nobody.
RESULT_WINDOW = 1000
SORTS = ("relevance", "date")
#: Multiplier of a page's score by kind: a profile that merely mentions the words ranks lower.
KIND_PRIORS = {"personne": 0.5, "page": 0.8}
FEW_RESULTS = 3
#: Only words on fewer pages than this get a "did you mean" (a common word is not a typo).
SUGGEST_BELOW = 3
#: The proximity bonus is computed for this many leading pages (positions are costly to read).
PROXIMITY_WINDOW = 20
#: Values shown per facet (the most frequent, plus any selected one).
FACET_VALUES = 40
#: Searches remembered per generation (identical requests are answered from memory).
RESULT_CACHE = 256
#: A search gets this long (seconds); slower ones are logged.
TIME_BUDGET = 1.0
SLOW_QUERY_MS = 500

log = logging.getLogger(__name__)


@dataclass
class SearchRequest:
    """What a visitor asked for: the query, facet filters (display values), sort and page."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10

    def validate(self) -> None:
        """Raise :class:`BadQuery` with a message a visitor understands."""
        if self.sort not in SORTS:
            raise BadQuery(f"tri inconnu « {self.sort} » : choisir parmi {', '.join(SORTS)}")
        if self.per_page not in PER_PAGE_CHOICES:
            raise BadQuery(f"résultats par page : choisir parmi {', '.join(map(str, PER_PAGE_CHOICES))}")
        if self.page < 1:
            raise BadQuery("le numéro de page commence à 1")
        if (self.page - 1) * self.per_page >= RESULT_WINDOW:
            raise BadQuery(f"seuls les {RESULT_WINDOW} premiers résultats sont consultables : "
                           "précisez la recherche ou ajoutez un filtre")


@dataclass
class Hit(PageHit):
    """One search result, ready to show."""

    lang: str
    snippet: list  # (text, matched) pieces

    @property
    def snippet_html(self) -> str:
        return to_html(self.snippet)

    @property
    def snippet_text(self) -> str:
        return to_text(self.snippet)


@dataclass
class SearchResult:
    """Everything a result page or the JSON API shows."""

    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    relaxed: bool = False  # no page had every word: pages with some of them are shown
    corrected: dict[str, str] = field(default_factory=dict)
    suggestion: str | None = None
    drop_filters: list[tuple[str, int]] = field(default_factory=list)
    truncated: bool = False
    elapsed_ms: float = 0.0
    generation: str = ""

    @property
    def pages(self) -> int:
        reachable = min(self.total, RESULT_WINDOW)
        return max(1, -(-reachable // self.request.per_page))


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
        self.reader = self.searcher.reader()
        try:
            displays = json.loads((store.folder / name / DISPLAY_FILE).read_text("utf-8"))
        except FileNotFoundError:
            displays = {}
        self.postings = Postings(self.reader)
        self.facets = FacetTable(self.reader, self.postings, displays)
        try:
            acronyms = json.loads((store.folder / name / synonyms.ACRONYMS_FILE).read_text("utf-8"))
        except FileNotFoundError:
            acronyms = {}
        self.thesaurus = synonyms.thesaurus(acronyms)
        self.scorer = Scorer(self.postings, self.facets.live)
        self.lexicon = queryplan.Lexicon(self.postings)
        #: Results of recent searches: a new generation starts with an empty cache.
        self.results: OrderedDict = OrderedDict()
        size = self.facets.size
        self.dates = np.zeros(size, dtype=np.int64)
        if size:
            self.dates[:] = np.fromiter(self.reader.column_reader("date"), dtype=np.int64, count=size)
        self.recency = self.dates.astype(np.float64) * 1e-12  # only ever breaks ties
        self.priors = np.ones(size, dtype=np.float64)
        docs, ids = self.facets.pairs["kind"]
        for key_id, key in enumerate(self.facets.keys["kind"]):
            self.priors[docs[ids == key_id]] = KIND_PRIORS.get(self.facets.display("kind", key), 1.0)
        self._cards = None

    @property
    def cards(self) -> list:
        """``[title, url, kind]`` of every live document, read on first use (for suggestions)."""
        if self._cards is None:
            column, live = self.reader.column_reader("card"), self.facets.live
            self._cards = [json.loads(column[docnum]) if live[docnum] and column[docnum] else None
                           for docnum in range(self.facets.size)]
        return self._cards

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


class SearchEngine:
    """Searches one index folder, following its current generation."""

    def __init__(self, index_folder, result_cache: int = RESULT_CACHE):
        self.store = IndexStore(index_folder)
        self.result_cache = result_cache
        self._generation: Generation | None = None
        self._previous: Generation | None = None
        self._lock = threading.Lock()

    @reads_index
    def generation(self) -> Generation:
        """The current generation, reopened if the indexer switched to a newer one."""
        name = self.store.current_name()
        current = self._generation
        if current is not None and current.name == name:
            return current
        with self._lock:
            if self._generation is None or self._generation.name != self.store.current_name():
                fresh = Generation(self.store, self.store.current_name())
                if self._previous is not None:  # closed one switch later: requests in flight finish
                    self._previous.close()
                self._previous, self._generation = self._generation, fresh
            return self._generation

    @reads_index
    def search(self, request: SearchRequest, budget: float = TIME_BUDGET) -> SearchResult:
        """Run a search; raises :class:`BadQuery` for invalid parameters and
        :class:`SearchTimeout` when matching exceeds ``budget`` seconds."""
        started = time.perf_counter()
        request.validate()
        gen = self.generation()
        deadline = time.perf_counter() + budget  # opening a new generation is not the query's cost
        key = (request.q, tuple(sorted((f, tuple(v)) for f, v in request.filters.items() if v)),
               request.sort, request.page, request.per_page)
        with self._lock:
            cached = gen.results.get(key)
            if cached is not None:
                gen.results.move_to_end(key)
                return cached
        result = self._search(gen, request, deadline)
        result.elapsed_ms = (time.perf_counter() - started) * 1000
        if result.elapsed_ms > SLOW_QUERY_MS:
            log.warning("slow search: %.0f ms for %d characters, %d filters", result.elapsed_ms,
                        len(request.q), sum(map(len, request.filters.values())))
        with self._lock:
            gen.results[key] = result
            while len(gen.results) > self.result_cache:
                gen.results.popitem(last=False)
        return result

    def _search(self, gen: Generation, request: SearchRequest, deadline: float) -> SearchResult:
        parsed = querylang.parse(request.q)
        filters = {facet: list(dict.fromkeys(k for k in map(facet_key, values) if k))
                   for facet, values in request.filters.items() if facet in FACETS}
        masks = gen.facets.filter_masks(filters)
        plan = queryplan.plan(parsed, gen.lexicon, gen.thesaurus, deadline) if not parsed.is_empty else None
        matched, relaxed, coordination, complete = self._match(gen, parsed, plan, deadline)
        selected = matched.copy()
        for mask in masks.values():
            selected &= mask
        total = int(selected.sum())
        start = (request.page - 1) * request.per_page
        docnums, scores = self._rank(gen, plan, selected, start + request.per_page, request.sort, coordination,
                                     complete)
        forms = QueryForms.of(parsed.words)
        hits = [self._hit(gen, docnum, score, forms) for docnum, score in
                zip(docnums[start:], scores[start:])]
        result = SearchResult(
            request=request, total=total, hits=hits,
            facets=gen.facets.buckets(matched, masks, filters, limit=FACET_VALUES),
            relaxed=relaxed, corrected=plan.corrected if plan and total else {}, truncated=parsed.truncated,
            generation=gen.name)
        if plan and total < FEW_RESULTS:
            result.suggestion = self._suggestion(gen, request.q, plan, queryplan.CorrectionBudget(deadline))
        if total == 0 and matched.any() and masks:
            result.drop_filters = self._drop_filters(matched, masks)
        return result

    @staticmethod
    def _match(gen: Generation, parsed, plan, deadline: float):
        """Which documents are results: ``(matched mask, relaxed?, coordination factors, mask of
        the pages matching enough of the query)`` — with few of those, pages matching part of it
        are results too, ranked below them."""
        if parsed.is_empty:
            return gen.facets.live.copy(), False, None, None
        if plan is None:  # only stop words
            return np.zeros(gen.facets.size, dtype=bool), False, None, None
        unit_weights = []
        for unit in plan.units:
            if time.perf_counter() > deadline:
                raise SearchTimeout("la recherche a pris trop de temps : retirez des mots ou ajoutez un filtre")
            unit_weights.append(gen.scorer.unit_weights(unit, gen.mask))
        counts = np.sum([weights > 0 for weights in unit_weights], axis=0, dtype=np.int16)
        for word in plan.excluded:
            counts[gen.scorer.word_mask(word)] = 0
        complete = counts >= plan.required
        matched, relaxed = complete, False
        if matched.sum() < queryplan.MIN_RESULTS:
            relaxed = not matched.any() and bool((counts > 0).any())
            matched = counts > 0
        return matched, relaxed, gen.scorer.coordination(unit_weights), complete

    def _rank(self, gen: Generation, plan, selected: np.ndarray, limit: int, sort: str, coordination,
              complete: np.ndarray | None = None):
        """The first ``limit`` selected documents in order, and their scores: those matching
        enough of the query (``complete``) first."""
        candidates = np.flatnonzero(selected)
        if not len(candidates):
            return [], []
        if plan is None or sort == "date":
            order = candidates[np.argsort(-gen.dates[candidates], kind="stable")][:limit]
            return order.tolist(), [0.0] * len(order)
        scores = gen.scorer.bm25(term for unit in plan.units for term in unit.terms())
        priors = np.where(self._names_mask(gen, plan), 1.0, gen.priors)
        final = scores * priors * coordination + gen.recency
        tiers = [candidates] if complete is None else [candidates[complete[candidates]],
                                                       candidates[~complete[candidates]]]
        order = np.concatenate([self._best(gen, plan, final, tier, limit) for tier in tiers])[:limit]
        return order.tolist(), final[order].tolist()

    @staticmethod
    def _best(gen: Generation, plan, final: np.ndarray, candidates: np.ndarray, limit: int) -> np.ndarray:
        """The ``limit`` best of ``candidates``, words close together counting (``final`` updated)."""
        if not len(candidates):
            return candidates
        order = top(final, candidates, limit + PROXIMITY_WINDOW)
        if plan.proximity is not None:  # positions are costly to read: only for the leading pages
            near = gen.among(plan.proximity, order[:PROXIMITY_WINDOW])
            final[near] *= 1 + queryplan.PROXIMITY_BONUS
            order = top(final, order, limit)
        return order[:limit]

    @staticmethod
    def _names_mask(gen: Generation, plan) -> np.ndarray:
        """Pages whose title holds every query word: a query naming a person is about them."""
        mask = gen.facets.live.copy()
        for forms in plan.words:
            mask &= gen.scorer.term_mask("title_exact", forms.exact)
        return mask

    def _hit(self, gen: Generation, docnum: int, score: float, forms: QueryForms) -> Hit:
        stored = gen.searcher.stored_fields(docnum)
        record = stored["record"]
        pieces = snippet(record["text"], forms, record["lang"]) if forms.exact else []
        if not any(matched for _piece, matched in pieces):
            pieces = [(record["summary"] or record["text"][:300], False)]
        return Hit(docnum=docnum, path=stored["path"], url=record["url"], title=record["title"],
                   kind=record["kind"], date=record["date"], lang=record["lang"], score=round(float(score), 4),
                   summary=record["summary"], snippet=pieces, facets=record["facets"])

    def _suggestion(self, gen: Generation, typed: str, plan, budget) -> str | None:
        """A "did you mean" built from the index's own words, when one of them is likelier."""
        replacements = {}
        for forms in plan.words:
            frequency = gen.lexicon.doc_frequency("body_exact", forms.exact)
            if frequency > SUGGEST_BELOW or not budget.allows(forms.exact):  # a common word is not a typo
                continue
            candidates = [(gen.lexicon.doc_frequency("body_exact", term), term)
                          for term in gen.lexicon.neighbours(forms.exact)]
            better = [c for c in candidates if c[0] > max(2, frequency * 5)]
            if better:
                replacements[forms.exact] = max(better)[1]
        if not replacements:
            return None
        suggestion = WORD_RE.sub(lambda m: replacements.get(fold(m.group()), m.group()), querylang.clean(typed))
        return suggestion if suggestion != querylang.clean(typed) else None

    @staticmethod
    def _drop_filters(matched: np.ndarray, masks: dict) -> list[tuple[str, int]]:
        """For each active facet filter, how many results there would be without it."""
        drops = []
        for facet in masks:
            subset = matched.copy()
            for other, mask in masks.items():
                if other != facet:
                    subset &= mask
            drops.append((facet, int(subset.sum())))
        return sorted(drops, key=lambda item: -item[1])

    @reads_index
    def suggest(self, prefix: str, limit: int = 8) -> list[dict]:
        """Titles, then frequent words, starting with what the visitor has typed so far."""
        gen = self.generation()
        typed = querylang.clean(prefix)
        folded = " ".join(fold(word) for word in typed.split())
        if len(folded) < 2:
            return []
        suggestions = []
        for card in gen.cards:
            if card and fold_title(card[0]).startswith(folded):
                suggestions.append({"type": "title", "value": card[0], "url": card[1], "kind": card[2]})
                if len(suggestions) >= limit // 2:
                    break
        last = folded.split()[-1]
        head = typed.rsplit(" ", 1)[0] + " " if " " in typed else ""
        words = gen.postings.most_frequent(
            "body_exact", map(bytes.decode, gen.reader.expand_prefix("body_exact", last)), limit - len(suggestions))
        for _freq, term in words:
            suggestions.append({"type": "term", "value": head + term})
        return suggestions

    @reads_index
    def document(self, path: str) -> dict:
        """The stored record of one indexed page (with its path); :class:`BadQuery` if unknown."""
        gen = self.generation()
        docnum = gen.searcher.document_number(path=path)
        if docnum is None:
            raise BadQuery(f"page inconnue : {path}")
        return {"path": path, **gen.searcher.stored_fields(docnum)["record"]}

    @reads_index
    def similar(self, path: str | None = None, text: str | None = None, kinds=("défi",),
                limit: int = 10) -> list[similar.SimilarHit]:
        """Pages of the given kinds closest to an indexed page (``path``) or to a pasted ``text``.

        Raises :class:`BadQuery` when neither is given, or when ``path`` is not in the index.
        """
        gen = self.generation()
        source_facets, source_meta, title, lang, exclude = {}, {}, "", "fr", None
        if path:
            record = self.document(path)
            docnum = gen.searcher.document_number(path=path)
            text = " ".join([record["summary"], record["text"], " ".join(record["meta"].get("skills") or [])])
            title, lang, exclude = record["title"], record["lang"], docnum
            source_facets, source_meta = record["facets"], record["meta"]
        if not text or not text.strip():
            raise BadQuery("donnez une page (path) ou un texte (text) à comparer")
        terms = similar.key_terms(similar.clean_text(text), title, gen.postings, lang, thesaurus=gen.thesaurus)
        allowed = gen.facets.mask("kind", [facet_key(kind) for kind in kinds]) & gen.facets.live
        if exclude is not None:
            allowed[exclude] = False
        return similar.rank(gen, terms, allowed, limit, source_facets, source_meta)

    @reads_index
    def stats(self) -> dict:
        """Documents per facet value, with the generation and when it was built."""
        gen = self.generation()
        buckets = gen.facets.buckets(gen.facets.live, {}, {})
        return {
            "generation": gen.name,
            "built_at": gen.manifest.get("built_at"),
            "site": gen.manifest.get("site"),
            "documents": int(gen.facets.live.sum()),
            "drafts": len(gen.manifest.get("drafts", [])),
            "skipped": len(gen.manifest.get("skipped", [])),
            "facets": {facet: {v.value: v.count for v in values} for facet, values in buckets.items()},
        }

    def close(self) -> None:
        for generation in (self._previous, self._generation):
            if generation is not None:
                generation.close()


def fold_title(title: str) -> str:
    return " ".join(fold(word) for word in title.split())
