"""What ``update`` decides to do, from facts alone: no site or index on disk is read."""

import pytest

from indexer.build.incremental import Current, UpdatePlan, plan_update
from indexer.store.schema import SCHEMA_VERSION

SETTINGS = "signature of _config.yml and _data"


#: The table's summary: (size, modification time, outcome) of each file.
KNOWN = {
    "a.md": (10, 1, "indexed"),
    "b.md": (20, 2, "indexed"),
    "brouillon.md": (30, 3, "draft"),
    "vieux.md": (40, 4, "indexed"),
}
UNCHANGED = {path: row[:2] for path, row in KNOWN.items()}


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
    assert plan_update(current(**facts), settings, UNCHANGED) == UpdatePlan(rebuild=why)


def test_nothing_changed_plans_nothing():
    assert plan_update(current(), SETTINGS, UNCHANGED) == UpdatePlan()


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
    )


def test_a_removed_draft_has_no_page_to_delete():
    stats = {path: UNCHANGED[path] for path in ("a.md", "b.md", "vieux.md")}
    plan = plan_update(current(), SETTINGS, stats)
    assert (plan.reread, plan.removed, plan.delete) == ((), ("brouillon.md",), ())


def test_a_file_that_cannot_be_stated_is_read_again():
    """Listed but gone before its stat (``()``): reading it again reports it and drops its page."""
    stats = UNCHANGED | {"a.md": ()}
    assert plan_update(current(), SETTINGS, stats).reread == ("a.md",)


def test_every_file_of_a_site_new_to_the_table_is_read():
    stats = {"x.md": (1, 1), "y.md": (2, 2)}
    plan = plan_update(current(files={}), SETTINGS, stats)
    assert plan == UpdatePlan(reread=("x.md", "y.md"))


# -- told which files changed (eig-search watch) -----------------------------------------------

def test_told_files_alone_are_compared_the_others_are_kept():
    """Files the table holds but that were not told of are neither read nor removed."""
    stats = {"b.md": (20, 99), "vieux.md": ()}
    plan = plan_update(current(), SETTINGS, stats, whole_site=False)
    assert plan == UpdatePlan(reread=("b.md",), removed=("vieux.md",), delete=("vieux.md",))


def test_a_told_file_unchanged_or_gone_draft_plans_no_page_change():
    stats = {"a.md": (10, 1), "brouillon.md": ()}
    plan = plan_update(current(), SETTINGS, stats, whole_site=False)
    assert plan == UpdatePlan(removed=("brouillon.md",))


def test_told_files_still_rebuild_when_the_settings_changed():
    plan = plan_update(current(), "another signature", {"a.md": (10, 1)}, whole_site=False)
    assert plan == UpdatePlan(rebuild="_config.yml ou _data modifié")
