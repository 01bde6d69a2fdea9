"""When a word the index lacks (or holds once) is a typo: a likelihood test, no word list.

A correction is made only when the visitor far more likely meant it than what they typed (a
noisy channel): the chance of the slips that turn the correction into the typed word, times the
pages holding the correction, against the pages holding the typed word. A word no page holds
still counts for a fraction of a page, the larger the shorter it is: most five-letter words are
one slip from another word ("flood", "food"), while a twelve-letter word one slip from a word of
the site is nearly always a typo of it. A changed first letter is a rare slip, and the way
unrelated words meet ("water", "later"): it costs more.
"""

from math import comb

from whoosh.support.levenshtein import damerau_levenshtein

from indexer.language.analysis import stem

#: Chance of a slip per letter typed, and the share of it a first letter gets.
SLIP = 0.1
FIRST_LETTER_SLIP = 0.2
#: A word no page holds counts as this many pages at five letters, halved with each letter more.
ABSENT_PAGES = 1.0
ABSENT_LETTERS = 5
#: A correction must be this many times likelier than the word typed.
FAR_MORE_LIKELY = 2.0


def odds(typed: str, correction: str, correction_pages: int, typed_pages: int) -> float:
    """How many times likelier the visitor meant ``correction`` than ``typed`` (folded words)."""
    edits = damerau_levenshtein(typed, correction)
    slips = comb(len(typed), edits) * SLIP ** edits
    if typed[:1] != correction[:1]:
        slips *= FIRST_LETTER_SLIP
    prior = typed_pages or ABSENT_PAGES * 2.0 ** (ABSENT_LETTERS - len(typed))
    return slips * correction_pages / prior


def likely(typed: str, typed_pages: int, neighbours, pages, limit: int) -> list[str]:
    """The ``neighbours`` of ``typed`` (index words within its edit budget) far likelier than it,
    the fewest edits first, then the likeliest; another form of the typed word is no correction.
    A word some page holds is only corrected by a one-letter slip."""
    stems = {stem(typed, "fr"), stem(typed, "en")}
    scored = []
    for term in neighbours:
        if stem(term) in stems:
            continue
        edits = damerau_levenshtein(typed, term)
        if typed_pages and edits > 1:
            continue
        found = pages(term)
        chance = odds(typed, term, found, typed_pages)
        if chance >= FAR_MORE_LIKELY:
            scored.append((edits, -chance, term))
    if not scored:
        return []
    fewest = min(edits for edits, _chance, _term in scored)
    return [term for edits, _chance, term in sorted(scored) if edits == fewest][:limit]
