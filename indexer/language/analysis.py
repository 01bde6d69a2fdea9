"""French-first text analysis, shared by indexing and querying.

The chain is: words → elision (``l'``, ``d’``, ``jusqu'``…) → lowercase → accent folding with
unidecode (``œ`` → ``oe``, ``é`` → ``e``) → stop words → Snowball stemming. Folding comes *before*
stemming so that a visitor typing ``securite`` meets ``Sécurité`` and ``sécurités``.

Analysis happens here, in Python, before Whoosh sees the text: the index stores ready-made terms
separated by spaces. That lets each document be stemmed in its own language, lets the parsing
pool do the heavy work on every core, and keeps indexing and querying on the very same code.
"""

import re
from functools import lru_cache

from unidecode import unidecode
from whoosh.lang import stemmer_for_language
from whoosh.lang.stopwords import stoplists

#: A word: letters and digits, with apostrophes inside (``l'agriculture``, ``aujourd’hui``).
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

ELIDED_PREFIXES = ("l", "d", "qu", "j", "n", "s", "c", "m", "t",
                   "jusqu", "lorsqu", "puisqu", "quoiqu")
_ELISION_RE = re.compile(r"^(?:%s)['’](?=[^\W_])" % "|".join(ELIDED_PREFIXES))

SUPPORTED_LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


_WRITTEN_ELISION_RE = re.compile(_ELISION_RE.pattern, re.IGNORECASE)


def written(word: str) -> str:
    """A word as the page writes it, accents and case kept, its elided article dropped
    ("l’Agence" → "Agence"): what a person reads, where :func:`fold` gives what the index matches."""
    return _WRITTEN_ELISION_RE.sub("", word)


@lru_cache(maxsize=200_000)  # called once per word of every page: no wrapper in between
def fold(word: str) -> str:
    """Lowercase, accent-free form of one word, elision and inner apostrophes removed."""
    word = _ELISION_RE.sub("", word.lower())
    if not word.isascii():
        word = unidecode(word).lower()
    return word.replace("'", "").replace("’", "")


#: Function words the Snowball lists leave out but that say nothing about a page's subject.
EXTRA_STOP_WORDS = {
    "fr": """les leurs cette cet ceci cela ça tout tous toute toutes plus moins comme aussi dont ainsi
             entre sans sous très après avant chez depuis pendant vers où quand donc car puis alors
             bien encore déjà peu trop afin lors celui celle ceux celles chaque autre autres même""",
    "en": "",
}


def _folded_stoplist(lang: str) -> frozenset:
    return frozenset(fold(word) for word in [*stoplists[lang], *EXTRA_STOP_WORDS[lang].split()])


STOP_WORDS = {lang: _folded_stoplist(lang) for lang in SUPPORTED_LANGUAGES}


def normalise_language(lang) -> str:
    """Map ``fr-FR``, ``FR``, ``en_GB``… to a supported code; anything else is French."""
    code = str(lang or "").strip().lower()[:2]
    return code if code in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def _stemmer(lang: str):
    """The memoised stemming function of a language (numbers kept whole)."""
    snowball = stemmer_for_language(lang)
    french = lang == "fr"

    @lru_cache(maxsize=200_000)
    def stem_term(term: str) -> str:
        if term.isdigit():
            return term
        return snowball(_singular_masculine(term) if french else term)
    return stem_term


def _singular_masculine(term: str) -> str:
    """Undo the endings Snowball misses once accents are folded, before it runs.

    ``…iere(s)`` → ``…ier``: Snowball stems "routière" like "routier" by its accent, which folding
    removed. ``…ers`` → ``…er`` and ``…os`` → ``…o``: Snowball drops a plural ``s`` only after the
    verb endings, so "usagers" kept ``usager`` while "usager" gave ``usag``, and it keeps the
    ``s`` of "photos" or "vidéos". Not ``…iers`` (Snowball already meets "fichiers" and "fichier").
    """
    if term.endswith("ieres"):
        return term[:-2]
    if term.endswith("iere"):
        return term[:-1]
    if len(term) > 4 and term.endswith(("ers", "os")) and not term.endswith("iers"):
        return term[:-1]
    return term


_STEMMERS = {lang: _stemmer(lang) for lang in SUPPORTED_LANGUAGES}


def stem(term: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Snowball stem of an already folded term; numbers are kept whole."""
    return _STEMMERS[lang](term)


def exact_terms(text: str, lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """Folded words of ``text`` without stop words: the unstemmed index field."""
    stop = STOP_WORDS[lang]
    return [term for term in map(fold, WORD_RE.findall(text)) if term and term not in stop]


def index_terms(text: str, lang: str = DEFAULT_LANGUAGE) -> tuple[list[str], list[str]]:
    """Both index forms of the words of ``text``: ``(exact, stemmed)``, stop words dropped."""
    exact = exact_terms(text, lang)
    return exact, list(map(_STEMMERS[lang], exact))


def analyse(text: str, lang: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """:func:`index_terms` as space-separated strings, what a Whoosh space tokenizer splits."""
    exact, stemmed = index_terms(text, lang)
    return " ".join(exact), " ".join(stemmed)


def is_stop_word(term: str) -> bool:
    """True when a folded query term is a stop word in any supported language.

    The language of a query is unknown: "de" (French) and "the" (English) say nothing either way.
    """
    return any(term in STOP_WORDS[lang] for lang in SUPPORTED_LANGUAGES)
