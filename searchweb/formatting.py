"""How values look on a page: French dates, kind badges, facet value labels, links to pages, and
the words a site's search settings give its pages (« les défis et les articles »)."""

from datetime import date

from indexer.fields import capitalised
from indexer.search import cards
from indexer.urls import site_path

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
LANGUAGES = {"fr": "Français", "en": "Anglais"}


def french_date(iso: str) -> str:
    """``2019-03-07`` → ``7 mars 2019``; empty for an unknown date."""
    try:
        day = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return ""
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS[day.month - 1]} {day.year}"


def facet_label(value: str, facet: str) -> str:
    """A facet value as a visitor reads it: ``promotion`` 3 → "Promotion 3", ``lang`` en → "Anglais"."""
    if facet == "lang":
        return LANGUAGES.get(value, value)
    if facet == "kind":
        return kind_label(value)
    if facet == "promotion":
        return f"Promotion {value}" if value.isdigit() else value.upper()
    return value


def kind_label(kind: str) -> str:
    """A kind of page as a badge shows it: its singular (``search.kinds``), capitalised."""
    return capitalised(kind)


def search_scope(settings) -> str:
    """What the site's search looks in, for a heading: « les défis et les articles »."""
    kinds = [*settings.projects, *settings.related[:1]]
    plurals = [settings.plural([kind]) for kind in kinds]
    words = [f"les {plural[:1].lower()}{plural[1:]}" for plural in plurals]
    return " et ".join(words) if words else "le site"


def result_facts(hit, names) -> str:
    """The values of the facets shown under a result (``search.results``): « Promotion 3 · Agence Bio »."""
    parts = []
    for name in names:
        values = hit.facets.get(name) or []
        if name == "promotion" and values:
            parts.append(facet_label(values[0], name))
        elif values:
            parts.append(", ".join(values))
    return " · ".join(parts)


#: How a card names each kind of link (:mod:`indexer.search.cards`).
LINK_LABELS = {"source_code": "Code source", "poster": "Poster", "video": "Vidéo", "website": "Site de l'administration"}


def hit_date(hit) -> str:
    """A result's date as precise as the data: « 2019 » for a page dated by its year alone."""
    return hit.date[:4] if hit.year_only else french_date(hit.date)


def init_app(app) -> None:
    app.jinja_env.filters["french_date"] = french_date
    app.jinja_env.filters["facet_label"] = facet_label
    app.jinja_env.filters["kind_label"] = kind_label
    app.jinja_env.filters["search_scope"] = search_scope
    app.jinja_env.filters["result_facts"] = result_facts
    app.jinja_env.filters["hit_date"] = hit_date
    app.jinja_env.filters["link_label"] = lambda kind: LINK_LABELS.get(kind, kind)
    app.jinja_env.filters["public_items"] = cards.public
    # The last line of defence: a page's stored URL is linked only as a path of the site.
    app.jinja_env.filters["site_path"] = site_path
