"""Facet values held per document in compact arrays, counted over the matched documents.

Loaded once per index generation, for the facets its manifest names (each site declares its
own: :class:`~indexer.fields.SearchSettings`), from the terms ``name:value`` of the index's one
facet field: for each facet, the (document, value) pairs as two numpy arrays. Counting a facet over a set of matched documents is then one vectorised ``bincount``,
whatever the number of values, and filters are boolean masks. Counts follow the disjunctive
rule: a facet is counted with every *other* facet's filter applied, never its own, so that a
visitor can see how many results each further value would add.
"""

from dataclasses import dataclass

import numpy as np

from indexer.fields import FACET_FIELD, FACET_SEPARATOR


@dataclass
class FacetValue:
    """One bucket of a facet, as shown in the sidebar."""

    key: str
    value: str
    count: int
    selected: bool


class FacetTable:
    """Per-generation facet arrays of one index reader."""

    def __init__(self, reader, postings_of, displays: dict, names: tuple[str, ...]):
        self.names = names
        self.size = postings_of.size
        self.live = postings_of.live
        self.keys: dict[str, list[str]] = {}
        self.labels: dict[str, list[str]] = {}
        self.key_ids: dict[str, dict[str, int]] = {}
        self.pairs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.displays = displays
        found: dict[str, tuple[list, list, list]] = {facet: ([], [], []) for facet in names}
        for term in reader.field_terms(FACET_FIELD) if FACET_FIELD in reader.indexed_field_names() else []:
            facet, _separator, key = term.partition(FACET_SEPARATOR)
            postings = postings_of.docs(FACET_FIELD, term) if facet in found else ()
            if not len(postings):  # only pages an update deleted had it
                continue
            keys, docs, ids = found[facet]
            ids.append(np.full(len(postings), len(keys), dtype=np.int32))
            keys.append(key)
            docs.append(postings)
        for facet, (keys, docs, ids) in found.items():
            self.keys[facet] = keys
            self.key_ids[facet] = {key: i for i, key in enumerate(keys)}
            self.labels[facet] = [self.display(facet, key) for key in keys]
            self.pairs[facet] = (np.concatenate(docs) if docs else np.zeros(0, np.int32),
                                 np.concatenate(ids) if ids else np.zeros(0, np.int32))

    def display(self, facet: str, key: str) -> str:
        """The most common written form of a value ("Open data" rather than "open data"); of
        forms as common, the longest ("Cour des comptes (CC)" rather than "Cour des comptes")."""
        forms = self.displays.get(facet, {}).get(key)
        return max(forms.items(), key=lambda item: (item[1], len(item[0]), item[0]))[0] if forms else key

    def mask(self, facet: str, selected_keys) -> np.ndarray:
        """Documents having at least one of the selected values (values combine with OR)."""
        docs, ids = self.pairs[facet]
        wanted = np.zeros(len(self.keys[facet]) + 1, dtype=bool)
        for key in selected_keys:
            if key in self.key_ids[facet]:
                wanted[self.key_ids[facet][key]] = True
        result = np.zeros(self.size, dtype=bool)
        result[docs[wanted[ids]]] = True
        return result

    def counts(self, facet: str, matched: np.ndarray) -> np.ndarray:
        """How many matched documents carry each value of ``facet``."""
        docs, ids = self.pairs[facet]
        return np.bincount(ids[matched[docs]], minlength=len(self.keys[facet]))

    def filter_masks(self, filters: dict[str, list[str]]) -> dict[str, np.ndarray]:
        """One mask per filtered facet (facets combine with AND)."""
        return {facet: self.mask(facet, keys) for facet, keys in filters.items() if keys and facet in self.keys}

    def buckets(self, matched: np.ndarray, masks: dict[str, np.ndarray], filters: dict[str, list[str]],
                limit: int | None = None) -> dict[str, list[FacetValue]]:
        """Disjunctive counts for every facet: each counted with the other facets' filters only;
        every value found (at most ``limit``, the most frequent, when given), the selected ones
        first (even when no result has them), then by count and by name (accents and case aside)."""
        result = {}
        for facet in self.names:
            subset = matched
            for other, mask in masks.items():
                if other != facet:
                    subset = subset & mask
            counts = self.counts(facet, subset)
            selected = set(filters.get(facet, ()))
            keys, labels = self.keys[facet], self.labels[facet]
            shown = np.flatnonzero(counts)
            if limit and len(shown) > limit:
                shown = shown[np.argsort(-counts[shown], kind="stable")[:limit]]
            ids = set(shown.tolist()) | {self.key_ids[facet][key] for key in selected if key in self.key_ids[facet]}
            values = [FacetValue(keys[i], labels[i], int(counts[i]), keys[i] in selected) for i in ids]
            values.sort(key=lambda v: (not v.selected, -v.count, v.key, v.value))
            result[facet] = values
        return result
