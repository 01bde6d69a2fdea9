"""From a parsed query to a plan: which terms in which fields, with which weights.

Each query word becomes the union of its stemmed forms in every text field (title above
headings above summary above body) and of its exact folded form, which scores extra so that
exact words outrank stem-only matches. A word no page contains is matched, at a lower weight,
by the index words within one or two edits (typo tolerance) or, for a compound, by its head
word; a word or phrase of the thesaurus also matches its synonyms, at a lower weight. A quoted
phrase matches its words in order.

Each word, phrase, OR group or thesaurus entry is one *unit*. Short queries must match every
unit; from three units on, all but a third of them (an extra word should not hide the page);
with few results, pages matching fewer units are added below, and when nothing matches every
required unit the result says so. The plan holds terms, not Whoosh queries: matching and
scoring run on numpy arrays (:mod:`indexer.search.scoring`).
"""

import time
from dataclasses import dataclass, field

from whoosh import query as Q

from indexer.language.analysis import fold, is_stop_word, stem
from indexer.language.detect import reads_as_english
from indexer.search import corrections

#: Field weights. ``_exact`` fields add to the stemmed ones: an exact word scores both.
FIELD_WEIGHTS = {
    "title": 6.0,
    "title_exact": 2.0,
    "headings": 2.0,
    "summary": 1.5,
    "extra": 1.5,
    "body": 1.0,
    "body_exact": 0.5,
}
STEMMED_FIELDS = ("title", "headings", "summary", "extra", "body")
EXACT_FIELDS = ("title_exact", "body_exact")
#: A typo correction counts this much of a typed word; a synonym this much; the French
#: translation of an English query's word this much.
FUZZY_WEIGHT = 0.4
SYNONYM_WEIGHT = 0.5
TRANSLATION_WEIGHT = 0.8
FUZZY_MAX_EXPANSIONS = 3
#: Pages holding the query words close together (within this many positions) score more.
PROXIMITY_SLOP = 3
PROXIMITY_BONUS = 0.25
#: A word on this many pages or fewer is "nearly absent": its far likelier neighbours are matched
#: too (a visitor's typo may also be on a page).
RARE = 1
#: An unknown compound ("géodonnées", "télésanté") falls back on its head word of this length or
#: more, and on the index words that share its prefix when the prefix has this many letters
#: ("géo" → "géodata", "géographie"), the most frequent first.
MIN_HEAD_LETTERS = 4
MIN_PREFIX_LETTERS = 3
MAX_PREFIX_WORDS = 20
#: Typo look-ups per query, and the longest word worth correcting.
MAX_CORRECTED_WORDS = 3
MAX_CORRECTED_LETTERS = 20
#: With fewer results than this, pages matching only some of the units are added below.
MIN_RESULTS = 10


def edit_budget(term: str) -> int:
    """Edits allowed when correcting a word: none below 5 letters, 1 below 9, then 2."""
    return 0 if len(term) < 5 else 1 if len(term) < 9 else 2


def required_matches(units: int) -> int:
    """How many of the query's units a result must match: all up to two, then all but a third."""
    return units if units <= 2 else units - units // 3


@dataclass(frozen=True)
class TermRef:
    """One term of one field, with the weight its matches score."""

    field: str
    text: str
    boost: float


@dataclass
class Word:
    """Terms any of which makes a word match: its own forms, and typo corrections (``fallback``),
    which count for less."""

    terms: list[TermRef]
    fallback: list[TermRef] = field(default_factory=list)


@dataclass
class Alternative:
    """Words that must all match (for a quoted phrase, in order); ``weight`` < 1 for synonyms."""

    words: list[Word]
    phrase: Q.Query | None = None
    weight: float = 1.0


@dataclass
class Unit:
    """A word, phrase, OR group or thesaurus entry: matched when any alternative matches."""

    alternatives: list[Alternative]
    typed: list["WordForms"] = field(default_factory=list)  # the query words it stands for
    translated: list[str] = field(default_factory=list)  # their glossary translations (folded)

    def terms(self):
        for alternative in self.alternatives:
            for word in alternative.words:
                yield from word.terms
                yield from word.fallback


@dataclass
class WordForms:
    """A query word as the index knows it."""

    typed: str
    exact: str
    stems: set[str]
    corrections: list[str] = field(default_factory=list)
    known: int = 0  # pages holding the word as typed (or one of its stems in the extra field)


@dataclass
class QueryPlan:
    """What to match and how to score one search, and what to tell the visitor about it."""

    units: list[Unit]
    required: int  # how many units a result must match
    excluded: list[Word]  # what a result must not match
    proximity: Q.Query | None  # the query words close together (a bonus, not a condition)
    words: list[WordForms]
    corrected: dict[str, str] = field(default_factory=dict)  # typed word → correction used
    dropped: list[str] = field(default_factory=list)  # typed words no page holds: left out
    highlighted: list[str] = field(default_factory=list)  # the words results match, as searched


class Lexicon:
    """The index's vocabulary as queries need it, with the costly look-ups (edit-distance
    neighbours walk the whole term list) remembered for the generation's lifetime."""

    CACHE = 20_000

    def __init__(self, postings):
        self.reader = postings.reader
        self.postings = postings
        self._neighbours: dict[str, tuple[str, ...]] = {}

    def doc_frequency(self, field: str, text: str) -> int:
        return self.postings.doc_frequency(field, text)

    def neighbours(self, term: str) -> tuple[str, ...]:
        """Index words within the edit budget of ``term``, two swapped letters counting as one edit."""
        if term not in self._neighbours:
            if len(self._neighbours) >= self.CACHE:
                self._neighbours.clear()
            budget = edit_budget(term)
            found = set(self.reader.terms_within("body_exact", term, budget)) if budget else set()
            swaps = {term[:i] + term[i + 1] + term[i] + term[i + 2:] for i in range(len(term) - 1)} if budget else set()
            found.update(swaps)
            found.discard(term)
            # Words some page holds: Whoosh's term list still has those of pages an update deleted.
            self._neighbours[term] = tuple(sorted(word for word in found if self.doc_frequency("body_exact", word)))
        return self._neighbours[term]

    def compound_parts(self, term: str) -> tuple[str, str] | None:
        """``(prefix, head)`` of an unknown compound: the longest known word ending it, after a
        prefix of two letters or more."""
        for start in range(2, len(term) - MIN_HEAD_LETTERS + 1):
            if self.doc_frequency("body_exact", term[start:]):
                return term[:start], term[start:]
        return None

    def words_starting(self, prefix: str) -> list[str]:
        """Index words (body or title) that begin with ``prefix`` and go on for a head word, the
        most frequent first."""
        found = {}
        for field_name in ("body_exact", "title_exact"):
            for word in self.reader.expand_prefix(field_name, prefix):
                word = word.decode() if isinstance(word, bytes) else word
                if len(word) >= len(prefix) + MIN_HEAD_LETTERS:
                    found[word] = found.get(word, 0) + self.doc_frequency(field_name, word)
        return sorted((word for word in found if found[word]), key=lambda word: (-found[word], word))[:MAX_PREFIX_WORDS]


class CorrectionBudget:
    """Bounds the typo look-ups of one query: each walks the whole vocabulary, so a query of
    thirty made-up words must not make thirty of them."""

    def __init__(self, deadline: float | None = None, lookups: int = MAX_CORRECTED_WORDS):
        self.deadline, self.lookups = deadline, lookups

    def allows(self, term: str) -> bool:
        if len(term) > MAX_CORRECTED_LETTERS or self.lookups <= 0:
            return False
        if self.deadline is not None and time.perf_counter() > self.deadline:
            return False
        self.lookups -= 1
        return True


def word_forms(word: str, lexicon: Lexicon, budget: CorrectionBudget | None = None,
               glossary=None) -> WordForms | None:
    """Forms of one typed word; None for a stop word.

    A word no page contains, or only one, gets corrections (within the query's budget): the
    index words within one or two edits far likelier than it (:mod:`.corrections`), or else, for
    an unknown compound, its head word. A word no page holds that the ``glossary`` translates is
    no typo: it is translated, and spared the look-up (it walks the whole vocabulary).
    """
    exact = fold(word)
    if not exact or is_stop_word(exact):
        return None
    forms = WordForms(word, exact, {stem(exact, "fr"), stem(exact, "en")})
    forms.known = lexicon.doc_frequency("body_exact", exact) + lexicon.doc_frequency("title_exact", exact) \
        + sum(lexicon.doc_frequency("extra", s) for s in forms.stems)
    budget = budget or CorrectionBudget()
    if forms.known > RARE or not edit_budget(exact):
        return forms
    if (not forms.known and glossary is not None and glossary.spans([exact])) or not budget.allows(exact):
        return forms
    forms.corrections = corrections.likely(exact, forms.known, lexicon.neighbours(exact),
                                           lambda term: lexicon.doc_frequency("body_exact", term),
                                           FUZZY_MAX_EXPANSIONS)
    if not forms.known and not forms.corrections and len(exact) >= MIN_HEAD_LETTERS + 2:
        parts = lexicon.compound_parts(exact)
        if parts:
            prefix, head = parts
            related = lexicon.words_starting(prefix) if len(prefix) >= MIN_PREFIX_LETTERS else []
            forms.corrections = [head, *related]
    return forms


def word_terms(forms: WordForms, weight: float = 1.0) -> Word:
    """Every field and form a word can match in, each with its weight."""
    terms = [TermRef(name, s, FIELD_WEIGHTS[name] * weight) for name in STEMMED_FIELDS for s in sorted(forms.stems)]
    terms += [TermRef(name, forms.exact, FIELD_WEIGHTS[name] * weight) for name in EXACT_FIELDS]
    fallback = []
    for correction in forms.corrections:
        fallback += [TermRef(name, correction, FIELD_WEIGHTS[name] * FUZZY_WEIGHT * 2 * weight) for name in EXACT_FIELDS]
        fallback += [TermRef(name, stem(correction), FIELD_WEIGHTS[name] * FUZZY_WEIGHT * weight)
                     for name in STEMMED_FIELDS]
    return Word(terms, fallback)


def synonym_alternative(terms: tuple, weight: float = SYNONYM_WEIGHT) -> Alternative:
    """A thesaurus alternative or a translation (one word or several), at its weight."""
    return Alternative([word_terms(WordForms(term, term, {stem(term, "fr"), stem(term, "en")}), weight)
                        for term in terms], weight=weight)


def phrase_query(words: list[WordForms], slop: int = 1) -> Q.Query:
    """The words in order: in the stemmed title or body (positions are kept there)."""
    stems = [stem(w.exact) for w in words]
    return Q.Or([Q.Phrase("title", stems, slop=slop), Q.Phrase("body", stems, slop=slop)])


def _expanded_units(words: list[WordForms], thesaurus, glossary=None, english: bool = False) -> list[Unit]:
    """One unit per word, or per thesaurus or glossary entry found in the run of words, with its
    synonyms or translations. The ``glossary`` translates a query that reads as ``english``; in
    another query, only words no page holds (a word of another language is no typo). A
    translated word loses its corrections."""
    spans = _spans(words, thesaurus, glossary, english)
    units, position = [], 0
    while position < len(words):
        end, alternatives = spans.get(position, (position + 1, []))
        translated = [term for terms, weight in alternatives if weight == TRANSLATION_WEIGHT for term in terms]
        if translated:
            for forms in words[position:end]:
                forms.corrections = []
        typed = Alternative([word_terms(w) for w in words[position:end]])
        units.append(Unit([typed, *(synonym_alternative(terms, weight) for terms, weight in alternatives)],
                          typed=words[position:end], translated=translated))
        position = end
    return units


def _spans(words: list[WordForms], thesaurus, glossary, english: bool) -> dict[int, tuple[int, list]]:
    """``start → (end, [(terms, weight)])``: the thesaurus's and the glossary's entries in a run
    of words, the longest first where they overlap, merged where they cover the same words."""
    exact = [w.exact for w in words]
    found: dict[tuple[int, int], list] = {}
    for source, weight in ((thesaurus, SYNONYM_WEIGHT), (glossary, TRANSLATION_WEIGHT)):
        for start, end, alternatives in (source.spans(exact) if source else []):
            if source is glossary and not english and any(w.known for w in words[start:end]):
                continue
            found.setdefault((start, end), []).extend((terms, weight) for terms in alternatives)
    chosen, taken = {}, set()
    for (start, end), alternatives in sorted(found.items(), key=lambda item: (item[0][0] - item[0][1], item[0][0])):
        if taken.isdisjoint(range(start, end)):
            chosen[start] = (end, alternatives)
            taken.update(range(start, end))
    return chosen


def plan(parsed, lexicon: Lexicon, thesaurus=None, deadline: float | None = None, glossary=None,
         exact: bool = False) -> QueryPlan | None:
    """The plan of a parsed query; None when it has no searchable word. A query that reads as
    English also searches the ``glossary``'s French translations of its words; an ``exact``
    search corrects no word."""
    units, all_words, run = [], [], []
    budget = CorrectionBudget(deadline, lookups=0 if exact else MAX_CORRECTED_WORDS)
    typed = [word for clause in parsed.clauses for word in clause.words]
    english = glossary is not None and reads_as_english(typed, glossary)
    for clause in parsed.clauses:
        words = [forms for forms in (word_forms(word, lexicon, budget, glossary) for word in clause.words) if forms]
        if not words:
            continue
        all_words.extend(words)
        if clause.phrase or len(words) > 1:
            units.extend(_expanded_units(run, thesaurus, glossary, english))
            run = []
        if clause.phrase:
            units.append(Unit([Alternative([word_terms(w) for w in words], phrase_query(words))], typed=words))
        elif len(words) > 1:  # words joined by OR
            units.append(Unit([Alternative([word_terms(w)]) for w in words], typed=words))
        else:
            run.append(words[0])
    units.extend(_expanded_units(run, thesaurus, glossary, english))
    if not units:
        return None
    excluded = [word_terms(forms) for words in parsed.excluded
                for forms in (word_forms(word, lexicon, CorrectionBudget(lookups=0)) for word in words) if forms]
    matchable = [any(lexicon.doc_frequency(t.field, t.text) for t in unit.terms()) for unit in units]
    proximity = phrase_query(all_words, PROXIMITY_SLOP) if len(all_words) > 1 else None
    corrected = {w.typed: w.corrections[0] for w in all_words if w.corrections}
    kept = [unit for unit, found in zip(units, matchable) if found]
    highlighted = [term for unit in kept for w in unit.typed for term in (w.exact, *w.corrections)]
    highlighted += [term for unit in kept for term in unit.translated]
    return QueryPlan(units=units, required=max(1, required_matches(sum(matchable))), excluded=excluded,
                     proximity=proximity, words=all_words, corrected=corrected,
                     dropped=[w.typed for unit, found in zip(units, matchable) if not found for w in unit.typed],
                     highlighted=list(dict.fromkeys(highlighted)))
