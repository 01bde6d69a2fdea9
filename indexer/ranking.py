"""From a parsed query to Whoosh queries: which fields, which weights, which word forms.

Each query word becomes an alternative of its stemmed forms in every text field (title above
headings above summary above body) plus its exact folded form, which scores extra so that
exact words outrank stem-only matches. A word the index does not know is also matched, at a
lower weight, by the index words within one or two edits (typo tolerance); a word or phrase of
the thesaurus also matches its synonyms, at a lower weight. A phrase matches its words in
order. Short queries must match every word; from three words on, all but a third of them
(a visitor's extra word should not hide the page); when nothing matches, any word will do,
and the result says so.
"""

from dataclasses import dataclass, field

import numpy as np
from whoosh import query as Q
from whoosh.scoring import BM25F

from .analysis import fold, is_stop_word, stem

#: Field weights. ``_exact`` fields add to the stemmed ones: an exact word scores both.
FIELD_WEIGHTS = {
    "title": 4.0,
    "title_exact": 2.0,
    "headings": 2.0,
    "summary": 1.5,
    "extra": 1.5,
    "body": 1.0,
    "body_exact": 0.5,
}
STEMMED_FIELDS = ("title", "headings", "summary", "extra", "body")
EXACT_FIELDS = ("title_exact", "body_exact")
PHRASE_FIELDS = {"title_exact": 3.0, "body_exact": 2.0}
#: A typo correction counts this much of a typed word; a synonym this much.
FUZZY_WEIGHT = 0.4
SYNONYM_WEIGHT = 0.5
FUZZY_MAX_EXPANSIONS = 3
#: Bonus for documents whose text holds the query words next to each other.
PROXIMITY_WEIGHT = 1.0
PROXIMITY_SLOP = 3


def edit_budget(term: str) -> int:
    """Edits allowed when correcting a word: none below 5 letters, 1 below 9, then 2."""
    return 0 if len(term) < 5 else 1 if len(term) < 9 else 2


@dataclass
class WordForms:
    """A query word as the index knows it."""

    typed: str
    exact: str
    stems: set[str]
    corrections: list[str] = field(default_factory=list)


@dataclass
class QueryPlan:
    """The Whoosh queries of one search and what the visitor should be told about them."""

    units: list[Q.Query]  # one per word, phrase, OR group or thesaurus entry
    required: int  # how many units a result must match
    excluded: Q.Query | None  # what a result must not match
    score: Q.Query  # how results are ranked
    words: list[WordForms]
    corrected: dict[str, str] = field(default_factory=dict)  # typed word → correction used


#: An unknown compound ("géodonnées", "télésanté") falls back on its head word of this length or more.
MIN_HEAD_LETTERS = 4


def compound_head(term: str, reader) -> str | None:
    """The longest known word ending an unknown compound, after a prefix of two letters or more."""
    for start in range(2, len(term) - MIN_HEAD_LETTERS + 1):
        head = term[start:]
        if reader.doc_frequency("body_exact", head):
            return head
    return None


def word_forms(word: str, reader) -> WordForms | None:
    """Forms of one typed word; None for a stop word.

    A word no page contains gets corrections: the index words within one or two edits, or else,
    for a compound, its head word.
    """
    exact = fold(word)
    if not exact or is_stop_word(exact):
        return None
    forms = WordForms(word, exact, {stem(exact, "fr"), stem(exact, "en")})
    known = reader.doc_frequency("body_exact", exact) + reader.doc_frequency("title_exact", exact) \
        + sum(reader.doc_frequency("extra", s) for s in forms.stems)
    if not known and edit_budget(exact):
        candidates = [(reader.doc_frequency("body_exact", term), term)
                      for term in reader.terms_within("body_exact", exact, edit_budget(exact))
                      if term != exact]
        forms.corrections = [term for _freq, term in sorted(candidates, reverse=True)[:FUZZY_MAX_EXPANSIONS]]
    if not known and not forms.corrections and len(exact) >= MIN_HEAD_LETTERS + 2:
        head = compound_head(exact, reader)
        forms.corrections = [head] if head else []
    return forms


def word_query(forms: WordForms, weight: float = 1.0) -> Q.Query:
    """Every field and form a word can match in, each with its weight."""
    alternatives = [Q.Term(name, s, boost=FIELD_WEIGHTS[name] * weight)
                    for name in STEMMED_FIELDS for s in sorted(forms.stems)]
    alternatives += [Q.Term(name, forms.exact, boost=FIELD_WEIGHTS[name] * weight) for name in EXACT_FIELDS]
    for correction in forms.corrections:
        for name in EXACT_FIELDS:
            alternatives.append(Q.Term(name, correction, boost=FIELD_WEIGHTS[name] * FUZZY_WEIGHT * 2 * weight))
        alternatives += [Q.Term(name, stem(correction), boost=FIELD_WEIGHTS[name] * FUZZY_WEIGHT * weight)
                         for name in STEMMED_FIELDS]
    return Q.Or(alternatives)


def synonym_query(terms: tuple) -> Q.Query:
    """A thesaurus alternative (one word or several), at the synonym weight."""
    parts = [word_query(WordForms(term, term, {stem(term, "fr"), stem(term, "en")}), SYNONYM_WEIGHT)
             for term in terms]
    return parts[0] if len(parts) == 1 else Q.And(parts)


def required_matches(units: int) -> int:
    """How many of the query's units a result must match: all up to two, then all but a third."""
    return units if units <= 2 else units - units // 3


#: With fewer results than this, pages matching only some of the words are added below.
MIN_RESULTS = 10


def phrase_query(words: list[WordForms], slop: int = 1) -> Q.Query:
    exact = [forms.exact for forms in words]
    return Q.Or([Q.Phrase(name, exact, slop=slop, boost=weight) for name, weight in PHRASE_FIELDS.items()])


def _expanded_units(words: list[WordForms], thesaurus) -> list[Q.Query]:
    """One unit per word, or per thesaurus entry found in the run of words, with its synonyms."""
    spans = {start: (end, alternatives) for start, end, alternatives in
             (thesaurus.spans([w.exact for w in words]) if thesaurus else [])}
    units, position = [], 0
    while position < len(words):
        end, alternatives = spans.get(position, (position + 1, []))
        typed = [word_query(w) for w in words[position:end]]
        unit = typed[0] if len(typed) == 1 else Q.And(typed)
        units.append(Q.Or([unit, *map(synonym_query, alternatives)]) if alternatives else unit)
        position = end
    return units


def plan(parsed, reader, thesaurus=None) -> QueryPlan | None:
    """Whoosh queries for a parsed query; None when it has no searchable word."""
    clauses, all_words, run = [], [], []
    for clause in parsed.clauses:
        words = [forms for forms in (word_forms(word, reader) for word in clause.words) if forms]
        if not words:
            continue
        all_words.extend(words)
        if clause.phrase or len(words) > 1:
            clauses.extend(_expanded_units(run, thesaurus))
            run = []
        if clause.phrase:
            clauses.append(Q.And([phrase_query(words), *[word_query(w) for w in words]]))
        elif len(words) > 1:  # words joined by OR
            clauses.append(Q.Or([word_query(w) for w in words]))
        else:
            run.append(words[0])
    clauses.extend(_expanded_units(run, thesaurus))
    if not clauses:
        return None
    excluded = [word_query(forms) for words in parsed.excluded
                for forms in (word_forms(word, reader) for word in words) if forms]
    score_parts = list(clauses)
    if len(all_words) > 1:
        score_parts.append(Q.Phrase("body_exact", [w.exact for w in all_words], slop=PROXIMITY_SLOP,
                                    boost=PROXIMITY_WEIGHT))
    corrected = {w.typed: w.corrections[0] for w in all_words if w.corrections}
    unknown = sum(1 for unit in clauses if not _matchable(unit, reader))
    return QueryPlan(units=clauses, required=max(1, required_matches(len(clauses) - unknown)),
                     excluded=Q.Or(excluded) if excluded else None, score=Q.Or(score_parts),
                     words=all_words, corrected=corrected)


def _matchable(unit: Q.Query, reader) -> bool:
    """False for a unit no page can match (a word absent from the index and without correction)."""
    return any(reader.doc_frequency(term.fieldname, term.text) for term in unit.leaves() if isinstance(term, Q.Term))


#: How much matching only part of the query costs: score × (share of the query matched) ** this.
COORDINATION_EXPONENT = 2.0


def coordination(masks, documents: int):
    """Per document, the share of the query it matches, each unit weighted by its rarity (idf),
    raised to :data:`COORDINATION_EXPONENT`: missing a rare word costs more than a common one."""
    weights = [np.log(1 + documents / max(1, int(mask.sum()))) for mask in masks]
    matched = sum(weight * mask for weight, mask in zip(weights, masks))
    return (matched / max(sum(weights), 1e-9)) ** COORDINATION_EXPONENT


class PriorWeighting(BM25F):
    """BM25F, then per-document factors: the share of query units matched (coordination), the
    kind of page (prior), and recency, which only ever breaks ties."""

    use_final = True

    def __init__(self, priors, recency, coordination, exempt=frozenset(), **kwargs):
        super().__init__(**kwargs)
        self.priors, self.recency, self.coordination, self.exempt = priors, recency, coordination, exempt

    def final(self, searcher, docnum, score):
        prior = 1.0 if docnum in self.exempt else self.priors[docnum]
        return score * prior * self.coordination[docnum] + self.recency[docnum]
