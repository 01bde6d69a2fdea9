"""Synonyms and acronyms, applied at query time with a lower weight than the typed words.

Two sources: a small, editable file of French public-sector synonyms shipped with the project
(``indexer/language/data/synonyms.yml``), and the acronyms the site itself spells out — a page that
writes "Direction des affaires maritimes (DAM)" teaches that DAM and its full name are one.
Entries are compared on stems, so "navires" meets the entry "navire".
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from indexer.counts import take_back
from indexer.language.analysis import STOP_WORDS, exact_terms, fold, stem

SYNONYMS_FILE = Path(__file__).parent / "data" / "synonyms.yml"
ACRONYMS_FILE = "acronyms.json"

_ACRONYM_RE = re.compile(r"\(([A-Z][A-Za-z]{1,9})\)")
_NAME_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
#: Words an acronym skips ("Direction *des* affaires maritimes").
_LINK_WORDS = STOP_WORDS["fr"] | STOP_WORDS["en"] | {"aux", "l", "d"}
MAX_NAME_WORDS = 14


def key(words) -> tuple:
    """The comparable form of a word sequence: French stems of its folded, non-stop words."""
    return tuple(stem(term) for term in exact_terms(" ".join(words)))


@dataclass
class Thesaurus:
    """Equivalent word sequences, keyed by their stems."""

    alternatives: dict[tuple, set[tuple]] = field(default_factory=lambda: defaultdict(set))

    @property
    def longest(self) -> int:
        return max((len(k) for k in self.alternatives), default=0)

    def add_group(self, entries) -> None:
        """Make every entry of a group an alternative of every other one."""
        forms = {tuple(exact_terms(str(entry))) for entry in entries}
        forms.discard(())
        for form in forms:
            self.alternatives[tuple(stem(term) for term in form)].update(forms - {form})

    def spans(self, terms: list[str]) -> list[tuple[int, int, list[tuple]]]:
        """Greedy longest matches in a sequence of folded query terms: ``(start, end, alternatives)``."""
        found, start = [], 0
        stems = [stem(term) for term in terms]
        while start < len(terms):
            for end in range(min(len(terms), start + self.longest), start, -1):
                alternatives = self.alternatives.get(tuple(stems[start:end]))
                if alternatives:
                    found.append((start, end, sorted(alternatives)))
                    start = end
                    break
            else:
                start += 1
        return found


def load_groups(path: Path = SYNONYMS_FILE) -> list[list[str]]:
    """The groups of the synonyms file (a list of lists of words or phrases)."""
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    return [list(map(str, group)) for group in data.get("groups", []) if isinstance(group, list)]


def acronyms_in(text: str) -> list[tuple[str, str]]:
    """``(acronym, full name)`` pairs spelled out in a text, checked letter by letter."""
    pairs = []
    for match in _ACRONYM_RE.finditer(text):
        acronym = match.group(1)
        before = _NAME_WORD_RE.findall(text[max(0, match.start() - 200):match.start()])[-MAX_NAME_WORDS:]
        significant = [i for i, word in enumerate(before) if fold(word) not in _LINK_WORDS]
        letters = acronym.lower()
        if len(significant) < len(letters):
            continue
        chosen = significant[-len(letters):]
        if "".join(fold(before[i])[0] for i in chosen) == fold(letters):
            pairs.append((acronym, " ".join(before[chosen[0]:])))
    return pairs


_TITLE_ACRONYM_RE = re.compile(r"\b[A-Z][A-Za-z]?[A-Z]{1,6}[a-z]?\b")


def spelled_out(acronym: str, text: str) -> str | None:
    """The words of ``text`` whose initials spell ``acronym`` ("AFD" → "Agence française de
    développement"), link words skipped; None when the text never spells it out."""
    letters = fold(acronym)
    words = _NAME_WORD_RE.findall(text)
    folded = list(map(fold, words))
    for start, first in enumerate(folded):
        if first[:1] != letters[0] or first in _LINK_WORDS:
            continue
        matched, position = 0, start
        while position < len(folded) and matched < len(letters):
            word = folded[position]
            if word not in _LINK_WORDS:
                if word[:1] != letters[matched]:
                    break
                matched += 1
            position += 1
        if matched == len(letters):
            return " ".join(words[start:position])
    return None


def title_expansions(title: str, text: str) -> str:
    """The spelled-out names of the acronyms in a title, when the page itself spells them out,
    so that "AFD - Geodata" is also found as the Agence française de développement's page."""
    names = (spelled_out(acronym, text) for acronym in dict.fromkeys(_TITLE_ACRONYM_RE.findall(title)))
    return " ".join(name for name in names if name)


class AcronymCounter:
    """Collects acronyms over a site; keeps, for each, its most frequent full names."""

    def __init__(self, counted: dict | None = None):
        """Start from the counts of :meth:`as_counts` (``update`` adds and removes pages' pairs)."""
        self.counts: dict[str, Counter] = defaultdict(Counter, {
            acronym: Counter(names) for acronym, names in (counted or {}).items()})

    def add(self, pairs) -> None:
        for acronym, name in pairs:
            self.counts[acronym.upper()][name] += 1

    def remove(self, pairs) -> None:
        """Take back what :meth:`add` counted for a page deleted or changed."""
        for acronym, name in pairs:
            take_back(self.counts, acronym.upper(), name)

    def as_counts(self) -> dict:
        """Every name of every acronym with its count, for :meth:`__init__`."""
        return {acronym: dict(sorted(names.items())) for acronym, names in sorted(self.counts.items())}

    def as_dict(self) -> dict:
        """Each acronym's three most frequent names; equal counts in name order, so that the
        order pages were read in (which an update changes) never decides."""
        return {acronym: dict(sorted(names.items(), key=lambda item: (-item[1], item[0]))[:3])
                for acronym, names in sorted(self.counts.items())}


def thesaurus(acronyms: dict | None = None, groups: list[list[str]] | None = None) -> Thesaurus:
    """The synonyms file's groups plus the site's acronyms."""
    result = Thesaurus()
    for group in load_groups() if groups is None else groups:
        result.add_group(group)
    for acronym, names in (acronyms or {}).items():
        result.add_group([acronym, *names])
    return result
