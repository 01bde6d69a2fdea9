"""Suggestions from the index's own words: completions as the visitor types, and "did you mean"."""

from indexer.language.analysis import WORD_RE, fold
from indexer.search import corrections, querylang
from indexer.search.generation import Generation

#: Only words on fewer pages than this get a "did you mean" (a common word is not a typo).
SUGGEST_BELOW = 3


def completions(gen: Generation, prefix: str, limit: int) -> list[dict]:
    """Titles, then frequent words, starting with what the visitor has typed so far."""
    typed = querylang.clean(prefix)
    folded = " ".join(fold(word) for word in typed.split())
    if len(folded) < 2:
        return []
    suggestions, cards = [], gen.cards
    for docnum in gen.scorer.path_order.tolist():  # the same titles whichever build worker read which page
        card = cards[docnum]
        if card and fold_title(card[0]).startswith(folded):
            suggestions.append({"type": "title", "value": card[0], "url": card[1], "kind": card[2]})
            if len(suggestions) >= limit // 2:
                break
    last = folded.split()[-1]
    head = typed.rsplit(" ", 1)[0] + " " if " " in typed else ""
    words = gen.postings.most_frequent(
        "body_exact", map(bytes.decode, gen.reader.expand_prefix("body_exact", last)), limit - len(suggestions))
    for _freq, term in words:
        suggestions.append({"type": "term", "value": head + term})
    return suggestions


def did_you_mean(gen: Generation, typed: str, plan, budget) -> str | None:
    """The query with its rare words replaced by far likelier words of the index
    (:mod:`.corrections`), None when none is."""
    replacements = {}
    for forms in plan.words:
        frequency = gen.lexicon.doc_frequency("body_exact", forms.exact)
        if frequency > SUGGEST_BELOW or not budget.allows(forms.exact):  # a common word is not a typo
            continue
        better = corrections.likely(forms.exact, frequency, gen.lexicon.neighbours(forms.exact),
                                    lambda term: gen.lexicon.doc_frequency("body_exact", term), 1)
        if better:
            replacements[forms.exact] = better[0]
    if not replacements:
        return None
    suggestion = WORD_RE.sub(lambda m: replacements.get(fold(m.group()), m.group()), querylang.clean(typed))
    return suggestion if suggestion != querylang.clean(typed) else None


def fold_title(title: str) -> str:
    return " ".join(fold(word) for word in title.split())
