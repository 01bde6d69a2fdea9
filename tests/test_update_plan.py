"""What ``update`` decides to do, from facts alone: no site or index on disk is read."""

import pytest

from indexer.build.incremental import Current, UpdatePlan, plan_update
from indexer.store.schema import SCHEMA_VERSION

SETTINGS = "signature of _config.yml and _data"


def entry(stat, status="indexed"):
    return {"stat": list(stat), "hash": "h", "status": status, "reason": "", "kind": "article"}


KNOWN = {
    "a.md": entry((10, 1)),
    "b.md": entry((20, 2)),
    "brouillon.md": entry((30, 3), "draft"),
    "vieux.md": entry((40, 4)),
}


def current(**facts):
    return Current(**{"name": "gen-000007", "schema_version": SCHEMA_VERSION, "settings": SETTINGS,
                      "files": KNOWN, **facts})


@pytest.mark.parametrize("facts, settings, why", [
    ({"damage": "manifeste illisible"}, SETTINGS, "manifeste illisible"),
    ({"name": None}, SETTINGS, "pas encore d'index"),
    ({"schema_version": SCHEMA_VERSION - 1}, SETTINGS, "format d'index modifié"),
    ({"schema_version": None}, SETTINGS, "format d'index modifié"),
    ({}, "another signature", "_config.yml ou _data modifié"),
    # The first reason wins: a damaged generation is not trusted to say anything else.
    ({"damage": "CURRENT illisible", "schema_version": 1}, "another signature", "CURRENT illisible"),
])
def test_a_full_build_is_planned_with_its_reason(facts, settings, why):
    stats = {path: tuple(row["stat"]) for path, row in KNOWN.items()}
    assert plan_update(current(**facts), settings, stats) == UpdatePlan(rebuild=why)


def test_nothing_changed_plans_nothing():
    stats = {path: tuple(row["stat"]) for path, row in KNOWN.items()}
    assert plan_update(current(), SETTINGS, stats) == UpdatePlan(kept=KNOWN)


def test_added_changed_and_removed_files():
    stats = {
        "a.md": (10, 1),  # unchanged
        "nouveau.md": (5, 9),  # added
        "b.md": (20, 99),  # touched: same size, new time
        "brouillon.md": (31, 3),  # changed size
    }  # vieux.md is gone
    plan = plan_update(current(), SETTINGS, stats)
    assert plan == UpdatePlan(
        reread=("nouveau.md", "b.md", "brouillon.md"),  # in the site's order
        removed=("vieux.md",),
        delete=("vieux.md",),
        kept={path: KNOWN[path] for path in ("a.md", "b.md", "brouillon.md")},
    )


def test_a_removed_draft_has_no_page_to_delete():
    stats = {path: tuple(KNOWN[path]["stat"]) for path in ("a.md", "b.md", "vieux.md")}
    plan = plan_update(current(), SETTINGS, stats)
    assert (plan.reread, plan.removed, plan.delete) == ((), ("brouillon.md",), ())


def test_a_file_that_cannot_be_stated_is_read_again():
    """Listed but gone before its stat (``()``): reading it again reports it and drops its page."""
    stats = {path: tuple(row["stat"]) for path, row in KNOWN.items()} | {"a.md": ()}
    assert plan_update(current(), SETTINGS, stats).reread == ("a.md",)


def test_every_file_of_a_site_new_to_the_table_is_read():
    stats = {"x.md": (1, 1), "y.md": (2, 2)}
    plan = plan_update(current(files={}), SETTINGS, stats)
    assert plan == UpdatePlan(reread=("x.md", "y.md"))
