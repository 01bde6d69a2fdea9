"""The judged-query file: a YAML list of ``{kind, query, relevant}``, read and checked.

``kind`` is ``keyword`` (a query typed in the search box), ``similar`` (a pasted project
description) or ``similar-page`` (the similar projects of an indexed page, given by its source
``path`` instead of a ``query``); ``relevant`` the source paths of the right answers, the primary
one first. Every mistake is reported with the file and the query's number.
"""

from dataclasses import dataclass
from pathlib import Path

from indexer.errors import EigSearchError, FileRejected
from indexer.site.frontmatter import parse_yaml

KINDS = ("keyword", "similar", "similar-page")
#: The kind whose question is a page of the site (``path``), not a text (``query``).
PAGE_KIND = "similar-page"
KEYS = ("kind", "query", "path", "relevant")
MAX_QUERIES_FILE_BYTES = 1024 * 1024


@dataclass
class JudgedQuery:
    kind: str
    query: str  # the text asked, or the source path of the page for ``similar-page``
    relevant: list[str]  # the primary answer first

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.query


def load_queries(path) -> list[JudgedQuery]:
    """Read and check a judged-query file; raises :class:`EigSearchError` saying what is wrong."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise EigSearchError(f"fichier de requêtes introuvable : {path}") from None
    except UnicodeDecodeError:
        raise EigSearchError(f"{path} : le fichier de requêtes doit être en UTF-8") from None
    except OSError as error:
        raise EigSearchError(f"{path} : lecture impossible ({error.strerror})") from None
    try:
        data = parse_yaml(text, "YAML", MAX_QUERIES_FILE_BYTES)
    except FileRejected as error:
        raise EigSearchError(f"{path} : {error}") from None
    return parse_queries(data, str(path))


def parse_queries(data, source: str = "requêtes") -> list[JudgedQuery]:
    """Judged queries from already-loaded YAML, checked entry by entry."""
    if not isinstance(data, list):
        raise EigSearchError(f"{source} : une liste de requêtes est attendue, une par ligne "
                             "« - {kind: keyword, query: \"…\", relevant: [chemin, …]} »")
    if not data:
        raise EigSearchError(f"{source} : aucune requête jugée")
    queries, seen = [], set()
    for number, entry in enumerate(data, start=1):
        where = f"{source}, requête {number}"
        if not isinstance(entry, dict):
            raise EigSearchError(f"{where} : un dictionnaire {{kind, query, relevant}} est attendu")
        unknown = sorted(str(key) for key in entry if key not in KEYS)
        if unknown:
            raise EigSearchError(f"{where} : clé inconnue « {unknown[0]} » (clés permises : {', '.join(KEYS)})")
        kind, relevant = entry.get("kind"), entry.get("relevant")
        if kind not in KINDS:
            raise EigSearchError(f"{where} : kind doit valoir {', '.join(KINDS[:-1])} ou {KINDS[-1]} "
                                 f"(lu : « {kind} »)")
        query = _question(entry, kind, where)
        if (not isinstance(relevant, list) or not relevant
                or not all(isinstance(item, str) and item.strip() for item in relevant)):
            raise EigSearchError(f"{where} : relevant doit être une liste non vide de chemins de pages "
                                 "(la réponse principale en premier)")
        for item in relevant:
            _check_path(item, where)
        if len(set(relevant)) != len(relevant):
            raise EigSearchError(f"{where} : relevant cite deux fois la même page")
        if kind == PAGE_KIND and query in relevant:
            raise EigSearchError(f"{where} : relevant cite la page comparée elle-même ({query})")
        if (kind, query) in seen:
            raise EigSearchError(f"{where} : la requête {kind} « {query} » est déjà jugée plus haut")
        seen.add((kind, query))
        queries.append(JudgedQuery(kind, query, list(relevant)))
    return queries


def _question(entry: dict, kind: str, where: str) -> str:
    """The text asked (``query``), or for ``similar-page`` the page compared (``path``)."""
    wanted, other = ("path", "query") if kind == PAGE_KIND else ("query", "path")
    if other in entry:
        raise EigSearchError(f"{where} : une requête {kind} donne {wanted}, pas {other}")
    value = entry.get(wanted)
    if not isinstance(value, str) or not value.strip():
        what = "un chemin de page" if wanted == "path" else "un texte"
        raise EigSearchError(f"{where} : {wanted} doit être {what} non vide")
    if wanted == "path":
        _check_path(value, where)
    return value


def _check_path(path: str, where: str) -> None:
    if path.startswith("/") or "\\" in path or ".." in path.split("/"):
        raise EigSearchError(f"{where} : « {path} » doit être un chemin de fichier source relatif "
                             "à la racine du site (par exemple _defis/2019-01-01-cartobio.md)")
