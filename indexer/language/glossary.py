"""English → French translations for English queries over French pages.

Two sources: a curated glossary of the programme's domain shipped with the project
(``indexer/language/data/glossary.yml``, editable like the synonyms), and the pairs the site
itself provides — its bilingual ``_data`` files and its pages written in both languages — from
which :func:`word_pairs` keeps the words that always go together. The curated entries come first.
A query that reads as English (:mod:`indexer.language.detect`) also searches the translations of
its words, at a lower weight than the words typed (:mod:`indexer.search.queryplan`).

Entries are compared on English stems of folded words, stop words left out, so "reviews" meets
the entry "review" and "call for projects" the entry "call for projects".
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from indexer.language.analysis import WORD_RE, exact_terms, fold, is_stop_word, stem

GLOSSARY_FILE = Path(__file__).parent / "data" / "glossary.yml"
#: The phrase pairs a site provides, saved with each generation: ``[[french, english], …]``.
SITE_PAIRS_FILE = "translations.json"
#: A site's word pair is kept when the two words go together in at least this many of its
#: phrase pairs, and in most of the pairs holding either (Dice coefficient).
MIN_PAIRS = 2
MIN_DICE = 0.6
#: Phrases longer than this (answers of a FAQ, paragraphs) say too much to align words on.
MAX_PAIR_WORDS = 12


def english_key(text: str) -> tuple:
    """The comparable form of English words: English stems of the folded words, stop words out."""
    return tuple(stem(word, "en") for word in map(fold, WORD_RE.findall(text)) if word and not is_stop_word(word))


def french_words(text: str) -> tuple:
    """The folded words a French translation is searched by (stop words out)."""
    return tuple(exact_terms(text, "fr"))


@dataclass
class Glossary:
    """English word sequences (by :func:`english_key`) and their French translations."""

    translations: dict[tuple, list[tuple]] = field(default_factory=dict)
    #: The folded English words it translates: what makes a query read as English.
    english_words: set[str] = field(default_factory=set)
    #: Whether the site's French pages use a folded word (set once the site is known): such a
    #: word ("open data", "design") says nothing of a query's language.
    used_in_french: Callable[[str], bool] = staticmethod(lambda _word: False)

    @property
    def longest(self) -> int:
        return max((len(key) for key in self.translations), default=0)

    def add(self, english: str, french: list[str]) -> None:
        """Translate ``english`` by ``french`` (added after the translations it already has); a
        translation spelled like the English once folded adds nothing and is left out."""
        key = english_key(english)
        same = tuple(map(fold, WORD_RE.findall(english)))
        found = self.translations.setdefault(key, []) if key else []
        for text in french:
            words = french_words(text)
            if words and words != same and words not in found:
                found.append(words)
        if key and not found:
            del self.translations[key]
        elif found:
            self.english_words.update(word for word in same if not is_stop_word(word))

    def spans(self, words: list[str]) -> list[tuple[int, int, list[tuple]]]:
        """Greedy longest entries in a sequence of folded query words: ``(start, end, translations)``."""
        keys = [stem(word, "en") for word in words]
        found, start = [], 0
        while start < len(words):
            for end in range(min(len(words), start + self.longest), start, -1):
                translations = self.translations.get(tuple(keys[start:end]))
                if translations:
                    found.append((start, end, translations))
                    start = end
                    break
            else:
                start += 1
        return found


def load_entries(path: Path = GLOSSARY_FILE) -> dict[str, list[str]]:
    """The curated glossary's entries: English → French translations."""
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    entries = data.get("entries") or {}
    return {str(english): [str(item) for item in (french if isinstance(french, list) else [french])]
            for english, french in entries.items()}


def glossary(site_pairs: list | None = None, entries: dict | None = None) -> Glossary:
    """The curated entries, then the word pairs learned from the site's phrase pairs."""
    result = Glossary()
    for english, french in (load_entries() if entries is None else entries).items():
        result.add(english, french)
    for english, french in word_pairs(site_pairs or []):
        if english_key(english) not in result.translations:
            result.add(english, [french])
    return result


def word_pairs(pairs) -> list[tuple[str, str]]:
    """English and French words that go together across a site's short phrase pairs
    (``[french, english]``): each other's only best match (Dice coefficient) over the pairs that
    hold either, found together in :data:`MIN_PAIRS` pairs or more (or forming a pair of one word
    each). A tie is no answer; words spelled alike in both languages are left out."""
    together, english_seen, french_seen, single = Counter(), Counter(), Counter(), set()
    for french, english in pairs:
        english_words = {fold(word) for word in WORD_RE.findall(str(english)) if not is_stop_word(fold(word))}
        french_words_ = set(exact_terms(str(french), "fr"))
        if not english_words or not french_words_ or max(len(english_words), len(french_words_)) > MAX_PAIR_WORDS:
            continue
        if len(english_words) == 1 and len(french_words_) == 1:
            single.add((next(iter(english_words)), next(iter(french_words_))))
        english_seen.update(english_words)
        french_seen.update(french_words_)
        together.update((e, f) for e in english_words for f in french_words_)
    dice = {(e, f): 2 * count / (english_seen[e] + french_seen[f]) for (e, f), count in together.items()
            if count >= MIN_PAIRS or (e, f) in single}
    kept = [(e, f) for (e, f), value in dice.items()
            if value >= MIN_DICE and _only_best(dice, value, lambda pair: pair[0] == e)
            and _only_best(dice, value, lambda pair: pair[1] == f)]
    return sorted((e, f) for e, f in kept if e != f and not e.isdigit() and not f.isdigit() and len(e) > 2)


def _only_best(dice: dict, value: float, among) -> bool:
    """``value`` is the highest Dice of the pairs ``among`` selects, and no other pair has it."""
    values = sorted((other for pair, other in dice.items() if among(pair)), reverse=True)
    return values[0] == value and (len(values) == 1 or values[1] < value)
