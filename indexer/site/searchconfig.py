"""The site's ``search:`` section: facets, project collections, kind labels, paths not to index.

Jekyll ignores the keys it does not know, as jekyll-algolia's ``algolia:`` section shows, so a
site declares its search in its own ``_config.yml``; ``--config FILE`` gives the same section
from a file outside the site. Every key is optional and falls back to a default: for the
programme's site (it has a ``defis`` collection) today's facets, labels and ``défi`` projects;
for any other site the usual Jekyll facets and its largest collection as projects. A key of the
wrong shape is reported and its default used, like any misshapen setting of ``_config.yml``.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field

from indexer.fields import (
    ALWAYS_INDEXED,
    COMPUTED_FACETS,
    COMPUTED_LABELS,
    JEKYLL_FACETS,
    PROGRAMME_FACETS,
    Facet,
    Kind,
    SearchSettings,
    capitalised,
)
from indexer.site import ministries as ministry_names

SECTION = "search"
KEYS = ("facets", "projects", "related", "kinds", "results", "exclude")
#: Kind of page by collection when the site does not name it (nor the collection's ``kind:``).
KIND_BY_COLLECTION = {
    "posts": "article", "pages": "page", "defis": "défi", "communaute": "personne",
    "actualites": "actualité", "people": "personne", "personnes": "personne",
}
#: The programme's site is recognised by this collection.
PROGRAMME_COLLECTION = "defis"
PROGRAMME_RELATED = ("posts", "actualites")
PROGRAMME_RESULTS = ("promotion", "administration")
#: A facet name: it becomes a URL parameter and a key of the API's JSON.
FACET_NAME_RE = re.compile(r"[^\W_][\w-]*")
#: Names that already mean something in a search URL or in a hit of the API (``lang``: the
#: interface's language, so the pages' language facet is ``language``).
RESERVED_NAMES = frozenset({"q", "sort", "page", "per_page", "path", "text", "url", "title", "date",
                            "snippet", "score", "summary", "pages", "total", "facets", "hits", "team",
                            "links", "date_precision", "shared_terms", "similarity", "level", "expand",
                            "lang"})
#: Facets shown under each result by default: at most this many of the facets read from front matter.
DEFAULT_RESULT_FACETS = 3


@dataclass
class SiteSearch:
    """The effective search settings of a site, and what only the reader needs: each collection's
    kind, the paths not to index, where the settings came from and what was wrong in them."""

    settings: SearchSettings
    collection_kinds: dict[str, Kind]
    exclude: tuple[str, ...] = ()
    origin: str = ""  # said in the report: "_config.yml", the file given, or which defaults
    file: str | None = None  # the --config file, recorded in the manifest for ``update``
    problems: list[str] = field(default_factory=list)
    #: Administrations' names and ministries (the maintainers' file and the site's own).
    ministries: ministry_names.Ministries = field(default_factory=ministry_names.Ministries)

    def kind_of(self, collection: str) -> str:
        kind = self.collection_kinds.get(collection) or default_kind(collection)
        return kind.singular

    def signature(self) -> str:
        """What changes every page's record when it changes: facets, kinds, the ministries' files."""
        facets = [(facet.name, facet.fields) for facet in self.settings.facets]
        kinds = sorted((name, kind.singular) for name, kind in self.collection_kinds.items())
        signed = json.dumps([facets, kinds, self.ministries.digest], ensure_ascii=False)
        return hashlib.sha1(signed.encode()).hexdigest()

    def organise(self, read: dict[str, list[str]], record: dict) -> dict[str, list[str]]:
        """A page's facets with its administrations named once and its ministries
        (:mod:`indexer.site.ministries`)."""
        admin = next((facet for facet in self.settings.facets if facet.name == ministry_names.ADMINISTRATION), None)
        return self.ministries.organise(read, record, admin.fields if admin else ())

    def summary(self, settings: SearchSettings) -> str:
        """One line for the report: where the settings come from, the facets, the projects."""
        facets = ", ".join(settings.shown.values()) or "aucune"
        projects = settings.plural(settings.projects) if settings.projects else "aucun"
        return f"Recherche ({self.origin}) : facettes {facets} ; projets : {projects}"

    def manifest(self) -> dict:
        """The settings as a generation's manifest records them (readers choose the largest
        collection's kind as the projects' when none is given: they count the pages)."""
        return {**self.settings.as_dict(), "file": self.file}


def resolve(section, collections: dict, origin: str = "_config.yml", file: str | None = None,
            ministries: ministry_names.Ministries | None = None) -> SiteSearch:
    """The effective settings from a ``search:`` section (None when the site has none), the
    site's collections (name → :class:`~indexer.site.config.Collection`) and its ministries'
    files (by default the maintainers' one)."""
    ministries = ministries or ministry_names.load()
    problems: list[str] = list(ministries.problems)
    if section is None:
        section = {}
    elif not isinstance(section, dict):
        problems.append("réglage search ignoré : ce n'est pas une liste de réglages (facets, projects, kinds…)")
        section = {}
    problems += [f"réglage search.{key} inconnu, ignoré (réglages connus : {', '.join(KEYS)})"
                 for key in section if key not in KEYS]
    programme = PROGRAMME_COLLECTION in collections
    kinds = _kinds(section.get("kinds"), collections, problems)
    facets = _facets(section.get("facets"), programme, problems)
    names = {facet.name for facet in facets}

    def kinds_of(chosen: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys((kinds.get(name) or default_kind(name)).singular for name in chosen))

    projects = kinds_of(_collections(section.get("projects"), "projects", collections, problems)
                        or ((PROGRAMME_COLLECTION,) if programme else ()))
    largest_of = () if projects else kinds_of(_candidates(collections))
    related = kinds_of(_collections(section.get("related"), "related", collections, problems)
                       or (PROGRAMME_RELATED if programme else ("posts",)))
    results = _listed(section.get("results"), "results", problems)
    unknown = [name for name in results if name not in names]
    if unknown:
        problems.append(f"réglage search.results : {', '.join(unknown)} n'est pas une facette, ignoré")
    default_results = PROGRAMME_RESULTS if programme and "facets" not in section else tuple(
        facet.name for facet in facets if facet.fields and facet.name != "tags")[:DEFAULT_RESULT_FACETS]
    settings = SearchSettings(
        facets=facets, kinds={kind.singular: kind for kind in kinds.values()},
        projects=projects, related=tuple(kind for kind in related if kind not in projects),
        results=tuple(name for name in results if name in names) or default_results, largest_of=largest_of)
    if not section:
        origin = f"réglages du programme (collection {PROGRAMME_COLLECTION})" if programme else "réglages par défaut"
    return SiteSearch(settings, kinds, tuple(map(str, _listed(section.get("exclude"), "exclude", problems))),
                      origin, file, problems, ministries)


def default_kind(collection: str, named: str | None = None) -> Kind:
    """A collection's kind when the site does not label it: its ``kind:`` setting, a known name
    (``posts`` → article), else the collection's own name."""
    singular = str(named or KIND_BY_COLLECTION.get(collection, collection))
    return Kind(singular, plural_of(singular))


def plural_of(word: str) -> str:
    return word if word.endswith(("s", "x", "z")) else word + "s"


def _kinds(configured, collections: dict, problems: list[str]) -> dict[str, Kind]:
    """Each collection's kind: ``search.kinds`` (``{singular, plural}`` or a singular), else
    :func:`default_kind`."""
    kinds = {name: default_kind(name, getattr(collection, "kind", None)) for name, collection in collections.items()}
    kinds.setdefault("pages", default_kind("pages"))
    if configured is None:
        return kinds
    if not isinstance(configured, dict):
        problems.append("réglage search.kinds ignoré : ce n'est pas une liste « collection: {singular, plural} »")
        return kinds
    for name, labels in configured.items():
        name = str(name)
        if isinstance(labels, str) and labels.strip():
            kinds[name] = Kind(labels.strip(), plural_of(labels.strip()))
        elif isinstance(labels, dict) and isinstance(labels.get("singular"), str) and labels["singular"].strip():
            singular = labels["singular"].strip()
            plural = labels.get("plural")
            kinds[name] = Kind(singular, plural.strip() if isinstance(plural, str) and plural.strip()
                               else plural_of(singular))
        else:
            problems.append(f"réglage search.kinds.{name} ignoré : donnez {{singular: …, plural: …}}")
            continue
        if name not in collections and name != "pages":
            problems.append(f"réglage search.kinds : {name} n'est pas une collection du site")
    return kinds


def _facets(configured, programme: bool, problems: list[str]) -> tuple[Facet, ...]:
    """The facets in display order; ``kind`` and ``collection`` are always indexed (hidden
    when the section does not list them)."""
    if configured is None:
        return PROGRAMME_FACETS if programme else JEKYLL_FACETS
    facets: dict[str, Facet] = {}
    for entry in _listed(configured, "facets", problems, allowed=(str, dict)):
        facet = _facet(entry, problems)
        if facet and facet.name in facets:
            problems.append(f"réglage search.facets : facette « {facet.name} » en double, ignorée")
        elif facet:
            facets[facet.name] = facet
    for name in ALWAYS_INDEXED:
        facets.setdefault(name, Facet(name, COMPUTED_LABELS[name], hidden=True))
    return tuple(facets.values())


def _facet(entry, problems: list[str]) -> Facet | None:
    """One entry of ``search.facets``: a field name, or ``{field | fields, name, label, hidden}``."""
    if isinstance(entry, str):
        entry = {"field": entry}
    fields = entry.get("fields", entry.get("field"))
    fields = [fields] if isinstance(fields, str) else fields
    if not isinstance(fields, list) or not fields or not all(isinstance(f, str) and f.strip() for f in fields):
        problems.append("réglage search.facets : entrée sans champ (field: nom du champ du front matter), ignorée")
        return None
    fields = tuple(f.strip() for f in fields)
    name = str(entry.get("name") or fields[0])
    if not FACET_NAME_RE.fullmatch(name) or name in RESERVED_NAMES:
        problems.append(f"réglage search.facets : facette « {name} » ignorée : son nom doit être fait de lettres, "
                        "chiffres, - ou _, et différent de " + ", ".join(sorted(RESERVED_NAMES)))
        return None
    label = entry.get("label")
    label = label.strip() if isinstance(label, str) and label.strip() else \
        COMPUTED_LABELS.get(name) or capitalised(re.sub(r"[-_]+", " ", name))
    return Facet(name, label, () if name in COMPUTED_FACETS else fields, entry.get("hidden") is True)


def _collections(configured, key: str, collections: dict, problems: list[str]) -> tuple[str, ...]:
    """Collection names of ``search.projects`` or ``search.related`` (``posts`` and ``pages`` count)."""
    known = []
    for name in map(str, _listed(configured, key, problems)):
        collection = collections.get(name)
        if name != "pages" and collection is None:
            problems.append(f"réglage search.{key} : {name} n'est pas une collection du site, ignoré")
        elif collection is not None and not collection.output:
            problems.append(f"réglage search.{key} : la collection {name} n'a pas de pages (output: false), ignorée")
        else:
            known.append(name)
    return tuple(known)


def _candidates(collections: dict) -> tuple[str, ...]:
    """The collections whose pages may be the projects by default: the published ones, articles
    only when there is no other."""
    published = tuple(name for name, collection in collections.items() if collection.output and name != "posts")
    return published or ("posts",)


def _listed(value, key: str, problems: list[str], allowed=(str,)) -> list:
    """A setting that must be a list (one value alone is a list of one); anything else is reported."""
    if value is None:
        return []
    if isinstance(value, allowed) and not isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, allowed) for item in value):
        problems.append(f"réglage search.{key} ignoré : ce n'est pas une liste")
        return []
    return value
