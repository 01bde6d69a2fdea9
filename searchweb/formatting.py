"""How values look on a page: French dates, kind badges, facet value labels, links to pages."""

from datetime import date

from indexer.urls import site_path

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
LANGUAGES = {"fr": "Français", "en": "Anglais"}
KIND_LABELS = {"défi": "Défi", "article": "Article", "actualité": "Actualité", "personne": "Personne",
               "page": "Page"}


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
        return KIND_LABELS.get(value, value.capitalize())
    if facet == "promotion":
        return f"Promotion {value}" if value.isdigit() else value.upper()
    return value


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.capitalize())


def init_app(app) -> None:
    app.jinja_env.filters["french_date"] = french_date
    app.jinja_env.filters["facet_label"] = facet_label
    app.jinja_env.filters["kind_label"] = kind_label
    # The last line of defence: a page's stored URL is linked only as a path of the site.
    app.jinja_env.filters["site_path"] = site_path
