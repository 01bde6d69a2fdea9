"""Search the current generation: matching, ranking, facets, snippets, suggestions.

One :class:`SearchEngine` per process. It keeps the current :class:`~indexer.search.generation.Generation`
open (its searcher and arrays) and reopens it only when ``CURRENT`` names a new generation, so a
reindex is picked up at the next request and costs nothing the rest of the time. Results are
remembered per generation.
"""

import logging
import threading
import time

import numpy as np

from indexer.errors import N_, BadQuery, SearchTimeout
from indexer.fields import SearchSettings, facet_key
from indexer.search import cards, querylang, queryplan, similar, sorting, suggest
from indexer.search.generation import Generation
from indexer.search.hits import search_hit
from indexer.search.kinds import interleave
from indexer.search.request import SearchRequest, SearchResult, sorts_for
from indexer.search.scoring import top
from indexer.search.snippets import QueryForms, as_written
from indexer.store.generations import IndexStore, reads_index

FEW_RESULTS = 3
#: The proximity bonus is computed for this many leading pages (positions are costly to read).
PROXIMITY_WINDOW = 20
#: Values given per facet: all of them (None), the selected ones first, then by count and name;
#: pages show the first few and « Afficher tout ». A number keeps only the most frequent (and the selected).
FACET_VALUES = None
#: Searches remembered per generation by default (identical requests are answered from memory).
CACHED_SEARCHES = 256
#: A search gets this long (seconds); slower ones are logged.
TIME_BUDGET = 1.0
SLOW_QUERY_MS = 500

log = logging.getLogger(__name__)


class SearchEngine:
    """Searches one index folder, following its current generation."""

    def __init__(self, index_folder, result_cache: int = CACHED_SEARCHES):
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
        key = request.cache_key()
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
        sorts = sorts_for(gen.search.names)
        if request.sort not in sorts:
            raise BadQuery(N_("tri « %(sort)s » indisponible sur ce site : choisir parmi %(sorts)s"),
                           sort=request.sort, sorts=", ".join(sorts))
        parsed = querylang.parse(request.q)
        filters = {facet: list(dict.fromkeys(k for k in map(facet_key, values) if k))
                   for facet, values in request.filters.items() if facet in gen.facets.names}
        masks = gen.facets.filter_masks(filters)
        plan = (queryplan.plan(parsed, gen.lexicon, gen.thesaurus, deadline, gen.glossary, request.exact)
                if not parsed.is_empty else None)
        matched, relaxed, coordination, complete = self._match(gen, parsed, plan, deadline)
        selected = matched.copy()
        for mask in masks.values():
            selected &= mask
        total = int(selected.sum())
        start = (request.page - 1) * request.per_page
        docnums, scores = self._rank(gen, plan, selected, start + request.per_page, request.sort, coordination,
                                     complete)
        forms = QueryForms.of(plan.highlighted if plan else [])
        hits = [search_hit(gen.stored(docnum), docnum, score, forms) for docnum, score in
                zip(docnums[start:], scores[start:])]
        cards.with_profiles(gen, hits)
        result = SearchResult(
            request=request, total=total, hits=hits,
            facets=gen.facets.buckets(matched, masks, filters, limit=FACET_VALUES),
            relaxed=relaxed, truncated=parsed.truncated,
            corrected={typed: as_written(fixed, (hit.snippet for hit in hits)) for typed, fixed in plan.corrected.items()}
            if plan and total else {},
            dropped=plan.dropped if plan and total else [],
            generation=gen.name, hit_facets=tuple(facet.name for facet in gen.search.read_facets),
            sorts=sorts, kinds=gen.kind_groups.order)
        if plan and total < FEW_RESULTS:
            result.suggestion = suggest.did_you_mean(gen, request.q, plan, queryplan.CorrectionBudget(deadline))
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
                raise SearchTimeout(N_("la recherche a pris trop de temps : retirez des mots ou ajoutez un filtre"))
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
        final = None
        if plan is not None:
            scores = gen.scorer.bm25(term for unit in plan.units for term in unit.terms())
            priors = np.where(self._names_mask(gen, plan), 1.0, gen.priors)
            final = scores * priors * coordination + gen.recency
        if sort != "relevance":
            order = sorting.order(gen, sort, candidates, final)[:limit]
        elif plan is None:  # every page, newest first: the kinds searched for lead all the same
            order = interleave(sorting.order(gen, "date", candidates, None), gen.secondary, limit)
        else:
            tiers = [candidates] if complete is None else [candidates[complete[candidates]],
                                                           candidates[~complete[candidates]]]
            stream = np.concatenate([self._tier(gen, plan, final, tier, limit) for tier in tiers])
            order = interleave(stream, gen.secondary, limit)
        return order.tolist(), [0.0] * len(order) if final is None else final[order].tolist()

    def _tier(self, gen: Generation, plan, final: np.ndarray, candidates: np.ndarray, limit: int) -> np.ndarray:
        """The ``limit`` best of ``candidates`` of the kinds searched for, and the ``limit`` best
        of the secondary ones (:mod:`indexer.search.kinds`), together in order."""
        held = gen.secondary[candidates]
        best = np.concatenate([self._best(gen, plan, final, group, limit)
                               for group in (candidates[~held], candidates[held])])
        return best[np.lexsort((gen.scorer.path_rank[best], -final[best]))]

    @staticmethod
    def _best(gen: Generation, plan, final: np.ndarray, candidates: np.ndarray, limit: int) -> np.ndarray:
        """The ``limit`` best of ``candidates``, words close together counting (``final`` updated)."""
        if not len(candidates):
            return candidates
        order = top(final, candidates, limit + PROXIMITY_WINDOW, gen.scorer.path_rank)
        if plan.proximity is not None:  # positions are costly to read: only for the leading pages
            near = gen.among(plan.proximity, order[:PROXIMITY_WINDOW])
            final[near] *= 1 + queryplan.PROXIMITY_BONUS
            order = top(final, order, limit, gen.scorer.path_rank)
        return order[:limit]

    @staticmethod
    def _names_mask(gen: Generation, plan) -> np.ndarray:
        """Pages whose title holds every query word: a query naming a person is about them."""
        mask = gen.facets.live.copy()
        for forms in plan.words:
            mask &= gen.scorer.term_mask("title_exact", forms.exact)
        return mask

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
        return suggest.completions(self.generation(), prefix, limit)

    @reads_index
    def document(self, path: str) -> dict:
        """The stored record of one indexed page (with its path); :class:`BadQuery` if unknown."""
        gen = self.generation()
        docnum = gen.document_number(path)
        if docnum is None:
            raise BadQuery(N_("page inconnue : %(path)s"), path=path)
        return {"path": path, **gen.stored(docnum)["record"]}

    @reads_index
    def settings(self) -> SearchSettings:
        """The facets, kinds and projects of the indexed site."""
        return self.generation().search

    @reads_index
    def similar(self, path: str | None = None, text: str | None = None, kinds=None,
                limit: int = 10) -> list[similar.SimilarHit]:
        """Pages of the given kinds (by default the site's projects) closest to an indexed page
        (``path``) or to a pasted ``text``.

        Raises :class:`BadQuery` when neither is given, or when ``path`` is not in the index.
        """
        gen = self.generation()
        kinds = gen.search.projects if kinds is None else kinds
        allowed = gen.kinds_mask(kinds)
        if path:
            record = self.document(path)
            docnum = gen.document_number(path)
            allowed[docnum] = False
            return similar.to_page(gen, record, docnum, kinds, allowed, limit)
        if not text or not text.strip():
            raise BadQuery(N_("donnez une page (path) ou un texte (text) à comparer"))
        return similar.to_text(gen, text, kinds, allowed, limit)

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
            "labels": gen.search.labels,
        }

    def close(self) -> None:
        for generation in (self._previous, self._generation):
            if generation is not None:
                generation.close()
