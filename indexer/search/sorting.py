"""The orders a visitor may choose besides relevance: newest first, newest promotion first.

Many pages are dated by a year alone (a défi of 2019 is dated 1 January 2019), so dates tie
often: the fifteen défis of a promotion share one. Ties are then broken by relevance when there is
a query (the most relevant défi of the year first), else by kind (the kinds searched for before
profiles: :mod:`indexer.search.kinds`) and path, which for Jekyll's pages is the date and the
title's slug (``_defis/2019-01-01-cartobio.md``): A to Z. A page dated by its year comes after
the pages dated within that year, where its date puts it.

The promotion order groups the pages by promotion, the newest first (the one whose pages are the
most recent), then by relevance (else date and path); pages of no promotion come last.
"""

import re

import numpy as np

#: The facet the promotion order reads.
PROMOTION = "promotion"


def order(gen, sort: str, candidates: np.ndarray, relevance: np.ndarray | None) -> np.ndarray:
    """``candidates`` in the order ``sort`` names (``date`` or ``promotion``); ``relevance`` is
    each document's score for the query, None without one."""
    keys = [gen.scorer.path_rank[candidates], -(gen.priors if relevance is None else relevance)[candidates]]
    if sort == PROMOTION:
        if relevance is None:
            keys.append(-gen.dates[candidates])
        keys.append(promotion_ranks(gen)[candidates])
    else:
        keys.append(-gen.dates[candidates])
    return candidates[np.lexsort(keys)]


def promotion_ranks(gen) -> np.ndarray:
    """Per document, the rank of its newest promotion (0: the newest; promotions ordered by their
    latest page's date, then by name, numbers as numbers); after every rank without one."""
    docs, ids = gen.facets.pairs[PROMOTION]
    keys = gen.facets.keys[PROMOTION]
    live = gen.facets.live[docs]
    docs, ids = docs[live], ids[live]
    newest = np.full(len(keys), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(newest, ids, gen.dates[docs])
    ranked = sorted(range(len(keys)), key=lambda i: (-int(newest[i]), _natural(keys[i])))
    rank_of = np.empty(len(keys), dtype=np.int64)
    rank_of[ranked] = np.arange(len(keys))
    ranks = np.full(gen.facets.size, len(keys), dtype=np.int64)
    np.minimum.at(ranks, docs, rank_of[ids])
    return ranks


def _natural(key: str) -> tuple:
    """Promotions of the same year, the newest first as a person reads them: « 10 » before « 9 »,
    numbered ones before named ones (« 3 » before « dig »)."""
    return tuple((0, -int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", key))
