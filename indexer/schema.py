"""The Whoosh schema, and how a :class:`Document` becomes one index record.

Text fields receive terms already analysed by :mod:`indexer.analysis`, so the schema only needs
Whoosh's plain space tokenizer (the same terms joined by spaces): an index can be opened, merged
or inspected without this package's analysis code, and analysis runs in the parsing pool.
"""

import json

from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import index_terms
from .documents import FACETS, Document, facet_key
from .synonyms import title_expansions

#: Bump when the schema or the analysis changes: older indexes must then be rebuilt.
SCHEMA_VERSION = 9  # 8: text, facet keys and URLs in NFC; 9: files.json keeps each page's facets and acronyms

#: Searchable text fields; ``_exact`` fields hold folded but unstemmed words.
TEXT_FIELDS = ("title", "title_exact", "headings", "summary", "body", "body_exact", "extra")


def build_schema() -> Schema:
    """The index schema: text fields, one keyword field per facet, a sortable date, the record.

    ``card`` is a column (title, URL, kind) that can be read for every document at once, for
    title suggestions, without loading the full stored records.
    """
    tokenizer = SpaceSeparatedTokenizer()
    # Positions (for phrases and proximity) only where queries use them: the stemmed title and body.
    fields = {name: TEXT(analyzer=tokenizer, phrase=name in ("title", "body")) for name in TEXT_FIELDS}
    fields.update({name: KEYWORD(commas=True, lowercase=False, scorable=False) for name in FACETS})
    return Schema(
        path=ID(unique=True, stored=True),
        date=NUMERIC(int, bits=32, sortable=True, signed=False),
        card=COLUMN(VarBytesColumn()),
        record=STORED(),
        **fields,
    )


def record_for(document: Document) -> dict:
    """The fields to pass to ``writer.add_document`` for one document.

    Text fields are lists of terms, which :class:`~indexer.segments.InMemorySegmentWriter`
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
    }
    for name in FACETS:
        keys = [facet_key(value) for value in document.facets.get(name, [])]
        fields[name] = ",".join(key for key in dict.fromkeys(keys) if key)
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
