"""Behind nginx: trust the ``X-Forwarded-Proto`` and ``-Host`` of one proxy, only when told to.

nginx ends TLS and forwards the scheme in ``X-Forwarded-Proto``: without it, absolute URLs
(``/opensearch.xml``) would say ``http://`` and ETags would hash the wrong scheme. Trusted
unconditionally, those headers would let any client of a server reached directly choose the
host and scheme of its answers, so ``BEHIND_PROXY`` (``EIG_SEARCH_BEHIND_PROXY=1``) is off by
default and trusts exactly one hop: the last value, the one the proxy set (deploy/nginx sets both
headers, replacing whatever a client sent). ``X-Forwarded-For`` is left alone: the app never reads
a client's address.
"""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

TRUE = frozenset({"1", "true", "yes", "oui", "on"})
FALSE = frozenset({"", "0", "false", "no", "non", "off"})


def flag(value, name: str) -> bool:
    """A yes/no setting given as a boolean or as text; :class:`ValueError` naming it otherwise."""
    if isinstance(value, bool) or value is None:
        return bool(value)
    text = str(value).strip().lower()
    if text not in TRUE | FALSE:
        raise ValueError(f"réglage {name} : « {value} » n'est ni 1 (oui) ni 0 (non)")
    return text in TRUE


def init_app(app: Flask) -> None:
    app.config["BEHIND_PROXY"] = flag(app.config.get("BEHIND_PROXY"), "BEHIND_PROXY (EIG_SEARCH_BEHIND_PROXY)")
    if app.config["BEHIND_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=0, x_proto=1, x_host=1)
