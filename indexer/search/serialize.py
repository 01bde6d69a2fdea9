"""A search result as JSON: the one shape of ``GET /api/search`` and ``eig-search query --json``.

Kept apart from the web app (no Flask here) so that the command line prints exactly what the
API answers; each caller gives the site's base URL (the web app its ``SITE_URL`` setting, the
command line ``--site-url``, both else the ``url`` the index read from the site's ``_config.yml``).
"""

from indexer.search import cards
from indexer.search.request import SearchResult
from indexer.urls import HTTP_URL_RE, site_path


def safe_base_url(url: str) -> str:
    """``url`` without its final slash if it is an http(s) address, else nothing: a site's
    ``_config.yml`` must not turn every result link into ``javascript:…``."""
    url = url.strip().rstrip("/")
    return url if HTTP_URL_RE.fullmatch(url) else ""


def card_fields(hit, base: str) -> dict:
    """What a hit's card lets staff act on (docs/openapi.yaml): ``team`` (with profile pages),
    ``links`` (only addresses a visitor may follow) and how precise its ``date`` is."""
    return {"team": cards.public(hit.team, base), "links": cards.public(hit.links, base),
            "date_precision": "year" if hit.year_only else "day"}


def search_json(result: SearchResult, site_url: str) -> dict:
    """The result as the API documents it (docs/openapi.yaml, ``SearchResult``); page links are
    paths of the site behind ``site_url`` when that is a safe http(s) address. Each hit carries
    the values of the facets the site reads from front matter, under their names."""
    base = safe_base_url(site_url)
    return {
        "total": result.total,
        "page": result.request.page,
        "per_page": result.request.per_page,
        "pages": result.pages,
        "hits": [{
            "path": hit.path,
            "url": base + site_path(hit.url),
            "title": hit.title,
            "kind": hit.kind,
            "date": hit.date,
            "snippet": hit.snippet_html,
            "score": hit.score,
            **{name: hit.facets.get(name, []) for name in result.hit_facets},
            **card_fields(hit, base),
        } for hit in result.hits],
        "facets": {name: [{"value": v.value, "count": v.count, "selected": v.selected} for v in values]
                   for name, values in result.facets.items()},
        "suggestion": result.suggestion,
        "corrected": result.corrected,
        "dropped": result.dropped,
        "exact": result.request.exact,
        "relaxed": result.relaxed,
        "truncated": result.truncated,
        "sorts": list(result.sorts),
    }
