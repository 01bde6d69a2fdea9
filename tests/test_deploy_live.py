"""The deployment run for real: the commands of the units, with the environment file, as systemd
runs them (its PATH, working directory /), and nginx with the site configuration in front, over
HTTPS. Only the server's paths (tests/deploy_support.py, INSTALLED) and the ports differ.

The site is a git clone of a copy of corpus/, so that the update service's optional ``git pull``
runs too. systemd itself does not run here: tests/test_deploy.py checks the units with
systemd-analyze.
"""

import gzip
import http.client
import json
import os
import re
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from .deploy_support import (
    GIT_PULL,
    GUIDE,
    NGINX_SITE,
    SERVICE,
    SERVICE_PATH,
    UPDATE_SERVICE,
    command,
    env_settings,
    localize,
    nginx_command,
    nginx_root,
    tool,
    venv_root,
)
from .reliability.support import CORPUS, free_port, kill_group

#: Seconds for the server to index the site and listen, and for nginx to listen.
STARTUP = 60
GIT_IDENTITY = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
                "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
NEW_POST = "_posts/2024-05-02-phare-automatique.md"


@dataclass
class Stack:
    root: Path
    env: dict
    https: int
    http: int
    upstream: int
    server_log: Path
    tls: ssl.SSLContext

    def get(self, target: str, headers=None, method="GET", body=None, source="127.0.0.1"):
        """``(status, headers, body)`` of one HTTPS request to nginx, sent from ``source``."""
        connection = http.client.HTTPSConnection("127.0.0.1", self.https, context=self.tls, timeout=30,
                                                 source_address=(source, 0))
        try:
            connection.request(method, target, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def upstream_connections(self) -> int:
        """Established TCP connections to the server's port (nginx's side of them)."""
        with open("/proc/net/tcp") as table:
            rows = [line.split() for line in table.readlines()[1:]]
        return sum(1 for row in rows if row[3] == "01" and int(row[2].split(":")[1], 16) == self.upstream)


def _git(*args, cwd: Path, env: dict) -> None:
    subprocess.run([tool("git", "git"), *args], cwd=cwd, env=env, check=True, capture_output=True)


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"arrêté avec le code {process.returncode} :\n{log.read_text('utf-8', 'replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"personne n'écoute sur le port {port} après {STARTUP} s :\n{log.read_text('utf-8', 'replace')}")


def _nginx_site(upstream: int, http_port: int, https_port: int) -> str:
    """The site file, listening on test ports of 127.0.0.1 (IPv6 may be missing) and relaying to
    the test server's port."""
    text = NGINX_SITE.read_text("utf-8")
    replacements = {"listen 80;": f"listen 127.0.0.1:{http_port};",
                    "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
                    f"127.0.0.1:{env_settings()['EIG_SEARCH_PORT']};": f"127.0.0.1:{upstream};"}
    for old, new in replacements.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return "".join(line for line in text.splitlines(keepends=True) if "listen [::]" not in line)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    nginx = tool("nginx", "nginx")
    tool("openssl", "openssl")  # before anything starts: nginx_root makes the certificate with it
    venv_root()
    root = tmp_path_factory.mktemp("server")
    git_env = {**os.environ, **GIT_IDENTITY, "HOME": str(root)}
    origin = root / "origin"
    shutil.copytree(CORPUS, origin)
    _git("init", "-q", "-b", "main", cwd=origin, env=git_env)
    _git("add", "-A", cwd=origin, env=git_env)
    _git("commit", "-q", "-m", "site", cwd=origin, env=git_env)
    _git("clone", "-q", str(origin), str(root / "site"), cwd=root, env=git_env)
    (root / "state").mkdir()  # StateDirectory=eig-search: made by systemd for the service user

    upstream, http_port, https_port = free_port(), free_port(), free_port()
    env = {"PATH": SERVICE_PATH, "HOME": str(root / "state")}
    env.update({name: localize(value, root) for name, value in env_settings().items()})
    env["EIG_SEARCH_PORT"] = str(upstream)
    server_log, nginx_log = root / "server.log", root / "nginx.log"
    with open(server_log, "wb") as log:
        server = subprocess.Popen(command(SERVICE, "ExecStart", env, root), env=env, cwd="/", stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    processes = [server]
    try:
        _wait_for_port(upstream, server, server_log)
        main = nginx_root(root, _nginx_site(upstream, http_port, https_port))
        with open(nginx_log, "wb") as log:
            processes.append(subprocess.Popen(nginx_command(nginx, main, "-g", "daemon off;"), stdout=log,
                                              stderr=subprocess.STDOUT, start_new_session=True))
        _wait_for_port(https_port, processes[-1], nginx_log)
        tls = ssl.create_default_context(cafile=str(root / "tls" / "fullchain.pem"))
        yield Stack(root, {**env, **GIT_IDENTITY}, https_port, http_port, upstream, server_log, tls)
    finally:
        for process in reversed(processes):
            kill_group(process, signal.SIGTERM)


def test_pages_and_api_over_https_compressed(stack):
    for target, kind in (("/recherche?q=donnees", "text/html"), ("/api/search?q=donnees", "application/json")):
        status, headers, plain = stack.get(target)
        zipped_status, zipped_headers, zipped = stack.get(target, {"Accept-Encoding": "gzip"})
        assert (status, zipped_status) == (200, 200) and headers["Content-Type"].startswith(kind)
        assert zipped_headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped) == plain
        assert len(zipped) * 3 < len(plain), (target, len(zipped), len(plain))


def test_behind_nginx_urls_are_https_answers_revalidate_and_health_is_ok(stack):
    """EIG_SEARCH_BEHIND_PROXY=1 of the env file: the scheme and host nginx sets, never a client's;
    an ETag (the application's own compression) revalidates through nginx; /api/health answers."""
    _, _, xml = stack.get("/opensearch.xml", {"X-Forwarded-Host": "pirate.example", "X-Forwarded-Proto": "http"})
    assert b'template="https://127.0.0.1/recherche?q={searchTerms}"' in xml
    status, headers, _ = stack.get("/api/search?q=donnees", {"Accept-Encoding": "br, gzip"})
    assert (status, headers["Content-Encoding"], headers["Cache-Control"]) == (200, "br", "no-cache")
    assert headers["ETag"].endswith(':br"')
    status, headers, body = stack.get("/api/search?q=donnees", {"Accept-Encoding": "br, gzip",
                                                                "If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")
    status, headers, body = stack.get("/api/health")
    assert (status, headers["Cache-Control"], json.loads(body)["status"]) == (200, "no-store", "ok")


def test_http_redirects_to_https(stack):
    connection = http.client.HTTPConnection("127.0.0.1", stack.http, timeout=30)
    connection.request("GET", "/recherche?q=phare")
    response = connection.getresponse()
    assert (response.status, response.getheader("Location")) == (301, "https://127.0.0.1/recherche?q=phare")
    connection.close()


def test_api_rate_limit_is_a_json_429_and_pages_are_not_limited(stack):
    """20 requests at once pass (the burst), then 429s in the application's error form; another
    address (127.0.0.3) is not slowed down on the pages."""
    replies = [stack.get("/api/suggest?q=don", source="127.0.0.2") for _ in range(40)]
    statuses = [status for status, _, _ in replies]
    assert statuses[:20] == [200] * 20 and 429 in statuses
    _, headers, body = replies[statuses.index(429)]
    assert headers["Content-Type"] == "application/json"
    message = "Trop de demandes : réessayez dans quelques secondes."
    assert json.loads(body) == {"error": {"status": 429, "message": message}}
    assert [stack.get("/", source="127.0.0.3")[0] for _ in range(30)] == [200] * 30


def test_body_limit_is_the_application_limit(stack):
    """nginx refuses over 64 kB in the JSON error form; under it, the body reaches the application."""
    post = {"Content-Type": "application/json"}
    status, headers, body = stack.get("/api/similar", post, "POST", json.dumps({"text": "a" * 70_000}))
    assert (status, headers["Content-Type"]) == (413, "application/json")
    assert json.loads(body) == {"error": {"status": 413, "message": "Le texte envoyé est trop long."}}
    status, _, body = stack.get("/api/similar", post, "POST", json.dumps({"text": "a" * 60_000}))
    assert (status, json.loads(body)["error"]["message"]) == (400, "texte trop long : 10000 caractères au plus")


def test_static_files_are_kept_by_nginx(stack):
    def served():
        return stack.server_log.read_text("utf-8", "replace").count("GET /static/style.css ")

    first, second = stack.get("/static/style.css"), stack.get("/static/style.css")
    assert first[0] == second[0] == 200 and first[2] == second[2]
    deadline = time.monotonic() + 5
    while served() == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    assert served() == 1


def test_a_slow_request_body_never_reaches_the_server(stack):
    """While a client sends its body bit by bit, nginx holds it: no connection to the server."""
    deadline = time.monotonic() + 15  # kept-alive connections to the server close after 4 s idle
    while stack.upstream_connections() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stack.upstream_connections() == 0
    body = json.dumps({"text": "phare automatique en mer"}).encode()
    head = (f"POST /api/similar HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    with stack.tls.wrap_socket(socket.create_connection(("127.0.0.1", stack.https), timeout=30),
                               server_hostname="127.0.0.1") as client:
        client.sendall(head + body[:10])
        for offset in range(10, 13):
            time.sleep(0.5)
            client.sendall(body[offset:offset + 1])
            assert stack.upstream_connections() == 0
        client.sendall(body[13:])
        reply = b""
        while chunk := client.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 200 ")


def test_update_service_pulls_and_indexes_a_new_page_then_the_guide_rolls_back(stack):
    """The update service with its git drop-in indexes a page committed to the site's origin; the
    guide's rollback command then serves the previous generation again."""
    origin = stack.root / "origin"
    (origin / NEW_POST).write_text("---\ntitle: Phare automatique\n---\nUn zeppelinophile garde le phare.\n", "utf-8")
    _git("add", "-A", cwd=origin, env=stack.env)
    _git("commit", "-q", "-m", "nouvelle page", cwd=origin, env=stack.env)

    def found():
        status, _, body = stack.get("/api/search?q=zeppelinophile")
        assert status == 200
        return [hit["path"] for hit in json.loads(body)["hits"]]

    assert found() == []
    for unit, key in ((GIT_PULL, "ExecStartPre"), (UPDATE_SERVICE, "ExecStart")):
        subprocess.run(command(unit, key, stack.env, stack.root), env=stack.env, cwd="/", check=True,
                       capture_output=True, timeout=120)
    assert found() == [NEW_POST]

    index = Path(stack.env["EIG_SEARCH_INDEX"])
    assert (index / "CURRENT").read_text().strip() == "gen-000002"
    rollback = re.search(r"runuser -u eig-search -- (flock .*)", GUIDE.read_text("utf-8")).group(1)
    subprocess.run(shlex.split(rollback.replace("gen-000041", "gen-000001")), cwd=index, check=True)
    assert (index / "CURRENT").read_text() == "gen-000001\n" and found() == []
