"""What the browser tests share: where Chromium is, a real server for an index, a page watcher.

Kept out of ``conftest.py`` so that ``screenshots.py`` can be run on its own with the same server.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
CORPUS = PROJECT / "corpus"
AXE = HERE / "vendor" / "axe.min.js"
AXE_URL_PATH = "/__tests__/axe.min.js"  # served by page.route, never by the app

#: Pages the tests visit, by what they show.
HOME = "/"
RESULTS = "/recherche?q=donnees&kind=d%C3%A9fi&year=2019"
NO_RESULT = "/recherche?q=%22controle+des+navirres+de+peche%22"  # a phrase with a typo: 0 hits, a suggestion
SIMILAR = "/similaires?path=_defis/2019-01-01-cartobio.md"
SIMILAR_FORM = "/similaires"
MISSING = "/cette-page-n-existe-pas"

SERVER_CODE = ("import sys; from searchweb.serve import run; "
               "run(sys.argv[1], host='127.0.0.1', port=int(sys.argv[2]), workers=2)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``eig-search serve`` (gunicorn, two workers) on a free port of 127.0.0.1, in a subprocess."""

    def __init__(self, index: Path, workdir: Path, env: dict | None = None):
        self.index, self.workdir = Path(index), Path(workdir)
        self.env = env or {}  # settings (EIG_SEARCH_*) of this server
        self.process = None
        self.base_url = ""
        self.log = self.workdir / "server.log"

    def start(self, attempts: int = 3, timeout: float = 20.0) -> "Server":
        # gunicorn ≥ 25 opens a control socket in $XDG_RUNTIME_DIR (else ~/.gunicorn): keep ours private.
        runtime = self.workdir / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "PYTHONUNBUFFERED": "1"}
        env.pop("EIG_SEARCH_SITE_URL", None)
        env.update(self.env)
        for _attempt in range(attempts):
            port = free_port()
            with open(self.log, "ab") as log:
                self.process = subprocess.Popen([sys.executable, "-c", SERVER_CODE, str(self.index), str(port)],
                                                cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT)
            self.base_url = f"http://127.0.0.1:{port}"
            if self._wait_ready(timeout):
                return self
            self.stop()  # the port was taken in between, or the server failed: say why if it keeps failing
        raise RuntimeError(f"the server did not start; its log:\n{self.log.read_text(errors='replace')[-3000:]}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.base_url + "/", timeout=2) as response:
                    if response.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.__reportCspViolation(event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
                              " on " + event.documentURI);
});
"""


class PageWatch:
    """Records what must never happen on a page: console errors, uncaught exceptions, failed
    requests, HTTP errors and Content-Security-Policy violations.

    A test that visits an error page on purpose says so with :meth:`expect_status`.
    """

    def __init__(self, context, page):
        self.problems: list[str] = []
        self.csp_violations: list[str] = []
        self.expected: dict[str, int] = {}  # URL → the error status the test asked for
        context.expose_binding("__reportCspViolation", lambda _source, text: self.csp_violations.append(text))
        context.add_init_script(CSP_REPORTER)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def expect_status(self, url: str, status: int) -> None:
        self.expected[url] = status

    def _console(self, message) -> None:
        if message.type not in ("error", "warning"):
            return
        url = (message.location or {}).get("url", "")
        if message.text.startswith("Failed to load resource") and url in self.expected:
            return
        self.problems.append(f"console {message.type}: {message.text} ({url})")

    def _request_failed(self, request) -> None:
        # Cancelled, not failed: a search superseded by a newer one (AbortController), or the
        # favicon of a page left before it loaded. Refused requests fail otherwise (ERR_BLOCKED_BY_…).
        if request.failure == "net::ERR_ABORTED":
            return
        self.problems.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def _response(self, response) -> None:
        if response.status >= 400 and self.expected.get(response.url) != response.status:
            self.problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")

    def check(self) -> None:
        problems = self.problems + [f"CSP violation: {v}" for v in self.csp_violations]
        assert not problems, "\n".join(problems)


def require_chromium() -> None:
    """Skip the calling test module (at import) when Chromium or Playwright is missing."""
    import pytest

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (CI installs it with apt-get)", allow_module_level=True)
    pytest.importorskip("playwright.sync_api")
