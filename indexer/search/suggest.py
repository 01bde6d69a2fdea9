"""Suggestions from the index's own words: completions as the visitor types, and "did you mean"."""

from indexer.language.analysis import WORD_RE, fold, stem
from indexer.search import completions as found_completions
from indexer.search import corrections, querylang
from indexer.search.generation import Generation

#: Only words on fewer pages than this get a "did you mean" (a common word is not a typo).
SUGGEST_BELOW = 3
#: Words completing the last one typed, when titles and facet values leave room.
MAX_WORDS = 3


def completions(gen: Generation, prefix: str, limit: int) -> list[dict]:
    """Titles of projects and related reading, then values of descriptive facets, whose words
    begin with the words typed so far (:mod:`.completions`); then, with room left, the index's most
    frequent words completing a single typed word (or several that found nothing else), one form
    per stem and none already proposed."""
    typed = querylang.clean(prefix)
    words = [word for word in map(fold, WORD_RE.findall(typed)) if word]
    if len("".join(words)) < 2:
        return []
    suggestions = found_completions.for_generation(gen).propose(words, limit)
    room = min(MAX_WORDS, limit - len(suggestions))
    if room <= 0 or (len(words) > 1 and suggestions):  # "intelligence art": not "intelligence article"
        return suggestions
    head = typed.rsplit(" ", 1)[0] + " " if " " in typed else ""
    last = words[-1]
    stems = {stem(last)} if gen.lexicon.doc_frequency("body_exact", last) else set()  # a whole word: no other form
    candidates = gen.postings.most_frequent(
        "body_exact", map(bytes.decode, gen.reader.expand_prefix("body_exact", last)), MAX_WORDS * 4)
    proposed = {word for item in suggestions
                for word in found_completions.words_of(f'{item["value"]} {item.get("summary", "")}')}
    stems.update(map(stem, proposed))
    for _pages, term in candidates:
        if stem(term) not in stems and room:
            stems.add(stem(term))
            suggestions.append({"type": "term", "value": head + term})
            room -= 1
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
