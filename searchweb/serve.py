"""Run the app with a production WSGI server: gunicorn, with gevent worker processes.

``eig-search serve`` may face the internet with no buffering proxy in front, so it must hold
against clients that connect and send nothing, or send their request a byte at a time. A sync
worker is taken by one such connection until gunicorn kills it (two of them stalled the service
for 30 s); a gthread worker spends a thread on each slow sender and, for a few seconds, on each
new connection. A gevent worker spends a greenlet (a few kilobytes) on each connection and
gives a client :data:`HEAD_TIMEOUT` seconds to send a request head: idle and slow connections
cost little memory and no search waits for them. Searches themselves are CPU work, bounded by
the search time budget, as they were with sync workers.

Each worker builds its own app after gevent has patched it, keeps its own search engine (one
searcher, facet arrays in memory) and picks up a new index generation on its next request.
``dev=True`` runs Flask's development server instead, on the loopback only.
"""

import ipaddress

from gunicorn.app.base import BaseApplication
from gunicorn.http.errors import ParseException

from . import create_app

#: Seconds a client has to send a whole request head, the first one or the next on a kept-alive
#: connection; a connection that sends nothing is closed after as long.
HEAD_TIMEOUT = 5
#: Connections one worker holds at once (each a greenlet and a socket): this bounds its memory.
#: Beyond, new connections wait in the listen queue.
WORKER_CONNECTIONS = 1000

DEV_WARNING = ("Attention : --dev lance le serveur de développement de Flask (rechargement et débogueur "
               "interactif). Il sert au développement seulement, jamais en production, et n'écoute que "
               "sur cette machine ({host}).")


def is_loopback(host: str) -> bool:
    """Whether ``host`` is an address of this machine only (``localhost``, 127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _BodyErrors:
    """gunicorn raises its own parse errors (a malformed chunk) while the app reads a body.
    Werkzeug answers a body stream that fails with ``ValueError`` with a 400 (« La demande n'a
    pas pu être comprise. »), and gunicorn then closes the connection: translate them."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        environ["wsgi.input"] = _Body(environ["wsgi.input"])
        return self.app(environ, start_response)


class _Body:
    def __init__(self, stream):
        self.stream = stream

    def read(self, size=None):
        try:
            return self.stream.read(size)
        except ParseException as error:
            raise ValueError(f"malformed request body: {error}") from None

    def readline(self, size=None):
        try:
            return self.stream.readline(size)
        except ParseException as error:
            raise ValueError(f"malformed request body: {error}") from None


class _Gunicorn(BaseApplication):
    def __init__(self, index_folder, options: dict):
        self.index_folder, self.options = index_folder, options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return _BodyErrors(create_app({"INDEX_DIR": str(self.index_folder)}))


def run(index_folder, host: str = "127.0.0.1", port: int = 5000, workers: int = 2, dev: bool = False,
        timeout: int = 30) -> None:
    """Serve the search pages and API for ``index_folder`` until interrupted."""
    if dev:
        if not is_loopback(host):
            raise ValueError(f"--dev only listens on the loopback, not on {host}")
        create_app({"INDEX_DIR": str(index_folder)}).run(host=host, port=port, debug=True)
        return
    _Gunicorn(index_folder, {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gevent",
        "worker_connections": WORKER_CONNECTIONS,
        "keepalive": HEAD_TIMEOUT,
        "timeout": timeout,
        "graceful_timeout": 10,
        "accesslog": "-",
        # The access log keeps no IP address: method, path, status, size and duration only.
        "access_log_format": '"%(r)s" %(s)s %(b)s %(M)sms',
        "limit_request_line": 8190,
        # gunicorn's control socket is one per user: a second server would delete the first's.
        "control_socket_disable": True,
    }).run()
