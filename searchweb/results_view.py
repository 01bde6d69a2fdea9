"""What the results page needs beyond the result: the facets listed in full, and links that keep them.

A facet lists its first values (:data:`SHORT_LIST`) and a link « Afficher tout » to the same page
with ``expand=NAME``: without JavaScript too, no value is out of reach. ``expand`` is a reserved
name (:data:`~indexer.site.searchconfig.RESERVED_NAMES`), never a facet's.
"""

from functools import partial

from indexer.search.request import PER_PAGE_CHOICES, SearchRequest, SearchResult

from .params import url_params

#: Values a facet lists before « Afficher tout » (the selected ones are always listed).
SHORT_LIST = 6
#: A facet listed in full gets a box to filter its values (with the script) from this many values.
FILTER_BOX_FROM = 12


def results_view(args, request: SearchRequest, shown_facets) -> dict:
    """The template's view of the page: ``expanded`` facets (``?expand=``, shown facets only) and
    ``page_url(**changes)``, the query string of this page with some parameters changed."""
    expanded = [name for name in dict.fromkeys(args.getlist("expand")) if name in shown_facets]
    return {"expanded": expanded, "page_url": partial(url_params, request, expand=expanded),
            "short_list": SHORT_LIST, "filter_box_from": FILTER_BOX_FROM, "per_page_choices": PER_PAGE_CHOICES,
            "with_tabs": with_tabs, "sidebar_facets": partial(sidebar_facets, shown_facets=shown_facets)}


def with_tabs(result: SearchResult) -> bool:
    """Whether the page shows tabs by kind: more than one kind matches, or one is chosen."""
    return len(result.tabs) > 1 or bool(result.request.filters.get("kind"))


def sidebar_facets(result: SearchResult, shown_facets) -> list[str]:
    """The facets the filter panel lists: those with values, but the kind when tabs choose it."""
    tabs = with_tabs(result)
    return [name for name in shown_facets if result.facets.get(name) and not (tabs and name == "kind")]
