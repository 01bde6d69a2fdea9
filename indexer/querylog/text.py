"""The report as a maintainer reads it: French headings and aligned tables."""

from indexer.querylog.entries import SEARCH, SIMILAR

#: Characters of a cell at most (a longer query is cut with « … »).
CELL_CHARS = 40
KIND_NAMES = {SEARCH: "recherche", SIMILAR: "similaires"}
#: What an empty query was: filters only, or a pasted description.
NO_WORDS = {SEARCH: "(filtres seuls)", SIMILAR: "(texte collé)"}


def lines(report: dict) -> list[str]:
    """Every section of :func:`~indexer.querylog.report.read`'s figures, one table each."""
    out = [f"Journal des recherches : {report['log']}",
           f"{report['days']} derniers jours (depuis le {report['since']} UTC) ; conservation : "
           f"{report['retention_days']} jours" + (f" ({report['forgotten']} recherches plus anciennes effacées)"
                                                   if report["forgotten"] else ""),
           f"Recherches : {report['searches']} ; projets similaires : {report['similar']}"]
    groups = report.get("synonym_groups")
    sections = [
        ("Recherches les plus fréquentes", ["requête", "nombre", "résultats en moyenne"],
         [[item["query"], item["count"], _decimal(item["average_results"])] for item in report["top"]]),
        ("Recherches sans résultat", ["requête", "nombre", "dernière fois (UTC)", "vouliez-vous dire"]
         + (["aujourd'hui", *(f"avec « {', '.join(group)} »" for group in groups)] if groups else []),
         [[item["query"], item["count"], item["last_seen"], item["suggestion"] or "—"]
          + ([item["results_now"], *(trial["results"] for trial in item["with_synonyms"])] if groups else [])
          for item in report["zero_results"]]),
        ("Recherches corrigées ou élargies le plus souvent", ["requête", "nombre", "corrigée", "élargie", "correction"],
         [[item["query"], item["count"], item["corrected"], item["relaxed"],
           ", ".join(f"{typed} → {fixed}" for typed, fixed in item["corrections"].items()) or "—"]
          for item in report["corrected"]]),
        ("Filtres les plus utilisés", ["facette", "valeur", "nombre"],
         [[item["facet"], item["value"], item["count"]] for item in report["filters"]]),
        ("Recherches les plus lentes", ["requête", "type", "durée (ms)", "résultats", "quand (UTC)"],
         [[item["query"] or NO_WORDS[item["kind"]], KIND_NAMES[item["kind"]], _decimal(item["ms"]),
           item["results"], item["minute"]] for item in report["slowest"]]),
    ]
    for title, headers, rows in sections:
        out += ["", f"{title} :"] + (table(headers, rows) if rows else ["  (aucune)"])
    if groups:
        out += ["", "« aujourd'hui » : les pages que la requête trouve sur l'index actuel, sans filtre ; "
                    "« avec … » : celles qu'elle trouverait si ce groupe était dans synonyms.yml."]
    return out


def table(headers: list[str], rows: list[list]) -> list[str]:
    """Aligned columns: text on the left, numbers on the right, two spaces apart."""
    cells = [[_cell(value) for value in row] for row in [headers, *rows]]
    numeric = [all(isinstance(row[column], (int, float)) or _is_decimal(row[column]) for row in rows)
               for column in range(len(headers))]
    widths = [max(len(row[column]) for row in cells) for column in range(len(headers))]
    return ["  " + "  ".join(cell.rjust(width) if right else cell.ljust(width)
                             for cell, width, right in zip(row, widths, numeric)).rstrip() for row in cells]


def _cell(value) -> str:
    text = str(value)
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS - 1] + "…"


def _decimal(number: float) -> str:
    return f"{number:.1f}".replace(".", ",")


def _is_decimal(text) -> bool:
    return isinstance(text, str) and text.replace(",", "", 1).isdigit()
