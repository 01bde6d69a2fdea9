"""What ``_config.yml`` says about which files are pages and what their URLs are.

Only the settings that change what Jekyll reads or where a visitor reads it are kept:
``collections`` (with ``output`` and ``permalink``), ``collections_dir``, ``include``, ``exclude``
(with Jekyll's own exclusions, always added), the site-wide ``permalink``, ``defaults``, ``url``,
``baseurl``, and the ``search:`` section (:mod:`indexer.site.searchconfig`). A setting that changes
what Jekyll reads but that the indexer does not follow (``source``, ``data_dir``, ``unpublished``…),
a declared collection without its folder, or a ``url`` that is not http(s) is reported. A site
without ``_config.yml`` is read with Jekyll's defaults, and then every ``_folder`` that is not one
of Jekyll's own is taken to be a collection.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from indexer.errors import EigSearchError, FileRejected
from indexer.site import ministries, searchconfig
from indexer.site.access import read_bytes, resolve_inside
from indexer.site.frontmatter import parse_yaml
from indexer.site.searchconfig import SiteSearch
from indexer.urls import HTTP_URL_RE, UNSAFE_IN_LINKS

CONFIG_FILE = "_config.yml"
MAX_CONFIG_BYTES = 1024 * 1024
#: A ``baseurl``: segments each after exactly one ``/`` (``//host`` would be another site).
BASEURL_RE = re.compile(f"(?:/[^/?#{UNSAFE_IN_LINKS}]+)*")

#: Underscore folders that Jekyll itself uses: never collections.
JEKYLL_FOLDERS = frozenset({
    "_posts", "_drafts", "_data", "_layouts", "_includes", "_sass", "_site", "_plugins", "_config",
})
#: What Jekyll excludes besides the site's own ``exclude`` (Jekyll 4 always adds them), and includes.
DEFAULT_EXCLUDE = (".sass-cache", ".jekyll-cache", ".ruby-lsp", "gemfiles", "Gemfile", "Gemfile.lock",
                   "node_modules", "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/")
DEFAULT_INCLUDE = (".htaccess",)
#: Jekyll's ``markdown_ext``: the extensions of Markdown files.
MARKDOWN_EXTENSIONS = ("markdown", "mkdown", "mkdn", "mkd", "md")
#: Plugins that make or move pages from what the indexer does not read as pages.
PAGE_MAKING_PLUGINS = frozenset({"jekyll-polyglot", "jekyll-multiple-languages-plugin",
                                 "jekyll-datapage-generator", "jekyll-datapage_gen"})

#: Jekyll's named permalink styles.
PERMALINK_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
#: Jekyll 2's singular types in ``defaults`` scopes, which Jekyll still accepts.
_DEPRECATED_TYPES = {"page": "pages", "post": "posts", "draft": "drafts"}


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
    collections_dir: str = ""  # the folder holding every collection, "" for the site's root
    defaults: list[dict] = field(default_factory=list)
    title: str = ""
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    include: list[str] = field(default_factory=lambda: list(DEFAULT_INCLUDE))
    problems: list[str] = field(default_factory=list)  # settings left out, for the report
    search: SiteSearch = field(default_factory=lambda: searchconfig.resolve(None, {}))

    def collection_folder(self, name: str) -> str:
        """Where Jekyll reads collection ``name`` (not ``posts``, read from every ``_posts``)."""
        return f"{self.collections_dir}/_{name}" if self.collections_dir else f"_{name}"

    def defaults_for(self, relative_path: str, doc_type: str) -> dict:
        """Front-matter defaults matching a file, most specific scope last (it wins).

        As Jekyll matches them: ``relative_path`` is the document's path inside ``collections_dir``
        (a page's inside the site), a scope's ``path`` a prefix of it once ``collections_dir/`` is
        taken off (or a pattern with ``*``), its ``type`` ``pages``, ``posts`` or a collection."""
        matching = []
        for entry in self.defaults:
            scope = entry.get("scope") or {}
            scope_path = scope.get("path") if isinstance(scope.get("path"), str) else ""
            scope_type = scope.get("type")
            if scope_type is not None and _DEPRECATED_TYPES.get(str(scope_type), str(scope_type)) != doc_type:
                continue
            if scope_path and not self._within(relative_path, scope_path):
                continue
            matching.append((len(scope_path), scope_type is not None, entry.get("values") or {}))
        merged = {}
        for _length, _typed, values in sorted(matching, key=lambda item: item[:2]):
            if isinstance(values, dict):
                merged.update(values)
        return merged

    def _within(self, relative_path: str, scope_path: str) -> bool:
        prefix = self.collections_dir + "/"
        if self.collections_dir and scope_path.startswith(prefix):
            scope_path = scope_path[len(prefix):]
        if "*" not in scope_path:
            return relative_path.startswith(scope_path)
        pattern = _glob_pattern(scope_path)
        parts = relative_path.split("/")
        return any(pattern.fullmatch("/".join(parts[:end])) for end in range(1, len(parts) + 1))


def _glob_pattern(glob: str) -> re.Pattern:
    """A scope's glob as Jekyll's ``Dir.glob`` reads it: ``*`` within a folder, ``**`` across."""
    pieces = re.split(r"(\*\*/?|\*|\?)", glob)
    translated = {"**": ".*", "**/": "(?:.*/)?", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(translated.get(piece, re.escape(piece)) for piece in pieces))


def load_config(root: Path, search_file: Path | None = None) -> SiteConfig:
    """Read ``root/_config.yml`` (raising :class:`FileRejected` if broken), or infer a config;
    the ``search:`` section comes from ``search_file`` when one is given."""
    path = root / CONFIG_FILE
    if not path.is_file():
        config = SiteConfig(collections=_inferred_collections(root))
        config.search = _search(root, config, None, search_file)
        return config
    raw_bytes = read_bytes(resolve_inside(root, CONFIG_FILE), MAX_CONFIG_BYTES)
    text = unicodedata.normalize("NFC", raw_bytes.decode("utf-8", errors="replace"))  # one form per letter
    raw = parse_yaml(text, "_config.yml", MAX_CONFIG_BYTES) or {}
    if not isinstance(raw, dict):
        raise FileRejected("_config.yml n'est pas une liste de réglages")
    permalink = str(raw.get("permalink") or "date")
    problems = []
    config = SiteConfig(
        url=_checked(raw, "url", HTTP_URL_RE, "ce n'est pas une adresse http:// ou https://", problems),
        baseurl=_checked(raw, "baseurl", BASEURL_RE, "ce n'est pas un chemin du site (/dossier)", problems),
        permalink=PERMALINK_STYLES.get(permalink, permalink),
        collections=_collections(raw.get("collections") or {}, problems),
        collections_dir=_collections_dir(raw, problems),
        defaults=_defaults(_listed(raw, "defaults", problems), problems),
        title=str(raw.get("title") or ""),
        exclude=list(dict.fromkeys([*_patterns(raw, "exclude", problems), *DEFAULT_EXCLUDE])),
        include=list(dict.fromkeys([*_patterns(raw, "include", problems), *DEFAULT_INCLUDE])),
        problems=problems,
    )
    problems += _unfollowed(raw) + _missing_collections(root, config)
    config.search = _search(root, config, raw.get(searchconfig.SECTION), search_file)
    return config


def _search(root: Path, config: SiteConfig, section, search_file: Path | None) -> SiteSearch:
    """The effective search settings: of ``search_file`` if given, else of ``_config.yml``."""
    origin, prefix = CONFIG_FILE, ""
    if search_file is not None:
        section, origin = read_search_file(search_file), str(search_file)
        prefix = f"{search_file} : "
    found = searchconfig.resolve(section, config.collections, origin, str(search_file) if search_file else None,
                                 ministries.load(root))
    config.problems += [prefix + problem for problem in found.problems]
    return found


def read_search_file(path: Path):
    """The ``search:`` section a ``--config`` file holds: under a ``search:`` key, or alone."""
    try:
        raw_bytes = read_bytes(Path(path).resolve(), MAX_CONFIG_BYTES)
        text = unicodedata.normalize("NFC", raw_bytes.decode("utf-8", errors="replace"))
        raw = parse_yaml(text, "fichier de configuration", MAX_CONFIG_BYTES)
    except FileRejected as error:
        raise EigSearchError(f"{path} : {error}") from None
    if isinstance(raw, dict) and set(raw) == {searchconfig.SECTION}:
        return raw[searchconfig.SECTION]
    return raw


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


def _collections_dir(raw: dict, problems: list[str]) -> str:
    """``collections_dir`` as a folder of the site ("" for its root, Jekyll's default)."""
    value = raw.get("collections_dir")
    if value is None:
        return ""
    folder = str(value).strip().strip("/")
    if folder in ("", "."):
        return ""
    if ".." in folder.split("/") or not isinstance(value, str):
        problems.append(f"réglage collections_dir « {value} » ignoré : ce n'est pas un dossier du site")
        return ""
    if folder.startswith("_"):
        problems.append(f"réglage collections_dir « {folder} » : Jekyll veut un nom qui ne commence pas par « _ »")
    return folder


def _unfollowed(raw: dict) -> list[str]:
    """Settings that change what Jekyll reads but that the indexer does not follow."""
    found = []
    source = raw.get("source")
    if source is not None and str(source).strip().strip("/") not in ("", "."):
        found.append(f"réglage source « {source} » non suivi : Jekyll lit le site dans ce dossier, l'indexeur "
                     "dans celui de --site (donnez-lui ce dossier-là)")
    data_dir = raw.get("data_dir")
    if data_dir is not None and str(data_dir).strip().strip("/") != "_data":
        found.append(f"réglage data_dir « {data_dir} » non suivi : l'indexeur lit les données de _data")
    if raw.get("unpublished") is True:
        found.append("réglage unpublished non suivi : Jekyll publie aussi les pages « published: false », "
                     "que l'indexeur compte comme brouillons")
    if raw.get("show_drafts") is True:
        found.append("réglage show_drafts non suivi : Jekyll publie aussi _drafts, que l'indexeur compte comme brouillons")
    limit = raw.get("limit_posts")
    if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
        found.append(f"réglage limit_posts non suivi : Jekyll ne publie que les {limit} derniers articles, "
                     "l'indexeur les lit tous")
    extensions = [ext.strip().lstrip(".") for ext in str(raw.get("markdown_ext") or "").split(",") if ext.strip()]
    others = [ext for ext in extensions if ext not in MARKDOWN_EXTENSIONS]
    if others:
        found.append(f"réglage markdown_ext non suivi : les fichiers .{', .'.join(others)} ne sont pas lus "
                     f"(l'indexeur lit .{', .'.join(MARKDOWN_EXTENSIONS)}, .html et .htm)")
    plugins = [*_strings(raw.get("plugins")), *_strings(raw.get("gems"))]
    for plugin in dict.fromkeys(name for name in plugins if name in PAGE_MAKING_PLUGINS):
        found.append(f"extension {plugin} non suivie : elle fait des pages que l'indexeur ne lit pas")
    return found


def _missing_collections(root: Path, config: SiteConfig) -> list[str]:
    """Declared collections whose folder is not there: none of their pages would be read."""
    missing = []
    for name in config.collections:
        folder = config.collection_folder(name)
        if name == "posts" or (root / folder).is_dir():
            continue
        elsewhere = sorted(path.relative_to(root).as_posix() for path in
                           [root / f"_{name}", *root.glob(f"*/_{name}")] if path.is_dir())
        hint = f" (il y a {', '.join(elsewhere)} : collections_dir ?)" if elsewhere else ""
        missing.append(f"collection {name} déclarée, mais son dossier {folder} n'existe pas : "
                       f"aucune de ses pages n'est lue{hint}")
    return missing


def _defaults(entries: list, problems: list[str]) -> list[dict]:
    """The ``defaults`` entries; one whose ``scope`` is not a mapping is reported and left out."""
    kept = [entry for entry in entries if isinstance(entry, dict) and isinstance(entry.get("scope") or {}, dict)]
    if len(kept) < sum(isinstance(entry, dict) for entry in entries):
        problems.append("réglage defaults : entrée ignorée, son scope n'est pas une liste de réglages (path, type)")
    return kept


def _patterns(raw: dict, key: str, problems: list[str]) -> list[str]:
    """``include`` or ``exclude``: paths or patterns of the site, as written."""
    return [str(pattern) for pattern in _listed(raw, key, problems) if str(pattern).strip()]


def _strings(value) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


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
