"""Matching and BM25 scoring on numpy arrays, for a whole query at once.

A :class:`Scorer` reads one generation's postings. For the units of a
:class:`~indexer.search.queryplan.QueryPlan` it gives, per document, how well each unit matches
(a word: any of its terms; an alternative: all its words, a correction counting less; a unit: its
best alternative), the coordination factor (the share of the query a page matches, rare words
weighing more), and the sum of the BM25 contributions of the query's terms, one vectorised
operation per term. :func:`top` takes the best candidates with a partition, equal scores in path
order: nothing here loops over documents in Python. The engine (:mod:`indexer.search.engine`)
multiplies these scores by the kind priors, adds the proximity bonus and breaks ties by recency.
"""

import math
from functools import cached_property

import numpy as np

#: BM25 parameters (the usual ones).
K1 = 1.2
B = 0.75
#: How much matching only part of the query costs: score × (share of the query matched) ** this.
COORDINATION_EXPONENT = 0.5
#: A word matched only through a typo correction counts this much of a word matched as typed.
FALLBACK_FACTOR = 0.5


class Scorer:
    """Masks and scores over one generation's postings."""

    def __init__(self, postings, live: np.ndarray):
        self.postings = postings
        self.live = live
        self.documents = max(1, int(live.sum()))

    @property
    def path_rank(self) -> np.ndarray:
        """Per document, the rank of its path in sorted order, read on first use: equal scores and
        equal dates come in this order."""
        return self.postings.id_ranks("path")

    @cached_property
    def path_order(self) -> np.ndarray:
        """The live documents in path order (title suggestions are offered in it)."""
        return np.argsort(self.path_rank)[:int(self.live.sum())]

    def term_mask(self, field: str, text: str) -> np.ndarray:
        mask = np.zeros(self.postings.size, dtype=bool)
        mask[self.postings.docs(field, text)] = True
        return mask

    def terms_mask(self, terms) -> np.ndarray:
        """Documents holding any of the terms."""
        mask = np.zeros(self.postings.size, dtype=bool)
        for term in terms:
            mask[self.postings.docs(term.field, term.text)] = True
        return mask

    def word_mask(self, word) -> np.ndarray:
        return self.terms_mask([*word.terms, *word.fallback])

    def alternative_weights(self, alternative, phrase_mask) -> np.ndarray:
        """Per document, how well an alternative matches: its weight when every word matches in
        its own forms, :data:`FALLBACK_FACTOR` of it when a word only matches a correction, else 0."""
        typed, fallback = self.live.copy(), self.live.copy()
        for word in alternative.words:
            own = self.terms_mask(word.terms)
            typed &= own
            fallback &= own | self.terms_mask(word.fallback) if word.fallback else own
        if alternative.phrase is not None and fallback.any():
            near = phrase_mask(alternative.phrase)
            typed &= near
            fallback &= near
        return alternative.weight * np.where(typed, 1.0, np.where(fallback, FALLBACK_FACTOR, 0.0))

    def unit_weights(self, unit, phrase_mask) -> np.ndarray:
        """Per document, the best-matching alternative's weight (0: the unit does not match)."""
        best = np.zeros(self.postings.size, dtype=np.float64)
        for alternative in unit.alternatives:
            np.maximum(best, self.alternative_weights(alternative, phrase_mask), out=best)
        return best

    def coordination(self, unit_weights: list[np.ndarray]) -> np.ndarray:
        """Per document: (share of the query it matches, each unit weighted by its rarity) **
        :data:`COORDINATION_EXPONENT` — missing a rare word costs more than a common one — times
        the weight with which each matched unit matched (1 for the words as typed, less for a
        synonym or a typo correction), so such pages rank below pages with the typed words.

        A unit matched only through a correction never counts for less than a unit not matched
        at all: a page holding "geodata" for "géodonnées" keeps the share its typed words earn.
        And when no page has a unit's typed words, its best match on any page counts as 1: the
        corrections are then all there is to find, and pages holding them and the other words
        should lead.
        """
        rarity = [math.log(1 + self.documents / max(1, int(np.count_nonzero(w)))) for w in unit_weights]
        share = np.zeros(self.postings.size, dtype=np.float64)
        typed_share = np.zeros(self.postings.size, dtype=np.float64)
        quality = np.ones(self.postings.size, dtype=np.float64)
        for weight, unit in zip(rarity, unit_weights):
            best = unit.max(initial=0.0)
            if 0 < best < 1:  # no page has the typed words: the best match any page has counts in full
                unit = unit / best
            share += weight * (unit > 0)
            typed_share += weight * (unit >= 1)
            quality *= np.where(unit > 0, unit, 1.0)
        total = max(sum(rarity), 1e-9)
        return np.maximum((share / total) ** COORDINATION_EXPONENT * quality,
                          (typed_share / total) ** COORDINATION_EXPONENT)

    def bm25(self, terms) -> np.ndarray:
        """Sum of the BM25 scores of ``terms`` (each ``(field, text, boost)``) for every document."""
        scores = np.zeros(self.postings.size, dtype=np.float64)
        best = {}
        for term in terms:  # a term listed twice (two stems alike) counts once, at its best weight
            key = (term.field, term.text)
            best[key] = max(best.get(key, 0.0), term.boost)
        for (field, text), boost in best.items():
            ids, frequencies = self.postings.term(field, text)
            if not len(ids):
                continue
            idf = math.log(1 + (self.documents - len(ids) + 0.5) / (len(ids) + 0.5))
            norm = K1 * (1 - B + B * self.postings.lengths(field)[ids] / self.postings.average_length(field))
            scores[ids] += boost * idf * frequencies * (K1 + 1) / (frequencies + norm)
        return scores


def top(scores: np.ndarray, candidates: np.ndarray, limit: int, path_rank: np.ndarray) -> np.ndarray:
    """The ``limit`` best candidates by score, best first; equal scores in path order
    (``path_rank``: :attr:`Scorer.path_rank`), so that results do not depend on which build
    worker wrote which page, as document numbers do."""
    if limit <= 0:
        return candidates[:0]
    if len(candidates) > limit:  # keep those scoring at least the limit-th best: a tie at the cut is sorted too
        cut = len(candidates) - limit
        candidates = candidates[scores[candidates] >= np.partition(scores[candidates], cut)[cut]]
    return candidates[np.lexsort((path_rank[candidates], -scores[candidates]))][:limit]
