"""The glossary an index generation searches English queries with: the curated one, then the
word pairs its site provides — the bilingual ``_data`` texts saved with the generation at index
time (:mod:`indexer.site.bilingual`), and the titles of the pages it holds in both languages (an
English page ``en/…`` and the French page at the same path without ``en/``)."""

import json
from pathlib import Path

import numpy as np

from indexer.fields import facet_key
from indexer.language.glossary import SITE_PAIRS_FILE, Glossary, glossary

ENGLISH_FOLDER = "en/"
#: A word on this many French pages or more is one the site's French pages use ("open data",
#: "design", "machine learning"): it says nothing of a query's language.
FRENCH_USE = 3


def for_generation(generation, folder: Path) -> Glossary:
    """The glossary of an open generation whose files are in ``folder``, knowing which words the
    generation's French pages use."""
    try:
        saved = json.loads((folder / SITE_PAIRS_FILE).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        saved = []
    found = glossary([pair for pair in saved if isinstance(pair, list) and len(pair) == 2] + page_pairs(generation))
    french = _language_mask(generation, "fr")
    if french is None:  # no language facet: every page is the site's language
        french = generation.facets.live
    postings = generation.postings

    def used_in_french(word: str) -> bool:
        pages = np.union1d(postings.docs("body_exact", word), postings.docs("title_exact", word))
        return int(french[pages].sum()) >= FRENCH_USE
    found.used_in_french = used_in_french
    return found


def _language_mask(generation, lang: str) -> np.ndarray | None:
    try:
        return generation.facets.mask("language", [facet_key(lang)]) & generation.facets.live
    except KeyError:  # a site whose settings leave out the language facet
        return None


def page_pairs(generation) -> list[list[str]]:
    """``[french, english]`` titles of the pages a generation holds in both languages."""
    english = _language_mask(generation, "en")
    if english is None:
        return []
    pairs = []
    for docnum in np.flatnonzero(english).tolist():
        stored = generation.stored(docnum)
        if not stored["path"].startswith(ENGLISH_FOLDER):
            continue
        french = generation.document_number(stored["path"][len(ENGLISH_FOLDER):])
        if french is not None:
            pairs.append([generation.stored(french)["record"]["title"], stored["record"]["title"]])
    return pairs
