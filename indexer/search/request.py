"""What a visitor asks of a search and what it answers: the request, its limits, the result."""

from dataclasses import dataclass, field

from indexer.errors import N_, BadQuery
from indexer.search.facets import FacetValue
from indexer.search.hits import Hit

#: Page sizes the search pages and the API offer.
PER_PAGE_CHOICES = (10, 20, 50)
#: Any page size up to a hundred results, for callers that widen the choices (``query --limit``).
ANY_PAGE_SIZE = range(1, 101)
#: Results beyond this rank are never served: deep pages cost the most and serve nobody.
RESULT_WINDOW = 1000
#: The orders a visitor may choose; ``promotion`` only on a site with a facet of that name.
SORTS = ("relevance", "date", "promotion")
#: The sorts that read a facet, and which one.
FACET_SORTS = {"promotion": "promotion"}


def sorts_for(facet_names) -> tuple[str, ...]:
    """The sorts an index offers, given the names of its facets."""
    return tuple(sort for sort in SORTS if sort not in FACET_SORTS or FACET_SORTS[sort] in facet_names)


@dataclass
class SearchRequest:
    """What a visitor asked for: the query, facet filters (display values), sort and page."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    exact: bool = False  # the words as typed: no typo correction
    #: The page sizes accepted: the web's choices unless the caller widens them.
    page_sizes: tuple[int, ...] | range = PER_PAGE_CHOICES

    def validate(self) -> None:
        """Raise :class:`BadQuery` with a message a visitor understands."""
        if self.sort not in SORTS:
            raise BadQuery(N_("tri inconnu « %(sort)s » : choisir parmi %(sorts)s"),
                           sort=self.sort, sorts=", ".join(SORTS))
        sizes = self.page_sizes
        if self.per_page not in sizes and isinstance(sizes, range):
            raise BadQuery(N_("résultats par page : choisir de %(low)s à %(high)s"), low=sizes[0], high=sizes[-1])
        if self.per_page not in sizes:
            raise BadQuery(N_("résultats par page : choisir parmi %(sizes)s"), sizes=", ".join(map(str, sizes)))
        if self.page < 1:
            raise BadQuery(N_("le numéro de page commence à 1"))
        if (self.page - 1) * self.per_page >= RESULT_WINDOW:
            raise BadQuery(N_("seuls les %(window)s premiers résultats sont consultables : "
                              "précisez la recherche ou ajoutez un filtre"), window=RESULT_WINDOW)

    def cache_key(self) -> tuple:
        """Equal for requests that must get the same result (empty filters and their order aside)."""
        return (self.q, tuple(sorted((f, tuple(v)) for f, v in self.filters.items() if v)),
                self.sort, self.page, self.per_page, self.exact)


@dataclass
class SearchResult:
    """Everything a result page or the JSON API shows."""

    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    relaxed: bool = False  # no page had every word: pages with some of them are shown
    corrected: dict[str, str] = field(default_factory=dict)  # typed word → the correction searched
    dropped: list[str] = field(default_factory=list)  # typed words no page holds, left out of the search
    suggestion: str | None = None
    drop_filters: list[tuple[str, int]] = field(default_factory=list)
    truncated: bool = False
    elapsed_ms: float = 0.0
    generation: str = ""
    hit_facets: tuple[str, ...] = ()  # the facets read from front matter, which every hit carries
    sorts: tuple[str, ...] = SORTS[:2]  # the sorts this index offers (:func:`sorts_for`)
    kinds: tuple[str, ...] = ()  # every kind's facet key, in the order tabs show them (projects first)

    @property
    def tabs(self) -> list[FacetValue]:
        """The kinds matching, in :attr:`kinds` order with their counts: a count does not change
        when a kind is selected (facets are counted without their own filter)."""
        values = {value.key: value for value in self.facets.get("kind", [])}
        return [values[key] for key in self.kinds if key in values]

    @property
    def pages(self) -> int:
        reachable = min(self.total, RESULT_WINDOW)
        return max(1, -(-reachable // self.request.per_page))
