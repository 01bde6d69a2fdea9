"""What a visitor asks of a search and what it answers: the request, its limits, the result."""

from dataclasses import dataclass, field

from indexer.errors import BadQuery
from indexer.search.facets import FacetValue
from indexer.search.hits import Hit

#: Page sizes the search pages and the API offer.
PER_PAGE_CHOICES = (10, 20, 50)
#: Any page size up to a hundred results, for callers that widen the choices (``query --limit``).
ANY_PAGE_SIZE = range(1, 101)
#: Results beyond this rank are never served: deep pages cost the most and serve nobody.
RESULT_WINDOW = 1000
SORTS = ("relevance", "date")


@dataclass
class SearchRequest:
    """What a visitor asked for: the query, facet filters (display values), sort and page."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    #: The page sizes accepted: the web's choices unless the caller widens them.
    page_sizes: tuple[int, ...] | range = PER_PAGE_CHOICES

    def validate(self) -> None:
        """Raise :class:`BadQuery` with a message a visitor understands."""
        if self.sort not in SORTS:
            raise BadQuery(f"tri inconnu « {self.sort} » : choisir parmi {', '.join(SORTS)}")
        if self.per_page not in self.page_sizes:
            sizes = self.page_sizes
            allowed = (f"de {sizes[0]} à {sizes[-1]}" if isinstance(sizes, range)
                       else f"parmi {', '.join(map(str, sizes))}")
            raise BadQuery(f"résultats par page : choisir {allowed}")
        if self.page < 1:
            raise BadQuery("le numéro de page commence à 1")
        if (self.page - 1) * self.per_page >= RESULT_WINDOW:
            raise BadQuery(f"seuls les {RESULT_WINDOW} premiers résultats sont consultables : "
                           "précisez la recherche ou ajoutez un filtre")

    def cache_key(self) -> tuple:
        """Equal for requests that must get the same result (empty filters and their order aside)."""
        return (self.q, tuple(sorted((f, tuple(v)) for f, v in self.filters.items() if v)),
                self.sort, self.page, self.per_page)


@dataclass
class SearchResult:
    """Everything a result page or the JSON API shows."""

    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    relaxed: bool = False  # no page had every word: pages with some of them are shown
    corrected: dict[str, str] = field(default_factory=dict)
    suggestion: str | None = None
    drop_filters: list[tuple[str, int]] = field(default_factory=list)
    truncated: bool = False
    elapsed_ms: float = 0.0
    generation: str = ""
    hit_facets: tuple[str, ...] = ()  # the facets read from front matter, which every hit carries

    @property
    def pages(self) -> int:
        reachable = min(self.total, RESULT_WINDOW)
        return max(1, -(-reachable // self.request.per_page))
