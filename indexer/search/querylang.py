"""The visitor's query language: words, "phrases", -exclusions and OR. Nothing else.

Whoosh's own query parser is never given user input: it understands wildcards, ranges, fields
and fuzzy syntax, some of which take seconds on a large index or raise on odd input. Here the
query is cut to a known length and number of terms *before* any parsing, and every character
that is not part of this small language is just text. Each letter has one form (NFC): an accent
typed decomposed, as macOS and many PDFs give it, is the same letter as the composed one.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from indexer.language.analysis import WORD_RE

MAX_QUERY_CHARS = 500
MAX_TERMS = 32

_TOKEN_RE = re.compile(r'(?P<neg>-)?"(?P<phrase>[^"]*)"?|(?P<word>\S+)')


@dataclass
class Clause:
    """A group of alternatives that must match (words joined by OR), or one phrase."""

    words: list[str]
    phrase: bool = False


@dataclass
class ParsedQuery:
    """A query reduced to clauses that should match and words that must not."""

    clauses: list[Clause] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)
    truncated: bool = False

    @property
    def words(self) -> list[str]:
        """Every positive word, in order, for highlighting and suggestions."""
        return [word for clause in self.clauses for word in clause.words]

    @property
    def is_empty(self) -> bool:
        return not self.clauses


def visible(text: str) -> str:
    """Text safe to use and to show again: composed (NFC), invisible format characters dropped
    (bidirectional overrides and isolates, direction marks, zero-width characters, soft hyphens:
    echoed, they could reorder a page), NULs and other controls turned into spaces, spaces collapsed."""
    text = str(text).encode("utf-8", "replace").decode("utf-8")  # lone surrogates become "?"
    text = unicodedata.normalize("NFC", text)
    return " ".join("".join(ch if ch.isprintable() else "" if unicodedata.category(ch) == "Cf" else " "
                            for ch in text).split())


def clean(text: str) -> str:
    """The query as it will be used: :func:`visible`, length capped."""
    return visible(text)[:MAX_QUERY_CHARS]


def parse(text: str) -> ParsedQuery:
    """Parse a cleaned query string; never raises."""
    query = ParsedQuery()
    shown = visible(text)
    cleaned = shown[:MAX_QUERY_CHARS]
    query.truncated = len(shown) > MAX_QUERY_CHARS
    pending_or = False
    terms = 0
    for match in _TOKEN_RE.finditer(cleaned):
        if terms >= MAX_TERMS:
            query.truncated = True
            break
        if match.group("word") == "OR":
            pending_or = bool(query.clauses)
            continue
        if match.group("phrase") is not None:
            words, negative, phrase = WORD_RE.findall(match.group("phrase")), bool(match.group("neg")), True
        else:
            raw = match.group("word")
            negative = raw.startswith("-") and len(raw) > 1
            words, phrase = WORD_RE.findall(raw[1:] if negative else raw), False
        if not words:
            continue
        words = words[: MAX_TERMS - terms]
        terms += len(words)
        if negative:
            query.excluded.append(words)
        elif phrase and len(words) > 1:
            query.clauses.append(Clause(words, phrase=True))
            pending_or = False
        elif pending_or and not query.clauses[-1].phrase:
            query.clauses[-1].words.extend(words)
            pending_or = False
        else:
            query.clauses.extend(Clause([word]) for word in words)
            pending_or = False
    return query
