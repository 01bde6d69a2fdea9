"""One site file → one :class:`Document`: title, date, URL, language, kind, summary, facets.

Everything a result page shows or a filter needs is decided here, from the front matter, the
``_config.yml`` defaults, the file name and the ``_data`` entry that points at the page.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from indexer.errors import FileRejected
from indexer.language.analysis import (
    DEFAULT_LANGUAGE,
    SUPPORTED_LANGUAGES,
    normalise_language,
)
from indexer.site import permalinks
from indexer.site.config import PERMALINK_STYLES, SiteConfig
from indexer.site.datafiles import DataIndex
from indexer.site.files import SourceFile, read_text
from indexer.site.frontmatter import has_front_matter, split
from indexer.site.textextract import extract
from indexer.urls import is_site_path, site_path

TITLE_KEYS = ("title", "nom", "name")
SUMMARY_KEYS = ("description", "chapeau-text", "excerpt", "resume", "summary")
LANGUAGE_KEYS = ("lang", "locale", "language")
MAX_SUMMARY_CHARS = 400


@dataclass
class Document:
    """Everything the index keeps about one page."""

    path: str
    url: str
    title: str
    kind: str
    collection: str
    lang: str
    date: str  # ISO date, "" when unknown
    summary: str
    text: str
    headings: list[str]
    extra: str  # searchable text from data entries and facets
    facets: dict[str, list[str]]
    meta: dict
    content_hash: str
    warnings: list[str] = field(default_factory=list)


class Draft(Exception):
    """Raised for a file that is a draft: it is counted, not indexed."""


class StaticFile(Exception):
    """Raised for a file without front matter outside ``_posts``: Jekyll copies it as is, it is no page."""


def read_document(root: Path, source: SourceFile, config: SiteConfig, data: DataIndex) -> Document:
    """Build the document of ``source``; raises :class:`Draft` or :class:`FileRejected`."""
    if source.is_draft_name:
        raise Draft(source.relative_path)
    text, warnings = read_text(root, source.relative_path)
    if source.collection != "posts" and not has_front_matter(text):
        raise StaticFile(source.relative_path)
    meta, body = split(text)
    if meta.get("published") is False:
        raise Draft(source.relative_path)
    own_language = _first(meta, LANGUAGE_KEYS)
    in_collection = source.collection != "pages"
    jekyll_path = _jekyll_path(source.relative_path, config) if in_collection else source.relative_path
    meta = {**config.defaults_for(jekyll_path, source.collection), **meta}

    stem = PurePosixPath(unicodedata.normalize("NFC", source.name)).stem
    file_date, slug = permalinks.split_dated_name(stem)
    if source.collection == "posts" and file_date is None:
        raise FileRejected("le nom de l'article ne commence pas par une date (AAAA-MM-JJ-)")
    doc_date = _as_date(meta.get("date")) or file_date
    url = _linked_url(source, config, meta, slug, doc_date, warnings)
    entry = data.for_url(url)
    merged = {**_scalars(entry), **_scalars(meta)}

    extracted = extract(body, source.is_markdown)
    title = _title(merged, extracted.headings, slug)
    summary = _first(merged, SUMMARY_KEYS) or extracted.first_paragraph or str(entry.get("description") or "")
    lang = normalise_language(own_language or _folder_language(source.relative_path)
                              or _first(merged, LANGUAGE_KEYS) or DEFAULT_LANGUAGE)
    kind = config.search.kind_of(source.collection)
    year = merged.get("year") or (doc_date.year if doc_date else None)
    read = config.search.organise(
        {facet.name: _values(merged, facet.fields) for facet in config.search.settings.read_facets}, merged)
    facets = {"kind": [kind], "collection": [source.collection], "language": [lang],
              "year": [str(year)] if year else [], **read}
    extra = " \n".join([*_strings(entry, depth=0), *(" ".join(values) for values in read.values())])
    return Document(
        path=source.relative_path,
        url=url,
        title=title,
        kind=kind,
        collection=source.collection,
        lang=lang,
        date=doc_date.isoformat() if doc_date else "",
        summary=_shorten(summary),
        text=extracted.text,
        headings=extracted.headings,
        extra=extra,
        facets=facets,
        meta=_jsonable(merged),
        content_hash=hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest(),
        warnings=warnings,
    )


def _url(source: SourceFile, config: SiteConfig, meta: dict, slug: str, doc_date) -> str:
    relative_path = unicodedata.normalize("NFC", source.relative_path)  # as git keeps names
    stem = PurePosixPath(relative_path).with_suffix("")
    ext = ".html"
    own = meta.get("permalink")
    if source.collection == "pages":
        folder = stem.parent.as_posix()
        path = "" if folder == "." else folder
        template = own or _page_template(stem.name, config.permalink)
        title, name = stem.name, stem.name
    else:
        collection = config.collections.get(source.collection)
        inner = relative_path[len(_folder(source, config)) + 1:]
        path = PurePosixPath(inner).with_suffix("").as_posix()
        default = config.permalink if source.collection == "posts" else "/:collection/:path:output_ext"
        template = own or (collection.permalink if collection and collection.permalink else default)
        template = PERMALINK_STYLES.get(template, template)
        title, name = str(meta.get("slug") or slug), stem.name
    raw_categories = meta.get("categories") or meta.get("category")
    categories = raw_categories.split() if isinstance(raw_categories, str) else _list(raw_categories)
    if source.collection == "posts":  # a post in en/_posts/ has the category "en", as in Jekyll
        categories = _jekyll_path(_folder(source, config), config).split("/")[:-1] + categories
    url = permalinks.render(
        str(template), title=permalinks.slugify(title, "pretty", cased=True), name=name, path=path,
        doc_date=doc_date, categories=categories, collection=source.collection, output_ext=ext)
    if url.endswith("/index.html") and source.collection == "pages":
        url = url[: -len("index.html")]
    return config.baseurl + url


def _folder(source: SourceFile, config: SiteConfig) -> str:
    """The folder of a document's collection (a source made without it: the usual one)."""
    if source.folder:
        return unicodedata.normalize("NFC", source.folder)
    if source.collection == "posts":
        above, found, _inner = ("/" + source.relative_path).partition("/_posts/")
        return (above + "/_posts").lstrip("/") if found else "_posts"
    return config.collection_folder(source.collection)


def _jekyll_path(path: str, config: SiteConfig) -> str:
    """A path as Jekyll gives it to documents (and matches ``defaults`` with): inside
    ``collections_dir``, when the path is there."""
    prefix = config.collections_dir + "/"
    return path[len(prefix):] if config.collections_dir and path.startswith(prefix) else path


def _linked_url(source: SourceFile, config: SiteConfig, meta: dict, slug: str, doc_date, warnings: list) -> str:
    """The page's URL as a path of the site: a permalink that would lead elsewhere (``/\\host``,
    a tab) or that is no text (a list, a mapping) is reported and the page linked by the URL it
    would have without it."""
    if isinstance(meta.get("permalink"), (dict, list, set, tuple)):
        warnings.append("permalien ignoré (ce n'est pas un texte) : page liée à son adresse par défaut")
        meta = {**meta, "permalink": None}
    url = _url(source, config, meta, slug, doc_date)
    if meta.get("permalink") and not is_site_path(url):
        warnings.append(f"permalien « {meta['permalink']} » refusé (il mènerait hors du site) : "
                        "page liée à son adresse par défaut")
        url = _url(source, config, {**meta, "permalink": None}, slug, doc_date)
    return site_path(url)


def _page_template(name: str, site_permalink: str) -> str:
    if name == "index":
        return "/:path/"
    suffix = "/" if site_permalink.endswith("/") else ":output_ext" if site_permalink.endswith(":output_ext") else ""
    return "/:path/:basename" + suffix


def _title(meta: dict, headings: list[str], slug: str) -> str:
    worded = [heading for heading in headings if re.search(r"[^\W_]{2}", heading)]
    title = _first(meta, TITLE_KEYS) or (worded[0] if worded else "")
    return title or slug.replace("-", " ").replace("_", " ").strip().capitalize()


def _folder_language(relative_path: str) -> str | None:
    first = relative_path.split("/", 1)[0]
    return first if first in SUPPORTED_LANGUAGES and "/" in relative_path else None


def _first(meta: dict, keys) -> str:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value if isinstance(item, (str, int, float)))
        if value not in (None, "") and not isinstance(value, dict):
            return str(value).strip()
    return ""


def _values(meta: dict, keys) -> list[str]:
    """The values of the first of ``keys`` that has some, without spaces or separators around."""
    for key in keys:
        values = [v.strip(" \t\n,;") for v in _list(meta.get(key)) if v.strip(" \t\n,;")]
        if values:
            return list(dict.fromkeys(values))
    return []


def _list(value) -> list[str]:
    if value is None or isinstance(value, dict):
        return []
    if isinstance(value, list):
        return [str(item) for item in value if isinstance(item, (str, int, float)) and not isinstance(item, bool)]
    return [str(value)]


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)
        if match:
            try:
                return date(*map(int, match.groups()))
            except ValueError:
                return None
    return None


def _scalars(meta: dict) -> dict:
    """Fields whose value is a scalar, a list of scalars or a list of flat records (a défi's
    videos: ``[{id, platform}]``); deeper structures are left out."""
    kept = {}
    for key, value in meta.items():
        if isinstance(value, list) and all(_flat(item) for item in value):
            kept[str(key)] = value
        elif not isinstance(value, (dict, list)):
            kept[str(key)] = value
    return kept


def _flat(item) -> bool:
    """A scalar, or a mapping of scalars."""
    values = item.values() if isinstance(item, dict) else [item]
    return not any(isinstance(value, (dict, list)) for value in values)


def _jsonable(meta: dict) -> dict:
    def convert(value):
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        if isinstance(value, list):
            return [convert(item) for item in value]
        if isinstance(value, dict):
            return {str(key): convert(item) for key, item in value.items()}
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        return str(value)
    return {key: convert(value) for key, value in meta.items()}


def _strings(value, depth: int):
    """Every text leaf of a data entry (project descriptions, key figures…), bounded in depth."""
    if depth > 6:
        return
    if isinstance(value, str):
        if not value.startswith(("/", "http://", "https://")) and not value.lower().endswith((".png", ".jpg", ".svg")):
            yield value
    elif isinstance(value, dict):
        for key, child in value.items():
            if str(key) not in ("image", "image_url", *("link_to", "url", "permalink")):
                yield from _strings(child, depth + 1)
    elif isinstance(value, list):
        for child in value:
            yield from _strings(child, depth + 1)


def _shorten(text: str) -> str:
    text = " ".join(str(text).split())
    if len(text) <= MAX_SUMMARY_CHARS:
        return text
    cut = text[:MAX_SUMMARY_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
