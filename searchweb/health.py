"""``GET``/``HEAD /api/health``: whether this server can search, for monitors and load balancers.

200 with the generation served, its size and age when the index opens and its files are whole
(one ``stat`` per file, so a file damaged after the server opened it is noticed too); 503 with a
message saying what to do when there is no readable index. Never cached: a monitor must see now.
"""

from datetime import datetime, timezone

from flask import Blueprint, jsonify

from indexer.errors import IndexDamaged, IndexMissing, IndexOutdated

from .engine import get_engine, log_damage
from .errors import DAMAGED

blueprint = Blueprint("health", __name__)

#: Why there is no readable index, for the operator (the folder goes to the log only).
UNREADABLE = {
    IndexMissing: "Aucun index n'a encore été construit : lancez `eig-search index`.",
    IndexOutdated: "L'index a été construit par une autre version d'eig-search : reconstruisez-le "
                   "(`eig-search index`).",
    IndexDamaged: DAMAGED,
}


@blueprint.get("/api/health")
def health():
    try:
        figures = _figures()
    except (IndexMissing, IndexOutdated, IndexDamaged) as error:
        if isinstance(error, IndexDamaged):
            log_damage(error)
        return _answer({"status": "error", "message": UNREADABLE[type(error)]}, 503)
    return _answer({"status": "ok", **figures}, 200)


def _figures() -> dict:
    engine = get_engine()
    generation = engine.generation()
    engine.store.verify(generation.name)
    built_at = generation.manifest.get("built_at")
    return {"generation": generation.name, "documents": int(generation.facets.live.sum()),
            "built_at": built_at, "age_seconds": _age(built_at)}


def _age(built_at) -> int | None:
    """Whole seconds since the generation was built; None for a manifest without a build time."""
    try:
        built = datetime.fromisoformat(built_at)
    except (TypeError, ValueError):
        return None
    if built.tzinfo is None:
        built = built.replace(tzinfo=timezone.utc)
    return max(0, int((datetime.now(timezone.utc) - built).total_seconds()))


def _answer(body: dict, status: int):
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
