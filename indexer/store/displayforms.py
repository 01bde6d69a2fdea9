"""How each facet value is written on the site (``facets.json`` beside a generation): the
index keeps normalised keys, pages show the most common written form.
"""

from collections import Counter

from indexer.counts import take_back
from indexer.fields import facet_key

DISPLAY_FILE = "facets.json"


class DisplayForms:
    """Counts how each facet value is written over the pages, to show its usual form."""

    def __init__(self, counted: dict | None = None):
        """Start from the counts of :meth:`as_dict` (``update`` adds and removes pages' values)."""
        self.forms: dict[str, dict[str, Counter]] = {
            facet: {key: Counter(forms) for key, forms in keys.items()} for facet, keys in (counted or {}).items()}

    def add(self, facets: dict[str, list[str]]) -> None:
        for facet, values in facets.items():
            for value in values:
                key = facet_key(value)
                if key:
                    self.forms.setdefault(facet, {}).setdefault(key, Counter())[value] += 1

    def remove(self, facets: dict[str, list[str]]) -> None:
        """Take back what :meth:`add` counted for a page deleted or changed."""
        for facet, values in facets.items():
            for value in values:
                take_back(self.forms, facet, facet_key(value), value)

    def as_dict(self) -> dict:
        return {facet: {key: dict(forms) for key, forms in keys.items()} for facet, keys in self.forms.items()}
