"""Fingerprints: of each static file, for URLs browsers may keep a year; of the code, for ETags.

``url_for('static', filename=…)`` gives ``/static/<name>?v=<hash of the file>``: a new version of a
file gets a new URL, so the old one may be cached as immutable. Only the ``v`` of the file as it is
now earns that; a stale or missing ``v`` (a page rendered before an upgrade) gets the file with the
default revalidation. ``/widget.js`` and ``/widget.css`` are not under ``/static/``: other sites
include them by a URL that must not change (searchweb/integration.py caches them an hour).

The DSFR's stylesheet names its fonts and icons by relative URLs (``fonts/Marianne-Regular.woff2``),
which carry no ``v``: those files, vendored and changed only by ``make dsfr``, are kept a day
(:data:`VENDORED`) rather than revalidated on every page, a dozen requests saved per visit.
"""

import functools
import hashlib
import os
from pathlib import Path

from flask import Flask, request

import indexer

#: A year: the longest lifetime browsers honour, for a URL whose content never changes.
IMMUTABLE = "public, max-age=31536000, immutable"
#: The DSFR's files (static/dsfr/) asked for without a fingerprint: a day, an upgrade's icons at worst a day late.
VENDORED = "public, max-age=86400"
VENDORED_FOLDER = "dsfr/"
#: Hex digits of a static file's hash in its URL.
STATIC_DIGITS = 12
#: What the pages, the JSON and their ETags are made by (read once per process).
CODE_FOLDERS = (Path(__file__).parent, Path(indexer.__file__).parent)
CODE_SUFFIXES = {".py", ".html", ".yml", ".css", ".js", ".svg"}


def static_fingerprint(folder: str, filename: str) -> str | None:
    """The hash of a static file as it is now, None when there is no such file."""
    try:
        stat = os.stat(os.path.join(folder, filename))
    except (OSError, ValueError):
        return None
    return _file_hash(os.path.join(folder, filename), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _file_hash(path: str, _mtime_ns: int, _size: int) -> str | None:
    """Keyed by modification time and size too: an edited file is hashed again."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:STATIC_DIGITS]
    except OSError:
        return None


@functools.cache
def code_fingerprint() -> str:
    """A hash of the program's files: an upgrade changes every ETag, even with the same index."""
    digest = hashlib.sha256()
    for folder in CODE_FOLDERS:
        for path in sorted(folder.rglob("*")):
            if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def init_app(app: Flask) -> None:
    @app.url_defaults
    def fingerprint_static_urls(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            fingerprint = static_fingerprint(app.static_folder, values["filename"])
            if fingerprint:
                values["v"] = fingerprint

    @app.after_request
    def cache_fingerprinted_files(response):
        if request.endpoint == "static" and response.status_code in (200, 304):
            filename = (request.view_args or {}).get("filename", "")
            if request.args.get("v") and request.args["v"] == static_fingerprint(app.static_folder, filename):
                response.headers["Cache-Control"] = IMMUTABLE
            elif not request.args.get("v") and filename.startswith(VENDORED_FOLDER):
                response.headers["Cache-Control"] = VENDORED
        return response
