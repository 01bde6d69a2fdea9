"""What a link may be: an http(s) address or a path of this site, never anything a browser would
read as another site or a script. Shared by the site reader (``url``, ``baseurl``, permalinks)
and the web app (every ``href`` it prints).
"""

import re
from urllib.parse import quote

#: What no link may hold: white space, quotes, ``<>``, backquote, backslash, control characters.
UNSAFE_IN_LINKS = r"""\s"'<>`\\\x00-\x1f\x7f-\x9f"""
#: An address a link may start with: http(s), and nothing a browser would read another way.
HTTP_URL_RE = re.compile(f"https?://[^{UNSAFE_IN_LINKS}]+", re.IGNORECASE)
#: Browsers drop tabs and newlines from a link and read ``\`` as ``/``: ``/\host`` and
#: ``/<tab>/host`` lead to another site.
_LINKUNSAFE_IN_LINKS_RE = re.compile(r"[\\\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def is_site_path(url: str) -> bool:
    """True for a path of this site: one leading ``/``, no backslash, no control character."""
    return url.startswith("/") and not url.startswith("//") and not _LINKUNSAFE_IN_LINKS_RE.search(url)


def site_path(url: str) -> str:
    """``url`` as a path of this site: itself when it is one, else its unsafe characters
    percent-encoded (``\\`` → ``%5C``) behind a single ``/``."""
    if is_site_path(url):
        return url
    encoded = _LINKUNSAFE_IN_LINKS_RE.sub(lambda m: quote(m.group().encode("utf-8", "surrogatepass")), url)
    return "/" + encoded.lstrip("/")
