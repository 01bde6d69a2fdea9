"""A page in a list of results: what every list shows of it (search results, similar projects)."""

from dataclasses import dataclass


@dataclass
class PageHit:
    """The page's identity and the facts a result line shows."""

    docnum: int
    path: str
    url: str
    title: str
    kind: str
    date: str
    score: float
    summary: str
    facets: dict[str, list[str]]
