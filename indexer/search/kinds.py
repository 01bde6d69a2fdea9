"""Which kinds of page lead the results, and which may not crowd them out.

A site's settings name the kinds its visitors search for: its projects (the programme's défis)
and related reading (articles, news). Its loose pages (Jekyll's ``pages``: about, FAQ) answer
questions about the site. The pages of every other collection — the programme's 259 people
profiles, a blog's authors — mention many subjects without being about them: they are
*secondary*. They weigh less (:data:`SECONDARY_PRIOR`), and in the relevance order at most
:data:`SECONDARY_PER_WINDOW` of them stand in each :data:`WINDOW` results while other results
remain (:func:`interleave`). A secondary page that is the answer keeps its place: the best-scored
ones are taken first, and a person's name typed gives their profile the best score.

The groups come from the settings and the collections, never from kind names: any site gets the
same rule, and one that wants a collection read as related reading lists it in ``search.related``.
"""

from dataclasses import dataclass

import numpy as np

from indexer.fields import facet_key

#: Score multipliers: a site's loose page, and a secondary page that merely mentions the words,
#: rank below a project or an article as relevant.
PAGES_PRIOR = 0.8
SECONDARY_PRIOR = 0.5
#: In each window of this many results (ranks 1-10, 11-20…), at most this many secondary pages
#: while other pages match: on a results page of 10, they are at most three.
WINDOW = 10
SECONDARY_PER_WINDOW = 3
#: The collection of a site's loose pages (:mod:`indexer.site.config`).
PAGES_COLLECTION = "pages"


@dataclass(frozen=True)
class KindGroups:
    """The kinds (facet keys) of one generation, by group, in the order tabs show them."""

    leading: tuple[str, ...]  # projects, then related reading
    secondary: tuple[str, ...]
    pages: tuple[str, ...]

    @classmethod
    def of(cls, settings, facets) -> "KindGroups":
        """The groups of a generation's kinds (its :class:`~indexer.search.facets.FacetTable`)."""
        present = facets.keys["kind"]
        leading = tuple(dict.fromkeys(key for key in map(facet_key, (*settings.projects, *settings.related))
                                      if key in present))
        loose = facets.mask("collection", [PAGES_COLLECTION]) & facets.live
        pages = tuple(key for key, count in zip(present, facets.counts("kind", loose).tolist())
                      if count and key not in leading)
        others = tuple(sorted(key for key in present if key not in leading and key not in pages))
        if not leading:  # no kind of the settings has pages: the collections lead, none is kept back
            return cls(others, (), pages)
        return cls(leading, others, pages)

    @property
    def order(self) -> tuple[str, ...]:
        """Every kind, in the order a page's tabs show them: « Défis, Articles, Personnes, Pages »."""
        return (*self.leading, *self.secondary, *self.pages)

    def priors(self, facets) -> np.ndarray:
        """Per document, the multiplier of its kind's score."""
        return np.where(self.mask(facets, self.secondary), SECONDARY_PRIOR,
                        np.where(self.mask(facets, self.pages), PAGES_PRIOR, 1.0))

    @staticmethod
    def mask(facets, keys) -> np.ndarray:
        """Per document, whether its kind is one of ``keys``."""
        return facets.mask("kind", keys)


def interleave(stream: np.ndarray, secondary: np.ndarray, limit: int) -> np.ndarray:
    """The first ``limit`` documents of ``stream`` (best first), with at most
    :data:`SECONDARY_PER_WINDOW` of the ``secondary`` ones (a boolean array by document) in each
    window of :data:`WINDOW` ranks while other documents remain; those beyond move down in their
    order. Windows count from the first result whatever the page size, so that every page
    continues the same order.

    ``stream`` may hold only the first ``limit`` documents of each group: no more are ever shown.
    """
    flags = secondary[stream]
    others, held = np.flatnonzero(~flags)[:limit].tolist(), np.flatnonzero(flags)[:limit].tolist()
    if not others or not held:
        return stream[:limit]
    order, i, j, in_window = [], 0, 0, 0
    while len(order) < limit and (i < len(others) or j < len(held)):
        if len(order) % WINDOW == 0:
            in_window = 0
        first = j < len(held) and (i == len(others) or (held[j] < others[i] and in_window < SECONDARY_PER_WINDOW))
        if first:
            order.append(held[j])
            j, in_window = j + 1, in_window + 1
        else:
            order.append(others[i])
            i += 1
    return stream[order]
