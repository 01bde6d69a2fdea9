"""Highlighted extracts: the passage of a page that best matches the query, cropped.

Matching uses the same analysis as the index (folding, elision, stemming), so ``navire``
highlights "navires" and ``securite`` highlights "Sécurité". Candidate words are found by one
regular expression (each query stem as an accent-tolerant word prefix) and only those are
analysed, so a long page costs little. The output is a list of ``(text, matched)`` pieces;
turning it into HTML escapes every piece, so the only markup a snippet can ever carry is the
highlighter's own ``<mark>``.
"""

import re
from dataclasses import dataclass, field
from html import escape

from indexer.language.analysis import fold, stem, written

WINDOW_CHARS = 220
#: Context kept before the first highlighted word of the window.
LEAD_CHARS = 40
#: Longer texts are only scanned this far for the best passage (the page start is the best bet).
SCAN_CHARS = 30_000
#: Enough matches to choose a passage from.
MAX_HITS = 40
_SPACES_RE = re.compile(r"\s+")
_ACCENTED = {"a": "aàâä", "c": "cç", "e": "eéèêë", "i": "iîï", "o": "oôö", "u": "uùûü", "y": "yÿ"}
_LIGATURES = {"oe": "(?:oe|œ)", "ae": "(?:ae|æ)"}


def _accent_tolerant(prefix: str) -> str:
    """A regex for a folded prefix that also matches its accented spellings."""
    out, i = [], 0
    while i < len(prefix):
        pair = prefix[i:i + 2]
        if pair in _LIGATURES:
            out.append(_LIGATURES[pair])
            i += 2
            continue
        letters = _ACCENTED.get(prefix[i])
        out.append(f"[{letters}]" if letters else re.escape(prefix[i]))
        i += 1
    return "".join(out)


@dataclass(frozen=True)
class QueryForms:
    """The forms of the query words a text word can match: folded or stemmed."""

    exact: frozenset
    stems: frozenset
    pattern: re.Pattern | None = field(default=None, compare=False)

    @classmethod
    def of(cls, words) -> "QueryForms":
        exact = {fold(word) for word in words}
        exact.discard("")
        stems = frozenset(stem(term, lang) for term in exact for lang in ("fr", "en"))
        prefixes = sorted(stems | exact)
        alternatives = "|".join(map(_accent_tolerant, prefixes))
        pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*", re.IGNORECASE) if prefixes else None
        return cls(frozenset(exact), stems, pattern)

    def matches(self, word: str, lang: str) -> bool:
        folded = fold(word)
        return folded in self.exact or stem(folded, lang) in self.stems


def snippet(text: str, forms: QueryForms, lang: str = "fr", window: int = WINDOW_CHARS) -> list[tuple[str, bool]]:
    """The best window of ``text`` for the query, as ``(piece, is_match)`` pairs."""
    text = text[:SCAN_CHARS]
    hits = []
    for match in forms.pattern.finditer(text) if forms.pattern else ():
        if forms.matches(match.group(), lang):
            hits.append(match.span())
            if len(hits) >= MAX_HITS:
                break
    start = _best_start(text, hits, window)
    end = _word_end(text, min(len(text), start + window))
    pieces: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    cursor = start
    for hit_start, hit_end in hits:
        if start <= hit_start and hit_end <= end:
            if hit_start > cursor:
                pieces.append((text[cursor:hit_start], False))
            pieces.append((text[hit_start:hit_end], True))
            cursor = hit_end
    pieces.append((text[cursor:end], False))
    if end < len(text):
        pieces.append(("…", False))
    return [(_SPACES_RE.sub(" ", piece), matched) for piece, matched in pieces if piece]


def _best_start(text: str, hits: list[tuple[int, int]], window: int) -> int:
    """Start of the window holding the most distinct matched words (then the most matches)."""
    if not hits:
        return 0
    best, best_score = 0, (-1, -1)
    for position, (first, _end) in enumerate(hits):
        inside = [h for h in hits[position:] if h[1] <= first + window - LEAD_CHARS]
        score = (len({fold(text[a:b]) for a, b in inside}), len(inside))
        if score > best_score:
            best, best_score = first, score
    if best <= LEAD_CHARS:
        return 0
    space = text.find(" ", best - LEAD_CHARS, best)
    return space + 1 if space >= 0 else best - LEAD_CHARS


def _word_end(text: str, end: int) -> int:
    """Move a cut back to the last space, so no word is split."""
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", end - 30, end)
    return space if space > 0 else end


def as_written(folded: str, snippets) -> str:
    """A folded index word as the results' snippets write it (« donnees » → « données »), in lower
    case unless written all in capitals; the folded word when no snippet shows it."""
    for pieces in snippets:
        for piece, matched in pieces:
            if matched and fold(piece) == folded:
                word = written(piece)
                return word if word.isupper() else word.lower()
    return folded


def to_html(pieces) -> str:
    """Escaped HTML of a snippet, matched words in ``<mark>``."""
    return "".join(f"<mark>{escape(piece)}</mark>" if matched else escape(piece) for piece, matched in pieces)


def to_text(pieces) -> str:
    """The snippet as plain text, for terminals."""
    return "".join(piece for piece, _matched in pieces)
