"""Reference 2: tantivy with an equivalent schema, fed the same analysed text.

Title and body hold the project's stemmed terms, split by tantivy's ``whitespace`` tokenizer;
each facet is a multi-valued ``raw`` text field marked *fast*, counted with a ``terms``
aggregation over the matching documents. Reading and analysis run in this one process, like the
plain Whoosh reference; the writer uses tantivy's defaults (its own indexing threads).
"""

import time

from .reading import FACET_FIELDS, Reading, filter_keys, query_terms


def available() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


def schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("path", stored=True, tokenizer_name="raw")
    builder.add_text_field("url", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title_display", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title", tokenizer_name="whitespace")
    builder.add_text_field("body", tokenizer_name="whitespace")
    for name in FACET_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    return builder.build()


def build(site_root, index_folder) -> dict:
    import tantivy

    started = time.perf_counter()
    reading = Reading(site_root)
    index = tantivy.Index(schema(), path=str(index_folder), reuse=False)
    writer = index.writer()
    for doc in reading:
        record = tantivy.Document()
        record.add_text("path", doc.path)
        record.add_text("url", doc.url)
        record.add_text("title_display", doc.title_display)
        record.add_text("title", doc.title)
        record.add_text("body", doc.body)
        for name, keys in doc.facets.items():
            for key in keys:
                record.add_text(name, key)
        writer.add_document(record)
    writer.commit()
    writer.wait_merging_threads()
    return {"seconds": time.perf_counter() - started, "parse_seconds": reading.seconds,
            "documents": reading.documents, "skipped": reading.skipped}


def opener(index_folder):
    def open_engine():
        import tantivy

        index = tantivy.Index.open(str(index_folder))
        fields = index.schema
        searcher = index.searcher()
        must, should = tantivy.Occur.Must, tantivy.Occur.Should
        aggregation = {name: {"terms": {"field": name, "size": 10_000}} for name in FACET_FIELDS}

        def term(name, value):
            return tantivy.Query.term_query(fields, name, value)

        def search(q: str, filters: dict) -> tuple:
            clauses = [(must, tantivy.Query.boolean_query([(should, term("title", word)), (should, term("body", word))]))
                       for word in query_terms(q)]
            for name, keys in filter_keys(filters).items():
                clauses.append((must, tantivy.Query.boolean_query([(should, term(name, key)) for key in keys])))
            query = tantivy.Query.boolean_query(clauses)
            result = searcher.search(query, 10)
            counts = searcher.aggregate(query, aggregation)
            hits = []
            for _score, address in result.hits:
                stored = searcher.doc(address)
                hits.append((stored["path"][0], stored["title_display"][0], stored["url"][0]))
            return result.count, hits, counts

        return search
    return open_engine
