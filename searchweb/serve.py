"""Run the app with a production WSGI server: gunicorn, with worker processes.

Each worker keeps its own search engine (one searcher, facet arrays in memory) and picks up a
new index generation on its next request. ``dev=True`` runs Flask's reloader instead.
"""

from gunicorn.app.base import BaseApplication

from . import create_app


class _Gunicorn(BaseApplication):
    def __init__(self, app, options: dict):
        self.application, self.options = app, options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def run(index_folder, host: str = "127.0.0.1", port: int = 5000, workers: int = 2, dev: bool = False,
        timeout: int = 30) -> None:
    """Serve the search pages and API for ``index_folder`` until interrupted."""
    app = create_app({"INDEX_DIR": str(index_folder)})
    if dev:
        app.run(host=host, port=port, debug=True)
        return
    _Gunicorn(app, {
        "bind": f"{host}:{port}",
        "workers": workers,
        "timeout": timeout,
        "graceful_timeout": 10,
        "accesslog": "-",
        # The access log keeps no IP address: method, path, status, size and duration only.
        "access_log_format": '"%(r)s" %(s)s %(b)s %(M)sms',
        "limit_request_line": 8190,
        # gunicorn's control socket is one per user: a second server would delete the first's.
        "control_socket_disable": True,
    }).run()
