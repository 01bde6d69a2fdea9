"""What similar pages and the evaluation read of an open generation goes through its public
interface, and every list of results builds its hits from the stored fields the same way.

The last test reads every module of ``indexer/`` and ``searchweb/`` with ``ast``: none reads a
private attribute (``X._name``, ``X`` not ``self`` or ``cls``) or imports a private name that
another module of the project defines. ``indexer/whoosh_io`` reads Whoosh's private state by
design, some of it under names the project uses too: ``tests/test_whoosh_door.py`` keeps that there.
"""

import ast
from collections import defaultdict
from pathlib import Path

import numpy as np
from whoosh import query as Q

from indexer.search.hits import Hit, PageHit, search_hit
from indexer.search.request import SearchRequest
from indexer.search.similar import SimilarHit
from indexer.search.snippets import QueryForms

PROJECT = Path(__file__).resolve().parents[2]
WHOOSH_DOOR = PROJECT / "indexer" / "whoosh_io"
ORGUES = "_defis/2017-01-01-mcc-inventaire-des-orgues.md"


def test_a_page_is_found_by_path_and_read_back(corpus_engine):
    generation = corpus_engine.generation()
    docnum = generation.document_number(ORGUES)
    assert docnum is not None
    stored = generation.stored(docnum)
    assert stored["path"] == ORGUES
    assert stored["record"]["title"] == "Inventaire des orgues"
    assert generation.document_number("_defis/absent.md") is None


def test_kinds_mask_holds_exactly_the_live_pages_of_those_kinds(corpus_engine):
    generation = corpus_engine.generation()
    live = np.flatnonzero(generation.facets.live).tolist()
    kinds = {docnum: generation.stored(docnum)["record"]["kind"] for docnum in live}
    for wanted in (["défi"], ["défi", "article"], []):
        mask = generation.kinds_mask(wanted)
        assert set(np.flatnonzero(mask).tolist()) == {docnum for docnum, kind in kinds.items() if kind in wanted}


def test_bm25f_ranks_only_among_the_given_pages(corpus_engine):
    generation = corpus_engine.generation()
    query = Q.Or([Q.Term("title", "orgu"), Q.Term("body", "orgu")])
    everywhere = generation.bm25f(query, 10)
    defis = generation.kinds_mask(["défi"])
    among_defis = generation.bm25f(query, 10, defis)
    assert len(everywhere) > len(among_defis) >= 1
    assert all(defis[docnum] for docnum in among_defis)
    assert among_defis == [docnum for docnum in everywhere if defis[docnum]][:10]


def test_search_and_similar_hits_show_the_stored_fields(corpus_engine):
    """The same page as a search result and as a similar page: the same facts, from the index."""
    generation = corpus_engine.generation()
    found = corpus_engine.search(SearchRequest(q="inventaire des orgues")).hits[0]
    similar = next(hit for hit in corpus_engine.similar(text="inventaire des orgues de France")
                   if hit.path == found.path)
    stored = generation.stored(found.docnum)
    expected = PageHit.from_stored(found.docnum, stored, 0.0)
    shared = ("docnum", "path", "url", "title", "kind", "date", "summary", "facets")
    for hit in (found, similar):
        assert {name: getattr(hit, name) for name in shared} == {name: getattr(expected, name) for name in shared}
    assert isinstance(found, Hit) and found.lang == stored["record"]["lang"]
    assert isinstance(similar, SimilarHit)
    rebuilt = search_hit(stored, found.docnum, found.score, QueryForms.of([]))
    assert (rebuilt.score, rebuilt.snippet) == (found.score, [(stored["record"]["summary"], False)])


def _modules() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text("utf-8"), str(path))
            for package in ("indexer", "searchweb") for path in sorted((PROJECT / package).rglob("*.py"))}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__")


def _defined_private_names(tree: ast.Module) -> set[str]:
    """Private names a module defines: functions, classes, assigned names and attributes."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
    return {name for name in names if _private(name)}


def test_no_module_reads_another_modules_private_names():
    modules = _modules()
    owners = defaultdict(set)
    for path, tree in modules.items():
        for name in _defined_private_names(tree):
            owners[name].add(path)
    reaches = []
    for path, tree in modules.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr) and node.attr in owners:
                if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")) \
                        and path not in owners[node.attr] and WHOOSH_DOOR not in path.parents:
                    reaches.append(f"{path.relative_to(PROJECT)}:{node.lineno} .{node.attr}")
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("indexer", "searchweb"):
                reaches += [f"{path.relative_to(PROJECT)}:{node.lineno} import {alias.name}"
                            for alias in node.names if _private(alias.name)]
    assert reaches == []
