"""How values look on a page, in the visitor's language (:mod:`.i18n`): dates, kind badges, facet
value labels, links to pages, and the words a site's search settings give its pages (« les défis
et les articles »). The site's own words are shown as written; the programme's defaults are
translated (:mod:`.labels`)."""

from datetime import date

from babel.dates import format_date
from babel.lists import format_list
from flask_babel import get_locale, gettext

from indexer.errors import N_
from indexer.fields import capitalised, facet_key
from indexer.search import cards
from indexer.urls import site_path

from .labels import ui_label

LANGUAGES = {"fr": N_("Français"), "en": N_("Anglais")}


def long_date(iso: str) -> str:
    """``2019-03-07`` → « 7 mars 2019 » (« 7 March 2019 » in English), « 1er mars »; empty for
    an unknown date."""
    try:
        day = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return ""
    locale = get_locale()
    shown = format_date(day, "d MMMM y", locale=locale)
    return f"1er{shown[1:]}" if day.day == 1 and locale.language == "fr" else shown


def facet_label(value: str, facet: str) -> str:
    """A facet value as a visitor reads it: ``promotion`` 3 → "Promotion 3", ``language`` en → "Anglais"."""
    if facet == "language":
        return gettext(LANGUAGES[value]) if value in LANGUAGES else value
    if facet == "kind":
        return kind_label(value)
    if facet == "promotion":
        return gettext("Promotion %(number)s", number=value) if value.isdigit() else value.upper()
    return value


def kind_label(kind: str) -> str:
    """A kind of page as a badge shows it: its singular (``search.kinds``), capitalised."""
    return ui_label(capitalised(kind))


#: DSFR badge accents for the kinds, in the order the results page's tabs show them.
KIND_ACCENTS = ("fr-badge--blue-cumulus", "fr-badge--green-menthe", "fr-badge--orange-terre-battue",
                "fr-badge--purple-glycine", "fr-badge--brown-cafe-creme", "fr-badge--pink-tuile")


def kind_accent(kind: str, order) -> str:
    """A kind's badge colour: by its rank among the index's kinds (projects first), so that any
    site's kinds get distinct colours; none beyond the palette. ``order`` may name kinds as the
    settings write them (the similar page passes its projects then related kinds)."""
    keys = [facet_key(key) for key in order]
    rank = keys.index(facet_key(kind)) if facet_key(kind) in keys else len(KIND_ACCENTS)
    return KIND_ACCENTS[rank] if rank < len(KIND_ACCENTS) else ""


def kind_labels(kinds) -> dict[str, str]:
    """Each kind's badge label, for the script's suggestions: {"défi": "Défi"}."""
    return {kind: kind_label(kind) for kind in kinds}


def search_scope(settings) -> str:
    """What the site's search looks in, for a heading: « les défis et les articles »."""
    kinds = [*settings.projects, *settings.related[:1]]
    plurals = [ui_label(settings.plural([kind])) for kind in kinds]
    words = [gettext("les %(plural)s", plural=plural[:1].lower() + plural[1:]) for plural in plurals]
    return format_list(words, locale=get_locale()) if words else gettext("le site")


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
LINK_LABELS = {"source_code": N_("Code source"), "poster": N_("Poster"), "video": N_("Vidéo"),
               "website": N_("Site de l'administration")}


def hit_date(hit) -> str:
    """A result's date as precise as the data: « 2019 » for a page dated by its year alone."""
    return hit.date[:4] if hit.year_only else long_date(hit.date)


def similarity_level(hit) -> str:
    """How close a similar page is, in words: « Très proche », « Proche », « Éloigné »."""
    return gettext(hit.level_label)


def init_app(app) -> None:
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["facet_label"] = facet_label
    app.jinja_env.filters["kind_label"] = kind_label
    app.jinja_env.filters["search_scope"] = search_scope
    app.jinja_env.filters["kind_accent"] = kind_accent
    app.jinja_env.filters["kind_labels"] = kind_labels
    app.jinja_env.filters["result_facts"] = result_facts
    app.jinja_env.filters["hit_date"] = hit_date
    app.jinja_env.filters["link_label"] = lambda kind: gettext(LINK_LABELS[kind]) if kind in LINK_LABELS else kind
    app.jinja_env.filters["similarity_level"] = similarity_level
    app.jinja_env.filters["ui_label"] = ui_label
    app.jinja_env.filters["public_items"] = cards.public
    # The last line of defence: a page's stored URL is linked only as a path of the site.
    app.jinja_env.filters["site_path"] = site_path
