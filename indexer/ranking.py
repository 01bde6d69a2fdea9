"""From a parsed query to Whoosh queries: which fields, which weights, which word forms.

Each query word becomes an alternative of its stemmed forms in every text field (title above
headings above summary above body) plus its exact folded form, which scores extra so that
exact words outrank stem-only matches. A word the index does not know is also matched, at a
lower weight, by the index words within one or two edits (typo tolerance). A phrase matches
its words in order. Documents must match every clause (AND); when none does, any clause will
do (OR), and the result says so.
"""

from dataclasses import dataclass, field

from whoosh import query as Q
from whoosh.scoring import BM25F

from .analysis import STOP_WORDS, fold, stem

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
#: A typo correction counts this much of a typed word.
FUZZY_WEIGHT = 0.4
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

    match: Q.Query  # which documents are results (AND of clauses)
    relaxed: Q.Query  # fallback when AND finds nothing (OR of clauses)
    score: Q.Query  # how results are ranked
    words: list[WordForms]
    corrected: dict[str, str] = field(default_factory=dict)  # typed word → correction used


def word_forms(word: str, reader) -> WordForms | None:
    """Forms of one typed word; None for a stop word. Corrections only for unknown words."""
    exact = fold(word)
    if not exact or all(exact in STOP_WORDS[lang] for lang in STOP_WORDS):
        return None
    forms = WordForms(word, exact, {stem(exact, "fr"), stem(exact, "en")})
    known = reader.doc_frequency("body_exact", exact) + reader.doc_frequency("title_exact", exact) \
        + sum(reader.doc_frequency("extra", s) for s in forms.stems)
    if not known and edit_budget(exact):
        candidates = [(reader.doc_frequency("body_exact", term), term)
                      for term in reader.terms_within("body_exact", exact, edit_budget(exact))
                      if term != exact]
        forms.corrections = [term for _freq, term in sorted(candidates, reverse=True)[:FUZZY_MAX_EXPANSIONS]]
    return forms


def word_query(forms: WordForms) -> Q.Query:
    """Every field and form a word can match in, each with its weight."""
    alternatives = [Q.Term(name, s, boost=FIELD_WEIGHTS[name]) for name in STEMMED_FIELDS for s in forms.stems]
    alternatives += [Q.Term(name, forms.exact, boost=FIELD_WEIGHTS[name]) for name in EXACT_FIELDS]
    for correction in forms.corrections:
        for name in ("title_exact", "body_exact"):
            alternatives.append(Q.Term(name, correction, boost=FIELD_WEIGHTS[name] * FUZZY_WEIGHT * 2))
        alternatives += [Q.Term(name, stem(correction), boost=FIELD_WEIGHTS[name] * FUZZY_WEIGHT)
                         for name in STEMMED_FIELDS]
    return Q.Or(alternatives)


def phrase_query(words: list[WordForms], slop: int = 1) -> Q.Query:
    exact = [forms.exact for forms in words]
    return Q.Or([Q.Phrase(name, exact, slop=slop, boost=weight) for name, weight in PHRASE_FIELDS.items()])


def plan(parsed, reader) -> QueryPlan | None:
    """Whoosh queries for a parsed query; None when it has no searchable word."""
    clauses, all_words = [], []
    for clause in parsed.clauses:
        words = [forms for forms in (word_forms(word, reader) for word in clause.words) if forms]
        if not words:
            continue
        all_words.extend(words)
        if clause.phrase:
            clauses.append(Q.And([phrase_query(words), *[word_query(w) for w in words]]))
        else:
            clauses.append(Q.Or([word_query(w) for w in words]))
    if not clauses:
        return None
    excluded = [word_query(forms) for words in parsed.excluded
                for forms in (word_forms(word, reader) for word in words) if forms]
    score_parts = list(clauses)
    if len(all_words) > 1:
        score_parts.append(Q.Phrase("body_exact", [w.exact for w in all_words], slop=PROXIMITY_SLOP,
                                    boost=PROXIMITY_WEIGHT))
    match, relaxed = Q.And(clauses), Q.Or(clauses)
    if excluded:
        match, relaxed = Q.AndNot(match, Q.Or(excluded)), Q.AndNot(relaxed, Q.Or(excluded))
    corrected = {w.typed: w.corrections[0] for w in all_words if w.corrections}
    return QueryPlan(match=match, relaxed=relaxed, score=Q.Or(score_parts), words=all_words, corrected=corrected)


class PriorWeighting(BM25F):
    """BM25F, then a per-document prior (the kind of page) and recency to break ties."""

    use_final = True

    def __init__(self, priors, recency, exempt=frozenset(), **kwargs):
        super().__init__(**kwargs)
        self.priors, self.recency, self.exempt = priors, recency, exempt

    def final(self, searcher, docnum, score):
        prior = 1.0 if docnum in self.exempt else self.priors[docnum]
        return score * prior + self.recency[docnum]
