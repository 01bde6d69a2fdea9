"""Freshness: the time from a page saved to the page found by a search, ``eig-search watch`` running.

``eig-search watch --json`` runs on the generated site in a process of its own (from the code
measured); once its first update is printed, each round appends a paragraph with a word found
nowhere else to one page, then searches that word (a :class:`SearchEngine` on the index, as a
server's worker would) until the page comes back. The watch's own update time is read from the
line it prints for each update.
"""

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import generate

ROUNDS = 5
#: Seconds a round may take before the measure is given up.
ROUND_TIMEOUT = 60
#: Seconds the watcher gets to start and make its first update (an update of the whole site).
START_TIMEOUT = 600


def measure(site, index, rounds: int = ROUNDS) -> dict:
    """Freshness of ``rounds`` saved pages, in seconds, and the watch's update of each."""
    from indexer.search.engine import SearchEngine
    from indexer.search.request import SearchRequest

    site = Path(site)
    watch = subprocess.Popen([sys.executable, "-c", "from indexer.cli import main; main()", "watch", "--site",
                              str(site), "--index", str(index), "--json"], cwd=os.getcwd(), stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(json.loads(line)) for line in watch.stdout], daemon=True)
    reader.start()
    engine = SearchEngine(index, result_cache=0)
    try:
        lines.get(timeout=START_TIMEOUT)
        pages = generate.page_files(site)
        seconds, updates = [], []
        for round_ in range(rounds):
            page = pages[(round_ * 7919 + 11) % len(pages)]
            word = "fraicheur" + "".join(chr(ord("a") + int(digit)) for digit in f"{round_:04d}") + "zq"
            started = time.perf_counter()
            with page.open("a", encoding="utf-8") as handle:
                handle.write(f"\nLe banc d'essai ajoute le mot {word} à cette page.\n")
            while not _finds(engine.search(SearchRequest(q=word)), page.relative_to(site).as_posix()):
                if time.perf_counter() - started > ROUND_TIMEOUT:
                    raise RuntimeError(f"{word} introuvable après {ROUND_TIMEOUT} s")
                time.sleep(0.005)
            seconds.append(time.perf_counter() - started)
            updates.append(lines.get(timeout=ROUND_TIMEOUT)["seconds"])
    finally:
        engine.close()
        os.killpg(watch.pid, signal.SIGTERM)
        watch.wait(timeout=60)
        reader.join(timeout=60)
        watch.stdout.close()
    return {"seconds": seconds, "updates": updates, "exit": watch.returncode}


def _finds(result, path: str) -> bool:
    return not result.corrected and any(hit.path == path for hit in result.hits)
