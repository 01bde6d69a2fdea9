"""The language of the interface: French by default, English when the visitor asks for it.

Strings a person reads are written in French in the code and templates (``_("…")``) and come from
message catalogues (``searchweb/translations/<lang>/LC_MESSAGES/messages.po``, compiled to ``.mo``
by ``make translations``). The language is chosen, in order, by ``?lang=`` (the English pages of
the site link with ``?lang=en``), then by an ``Accept-Language`` that prefers a supported language,
else French. Results stay as the site wrote them: only the interface changes.
"""

from urllib.parse import urlencode

from flask import has_request_context, request
from flask_babel import Babel, get_locale, gettext

from .labels import ui_label

#: The interface's languages, the default first.
LANGUAGES = ("fr", "en")
DEFAULT = LANGUAGES[0]


def chosen_language() -> str:
    """``?lang=`` when it names a supported language, else the browser's preference: its first
    language we have, by primary tag (``fr-FR, en;q=0.8`` is French, whatever the region)."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    for value, quality in sorted(request.accept_languages, key=lambda item: -item[1]):
        primary = value.replace("_", "-").split("-")[0].lower()
        if quality > 0 and primary in LANGUAGES:
            return primary
    return DEFAULT


def explicit_language() -> str | None:
    """The language asked for in the URL, which links and forms carry on (None: not asked, the
    browser's preference is followed)."""
    asked = request.args.get("lang", "")
    return asked if asked in LANGUAGES else None


def language_url(language: str) -> str:
    """This page in another interface language: the same URL with ``lang`` set."""
    args = request.args.copy()
    args["lang"] = language
    return f"{request.path}?{urlencode(list(args.items(multi=True)))}"


def translated(error) -> str:
    """A :class:`~indexer.errors.VisitorError`'s message in the visitor's language: its template
    looked up in the catalogue, then filled in (a facet's default label translated too)."""
    params = {name: ui_label(value) if isinstance(value, str) else value for name, value in error.params.items()}
    return gettext(error.message, **params)


def page_language() -> str:
    """The ``lang`` of the pages this request gets (``<html lang>``)."""
    return str(get_locale().language)


def keep_language(endpoint: str, values: dict) -> None:
    """``url_for`` a page keeps the language asked for in the URL (``lang=None`` leaves it out)."""
    if endpoint.startswith("pages.") and "lang" not in values and has_request_context():
        values["lang"] = explicit_language()


def init_app(app) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.url_defaults(keep_language)
    Babel(app, locale_selector=chosen_language)
    # {% trans %} blocks are read with their whitespace collapsed, as babel.cfg extracts them.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals["page_language"] = page_language
    app.jinja_env.globals["explicit_language"] = explicit_language
    app.jinja_env.globals["language_url"] = language_url
