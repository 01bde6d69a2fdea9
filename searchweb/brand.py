"""Who the pages say they belong to: the State's Marianne block, or a neutral header.

The DSFR's Marianne block (« République française ») and the Marianne font are reserved for State
websites (the DSFR's terms of use, searchweb/static/dsfr/README.md). ``STATE_SITE``
(``EIG_SEARCH_STATE_SITE=1``, the programme's deployment: deploy/eig-search.env) turns them on;
off, the default, anyone else gets the same pages under a neutral header in the system's font, and
the font files are never requested. ``BRAND_LINES`` are the block's lines, ``|`` between them
(« République|Française », or a ministry's name over several lines); ``SITE_TAGLINE`` is the line
under the site's name (default: a translated « Moteur de recherche du site »).
"""

from dataclasses import dataclass

from flask import Flask

from .proxy import flag


@dataclass(frozen=True)
class Brand:
    state_site: bool
    lines: tuple[str, ...]
    tagline: str


def brand_of(config) -> Brand:
    lines = tuple(line.strip() for line in str(config.get("BRAND_LINES") or "").split("|") if line.strip())
    return Brand(state_site=flag(config.get("STATE_SITE"), "STATE_SITE (EIG_SEARCH_STATE_SITE)"),
                 lines=lines or ("République", "Française"), tagline=str(config.get("SITE_TAGLINE") or ""))


def init_app(app: Flask) -> None:
    brand = brand_of(app.config)
    app.config["STATE_SITE"] = brand.state_site
    app.jinja_env.globals["brand"] = brand
