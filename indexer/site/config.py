"""What ``_config.yml`` says about where pages live and what their URLs are.

Only the settings that change what a visitor reads or where they read it are kept: collections
(with ``output`` and ``permalink``), the site-wide ``permalink``, ``defaults``, ``url`` and
``baseurl``. A site without ``_config.yml`` is read with Jekyll's defaults, and then every
``_folder`` that is not one of Jekyll's own is taken to be a collection. A ``url`` that is not
http(s) or a ``baseurl`` that is not a path is reported and left out: every link is made of them.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from indexer.errors import FileRejected
from indexer.site.access import read_bytes, resolve_inside
from indexer.site.frontmatter import parse_yaml
from indexer.urls import HTTP_URL_RE, UNSAFE_IN_LINKS

CONFIG_FILE = "_config.yml"
MAX_CONFIG_BYTES = 1024 * 1024
#: A ``baseurl``: segments each after exactly one ``/`` (``//host`` would be another site).
BASEURL_RE = re.compile(f"(?:/[^/?#{UNSAFE_IN_LINKS}]+)*")

#: Underscore folders that Jekyll itself uses: never collections.
JEKYLL_FOLDERS = frozenset({
    "_posts", "_drafts", "_data", "_layouts", "_includes", "_sass", "_site", "_plugins", "_config",
})

#: Jekyll's named permalink styles.
PERMALINK_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


@dataclass(frozen=True)
class Collection:
    """A folder of documents (``_defis``…); ``posts`` is one too, as in Jekyll."""

    name: str
    output: bool = True
    permalink: str | None = None
    kind: str | None = None


@dataclass
class SiteConfig:
    """The parts of a Jekyll configuration that the indexer needs."""

    url: str = ""
    baseurl: str = ""
    permalink: str = PERMALINK_STYLES["date"]
    collections: dict[str, Collection] = field(default_factory=dict)
    defaults: list[dict] = field(default_factory=list)
    title: str = ""
    exclude: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # settings left out, for the report

    def collection_for_folder(self, folder: str) -> Collection | None:
        """The collection stored in ``_folder``, if any."""
        return self.collections.get(folder[1:]) if folder.startswith("_") else None

    def defaults_for(self, relative_path: str, doc_type: str) -> dict:
        """Front-matter defaults matching a file, most specific scope last (it wins)."""
        matching = []
        for entry in self.defaults:
            scope = entry.get("scope") or {}
            scope_path = str(scope.get("path") or "").strip("/")
            scope_type = scope.get("type")
            if scope_type and scope_type != doc_type:
                continue
            if scope_path and not _path_within(relative_path, scope_path):
                continue
            matching.append((len(scope_path), bool(scope_type), entry.get("values") or {}))
        merged = {}
        for _length, _typed, values in sorted(matching, key=lambda item: item[:2]):
            if isinstance(values, dict):
                merged.update(values)
        return merged


def _path_within(relative_path: str, scope_path: str) -> bool:
    return relative_path == scope_path or relative_path.startswith(scope_path + "/")


def load_config(root: Path) -> SiteConfig:
    """Read ``root/_config.yml`` (raising :class:`FileRejected` if broken), or infer a config."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return SiteConfig(collections=_inferred_collections(root))
    raw_bytes = read_bytes(resolve_inside(root, CONFIG_FILE), MAX_CONFIG_BYTES)
    text = unicodedata.normalize("NFC", raw_bytes.decode("utf-8", errors="replace"))  # one form per letter
    raw = parse_yaml(text, "_config.yml", MAX_CONFIG_BYTES) or {}
    if not isinstance(raw, dict):
        raise FileRejected("_config.yml n'est pas une liste de réglages")
    permalink = str(raw.get("permalink") or "date")
    problems = []
    return SiteConfig(
        url=_checked(raw, "url", HTTP_URL_RE, "ce n'est pas une adresse http:// ou https://", problems),
        baseurl=_checked(raw, "baseurl", BASEURL_RE, "ce n'est pas un chemin du site (/dossier)", problems),
        permalink=PERMALINK_STYLES.get(permalink, permalink),
        collections=_collections(raw.get("collections") or {}, problems),
        defaults=_defaults(_listed(raw, "defaults", problems), problems),
        title=str(raw.get("title") or ""),
        exclude=[str(pattern).strip("/") for pattern in _listed(raw, "exclude", problems) if str(pattern).strip("/")],
        problems=problems,
    )


def _collections(configured, problems: list[str]) -> dict[str, Collection]:
    """The ``collections`` setting, in its mapping or its old list form (``[defis, communaute]``)."""
    collections = {"posts": Collection("posts", permalink=None, kind="article")}
    if isinstance(configured, list):
        configured = {str(name): {} for name in configured}
    elif not isinstance(configured, dict):
        problems.append("réglage collections ignoré : ce n'est ni une liste de noms ni une liste de réglages")
        configured = {}
    for name, settings in configured.items():
        settings = settings if isinstance(settings, dict) else {}
        permalink = settings.get("permalink")
        if isinstance(permalink, (dict, list, set, tuple)):
            problems.append(f"réglage permalink de la collection {name} ignoré : ce n'est pas un texte")
            permalink = None
        collections[str(name)] = Collection(
            name=str(name),
            output=bool(settings.get("output", False)),
            permalink=permalink,
            kind=settings.get("kind"),
        )
    return collections


def _defaults(entries: list, problems: list[str]) -> list[dict]:
    """The ``defaults`` entries; one whose ``scope`` is not a mapping is reported and left out."""
    kept = [entry for entry in entries if isinstance(entry, dict) and isinstance(entry.get("scope") or {}, dict)]
    if len(kept) < sum(isinstance(entry, dict) for entry in entries):
        problems.append("réglage defaults : entrée ignorée, son scope n'est pas une liste de réglages (path, type)")
    return kept


def _listed(raw: dict, key: str, problems: list[str]) -> list:
    """A setting that must be a list: anything else is reported and taken as an empty list."""
    value = raw.get(key) or []
    if isinstance(value, list):
        return value
    problems.append(f"réglage {key} ignoré : ce n'est pas une liste")
    return []


def _checked(raw: dict, key: str, pattern: re.Pattern, expected: str, problems: list[str]) -> str:
    """The setting without its final slash if ``pattern`` accepts it, else "" and a problem."""
    value = str(raw.get(key) or "").strip().rstrip("/")
    if value and not pattern.fullmatch(value):
        problems.append(f"réglage {key} « {value} » ignoré : {expected}")
        return ""
    return value


def _inferred_collections(root: Path) -> dict[str, Collection]:
    collections = {"posts": Collection("posts", kind="article")}
    for child in sorted(root.iterdir()) if root.is_dir() else []:
        if child.is_dir() and not child.is_symlink() and child.name.startswith("_") \
                and child.name not in JEKYLL_FOLDERS:
            collections[child.name[1:]] = Collection(child.name[1:], output=True)
    return collections
