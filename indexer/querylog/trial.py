"""Would a synonym group have found pages? Re-run zero-result queries with it in the thesaurus.

``eig-search report --try-synonym "a, b"`` tries each candidate group the maintainer gives on
the current index, as if it were a line of ``synonyms.yml``: each group alone, added to the
thesaurus the engine already has (the shipped synonyms and the site's acronyms). Queries are run
without filters, as their words alone would be.
"""

from collections import defaultdict

from indexer.language.synonyms import Thesaurus
from indexer.search.engine import SearchEngine
from indexer.search.request import SearchRequest


def parse_group(text: str) -> list[str]:
    """``"a, b c"`` → ``["a", "b c"]``; a group needs two words or phrases at least."""
    entries = list(dict.fromkeys(entry.strip() for entry in text.split(",") if entry.strip()))
    if len(entries) < 2:
        raise ValueError(f"« {text} » : un groupe de synonymes compte au moins deux mots ou expressions "
                         "séparés par des virgules")
    return entries


def with_group(thesaurus: Thesaurus, group: list[str]) -> Thesaurus:
    """A copy of ``thesaurus`` with one more group (the engine's own is left as it is)."""
    extended = Thesaurus(defaultdict(set, {key: set(values) for key, values in thesaurus.alternatives.items()}))
    extended.add_group(group)
    return extended


def try_groups(index_folder, queries: list[str], groups: list[list[str]]) -> dict[str, dict]:
    """``{query: {"results_now": N, "with_synonyms": [{"group", "results"}…]}}`` on the current index."""
    engine = SearchEngine(index_folder, result_cache=0)
    try:
        generation = engine.generation()
        shipped = generation.thesaurus
        found = {query: {"results_now": engine.search(SearchRequest(q=query)).total, "with_synonyms": []}
                 for query in queries}
        for group in groups:
            generation.thesaurus = with_group(shipped, group)
            for query in queries:
                found[query]["with_synonyms"].append(
                    {"group": group, "results": engine.search(SearchRequest(q=query)).total})
        generation.thesaurus = shipped
        return found
    finally:
        engine.close()


def annotate(report: dict, index_folder, groups: list[list[str]]) -> dict:
    """Add to each zero-result query of a report what it finds today and with each group."""
    found = try_groups(index_folder, [item["query"] for item in report["zero_results"]], groups)
    for item in report["zero_results"]:
        item.update(found[item["query"]])
    report["synonym_groups"] = groups
    return report
