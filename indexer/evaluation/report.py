"""The evaluation as a person reads it: the metrics table, the misses, the changes (in French)."""

from indexer.evaluation.metrics import ANSWERS, METRICS, SUMMARY_GROUPS, TOP, Comparison
from indexer.evaluation.relevance import Evaluation

ANSWER_LABELS = {"primary": "principale", "any": "quelconque"}
GROUP_LABELS = {"keyword": "keyword", "similar": "similar", "similar-page": "similar-page", "all": "ensemble"}


def report(evaluation: Evaluation) -> list[str]:
    """The metrics table, then each query whose primary answer is not first, with what came before."""
    results = evaluation.results
    lines = [f"{len(results)} requêtes jugées, classement {evaluation.ranking}, index {evaluation.generation}", ""]
    lines += metrics_table(evaluation.summary, groups=asked_groups(results))
    for judged, path in evaluation.unknown_paths:
        if path == judged.query:
            lines.append(f"attention : [{judged.kind}] compare {path}, qui n'est pas dans l'index")
        else:
            lines.append(f"attention : [{judged.kind}] « {shorten(judged.query)} » juge pertinente {path}, "
                         "qui n'est pas dans l'index")
    missed = [r for r in results if r.rank_primary != 1]
    lines += ["", f"Réponse principale pas en tête ({len(missed)}) :" if missed
              else "Réponse principale en tête pour toutes les requêtes."]
    for result in missed:
        where = f"rang {result.rank_primary}" if result.rank_primary else f"absent du top {TOP}"
        lines.append(f"  [{result.kind}] « {shorten(result.query)} » : {where} ({result.relevant[0]})")
        above = result.ranked[: result.rank_primary - 1] if result.rank_primary else result.ranked
        for position, path in enumerate(above, start=1):
            title = result.titles[position - 1] if position <= len(result.titles) else ""
            judged = "  [réponse jugée]" if path in result.relevant else ""
            lines.append(f"     {position:2d}. {shorten(title, 60)} — {path}{judged}")
    return lines


def metrics_table(summary: dict, signed: bool = False, groups=None) -> list[str]:
    """One line per group and answer: queries, success@1, success@5, MRR@10; ``groups`` (by
    default all) are the ones shown."""
    groups = [group for group in SUMMARY_GROUPS if groups is None or group in groups]
    width = max(10, *(len(GROUP_LABELS[group]) + 1 for group in groups))
    lines = [f"{'type':<{width}}{'requêtes':>9}  {'réponse':<12}{'succès@1':>9}{'succès@5':>10}{'MRR@10':>9}"]
    for group in groups:
        figures = summary[group]
        for answer in ANSWERS:
            label = GROUP_LABELS[group] if answer == "primary" else ""
            count = str(figures["queries"]) if answer == "primary" else ""
            values = [_number(figures[answer][name], signed) for name in METRICS]
            lines.append(f"{label:<{width}}{count:>9}  {ANSWER_LABELS[answer]:<12}"
                         f"{values[0]:>9}{values[1]:>10}{values[2]:>9}")
    return lines


def asked_groups(*runs) -> list[str]:
    """The kinds the runs (lists of results) have queries of, and the whole: what a table shows."""
    asked = {result.kind for results in runs for result in results}
    return [group for group in SUMMARY_GROUPS if group == "all" or group in asked]


def comparison_report(comparison: Comparison, heading: str, better: str = "Mieux", worse: str = "Moins bien",
                      difference: str = "maintenant − référence") -> list[str]:
    """Queries that got better or worse, then the metric deltas (current − reference)."""
    lines = ["", f"{heading} : {comparison.common} requêtes comparables"]
    for label, pairs in ((better, comparison.better), (worse, comparison.worse)):
        lines.append(f"{label} ({len(pairs)})" + (" :" if pairs else ""))
        for old, new in pairs:
            lines.append(f"  [{new.kind}] « {shorten(new.query)} » : principale {_rank(old.rank_primary)} → "
                         f"{_rank(new.rank_primary)}, quelconque {_rank(old.rank_any)} → {_rank(new.rank_any)}")
    for label, items in (("Requêtes nouvelles", comparison.added), ("Requêtes disparues", comparison.removed),
                         ("Jugements modifiés, non comparés", comparison.rejudged)):
        if items:
            lines.append(f"{label} ({len(items)}) : " + ", ".join(f"« {shorten(r.query, 40)} »" for r in items))
    deltas = {group: {"queries": "", **answers} for group, answers in comparison.deltas.items()}
    compared = [group for group, answers in comparison.deltas.items()
                if group == "all" or any(value is not None for metric in answers.values() for value in metric.values())]
    lines += [f"Écarts ({difference}) :", *metrics_table(deltas, signed=True, groups=compared)]
    return lines


def shorten(text: str, width: int = 70) -> str:
    """``text`` on one line, cut at a word boundary to at most ``width`` characters."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def _rank(rank: int | None) -> str:
    return str(rank) if rank is not None else f"hors top {TOP}"


def _number(value: float | None, signed: bool) -> str:
    if value is None:
        return "—"
    return f"{value:+.3f}" if signed else f"{value:.3f}"
