"""What a project page is about, as a vector, to compare two pages of the same kind.

A page's profile is its words (stemmed, stop words out), the title counting three times and the
summary twice, each weighted by its rarity *among the pages compared* (the défis, not the whole
site: a word every défi uses — « défi », « usagers », « données » — says nothing about one of
them). Two pages are as similar as the cosine of their profiles, a number between 0 and 1 a person
can read; pages run by the same administration or by the same people come closer, since that is
what staff look for behind a similar project (:func:`facts`).

The profiles of a set of pages (one kind or a few) are computed once per index generation, on the
first request that needs them, from the stored records: for the programme's seventy défis, a few
tens of milliseconds.
"""

import math
import re
import threading
import weakref
from collections import Counter
from dataclasses import dataclass

import numpy as np

from indexer.fields import facet_key
from indexer.language.analysis import STOP_WORDS, WORD_RE, fold, stem, written
from indexer.language.generic import generic_stems
from indexer.search import cards

#: How much each part of a page counts: what the page is about comes first in its title and summary.
ZONE_WEIGHTS = {"title": 3.0, "summary": 2.0, "text": 1.0}
MAX_TEXT_CHARS = 20_000
#: Words kept per profile, the heaviest (the cosine is computed over the whole profile).
MAX_PROFILE_TERMS = 200
#: The similarity of two pages is the cosine of their words, plus this much for the same
#: administration (the cosine of the administrations' names, rare words counting most), plus
#: this much when they share a person of the team.
ADMINISTRATION_WEIGHT = 0.15
PEOPLE_WEIGHT = 0.1
#: Sets of pages profiled per generation (the projects, the related reading…).
MAX_CACHED_SETS = 4
#: « En commun » shows at most this many words, each telling enough: used by at most about a
#: third of the compared pages (this rarity or more), and bringing at least this share of the
#: two pages' word similarity.
MAX_SHARED_WORDS = 8
MIN_SHARED_RARITY = 0.7
MIN_SHARED_SHARE = 0.02
#: What splits an administration's name into the names of its parts ("Ministère de l'Intérieur,
#: Direction générale de la gendarmerie nationale (DGGN)").
_SENTENCE_ENDS = set(".!?:;\n•*-–—«\"(")
_NAME_PARTS_RE = re.compile(r"\s*[,;()]\s*|\s+[-–]\s+")


@dataclass
class Profile:
    """A page's words, ready to compare: ``weights`` (stem → weight, unit length), ``forms``
    (stem → the word as the page writes it most often), the stems of its administration (unit
    length) and the people of its team."""

    weights: dict[str, float]
    forms: dict[str, str]
    administration: dict[str, float]
    people: frozenset


def word_counts(record: dict) -> tuple[Counter, dict[str, str]]:
    """``(stem → weighted count, stem → written form)`` of a stored record's title, summary and text."""
    lang = record.get("lang", "fr")
    counts, forms, generic = Counter(), {}, generic_stems(lang)
    for zone, weight in ZONE_WEIGHTS.items():
        text = record.get(zone, "")[:MAX_TEXT_CHARS]
        for match in WORD_RE.finditer(text):
            folded = fold(match.group())
            if len(folded) < 3 or folded.isdigit() or folded in STOP_WORDS[lang]:
                continue
            term = stem(folded, lang)
            if term in generic:
                continue
            counts[term] += weight
            forms.setdefault(term, Counter())[(written(match.group()), _starts_sentence(text, match.start()))] += 1
    return counts, {term: display_form(seen) for term, seen in forms.items()}


def _starts_sentence(text: str, start: int) -> bool:
    while start and text[start - 1] in " \t\xa0":
        start -= 1
    return not start or text[start - 1] in _SENTENCE_ENDS


def display_form(seen: Counter) -> str:
    """The form a page writes a word in most often (``seen``: ``(form, starts a sentence?)`` →
    count). A capital at the start of a sentence is no spelling: "Contrôle" there is "contrôle",
    while "Culture" in "ministère de la Culture" and "SNDS" stay."""
    merged = Counter()
    for (form, initial), count in seen.items():
        capitalised = form[:1].isupper() and form[1:].islower()
        merged[form[:1].lower() + form[1:] if initial and capitalised else form] += count
    return max(merged.items(), key=lambda item: (item[1], item[0].islower(), item[0]))[0]


def people_of(record: dict) -> frozenset:
    """The people of a page's team who can be told apart: full names (a first name alone, as
    some sites give, is many people)."""
    return frozenset(name for name in _team(record) if len(name.split()) > 1)


def administration_terms(record: dict) -> Counter:
    """The stems of the words naming the page's administration and its ministry."""
    names = " ".join(_organisations(record.get("facets") or {}))
    lang = record.get("lang", "fr")
    return Counter(stem(folded, lang) for folded in map(fold, WORD_RE.findall(names))
                   if len(folded) >= 3 and folded not in STOP_WORDS[lang])


def _organisations(facets: dict) -> list:
    """A page's administrations, then its ministries (two services of a ministry share it)."""
    return _as_list(facets.get("administration")) + _as_list(facets.get("ministere"))


def _as_list(value) -> list:
    if value is None:
        return []
    return [value] if isinstance(value, (str, int, float)) else list(value)


class ComparedSet:
    """The profiles of a set of pages (those of some kinds), the rarity of each word among them,
    and how close any page is to each of them."""

    def __init__(self, generation, docnums: np.ndarray):
        self.docnums = docnums
        records = [generation.stored(docnum)["record"] for docnum in docnums.tolist()]
        counted = [word_counts(record) for record in records]
        self.size = len(records)
        self.frequencies = Counter(term for counts, _forms in counted for term in counts)
        admins = [administration_terms(record) for record in records]
        self.admin_frequencies = Counter(term for terms in admins for term in terms)
        self.profiles = {docnum: self._profile(counts, forms, admin, people_of(record), own=True)
                         for docnum, (counts, forms), admin, record in zip(docnums.tolist(), counted, admins, records)}

    def idf(self, term: str, own: bool, frequencies: Counter | None = None) -> float:
        """Rarity of a word among the compared pages (0 for a word half of them use), in their
        text or in ``frequencies`` (their administrations' names); a page outside the set counts
        as one more page holding its own words."""
        frequencies = self.frequencies if frequencies is None else frequencies
        size, frequency = self.size + (not own), frequencies.get(term, 0) + (not own)
        return max(0.0, math.log((size - frequency + 0.5) / (frequency + 0.5)))

    def _profile(self, counts: Counter, forms: dict, admin: Counter, people: frozenset, own: bool) -> Profile:
        weights = _unit({term: count * self.idf(term, own) for term, count in counts.items()})
        kept = dict(sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:MAX_PROFILE_TERMS])
        admin_weights = _unit({term: self.idf(term, own, self.admin_frequencies) for term in admin})
        return Profile(kept, {term: forms[term] for term in kept}, admin_weights, people)

    def profile_of(self, docnum: int | None, record: dict) -> Profile:
        """The profile of a page, whether or not it is one of the compared pages."""
        if docnum in self.profiles:
            return self.profiles[docnum]
        counts, forms = word_counts(record)
        return self._profile(counts, forms, administration_terms(record), people_of(record), own=False)

    def closest(self, source: Profile, allowed: np.ndarray, limit: int) -> list[tuple[int, float]]:
        """The ``limit`` compared pages among ``allowed`` closest to ``source``: ``(docnum, similarity)``."""
        scored = [(docnum, similarity(source, profile)) for docnum, profile in self.profiles.items() if allowed[docnum]]
        scored = [item for item in scored if item[1] > 0]
        scored.sort(key=lambda item: -item[1])
        return scored[:limit]


    def shared_words(self, source: Profile, other: Profile) -> list[str]:
        """The telling words two profiles share, as ``other`` writes them, the ones adding most
        to their similarity first."""
        shared = [(weight * other.weights[term], term) for term, weight in source.weights.items()
                  if term in other.weights and self.idf(term, own=True) >= MIN_SHARED_RARITY]
        total = _dot(source.weights, other.weights)
        shared.sort(key=lambda item: (-item[0], item[1]))
        return [other.forms[term] for contribution, term in shared[:MAX_SHARED_WORDS]
                if contribution >= MIN_SHARED_SHARE * total]


def similarity(source: Profile, other: Profile) -> float:
    """Cosine of the words, plus the administration and the people they share."""
    return (_dot(source.weights, other.weights)
            + ADMINISTRATION_WEIGHT * _dot(source.administration, other.administration)
            + PEOPLE_WEIGHT * bool(source.people & other.people))


def shared_facts(source: dict, other: dict) -> dict[str, list[str]]:
    """What else two pages (stored records) share, as ``other`` writes it: ``administration`` (the
    parts of its name both have) or else ``ministere``, ``skills``, ``promotion`` and ``people`` of
    the team; only what they do share."""
    facets, other_facets = source.get("facets") or {}, other.get("facets") or {}
    mine = [part for name in _organisations(facets) for part in _name_parts(name)]
    facts = {
        "administration": [shared for name in _organisations(other_facets)
                           for part in _name_parts(name) for shared in [_same_body(part, mine)] if shared],
        "skills": _common((source.get("meta") or {}).get("skills"), (other.get("meta") or {}).get("skills")),
        "promotion": _common(facets.get("promotion"), other_facets.get("promotion")),
        "people": [name for name in _team(other) if name in people_of(source)],  # full names only
    }
    # A shared ministry is said as one, and only when no service of it is shared (that says more).
    ministries = {facet_key(str(value)) for value in _as_list(other_facets.get("ministere"))}
    services = [part for part in facts["administration"] if facet_key(part) not in ministries]
    if len(services) > 1:  # "DGGN" beside "Direction générale de la gendarmerie nationale"
        services = [part for part in services if not part.isupper()] or services
    if not services:
        facts["ministere"] = facts["administration"]
    facts["administration"] = services
    return {name: list(dict.fromkeys(values)) for name, values in facts.items() if values}


def _name_parts(name) -> list[str]:
    """The bodies an administration's name lists: "Ministère de l'Intérieur, Direction générale de
    la gendarmerie nationale (DGGN)" is three; a comma before a small letter goes on with the name."""
    parts = []
    for part in _NAME_PARTS_RE.split(str(name)):
        part = part.strip()
        if parts and part[:1].islower() and not part.startswith(("et ", "and ")):
            parts[-1] += ", " + part
        elif len(facet_key(part)) >= 2:
            parts.append(part)
    return parts


def _same_body(part: str, mine: list[str]) -> str:
    """``part`` when one of ``mine`` names the same body, or names it followed by another ("Ministère
    de l'Intérieur" and "Ministère de l'Intérieur et ANTAI"): then the shorter name; else ""."""
    key = facet_key(part)
    for other in mine:
        other_key = facet_key(other)
        if key == other_key or other_key.startswith(key + " "):
            return part
        if key.startswith(other_key + " "):
            return other
    return ""


def _common(mine, theirs) -> list[str]:
    keys = {facet_key(str(value)) for value in _as_list(mine)}
    return [str(value) for value in _as_list(theirs) if facet_key(str(value)) in keys]


def _team(record: dict) -> list[str]:
    return [person["name"] for person in cards.team(record)]


def _dot(first: dict, second: dict) -> float:
    if len(second) < len(first):
        first, second = second, first
    return sum(weight * second.get(term, 0.0) for term, weight in first.items())


def _unit(weights: dict) -> dict:
    weights = {term: weight for term, weight in weights.items() if weight > 0}
    norm = math.sqrt(sum(weight * weight for weight in weights.values()))
    return {term: weight / norm for term, weight in weights.items()} if norm else {}


_sets: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def compared_set(generation, kinds) -> ComparedSet:
    """The profiles of the pages of ``kinds`` in a generation, computed on first use."""
    key = tuple(sorted(kinds))
    with _lock:
        sets = _sets.setdefault(generation, {})
        found = sets.get(key)
        if found is None:
            found = sets[key] = ComparedSet(generation, np.flatnonzero(generation.kinds_mask(kinds)))
            while len(sets) > MAX_CACHED_SETS:
                sets.pop(next(iter(sets)))
        return found
