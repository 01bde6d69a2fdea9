"""Request parameters → a :class:`SearchRequest`, validated the same way for pages and the API.

Invalid numbers are refused with a message (a 400), never silently replaced by a default; a
query longer than the limit is cut and the visitor is told. The query and filter values are
read through :func:`~indexer.search.querylang.visible`: one form per letter, nothing invisible echoed.
"""

from urllib.parse import urlencode

from indexer.errors import N_, BadQuery
from indexer.search.querylang import MAX_QUERY_CHARS, visible
from indexer.search.request import PER_PAGE_CHOICES, SearchRequest

from .i18n import explicit_language

#: A URL longer than this is refused (414) before anything else is read.
MAX_QUERY_STRING = 4096
MAX_FILTER_VALUES = 20


def search_request(args, labels: dict[str, str]) -> SearchRequest:
    """Read ``q``, the filters of the index's facets (``labels``: name → label), ``sort``,
    ``page``, ``per_page`` and ``exact`` (no typo correction) from request arguments."""
    filters = {}
    for facet, label in labels.items():
        values = [value for value in map(visible, args.getlist(facet)) if value]
        if len(values) > MAX_FILTER_VALUES:
            raise BadQuery(N_("trop de valeurs pour le filtre « %(label)s » (au plus %(most)s)"),
                           label=label, most=MAX_FILTER_VALUES)
        if values:
            filters[facet] = [value[:200] for value in values]
    return SearchRequest(
        q=visible(args.get("q", "")),
        filters=filters,
        sort=args.get("sort", "relevance") or "relevance",
        page=_integer(args.get("page"), "page", 1),
        per_page=_integer(args.get("per_page"), "per_page", PER_PAGE_CHOICES[0]),
        exact=_flag(args.get("exact"), "exact"),
    )


def _flag(raw, name: str) -> bool:
    """``1`` turns an option on, ``0`` or nothing leaves it off; anything else is refused."""
    if raw in (None, "", "0"):
        return False
    if raw != "1":
        raise BadQuery(N_("le paramètre « %(name)s » vaut 1 ou 0 (reçu : « %(raw)s »)"), name=name, raw=raw[:20])
    return True


def _integer(raw, name: str, default: int) -> int:
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6:
        raise BadQuery(N_("le paramètre « %(name)s » doit être un nombre entier positif (reçu : « %(raw)s »)"),
                       name=name, raw=raw[:20])
    return int(raw)


def query_was_cut(q: str) -> bool:
    return len(visible(q)) > MAX_QUERY_CHARS


def url_params(request: SearchRequest, **changes) -> str:
    """The query string of a search page, with some parameters changed (``None`` removes one);
    the interface language asked for in the URL stays (``lang``)."""
    params = {"q": request.q, **{facet: values for facet, values in request.filters.items()},
              "sort": request.sort if request.sort != "relevance" else None,
              "per_page": request.per_page if request.per_page != PER_PAGE_CHOICES[0] else None,
              "page": request.page if request.page != 1 else None, "exact": 1 if request.exact else None,
              "lang": explicit_language()}
    params.update(changes)
    pairs = []
    for key, value in params.items():
        if value in (None, "", []):
            continue
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, item))
    return urlencode(pairs)
