"""Does a query read as English? A cheap test, no model: its words are counted as English (an
English stop word, or a word the glossary translates that the site's French pages do not use)
or French (a French stop word, or another word the French pages use); English wins only with
more words. Only then do its words also search their French translations: a French query keeps
its own words, and English words French pages use ("open data", "design") match as they always did.
"""

from indexer.language.analysis import STOP_WORDS, fold


def english_forms(word: str) -> set[str]:
    """A folded word and its singulars ("reviews" → "review", "policies" → "policy")."""
    forms = {word}
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    if word.endswith("es"):
        forms.add(word[:-2])
    if word.endswith("s"):
        forms.add(word[:-1])
    return forms


def language_of(word: str, glossary) -> str | None:
    """``"en"``, ``"fr"`` or None (a name, a typo, a word both languages write) for a folded word."""
    if word in STOP_WORDS["fr"] and word not in STOP_WORDS["en"]:
        return "fr"
    if word in STOP_WORDS["en"]:
        return "en"
    used = glossary.used_in_french(word)
    if english_forms(word) & glossary.english_words:
        return None if used else "en"
    return "fr" if used else None


def reads_as_english(words: list[str], glossary) -> bool:
    """More of the typed ``words`` are English than French (:func:`language_of`)."""
    languages = [language_of(word, glossary) for word in map(fold, words) if word]
    return languages.count("en") > languages.count("fr")
