"""Highlighted extracts: the passage of a page that best matches the query, cropped.

Matching uses the same analysis as the index (folding, elision, stemming), so ``navire``
highlights "navires" and ``securite`` highlights "Sécurité". The output is a list of
``(text, matched)`` pieces; turning it into HTML escapes every piece, so the only markup a
snippet can ever carry is the highlighter's own ``<mark>``.
"""

import re
from dataclasses import dataclass
from html import escape

from .analysis import WORD_RE, fold, stem

WINDOW_WORDS = 32
#: Longer texts are only scanned this far for the best passage (the page start is the best bet).
SCAN_CHARS = 40_000
_SPACES_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class QueryForms:
    """The forms of the query words a text word can match: folded or stemmed."""

    exact: frozenset
    stems: frozenset

    @classmethod
    def of(cls, words) -> "QueryForms":
        exact = {fold(word) for word in words}
        exact.discard("")
        return cls(frozenset(exact), frozenset(stem(term, lang) for term in exact for lang in ("fr", "en")))

    def matches(self, word: str, lang: str) -> bool:
        folded = fold(word)
        return folded in self.exact or stem(folded, lang) in self.stems


def snippet(text: str, forms: QueryForms, lang: str = "fr", window: int = WINDOW_WORDS) -> list[tuple[str, bool]]:
    """The best window of ``text`` for the query, as ``(piece, is_match)`` pairs."""
    text = text[:SCAN_CHARS]
    spans = [m.span() for m in WORD_RE.finditer(text)]
    if not spans:
        return []
    hits = [i for i, (start, end) in enumerate(spans) if forms.exact and forms.matches(text[start:end], lang)]
    first = _best_window(text, spans, hits, window)
    last = min(len(spans), first + window) - 1
    start = spans[first][0] if first else 0
    end = spans[last][1]
    pieces: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    cursor = start
    for i in hits:
        if first <= i <= last:
            hit_start, hit_end = spans[i]
            if hit_start > cursor:
                pieces.append((text[cursor:hit_start], False))
            pieces.append((text[hit_start:hit_end], True))
            cursor = hit_end
    pieces.append((text[cursor:end], False))
    if end < len(text):
        pieces.append(("…", False))
    return [(_SPACES_RE.sub(" ", piece), matched) for piece, matched in pieces if piece]


def _best_window(text: str, spans, hits: list[int], window: int) -> int:
    """Index of the first word of the window holding the most distinct matched words."""
    if not hits:
        return 0
    best, best_score = 0, (-1, -1)
    for position, first_hit in enumerate(hits):
        inside = [i for i in hits[position:] if i < first_hit + window]
        distinct = len({fold(text[spans[i][0]:spans[i][1]]) for i in inside})
        score = (distinct, len(inside))
        if score > best_score:
            best, best_score = first_hit, score
    return max(0, best - 4)  # a few words of context before the first match


def to_html(pieces) -> str:
    """Escaped HTML of a snippet, matched words in ``<mark>``."""
    return "".join(f"<mark>{escape(piece)}</mark>" if matched else escape(piece) for piece, matched in pieces)


def to_text(pieces) -> str:
    """The snippet as plain text, for terminals."""
    return "".join(piece for piece, _matched in pieces)
