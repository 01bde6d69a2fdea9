"""What to propose as a visitor types: the titles of the site's projects and related reading,
and the values of its descriptive facets (administrations, tags…), each with what it is.

Each typed word must begin a word of the title or value (accents, case and elisions aside, in
any order), so « peche » finds « Contrôle des pêches » and « ctrl peche » does not. The words of
every title and value are sorted once per generation (:class:`Completions`); a keystroke then
costs one binary search per typed word, whatever the size of the site.
"""

import weakref
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np

from indexer.fields import facet_key
from indexer.language.analysis import WORD_RE, fold

#: A project's summary is given this long at most.
SUMMARY_CHARS = 160
#: Facets naming people: their pages are found by searching a name, not proposed as a topic.
PEOPLE_FACETS = ("author",)
#: Facet values proposed at most, and per facet.
FACET_SLOTS = 3
PER_FACET = 2
_LAST = "\U0010ffff"


def words_of(text: str) -> list[str]:
    """The folded words of a title or value (elisions and accents aside)."""
    return [word for word in map(fold, WORD_RE.findall(text)) if word]


@dataclass(frozen=True)
class Entry:
    """One thing to propose, as the API gives it (``item``), and whether it is a title."""

    item: dict
    title: bool


class WordStarts:
    """Entries found by the beginnings of their words: ``(word, entry number)`` pairs, sorted."""

    def __init__(self, texts: list[str]):
        self.pairs = sorted((word, number) for number, text in enumerate(texts) for word in set(words_of(text)))
        self.words = [word for word, _number in self.pairs]

    def starting(self, prefix: str) -> set[int]:
        """Entries holding a word that begins with ``prefix``."""
        start = bisect_left(self.words, prefix)
        end = bisect_left(self.words, prefix + _LAST, start)
        return {number for _word, number in self.pairs[start:end]}

    def matching(self, typed: list[str]) -> list[int]:
        """Entries each of whose ``typed`` words begins one of their words, in entry order."""
        found = None
        for prefix in sorted(set(typed), key=len, reverse=True):  # the longest narrows the most
            found = self.starting(prefix) if found is None else found & self.starting(prefix)
            if not found:
                return []
        return sorted(found or ())


class Completions:
    """The titles and facet values of one generation, best first, found by their word starts."""

    def __init__(self, gen):
        entries = self._titles(gen) + self._facet_values(gen)
        self.entries = [entry for entry, _text in entries]
        self.index = WordStarts([text for _entry, text in entries])

    @staticmethod
    def _titles(gen) -> list[tuple[Entry, str]]:
        """Project titles, related reading's titles, then projects by their summary (a défi's
        title is often a code name: « MonitorFish » is about « pêche »); in each, newest first."""
        projects = {facet_key(kind) for kind in gen.search.projects}
        related = {facet_key(kind) for kind in gen.search.related} - projects
        found = []
        for docnum, card in enumerate(gen.cards):
            kind = facet_key(card[2]) if card else None
            if kind not in projects and kind not in related:
                continue
            order = (-int(gen.dates[docnum]), int(gen.scorer.path_rank[docnum]))
            item = {"type": "title", "value": card[0], "kind": card[2], "url": card[1]}
            if kind in projects:
                summary = gen.stored(docnum)["record"]["summary"][:SUMMARY_CHARS]
                if summary:
                    item["summary"] = summary
                found += [((0, *order), item, card[0]), ((2, *order), item, summary)]
            else:
                found.append(((1, *order), item, card[0]))
        found.sort(key=lambda entry: entry[0])
        return [(Entry(item, True), text) for _order, item, text in found]

    @staticmethod
    def _facet_values(gen) -> list[tuple[Entry, str]]:
        """Values of the facets that say what a page is about in words (read from front matter,
        shown, not numbers nor people: administrations, tags…), in the facets' order, the most
        used first."""
        found = []
        for facet in gen.search.read_facets:
            if facet.hidden or facet.name in PEOPLE_FACETS or facet.name not in gen.facets.keys:
                continue
            counts = gen.facets.counts(facet.name, gen.facets.live)
            labels = gen.facets.labels[facet.name]
            if all(label.isdigit() for label in labels):
                continue
            for value_id in np.argsort(-counts, kind="stable").tolist():
                if counts[value_id]:
                    item = {"type": "facet", "value": labels[value_id], "facet": facet.name,
                            "label": facet.label, "count": int(counts[value_id])}
                    found.append((Entry(item, False), labels[value_id]))
        return found

    def propose(self, typed: list[str], limit: int) -> list[dict]:
        """Titles and facet values for the folded ``typed`` words: facet values take up to
        :data:`FACET_SLOTS` places (:data:`PER_FACET` per facet), titles the rest."""
        titles, values, per_facet, seen = [], [], {}, set()
        for number in self.index.matching(typed):
            entry = self.entries[number]
            key = entry.item["url"] if entry.title else facet_key(entry.item["value"])
            if key in seen:  # a project found by title and summary; a value two facets share
                continue
            if entry.title:
                if len(titles) < limit:
                    titles.append(entry.item)
                    seen.add(key)
            elif len(values) < limit and per_facet.get(entry.item["facet"], 0) < PER_FACET:
                per_facet[entry.item["facet"]] = per_facet.get(entry.item["facet"], 0) + 1
                values.append(entry.item)
                seen.add(key)
        titles = titles[:limit - min(len(values), FACET_SLOTS)]
        return titles + values[:limit - len(titles)]


_BUILT: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def for_generation(gen) -> Completions:
    """The completions of an open generation, built at its first use."""
    found = _BUILT.get(gen)
    if found is None:
        found = _BUILT[gen] = Completions(gen)
    return found
