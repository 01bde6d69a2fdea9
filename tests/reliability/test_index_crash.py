"""The index survives its indexer: concurrent runs, and ``kill -9`` at random points.

After every kill a fresh SearchEngine must see the complete old corpus or the complete new one
(document count and the changed pages agree), at most one unfinished ``gen-*.tmp`` folder may be
left, and the next run removes it. Light version: 5 kills during a build and 5 during an update
of a 300-page site; stress: 20 of each on 2,000 pages.
"""

import random
import shutil
import subprocess
import time

import pytest

from .support import (
    LOCK_MESSAGE,
    add_pages,
    children,
    index_figures,
    kill_group,
    remove_pages,
    run_cli,
    start_cli,
    tmp_generations,
)

CHANGED_PAGES = 25
SEED = 20240601


def indexed_copy(site, tmp_path):
    """A writable copy of a site, and an index of that copy (an index belongs to the folder it
    was built from: ``update`` refuses a copy elsewhere)."""
    site = shutil.copytree(site, tmp_path / "site", symlinks=True)
    index = tmp_path / "index"
    done = run_cli("index", "--site", site, "--index", index, timeout=300)
    assert done.returncode == 0, done.stderr
    return site, index


@pytest.fixture
def light_copy(crash_site, tmp_path):
    """The 300-page site and its index."""
    return indexed_copy(crash_site, tmp_path)


@pytest.fixture
def stress_copy(site_2k, tmp_path):
    """The 2,000-page site and its index."""
    return indexed_copy(site_2k, tmp_path)


# -- two indexers at once ---------------------------------------------------------------------------

def two_indexers(site, index, tmp_path) -> None:
    before = index_figures(index, site)
    generations = sorted(p.name for p in index.glob("gen-*"))
    logs = [tmp_path / f"indexer-{n}.log" for n in (1, 2)]
    processes = [start_cli("index", "--site", site, "--index", index, log=log) for log in logs]
    try:
        codes = [process.wait(timeout=600) for process in processes]
    finally:
        for process in processes:
            kill_group(process)
    outputs = [log.read_text("utf-8", errors="replace") for log in logs]
    assert sorted(codes) == [0, 1], outputs
    loser = outputs[codes.index(1)]
    assert LOCK_MESSAGE in loser and "attendez qu'il ait fini" in loser
    documents, _marked, generation = index_figures(index, site)
    assert documents == before[0]
    now = sorted(p.name for p in index.glob("gen-*"))
    assert set(now) - set(generations) == {generation}  # one new generation, no .tmp left


def test_two_indexers_one_wins(light_copy, tmp_path):
    two_indexers(*light_copy, tmp_path)


@pytest.mark.stress
def test_two_indexers_one_wins_on_2000_pages(stress_copy, tmp_path):
    for _round in range(3):
        two_indexers(*stress_copy, tmp_path)


# -- kill -9 at random points ----------------------------------------------------------------------

def kill_rounds(site, index, command: str, rounds: int, tmp_path, seed: int = SEED) -> dict:
    """Kill ``eig-search COMMAND`` (the whole process group) at ``rounds`` random points.

    Each round changes the site so that the run has work to do: it adds pages when the index has
    none of them, removes them when it has them all. Returns what was seen, for the report.
    """
    rng = random.Random(seed)
    pages = add_pages(site, CHANGED_PAGES, tag=command)
    log = tmp_path / f"{command}.log"
    started = time.perf_counter()  # one run to completion, with the same work: it spans the kill points
    done = run_cli(command, "--site", site, "--index", index)
    duration = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    seen = {"duration": duration, "old": 0, "new": 0, "orphans left": 0, "orphans removed": 0, "points": []}
    sentinel = "left-by-a-killed-run"
    for _round in range(rounds):
        documents, marked, _generation = index_figures(index, site, pages)
        assert marked in (0, CHANGED_PAGES)  # all or nothing, never some of them
        if marked:
            remove_pages(pages)
            target = (documents - CHANGED_PAGES, 0)
        else:
            add_pages(site, CHANGED_PAGES, tag=command)
            target = (documents + CHANGED_PAGES, CHANGED_PAGES)
        had_orphan = bool(tmp_generations(index))
        for orphan in tmp_generations(index):  # marks the orphan of the previous round
            (index / orphan / sentinel).touch()
        delay = rng.uniform(0, duration * 1.05)
        seen["points"].append(round(delay, 3))
        process = start_cli(command, "--site", site, "--index", index, log=log)
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            pass
        kill_group(process)  # kill -9 of the indexer and of its pool workers
        after = index_figures(index, site, pages)
        assert after[:2] in ((documents, marked), target), (delay, after, (documents, marked), target)
        seen["old" if after[:2] == (documents, marked) else "new"] += 1
        orphans = tmp_generations(index)
        assert len(orphans) <= 1, orphans
        seen["orphans left"] += bool(orphans)
        if had_orphan and not any((index / name / sentinel).exists() for name in orphans):
            seen["orphans removed"] += 1  # the run got past IndexStore.start(): the older orphan is gone
    seen["orphans removed"] += bool(tmp_generations(index))
    done = run_cli(command, "--site", site, "--index", index)  # a last run, left to finish
    assert done.returncode == 0, done.stderr
    assert tmp_generations(index) == []
    assert len(list(index.glob("gen-*"))) <= 3  # the current one and two before it
    print(f"{command}: run {duration:.2f} s; killed at {seen['points']}; "
          f"old corpus {seen['old']}, new {seen['new']}; orphans left {seen['orphans left']}, "
          f"removed by the next run {seen['orphans removed']}")
    return seen


@pytest.mark.parametrize("command", ("index", "update"))
def test_kill_9_leaves_old_or_new_corpus(light_copy, tmp_path, command):
    kill_rounds(*light_copy, command, rounds=5, tmp_path=tmp_path)


@pytest.mark.stress
@pytest.mark.parametrize("command", ("index", "update"))
def test_kill_9_leaves_old_or_new_corpus_on_2000_pages(stress_copy, tmp_path, command):
    kill_rounds(*stress_copy, command, rounds=20, tmp_path=tmp_path)


def test_kill_9_of_the_main_process_alone_frees_the_index(light_copy, tmp_path):
    site, index = light_copy
    add_pages(site, CHANGED_PAGES)
    process = start_cli("index", "--site", site, "--index", index, log=tmp_path / "killed.log")
    try:
        deadline = time.monotonic() + 60
        while not children(process.pid) and time.monotonic() < deadline:  # the pool is at work
            time.sleep(0.01)
        assert children(process.pid), "the indexer did not start its pool"
        process.kill()  # SIGKILL to the main process only
        process.wait(timeout=30)
        time.sleep(1)
        done = run_cli("index", "--site", site, "--index", index, timeout=120)
        assert done.returncode == 0, done.stderr[-500:]
    finally:
        kill_group(process)  # the orphans are still in the process group: end them
