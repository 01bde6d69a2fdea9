"""Scoring ranked answers: success@k and MRR@10 per kind, and what changed from an earlier run.

Pure functions over :class:`QueryResult`: they run no search and read no file.
"""

from dataclasses import dataclass

from indexer.evaluation.judged import KINDS

#: Results looked at per query: success@k and MRR stop here.
TOP = 10
METRICS = ("success@1", "success@5", "mrr@10")
ANSWERS = ("primary", "any")
SUMMARY_GROUPS = (*KINDS, "all")


@dataclass
class QueryResult:
    """One judged query once run: the ranked pages and where the relevant ones came."""

    kind: str
    query: str
    relevant: list[str]
    ranked: list[str]  # paths of the first TOP results
    titles: list[str]
    rank_primary: int | None  # 1-based, None when not in the first TOP
    rank_any: int | None

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.query


def rank_of(ranked: list[str], wanted, cutoff: int = TOP) -> int | None:
    """1-based rank of the first of ``wanted`` among the first ``cutoff`` of ``ranked``, else None."""
    wanted = set(wanted)
    return next((position for position, path in enumerate(ranked[:cutoff], start=1) if path in wanted), None)


def success_at(ranks: list[int | None], k: int) -> float | None:
    """Share of queries whose answer is within the first ``k`` (None for no query)."""
    return _mean([1.0 if rank is not None and rank <= k else 0.0 for rank in ranks])


def mrr(ranks: list[int | None], cutoff: int = TOP) -> float | None:
    """Mean reciprocal rank: 1/rank when the answer is within ``cutoff``, else 0 (None for no query)."""
    return _mean([1.0 / rank if rank is not None and rank <= cutoff else 0.0 for rank in ranks])


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def metrics(ranks: list[int | None]) -> dict[str, float | None]:
    return {"success@1": success_at(ranks, 1), "success@5": success_at(ranks, 5), "mrr@10": mrr(ranks, TOP)}


def summarise(results: list[QueryResult]) -> dict:
    """Per kind and overall: number of queries and metrics for the primary and for any answer."""
    summary = {}
    for group in SUMMARY_GROUPS:
        chosen = [r for r in results if group == "all" or r.kind == group]
        summary[group] = {"queries": len(chosen),
                          "primary": metrics([r.rank_primary for r in chosen]),
                          "any": metrics([r.rank_any for r in chosen])}
    return summary


def result_order(result) -> tuple[int, int]:
    """Sort key of a query's outcome, smaller is better: rank of any answer, then of the primary."""
    def rank(value):
        return value if value is not None else TOP + 1
    return rank(result.rank_any), rank(result.rank_primary)


@dataclass
class Comparison:
    """Query-by-query changes from a reference run to the current one."""

    better: list[tuple[QueryResult, QueryResult]]  # (reference, current)
    worse: list[tuple[QueryResult, QueryResult]]
    common: int
    added: list[QueryResult]  # queries absent from the reference
    removed: list[QueryResult]  # reference queries no longer judged
    rejudged: list[QueryResult]  # relevant pages changed since: ranks not comparable
    deltas: dict  # group → answer → metric → current − reference (None when either has no query)


def compare(current: list[QueryResult], reference: list[QueryResult]) -> Comparison:
    """Which queries got better or worse (by :func:`result_order`), and the metric deltas."""
    before = {r.key: r for r in reference}
    now = {r.key: r for r in current}
    better, worse, rejudged, common = [], [], [], 0
    for result in current:
        old = before.get(result.key)
        if old is None:
            continue
        if old.relevant != result.relevant:
            rejudged.append(result)
            continue
        common += 1
        if result_order(result) < result_order(old):
            better.append((old, result))
        elif result_order(result) > result_order(old):
            worse.append((old, result))
    mine, theirs = summarise(current), summarise(reference)
    deltas = {group: {answer: {name: _delta(mine[group][answer][name], theirs[group][answer][name])
                               for name in METRICS} for answer in ANSWERS} for group in SUMMARY_GROUPS}
    return Comparison(better=better, worse=worse, common=common,
                      added=[r for r in current if r.key not in before],
                      removed=[r for r in reference if r.key not in now], rejudged=rejudged, deltas=deltas)


def _delta(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before
