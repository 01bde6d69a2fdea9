"""How a :class:`~indexer.site.documents.Document` becomes an index record: analysed terms for
the text fields, facet keys, the card and the stored record a result shows.

On the writer's side only: readers open the schema (:mod:`indexer.store.schema`) without the
site reader or the analysis chain.
"""

import json

from indexer.fields import FACET_FIELD, facet_key, facet_term
from indexer.language.analysis import index_terms
from indexer.language.synonyms import title_expansions
from indexer.site.documents import Document


def record_for(document: Document) -> dict:
    """The fields to pass to ``writer.add_document`` for one document.

    Text fields are lists of terms, which :class:`~indexer.whoosh_io.segments.InMemorySegmentWriter`
    takes as they are; joined by spaces, they are what the schema's tokenizer would split.
    """
    lang = document.lang
    title_exact, title = index_terms(document.title, lang)
    expansions = title_expansions(document.title, document.extra + "\n" + document.text)
    if expansions:
        title += index_terms(expansions, lang)[1]
    body_exact, body = index_terms(document.text, lang)
    fields = {
        "path": document.path,
        "date": int(document.date.replace("-", "")) if document.date else 0,
        "title": title,
        "title_exact": title_exact,
        "headings": index_terms(" \n".join(document.headings), lang)[1],
        "summary": index_terms(document.summary, lang)[1],
        "body": body,
        "body_exact": body_exact,
        "extra": index_terms(document.extra, lang)[1],
        "card": json.dumps([document.title, document.url, document.kind], ensure_ascii=False).encode(),
        "record": stored_record(document),
        FACET_FIELD: ",".join(dict.fromkeys(facet_term(name, key) for name, values in document.facets.items()
                                            for key in map(facet_key, values) if key)),
    }
    return fields


def stored_record(document: Document) -> dict:
    """What a search result shows, kept with the document (no second lookup at query time)."""
    return {
        "url": document.url,
        "title": document.title,
        "kind": document.kind,
        "lang": document.lang,
        "date": document.date,
        "summary": document.summary,
        "text": document.text,
        "facets": document.facets,
        "meta": document.meta,
    }
