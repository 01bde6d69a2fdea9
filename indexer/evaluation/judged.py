"""The judged-query file: a YAML list of ``{kind, query, relevant}``, read and checked.

``kind`` is ``keyword`` (a query typed in the search box) or ``similar`` (a pasted project
description), ``relevant`` the source paths of the right answers, the primary one first. Every
mistake is reported with the file and the query's number.
"""

from dataclasses import dataclass
from pathlib import Path

from indexer.errors import EigSearchError, FileRejected
from indexer.site.frontmatter import parse_yaml

KINDS = ("keyword", "similar")
KEYS = ("kind", "query", "relevant")
MAX_QUERIES_FILE_BYTES = 1024 * 1024


@dataclass
class JudgedQuery:
    kind: str
    query: str
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
        kind, query, relevant = entry.get("kind"), entry.get("query"), entry.get("relevant")
        if kind not in KINDS:
            raise EigSearchError(f"{where} : kind doit valoir {' ou '.join(KINDS)} (lu : « {kind} »)")
        if not isinstance(query, str) or not query.strip():
            raise EigSearchError(f"{where} : query doit être un texte non vide")
        if (not isinstance(relevant, list) or not relevant
                or not all(isinstance(item, str) and item.strip() for item in relevant)):
            raise EigSearchError(f"{where} : relevant doit être une liste non vide de chemins de pages "
                                 "(la réponse principale en premier)")
        for item in relevant:
            if item.startswith("/") or "\\" in item or ".." in item.split("/"):
                raise EigSearchError(f"{where} : « {item} » doit être un chemin de fichier source relatif "
                                     "à la racine du site (par exemple _defis/2019-01-01-cartobio.md)")
        if len(set(relevant)) != len(relevant):
            raise EigSearchError(f"{where} : relevant cite deux fois la même page")
        if (kind, query) in seen:
            raise EigSearchError(f"{where} : la requête {kind} « {query} » est déjà jugée plus haut")
        seen.add((kind, query))
        queries.append(JudgedQuery(kind, query, list(relevant)))
    return queries
