"""Words too general to say what a page is about (``data/generic_words.yml``): pronouns,
everyday verbs and adjectives that stop-word lists leave in. Searching keeps them; comparing two
pages (similar projects) and showing what they share do not."""

from functools import lru_cache
from pathlib import Path

import yaml

from indexer.language.analysis import SUPPORTED_LANGUAGES, WORD_RE, fold, stem

GENERIC_WORDS_FILE = Path(__file__).parent / "data" / "generic_words.yml"


@lru_cache(maxsize=None)
def generic_stems(lang: str) -> frozenset:
    """The stems of the generic words of a language (none for a language the file lacks)."""
    data = yaml.safe_load(GENERIC_WORDS_FILE.read_text("utf-8")) or {}
    words = WORD_RE.findall(str(data.get(lang) or "")) if lang in SUPPORTED_LANGUAGES else []
    return frozenset(stem(fold(word), lang) for word in words)
