"""The « Ministère » facet, and one name for all the ways a site writes an administration.

The programme's pages name their administration in many ways: « Ministère de l’Intérieur,
Direction générale de la gendarmerie nationale (DGGN) », « Direction Générale de la Gendarmerie
Nationale », « DGGN »… A name that writes a ministry beside its services is split: the ministry
goes to the ``ministere`` facet, the services to ``administration``. Each name is then looked up
in the maintainers' file (:data:`MAPPING_FILE`) and the site's own ``_data/ministeres.yml``, which
give an administration's display name, its variants and its ministries, and the web domains of
each ministry's services. Case, accents, apostrophes, punctuation and a final sigle in parentheses
never tell two names apart (:func:`~indexer.fields.facet_key`).

A page's ministries, the first source that gives one: its own ``ministere`` field (front matter or
data entry), the ministry its administration's name writes, the ministries the file gives its
administration, the ministry on whose domain its administration's website is
(``administration_website``). The pages left without one are named by ``index`` and ``check``.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from indexer.errors import FileRejected
from indexer.fields import WORD_RE, capitalised, facet_key, facet_words
from indexer.site.access import read_bytes, resolve_inside
from indexer.site.frontmatter import parse_yaml

#: The maintainers' file, shipped with the program.
MAPPING_FILE = Path(__file__).parent / "data" / "ministeres.yml"
#: The file a site may add, of the same form: its entries add to the maintainers' and win.
SITE_FILE = "_data/ministeres.yml"
MAX_FILE_BYTES = 1024 * 1024
ADMINISTRATION, MINISTRY = "administration", "ministere"
#: Fields beside an administration's that give its website: ``administration_website``…
WEBSITE_SUFFIXES = ("_website", "_url", "_site")
#: What separates the bodies a name lists: commas, semicolons, dashes between spaces.
_PARTS_RE = re.compile(r"\s*[,;]\s*|\s+[-–—]\s+")
#: A part that goes on with the name before it: « Ministère de l’Enseignement supérieur, de la Recherche ».
_GOES_ON_RE = re.compile(r"(?:de|du|des|à|aux)\s|d['’]")
_FINAL_GROUP_RE = re.compile(r"\(([^()]+)\)\s*$")
_GENERIC_MINISTRY = ("ministere", "ministeres")


@dataclass
class Ministries:
    """What the files say: ministries by name, administrations by name, ministries by domain."""

    ministries: dict[tuple[str, ...], str] = field(default_factory=dict)  # folded words of a name → display
    administrations: dict[str, str] = field(default_factory=dict)  # facet key of a name, variant or sigle → display
    tutelles: dict[str, tuple[str, ...]] = field(default_factory=dict)  # display of an administration → ministries
    domains: dict[str, tuple[str, ...]] = field(default_factory=dict)  # domain → ministries
    digest: str = ""  # of the files read: a change rebuilds the index at the next update
    problems: list[str] = field(default_factory=list)

    def organise(self, read: dict[str, list[str]], record: dict, admin_fields) -> dict[str, list[str]]:
        """The facets ``read`` from a page (its ``record``: front matter and data entry) with
        its administrations named once and, when the site has the facet, its ministries."""
        if ADMINISTRATION not in read and MINISTRY not in read:
            return read
        admins, written = [], []
        for value in read.get(ADMINISTRATION, ()):  # without a ministry facet, nothing is split off
            names, ministries = self.names(value) if MINISTRY in read else ([self.administration(value)], [])
            admins += names
            written += ministries
        organised = {**read}
        if ADMINISTRATION in read:
            organised[ADMINISTRATION] = list(dict.fromkeys(admins))
        if MINISTRY in read:
            given = [self.ministry(value) for value in read[MINISTRY]]
            websites = [record.get(name + suffix) for name in admin_fields for suffix in WEBSITE_SUFFIXES]
            ministries = (given or written or [m for admin in admins for m in self.tutelles.get(admin, ())]
                          or [m for site in websites for m in self.domains.get(_host_domain(site, self.domains), ())])
            organised[MINISTRY] = list(dict.fromkeys(ministries))
        return organised

    def names(self, value: str) -> tuple[list[str], list[str]]:
        """The administrations and the ministries one written name gives: « Ministère de la
        Culture, Direction générale de la création artistique, Mobilier national » is two services
        of a ministry; a name that writes no ministry is one administration, commas and all."""
        value = _clean(value)
        if facet_key(value) in self.administrations:
            return [self.administration(value)], []
        services, ministries = [], []
        for part in _parts(value):
            ministry, rest = self._leading_ministry(part)
            if ministry:
                ministries.append(ministry)
            if rest:
                services.append(rest)
        if not ministries:
            services = [value]
        return [self.administration(name) for name in services] or ministries, ministries

    def administration(self, name: str) -> str:
        """The display name of an administration: the file's, found by its name, a variant or
        its final sigle; else the name as written."""
        name = _clean(name)
        found = self.administrations.get(facet_key(name))
        group = _FINAL_GROUP_RE.search(name)
        if found is None and group:
            found = self.administrations.get(facet_key(group.group(1)))
        return found or name

    def ministry(self, name: str) -> str:
        """The display name of a ministry written alone (a page's ``ministere`` field)."""
        ministry, _rest = self._leading_ministry(_clean(name))
        return ministry or _clean(name)

    def _leading_ministry(self, part: str) -> tuple[str, str]:
        """The ministry ``part`` starts with (the longest name the file knows, else any
        « Ministère … » as written), and what follows it (« et Agence … » gives « Agence … »)."""
        ends = [match.end() for match in WORD_RE.finditer(part)]
        words = tuple(facet_words(part))
        for length in range(len(words), 0, -1):
            ministry = self.ministries.get(words[:length])
            if ministry:
                rest = part[ends[length - 1]:].strip(" ,;-–—")
                rest = re.sub(r"^et\s+|^\([^()]*\)$", "", rest)  # « et ANTAI », the ministry's sigle
                return ministry, capitalised(rest) if WORD_RE.search(rest) else ""
        if words[:1] and words[0] in _GENERIC_MINISTRY:
            return part, ""
        return "", part


def _parts(value: str) -> list[str]:
    """The bodies a name lists; a part starting with « de », « du », « des »… goes on with the
    one before it."""
    parts: list[str] = []
    for part in _PARTS_RE.split(value):
        if parts and _GOES_ON_RE.match(part):
            parts[-1] += ", " + part
        elif WORD_RE.search(part):
            parts.append(part)
    return parts


def _clean(name: str) -> str:
    """One form of a written name: NFC, single spaces, no punctuation around, a capital first."""
    name = " ".join(unicodedata.normalize("NFC", str(name)).split()).strip(" ,;.-–—")
    return capitalised(name)


def _host_domain(website, domains: dict) -> str:
    """The domain of ``domains`` that ``website``'s host is or is under, else ""."""
    if not isinstance(website, str) or "://" not in website:
        return ""
    host = (urlsplit(website.strip()).hostname or "").removeprefix("www.")
    labels = host.split(".")
    return next((domain for i in range(len(labels)) if (domain := ".".join(labels[i:])) in domains), "")


def load(root: Path | None = None) -> Ministries:
    """The maintainers' file, then the site's ``_data/ministeres.yml`` if it has one."""
    ministries = Ministries()
    digest = hashlib.sha1()
    sources = [(lambda: MAPPING_FILE, str(MAPPING_FILE))]
    if root is not None and (root / SITE_FILE).exists():
        sources.append((lambda: resolve_inside(root, SITE_FILE), SITE_FILE))
    for path, shown in sources:
        try:
            raw = read_bytes(path(), MAX_FILE_BYTES)
            data = parse_yaml(unicodedata.normalize("NFC", raw.decode("utf-8", "replace")), shown, MAX_FILE_BYTES)
        except FileRejected as error:
            ministries.problems.append(f"{shown} ignoré : {error}")
            continue
        digest.update(raw + b"\0")
        _add(ministries, data, shown)
    ministries.digest = digest.hexdigest()
    return ministries


def _add(ministries: Ministries, data, shown: str) -> None:
    """Add one file's entries; its administrations take the ministries this file gives them."""
    entries = data.get("ministeres") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        ministries.problems.append(f"{shown} ignoré : il faut une liste « ministeres: » de ministères")
        return
    tutelles: dict[str, list[str]] = {}
    for name, entry in entries.items():
        entry = entry if isinstance(entry, dict) else {}
        ministry = _clean(name)
        for written in [ministry, *_names(entry.get("variantes"), shown, ministry, ministries.problems)]:
            ministries.ministries[tuple(facet_words(written))] = ministry
        for domain in _names(entry.get("sites"), shown, ministry, ministries.problems):
            ministries.domains[domain.lower()] = (*ministries.domains.get(domain.lower(), ()), ministry)
        admins = entry.get("administrations") or {}
        if not isinstance(admins, dict):
            ministries.problems.append(f"{shown} : administrations de « {ministry} » ignorées : "
                                       "il faut « nom affiché: [variantes] »")
            continue
        for admin, variants in admins.items():
            admin = _clean(admin)
            group = _FINAL_GROUP_RE.search(admin)  # « … (Agence Bio) »: the name without it, and it alone
            shorter = [group.group(1), admin[:group.start()]] if group else []
            for written in [admin, *shorter, *_names(variants, shown, admin, ministries.problems)]:
                ministries.administrations[facet_key(written)] = admin
            tutelles.setdefault(admin, []).append(ministry)
    ministries.tutelles.update({admin: tuple(dict.fromkeys(names)) for admin, names in tutelles.items()})


def _names(value, shown: str, owner: str, problems: list[str]) -> list[str]:
    """A list of names (one name alone is a list of one); anything else is reported."""
    if value is None:
        return []
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        problems.append(f"{shown} : entrée de « {owner} » ignorée : il faut une liste de noms")
        return []
    return [item.strip() for item in value]


def unmapped(facets: dict[str, list[str]]) -> list[str]:
    """The administrations of a page the site gives a ``ministere`` facet but no ministry."""
    return list(facets.get(ADMINISTRATION, ())) if MINISTRY in facets and not facets[MINISTRY] else []


def note(unmapped) -> list[str]:
    """The report's line naming the administrations left without a ministry (name → pages)."""
    if not unmapped:
        return []
    names = ", ".join(sorted(unmapped, key=facet_key))
    maintained = MAPPING_FILE.relative_to(MAPPING_FILE.parents[3])
    line = (f"Administrations sans ministère ({len(unmapped)}) : {names} ; rangez-les dans {maintained} "
            f"ou dans le {SITE_FILE} du site")
    return [line]
