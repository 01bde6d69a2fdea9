"""Similar prior projects: the projects (and articles) closest to a page or to a pasted text.

A page of the site is compared with every page of the kinds asked (``défi`` on the programme's
site, whatever its ``search.projects`` says elsewhere) as a whole: the cosine of their word
profiles, words rare among those pages counting most, titles and summaries more than the body,
plus the administration and the people they share (:mod:`indexer.search.profiles`). Both pages
weigh in: a défi whose own subject is elsewhere does not come first for sharing a few words of
the page.

A pasted text is a few sentences, not a page: it is reduced to its most distinctive terms (tf-idf
over the site, synonyms from the thesaurus too), searched for in the pages' fields; a page sharing
many of them passes before a page that has one in its title.

Each hit says how close it is (a similarity and its level in words) and what it shares, in the
words the page itself writes, so staff see why it came up.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from indexer.errors import N_
from indexer.language.analysis import STOP_WORDS, WORD_RE, fold, stem
from indexer.search import cards, profiles
from indexer.search.generation import Generation
from indexer.search.hits import PageHit
from indexer.search.querylang import visible
from indexer.search.queryplan import TermRef, Word
from indexer.search.scoring import top

MAX_KEY_TERMS = 30
MAX_TEXT_CHARS = 20_000
TITLE_WEIGHT = 3.0
#: Terms present in more than this share of documents say nothing distinctive.
MAX_DOCUMENT_SHARE = 0.25
SEARCH_FIELDS = {"body": 0.3, "title": 2.0, "headings": 1.0, "summary": 3.0, "extra": 1.5}
#: A synonym of a word of the text counts this much of it.
KEY_SYNONYM_WEIGHT = 0.5
#: Score × (share of the key terms' weight a page contains) ** this: many shared terms beat one
#: term that happens to be in a title.
SHARED_WEIGHT_EXPONENT = 1.5
#: Beyond this many pages to compare with, a page is compared like a pasted text (its key terms
#: searched for), which costs the same whatever the size of the site.
MAX_COMPARED_PAGES = 2_000
#: Levels of similarity, from the highest: (level, as a person reads it, least similarity for a
#: page, for a text). The pages of a page whose best hit is ``eloigne`` say there is no close one.
LEVELS = (("tres-proche", N_("Très proche"), 0.25, 0.6), ("proche", N_("Proche"), 0.12, 0.35),
          ("eloigne", N_("Éloigné"), 0.0, 0.0))
LEVEL_LABELS = {code: label for code, label, _page, _text in LEVELS}


@dataclass
class SimilarHit(PageHit):
    """A similar page and why: how close it is (``similarity``, 0 to about 1, and its ``level``,
    one of :data:`LEVELS`), the words it shares with the page or text, as it writes them, and what
    else it shares with a page (``shared_facts``: administration or ministry, skills, promotion, people)."""

    shared_terms: list[str]
    similarity: float
    level: str
    shared_facts: dict[str, list[str]] = field(default_factory=dict)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


@dataclass
class KeyTerm:
    stem: str
    word: str  # a surface form from the text
    weight: float


def to_page(generation: Generation, record: dict, docnum: int | None, kinds, allowed: np.ndarray,
            limit: int) -> list[SimilarHit]:
    """The ``allowed`` pages of ``kinds`` closest to an indexed page (its stored ``record``)."""
    if int(allowed.sum()) > MAX_COMPARED_PAGES:
        text = " ".join([record["summary"], record["text"]])
        return by_terms(generation, text, kinds, allowed, limit, record["title"], record["lang"])
    compared = profiles.compared_set(generation, kinds)
    source = compared.profile_of(docnum, record)
    hits = []
    for candidate, score in compared.closest(source, allowed, limit):
        stored = generation.stored(candidate)
        hits.append(SimilarHit.from_stored(
            candidate, stored, score, shared_terms=compared.shared_words(source, compared.profiles[candidate]),
            shared_facts=profiles.shared_facts(record, stored["record"]),
            similarity=round(score, 3), level=level(score, "page")))
    cards.with_profiles(generation, hits)
    return hits


def to_text(generation: Generation, text: str, kinds, allowed: np.ndarray, limit: int) -> list[SimilarHit]:
    """The ``allowed`` pages of ``kinds`` closest to a pasted text."""
    return by_terms(generation, clean_text(text), kinds, allowed, limit)


def level(similarity: float, source: str) -> str:
    """The level of a similarity in words, for a page or a text (``source``)."""
    column = 2 if source == "page" else 3
    return next(row[0] for row in LEVELS if similarity >= row[column])


def key_terms(text: str, title: str, postings, lang: str = "fr", limit: int | None = None,
              thesaurus=None) -> list[KeyTerm]:
    """The most distinctive terms of a text (and its title), by tf-idf over the site's pages
    (:class:`~indexer.whoosh_io.postings.Postings`); synonyms from the thesaurus count too, at a lower
    weight, since a new proposal rarely uses the words of the old page."""
    counts, surface = Counter(), {}
    for source, weight in ((title, TITLE_WEIGHT), (text[:MAX_TEXT_CHARS], 1.0)):
        folded_words = []
        for word in WORD_RE.findall(source):
            folded = fold(word)
            if len(folded) < 3 or folded in STOP_WORDS[lang] or folded.isdigit():
                continue
            folded_words.append(folded)
            term = stem(folded, lang)
            counts[term] += weight
            surface.setdefault(term, folded)
        for _start, _end, alternatives in (thesaurus.spans(folded_words) if thesaurus else []):
            for alternative in alternatives:
                for folded in alternative:
                    term = stem(folded, lang)
                    counts[term] += weight * KEY_SYNONYM_WEIGHT
                    surface.setdefault(term, folded)
    total = max(1, postings.doc_count())
    scored = []
    for term, tf in counts.items():
        frequency = postings.doc_frequency("body", term) + postings.doc_frequency("title", term)
        if not frequency or frequency > MAX_DOCUMENT_SHARE * total:
            continue
        idf = math.log(1 + total / frequency)
        scored.append(KeyTerm(term, surface[term], (1 + math.log(tf)) * idf))
    scored.sort(key=lambda k: (-k.weight, k.stem))
    return scored[:limit or MAX_KEY_TERMS]


def term_word(term: KeyTerm) -> Word:
    """A key term in every searched field, weighted by its weight and the field's."""
    return Word([TermRef(name, term.stem, term.weight * weight) for name, weight in SEARCH_FIELDS.items()])


def shared_terms(terms: list[KeyTerm], record: dict, rarity) -> list[str]:
    """The key terms a page contains, most distinctive first, as the page writes them: neither
    generic words nor words common among the compared pages (``rarity``: term → rarity), at most
    :data:`~indexer.search.profiles.MAX_SHARED_WORDS`."""
    _counts, forms = profiles.word_counts(record)
    telling = [forms[term.stem] for term in terms
               if term.stem in forms and rarity(term.stem) >= profiles.MIN_SHARED_RARITY]
    return telling[:profiles.MAX_SHARED_WORDS]


def by_terms(generation: Generation, text: str, kinds, allowed: np.ndarray, limit: int, title: str = "",
             lang: str = "fr") -> list[SimilarHit]:
    """Search the key terms of ``text`` among the ``allowed`` documents and return the best, with
    the share of the terms' weight each holds as its similarity."""
    terms = key_terms(text, title, generation.postings, lang, thesaurus=generation.thesaurus)
    if not terms or not allowed.any():
        return []
    words = [term_word(term) for term in terms]
    weights = np.array([term.weight for term in terms])
    share = sum(weight * generation.scorer.word_mask(word) for weight, word in zip(weights, words)) / weights.sum()
    scores = generation.scorer.bm25(term for word in words for term in word.terms) * share ** SHARED_WEIGHT_EXPONENT
    candidates = np.flatnonzero(allowed & (scores > 0))
    best = top(scores, candidates, limit, generation.scorer.path_rank)
    rarity = _rarity(generation, kinds, allowed)
    hits = []
    for docnum, score in zip(best.tolist(), scores[best].tolist()):
        stored = generation.stored(docnum)
        hits.append(SimilarHit.from_stored(docnum, stored, score,
                                           shared_terms=shared_terms(terms, stored["record"], rarity),
                                           similarity=round(float(share[docnum]), 3),
                                           level=level(share[docnum], "text")))
    cards.with_profiles(generation, hits)
    return hits


def _rarity(generation: Generation, kinds, allowed: np.ndarray):
    """How rare a word is among the compared pages: from their profiles when they are few enough
    to profile, else among all the site's pages."""
    if int(allowed.sum()) <= MAX_COMPARED_PAGES:
        return lambda term: profiles.compared_set(generation, kinds).idf(term, own=True)
    postings, total = generation.postings, max(1, generation.postings.doc_count())
    return lambda term: math.log((total - postings.doc_frequency("body", term) + 0.5)
                                 / (postings.doc_frequency("body", term) + 0.5))


def clean_text(text: str) -> str:
    """A pasted description as it is compared: :func:`~indexer.search.querylang.visible` (composed letters,
    no invisible characters), so text copied from a PDF finds what the same text typed finds."""
    return visible(text)[:MAX_TEXT_CHARS]
