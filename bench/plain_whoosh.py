"""Reference 1: a plain Whoosh set-up over the same analysed text.

One process, the default writer (``ix.writer()``), title and body pre-analysed and split by
Whoosh's ``SpaceSeparatedTokenizer``, queries parsed by Whoosh's ``MultifieldParser`` (words
joined by AND), one searcher reused, facets counted by ``groupedby`` with
``FieldFacet(..., allow_overlap=True)`` on KEYWORD facet fields. For such facets Whoosh 2.7
rebuilds, on every search, a per-document list of the field's values from its posting lists; term
vectors would avoid that, but Whoosh 2.7 raises on a page whose facet field is empty ("Field 'tags'
has no vector in docnum …"), so a plain set-up cannot use them here.
"""

import time

from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh import sorting
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.qparser import MultifieldParser

from .reading import FACET_FIELDS, Reading, filter_keys, query_terms


def schema() -> Schema:
    tokenizer = SpaceSeparatedTokenizer()
    return Schema(path=ID(stored=True, unique=True), url=STORED(), title_display=STORED(),
                  title=TEXT(analyzer=tokenizer), body=TEXT(analyzer=tokenizer),
                  **{name: KEYWORD(commas=True, lowercase=False, scorable=False)
                     for name in FACET_FIELDS})


def build(site_root, index_folder) -> dict:
    started = time.perf_counter()
    reading = Reading(site_root)
    writer = whoosh_index.create_in(str(index_folder), schema()).writer()
    for doc in reading:
        writer.add_document(path=doc.path, url=doc.url, title_display=doc.title_display, title=doc.title,
                            body=doc.body, **{name: ",".join(keys) for name, keys in doc.facets.items()})
    writer.commit()
    return {"seconds": time.perf_counter() - started, "parse_seconds": reading.seconds,
            "documents": reading.documents, "skipped": reading.skipped}


def opener(index_folder):
    def open_engine():
        ix = whoosh_index.open_dir(str(index_folder))
        searcher = ix.searcher()
        parser = MultifieldParser(["title", "body"], ix.schema)
        facets = sorting.Facets()
        for name in FACET_FIELDS:
            facets.add_field(name, allow_overlap=True)

        def search(q: str, filters: dict) -> tuple:
            query = parser.parse(" ".join(query_terms(q)))
            keys = filter_keys(filters)
            restrict = Q.And([Q.Or([Q.Term(name, key) for key in values]) for name, values in keys.items()]) \
                if keys else None
            results = searcher.search(query, limit=10, filter=restrict, groupedby=facets, maptype=sorting.Count)
            counts = {name: results.groups(name) for name in FACET_FIELDS}
            hits = [(hit["path"], hit["title_display"], hit["url"]) for hit in results]
            return len(results), hits, counts

        return search
    return open_engine
