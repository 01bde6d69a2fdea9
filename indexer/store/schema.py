"""The Whoosh schema of an index, and the version of its format.

Text fields receive terms already analysed by :mod:`indexer.language.analysis`, so the schema only needs
Whoosh's plain space tokenizer (the same terms joined by spaces): an index can be opened, merged
or inspected without this package's analysis code, and analysis runs in the parsing pool.
"""

from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.fields import FACET_FIELD

#: Bump when the schema, the analysis or the state saved with a generation changes: older
#: indexes must then be rebuilt. 8: text, facet keys and URLs in NFC; 9: files.json keeps each
#: page's facets and acronyms; 10: data.pickle holds plain values, and the ones saved before
#: held classes under module paths that moved (``indexer.datafiles``…): ``update`` rebuilds them;
#: 11: the file table in files.sqlite and state.json, data.pickle entries pickled one by one,
#: files' times in the manifest, settings signed by each file's digest; 12: the facets a site
#: declares, in one ``facet`` field (``name:value``), and the search settings in the manifest;
#: 13: facet keys without a final sigle in parentheses, administrations split from their ministry.
SCHEMA_VERSION = 13

#: Searchable text fields; ``_exact`` fields hold folded but unstemmed words.
TEXT_FIELDS = ("title", "title_exact", "headings", "summary", "body", "body_exact", "extra")


def build_schema() -> Schema:
    """The index schema: text fields, the facets, a sortable date, the record.

    The facets a site declares (:class:`~indexer.fields.SearchSettings`, in the manifest) share one
    keyword field, each value indexed as ``name:value``: the schema is the same for every site
    whatever its facets, and a facet table reads them all in one pass over the field's terms. ``card`` is a column
    (title, URL, kind) that can be read for every document at once, for title suggestions,
    without loading the full stored records.
    """
    tokenizer = SpaceSeparatedTokenizer()
    # Positions (for phrases and proximity) only where queries use them: the stemmed title and body.
    fields = {name: TEXT(analyzer=tokenizer, phrase=name in ("title", "body")) for name in TEXT_FIELDS}
    fields[FACET_FIELD] = KEYWORD(commas=True, lowercase=False, scorable=False)
    return Schema(
        path=ID(unique=True, stored=True),
        date=NUMERIC(int, bits=32, sortable=True, signed=False),
        card=COLUMN(VarBytesColumn()),
        record=STORED(),
        **fields,
    )
