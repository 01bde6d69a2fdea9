"""What the reliability tests share: the CLI in a subprocess, a real gunicorn server, raw HTTP,
process figures read from ``/proc``, and the small site edits the crash tests toggle.

Every load goes to 127.0.0.1; every subprocess is started in its own session so that it can be
killed with all its children (gunicorn workers, indexer pool workers).
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
CORPUS = PROJECT / "corpus"
_SCRIPT = Path(sys.executable).with_name("eig-search")
#: The ``eig-search`` command of this interpreter's environment.
EIG_SEARCH = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-c", "from indexer.cli import main; main()"]
#: The message of the indexer that finds the lock taken (indexer/storage.py).
LOCK_MESSAGE = "un autre indexeur travaille déjà"


def clean_env(**extra) -> dict:
    """The environment without any ``EIG_SEARCH_*`` setting of the developer's shell."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("EIG_SEARCH_")}
    env.update({key: str(value) for key, value in extra.items()})
    return env


def run_cli(*args, timeout: float = 600) -> subprocess.CompletedProcess:
    """``eig-search ARGS`` to completion; stdout and stderr captured as text."""
    return subprocess.run([*EIG_SEARCH, *map(str, args)], cwd=PROJECT, env=clean_env(), capture_output=True,
                          text=True, timeout=timeout)


def start_cli(*args, log: Path) -> subprocess.Popen:
    """``eig-search ARGS`` in the background, in its own process group, output to ``log``."""
    with open(log, "ab") as handle:
        return subprocess.Popen([*EIG_SEARCH, *map(str, args)], cwd=PROJECT, env=clean_env(), stdout=handle,
                                stderr=subprocess.STDOUT, start_new_session=True)


def kill_group(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    """Send ``sig`` to the process and every child of its session, then reap it."""
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(samples, fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` in 0..1) of a non-empty sequence."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


# -- HTTP on 127.0.0.1 ----------------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict
    seconds: float


def request(port: int, target: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None,
            timeout: float = 30.0) -> Reply:
    """One request on a fresh connection; ``target`` is sent as given (already percent-encoded)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return Reply(response.status, data, dict(response.getheaders()), time.perf_counter() - started)
    finally:
        connection.close()


def raw_request(port: int, request_line: bytes, timeout: float = 10.0) -> int:
    """Send a request line as raw bytes (invalid UTF-8 included) and return the status code."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request_line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        received = b""
        while b"\r\n" not in received:
            chunk = sock.recv(4096)
            if not chunk:
                break
            received += chunk
    return int(received.split(b" ", 2)[1])


# -- /proc ----------------------------------------------------------------------------------------

def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux ``/proc``)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2:].split()  # after "pid (comm) ": state, ppid…
        if int(fields[1]) == pid:
            found.append(int(entry))
    return sorted(found)


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def open_files(pid: int, index: Path) -> tuple[int, list[str]]:
    """Open descriptors outside ``index`` (sockets left out: with gevent workers a client's
    connection may still be closing when the figures are taken), and the index files open (a
    column file is opened the first time a request needs it, so that list grows once, up to the
    generation's files)."""
    targets = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            targets.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:  # closed meanwhile
            continue
    inside = [target for target in targets if target.startswith(f"{index}/")]
    others = [target for target in targets if not target.startswith(("socket:", f"{index}/"))]
    return len(others), inside


# -- a real server --------------------------------------------------------------------------------

@dataclass
class Server:
    """``eig-search serve --index … --port <free>`` (gunicorn, 2 workers) in its own session."""

    index: Path
    workdir: Path
    workers: int = 2
    port: int = 0
    process: subprocess.Popen | None = None
    log: Path = field(init=False)

    def __post_init__(self):
        self.log = Path(self.workdir) / "server.log"

    def start(self, timeout: float = 60.0, attempts: int = 3) -> "Server":
        for _attempt in range(attempts):
            self.port = free_port()
            # gunicorn ≥ 25 opens a control socket in $XDG_RUNTIME_DIR: keep ours private.
            runtime = Path(self.workdir) / "runtime"
            runtime.mkdir(mode=0o700, exist_ok=True)
            env = clean_env(XDG_RUNTIME_DIR=runtime, PYTHONUNBUFFERED=1)
            with open(self.log, "ab") as log:
                self.process = subprocess.Popen(
                    [*EIG_SEARCH, "serve", "--index", str(self.index), "--port", str(self.port),
                     "--workers", str(self.workers)],
                    cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            if self._wait_ready(timeout):
                return self
            self.stop()  # the port was taken in between, or the server failed
        raise RuntimeError(f"the server did not start; its log:\n{self.log.read_text(errors='replace')[-3000:]}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                if request(self.port, "/api/search?q=", timeout=10).status == 200 \
                        and len(self.worker_pids()) == self.workers:
                    return True
            except OSError:
                pass
            time.sleep(0.1)
        return False

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the children of the master (the ``eig-search serve`` process)."""
        return children(self.process.pid)

    def get(self, target: str, **options) -> Reply:
        return request(self.port, target, **options)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn's graceful shutdown
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        kill_group(self.process)  # whatever is left of the session, workers included
        self.process = None

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# -- site edits the crash and reindex tests toggle --------------------------------------------------

def add_pages(site: Path, count: int, tag: str = "a") -> list[Path]:
    """Write ``count`` small posts; return their paths."""
    folder = site / "_posts"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(1, count + 1):
        path = folder / f"2021-03-{number % 28 + 1:02d}-fiabilite-{tag}-{number}.md"
        path.write_text(f"---\ntitle: Page de fiabilité {tag} {number}\n---\n\n"
                        f"Page ajoutée par les tests de fiabilité ({tag}, {number}).\n", "utf-8")
        written.append(path)
    return written


def remove_pages(paths) -> None:
    for path in paths:
        Path(path).unlink(missing_ok=True)


def tmp_generations(index: Path) -> list[str]:
    return sorted(path.name for path in Path(index).glob("gen-*.tmp"))


def index_figures(index: Path, site: Path, marked=()) -> tuple[int, int, str]:
    """``(documents, how many of the ``marked`` pages are indexed, generation)`` seen by a fresh
    SearchEngine; also checks that a search for everything counts every document."""
    from indexer.errors import BadQuery
    from indexer.search.engine import SearchEngine
    from indexer.search.request import SearchRequest

    engine = SearchEngine(index)
    try:
        stats = engine.stats()
        assert engine.search(SearchRequest(q="")).total == stats["documents"]
        present = 0
        for path in marked:
            try:
                engine.document(Path(path).relative_to(site).as_posix())
                present += 1
            except BadQuery:
                pass
        return stats["documents"], present, stats["generation"]
    finally:
        engine.close()
