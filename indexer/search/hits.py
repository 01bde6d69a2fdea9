"""A page in a list of results: what every list shows of it (search results, similar projects),
built from the fields the index stores."""

from dataclasses import dataclass

from indexer.search import cards
from indexer.search.snippets import QueryForms, snippet, to_html, to_text


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
    team: list[dict]  # [{name, role, url?}] (:mod:`indexer.search.cards`)
    links: list[dict]  # [{kind, url}]
    year_only: bool  # dated by its year alone (the data gives the year, the date is 1 January)

    @classmethod
    def from_stored(cls, docnum: int, stored: dict, score: float, **extra):
        """The hit for a document's stored fields (its path and record); ``extra`` gives the
        fields a kind of hit adds. Every list of results builds its hits here."""
        record = stored["record"]
        return cls(docnum=docnum, path=stored["path"], url=record["url"], title=record["title"],
                   kind=record["kind"], date=record["date"], score=round(float(score), 4),
                   summary=record["summary"], facets=record["facets"], team=cards.team(record),
                   links=cards.links(record), year_only=cards.year_only(record), **extra)


@dataclass
class Hit(PageHit):
    """One search result, ready to show."""

    lang: str
    snippet: list  # (text, matched) pieces

    @property
    def snippet_html(self) -> str:
        return to_html(self.snippet)

    @property
    def snippet_text(self) -> str:
        return to_text(self.snippet)


def search_hit(stored: dict, docnum: int, score: float, forms: QueryForms) -> Hit:
    """A search result: the page with its passage matching the query (else its summary)."""
    record = stored["record"]
    pieces = snippet(record["text"], forms, record["lang"]) if forms.exact else []
    if not any(matched for _piece, matched in pieces):
        pieces = [(record["summary"] or record["text"][:300], False)]
    return Hit.from_stored(docnum, stored, score, lang=record["lang"], snippet=pieces)
