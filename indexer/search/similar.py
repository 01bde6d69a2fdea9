"""Similar prior projects: the défis (and articles) closest to a page or to a pasted text.

The text is reduced to its most distinctive terms, weighted by how often they occur in it and
how rare they are in the site, titles counting more than body text; those terms are searched
for in the défis, and a small bonus goes to pages sharing the administration, tags or skills.
Each hit comes with the terms it shares with the text, so staff see why it came up.
"""

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from indexer.fields import facet_key
from indexer.language.analysis import STOP_WORDS, WORD_RE, fold, stem
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
FACET_BONUS = {"administration": 0.15, "tags": 0.05, "skills": 0.05}
SEARCH_FIELDS = {"body": 0.3, "title": 2.0, "headings": 1.0, "summary": 3.0, "extra": 1.5}


@dataclass
class SimilarHit(PageHit):
    """A similar page and why it is similar: the key terms it shares with the text."""

    shared_terms: list[str]


@dataclass
class KeyTerm:
    stem: str
    word: str  # a surface form from the text, for display
    weight: float


#: A synonym of a word of the text counts this much of it.
KEY_SYNONYM_WEIGHT = 0.5


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


#: Score × (share of the key terms' weight a page contains) ** this: many shared terms beat one
#: term that happens to be in a title.
SHARED_WEIGHT_EXPONENT = 1.5


def shared_terms(terms: list[KeyTerm], record: dict) -> list[str]:
    """The key terms a page contains, most distinctive first."""
    text = " ".join([record["title"], record["summary"], record["text"]])
    present = {stem(fold(word), record.get("lang", "fr")) for word in WORD_RE.findall(text)}
    return [term.word for term in terms if term.stem in present]


def facet_bonus(source_facets: dict, candidate_facets: dict, meta: dict, source_meta: dict) -> float:
    """Score multiplier for sharing the administration, tags or skills."""
    bonus = 1.0
    for name, weight in FACET_BONUS.items():
        mine = _keys(source_facets.get(name) or source_meta.get(name))
        theirs = _keys(candidate_facets.get(name) or meta.get(name))
        if mine & theirs:
            bonus += weight
    return bonus


def _keys(values) -> set:
    if not values:
        return set()
    if isinstance(values, str):
        values = [values]
    return {facet_key(str(v)) for v in values if str(v).strip()}


def rank(generation: Generation, terms: list[KeyTerm], allowed: np.ndarray, limit: int,
         source_facets: dict | None = None, source_meta: dict | None = None) -> list[SimilarHit]:
    """Search ``terms`` among the ``allowed`` documents and return the best, with shared terms."""
    if not terms or not allowed.any():
        return []
    words = [term_word(term) for term in terms]
    weights = np.array([term.weight for term in terms])
    share = sum(weight * generation.scorer.word_mask(word) for weight, word in zip(weights, words)) / weights.sum()
    scores = generation.scorer.bm25(term for word in words for term in word.terms) * share ** SHARED_WEIGHT_EXPONENT
    candidates = np.flatnonzero(allowed & (scores > 0))
    best = top(scores, candidates, limit * 3, generation.scorer.path_rank)
    scored = zip(best.tolist(), scores[best].tolist())
    hits = []
    for docnum, score in scored:
        stored = generation.stored(docnum)
        record = stored["record"]
        bonus = facet_bonus(source_facets or {}, record["facets"], record["meta"], source_meta or {})
        hits.append(SimilarHit.from_stored(docnum, stored, score * bonus, shared_terms=shared_terms(terms, record)))
    hits.sort(key=lambda hit: -hit.score)
    return hits[:limit]


def clean_text(text: str) -> str:
    """A pasted description as it is compared: :func:`~indexer.search.querylang.visible` (composed letters,
    no invisible characters), so text copied from a PDF finds what the same text typed finds."""
    return visible(text)[:MAX_TEXT_CHARS]
