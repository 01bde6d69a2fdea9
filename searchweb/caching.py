"""HTTP caching and compression of the search pages and the JSON API.

Every answer of a search, suggestion or similar-pages request (``GET``/``HEAD``) carries an
``ETag``: a hash of what makes its body, all known before the search runs. That is the program
(its files' fingerprint), the settings that show in the body, the generation of the index (its
manifest: name, build time and each file's checksum, so a rebuilt ``gen-000001`` is another
generation), and the request: scheme, host, path and query string as sent, and the interface's
language (chosen by ``?lang=`` or ``Accept-Language``, hence ``Vary: Accept-Language``). ``HEAD``
shares the ETag of ``GET`` (same representation); no answer depends on cookies.
An ``If-None-Match`` holding that ETag is answered 304 before the view runs: a revalidation costs
the read of ``CURRENT``, never a search.

``Cache-Control: no-cache``: browsers and proxies keep the answer but ask again each time, so a new
generation shows at the next request (the watch publishes a change within seconds); with
``max-age=60`` a visitor could see a page a minute older than the index it was told was updated.
A reused answer still costs only a 304 of a few hundred bytes.

Compression (flask-compress) covers HTML and JSON from 1 KiB up: smaller answers fit in one TCP
segment anyway. A compressed answer's ETag gets the coding appended (``"…:br"``), so each variant
has its own; a 304 is given for the plain ETag or for that of a coding the request accepts, the
answer the server would send varying only by ``Vary: Accept-Encoding``. Static files are streamed
and left to nginx's compression.
"""

import hashlib
import json

from flask import Flask, current_app, g, request
from flask_compress import Compress

from .engine import get_engine
from .fingerprints import code_fingerprint
from .i18n import page_language

#: The views whose GET answers are validated by ETag (POST searches by pasted text are not).
VALIDATED = frozenset({"api.search", "api.suggest", "api.similar", "pages.search", "pages.similar"})
CACHE_CONTROL = "no-cache"
#: Settings that show in pages or JSON: another value is another body.
BODY_SETTINGS = ("INDEX_DIR", "SITE_URL", "SITE_NAME", "SHORT_NAME", "SIMILAR_TEXT_MAX_CHARS", "MAX_CONTENT_LENGTH",
                 "STATE_SITE", "BRAND_LINES", "SITE_TAGLINE")
COMPRESSION = {
    "COMPRESS_MIMETYPES": ["text/html", "application/json", "application/x-suggestions+json"],
    "COMPRESS_MIN_SIZE": 1024,
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    # Brotli 5: a results page 6 % smaller than with gzip 6, in less time (0.5 ms against 0.6).
    "COMPRESS_BR_LEVEL": 5,
    "COMPRESS_STREAMS": False,  # files (static, widget): nginx compresses and caches them
    "COMPRESS_EVALUATE_CONDITIONAL_REQUEST": False,  # 304s are decided before the view (below)
}
#: Where the app keeps its settings' hash and the last generation's (app.extensions).
APP_TOKEN = "eig_search_etag_app"
GENERATION_TOKEN = "eig_search_etag_generation"


def validated() -> bool:
    return request.method in ("GET", "HEAD") and request.endpoint in VALIDATED


def request_etag() -> str:
    """The ETag of the plain (uncompressed) answer to this request, from the current generation."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (current_app.extensions[APP_TOKEN], _generation_token(), request.scheme, request.host,
                 request.path, page_language()):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(request.query_string)
    return digest.hexdigest()


def _generation_token() -> str:
    """A hash of the current generation's manifest, computed once per generation."""
    generation = get_engine().generation()
    known = current_app.extensions.get(GENERATION_TOKEN)
    if known is None or known[0] is not generation:
        manifest = json.dumps(generation.manifest, sort_keys=True, ensure_ascii=True)
        known = (generation, hashlib.blake2b(manifest.encode(), digest_size=16).hexdigest())
        current_app.extensions[GENERATION_TOKEN] = known
    return known[1]


def _accepted_etags(etag: str) -> list[str]:
    """The ETags of the variants this request may be answered with: plain, or a coding it accepts."""
    codings = current_app.config["COMPRESS_ALGORITHM"]
    return [etag] + [f"{etag}:{coding}" for coding in codings if request.accept_encodings[coding]]


def not_modified():
    """Before the view: a 304 when the client already holds the answer it would get."""
    if not validated():
        return None
    g.etag = request_etag()
    for candidate in _accepted_etags(g.etag):
        if request.if_none_match.contains_weak(candidate):
            response = current_app.response_class(status=304)
            response.set_etag(candidate)
            return response
    return None


def add_validators(response):
    """After the view, before compression (which appends its coding to the ETag)."""
    if validated():
        response.headers["Cache-Control"] = CACHE_CONTROL
        response.vary.add("Accept-Language")
        if response.status_code == 200 and "etag" in g:
            response.set_etag(g.etag)
    return response


def init_app(app: Flask) -> None:
    for key, value in COMPRESSION.items():
        app.config.setdefault(key, value)
    settings = json.dumps([str(app.config[key]) for key in BODY_SETTINGS], ensure_ascii=True)
    app.extensions[APP_TOKEN] = hashlib.blake2b((code_fingerprint() + settings).encode(), digest_size=16).hexdigest()
    app.before_request(not_modified)
    Compress(app)
    app.after_request(add_validators)  # registered after Compress: runs before it
