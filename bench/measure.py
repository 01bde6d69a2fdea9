"""Measuring helpers: fresh-process tasks with peak memory of their process tree, latency percentiles."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
#: The packages a measured process imports (the engine, the web app, this suite).
CODE_PACKAGES = ("indexer", "searchweb", "bench")
SAMPLE_EVERY = 0.05  # seconds between two memory samples of a process tree


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` in 0..1) of a non-empty list."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def folder_size(folder) -> int:
    """Bytes of every file under ``folder``."""
    return sum(path.stat().st_size for path in Path(folder).rglob("*") if path.is_file())


def _parents() -> dict[int, int]:
    parents = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:
                continue
            # the command name may hold spaces or parentheses: fields start after the last ")"
            parents[int(entry.name)] = int(stat[stat.rindex(b")") + 2:].split()[1])
    return parents


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux ``/proc``)."""
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, ()))
    return found


def rss_bytes(pid: int) -> int:
    """Resident set size of one process (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(pid: int) -> int:
    """Summed RSS of a process and its descendants (pages shared after fork count once per process)."""
    return sum(rss_bytes(member) for member in descendants(pid))


@dataclass
class TaskResult:
    """What a task printed (its last JSON line) and how it ran."""

    data: dict
    wall: float
    peak_tree_rss: int  # bytes: the largest summed RSS of the task's process tree, sampled
    max_rss: int  # bytes: the largest RSS any single process of the tree reached (from wait4)


class TaskFailed(RuntimeError):
    pass


def snapshot_code(folder) -> tuple[Path, str]:
    """Copy the packages a run measures into ``folder``; return it and a digest of the sources.

    Every measured process runs from this copy, so that a run of many minutes measures one
    version of the engine even while the working tree is being edited.
    """
    folder = Path(folder)
    digest = hashlib.sha256()
    for package in CODE_PACKAGES:
        shutil.copytree(PROJECT / package, folder / package,
                        ignore=shutil.ignore_patterns("__pycache__", "results", "*.tmp"))
        if package != "bench":
            for path in sorted((folder / package).rglob("*")):
                if path.is_file():
                    digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return folder, digest.hexdigest()[:12]


def run_task(args: list[str], code=PROJECT, timeout: float = 3600) -> TaskResult:
    """Run ``python -m bench.tasks ARGS`` from ``code`` in a fresh process; sample its tree's memory."""
    command = [sys.executable, "-m", "bench.tasks", *args]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=code, stdout=out, stderr=err)
        peak, usage, status = 0, None, 0
        while usage is None:
            peak = max(peak, tree_rss(process.pid))
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid == 0:
                usage = None
                if time.perf_counter() - started > timeout:
                    process.kill()
                    os.wait4(process.pid, 0)
                    raise TaskFailed(f"{' '.join(args)} : plus de {timeout:.0f} s")
                time.sleep(SAMPLE_EVERY)
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise TaskFailed(f"{' '.join(args)} a échoué ({process.returncode}) :\n{stderr[-3000:]}")
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise TaskFailed(f"{' '.join(args)} n'a rien renvoyé :\n{stderr[-3000:]}")
    return TaskResult(json.loads(lines[-1]), wall, peak, usage.ru_maxrss * 1024)


def query_benchmark(open_engine, repeats: int, cold_only: bool = False) -> dict:
    """Latency of the fixed queries for one engine, in milliseconds.

    ``open_engine()`` opens the index and returns ``search(q, filters)``. The first query is timed
    together with the opening (a cold start, in a fresh process); then every query runs once, plain
    and faceted, as a warm-up, then ``repeats`` more times for the percentiles.
    """
    from .queries import QUERIES, filters_for

    started = time.perf_counter()
    search = open_engine()
    search(QUERIES[0], {})
    cold = time.perf_counter() - started
    if cold_only:
        return {"cold_ms": cold * 1000}
    for number, q in enumerate(QUERIES):
        search(q, {})
        search(q, filters_for(number))
    plain, faceted = [], []
    for _ in range(repeats):
        for number, q in enumerate(QUERIES):
            for samples, filters in ((plain, {}), (faceted, filters_for(number))):
                started = time.perf_counter()
                search(q, filters)
                samples.append((time.perf_counter() - started) * 1000)
    return {"cold_ms": cold * 1000, "samples": len(plain),
            "plain_p50": percentile(plain, 0.5), "plain_p95": percentile(plain, 0.95),
            "faceted_p50": percentile(faceted, 0.5), "faceted_p95": percentile(faceted, 0.95)}
