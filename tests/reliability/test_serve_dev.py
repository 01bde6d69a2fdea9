"""``serve --dev`` (Flask's development server, with its interactive debugger) says it is for
development only and listens on nothing but the loopback."""

import time

import pytest
from click.testing import CliRunner

from indexer.cli import main
from searchweb.serve import is_loopback, run

from .support import free_port, kill_group, request, start_cli

WARNING = "Il sert au développement seulement, jamais en production"


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.10", False), ("eig.exemple.gouv.fr", False),
    ("localhost.exemple.org", False), ("", False),
])
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "eig.exemple.gouv.fr"])
def test_dev_server_refuses_any_other_host(host, index_2k):
    result = CliRunner().invoke(main, ["serve", "--dev", "--host", host, "--index", str(index_2k)])
    assert result.exit_code == 1
    assert (f"--dev : le serveur de développement n'écoute que sur cette machine (127.0.0.1, ::1 ou "
            f"localhost), pas sur « {host} »") in result.output
    with pytest.raises(ValueError):  # the library refuses too
        run(index_2k, host=host, dev=True)


def test_dev_server_warns_and_listens_on_the_loopback(index_2k, tmp_path):
    port, log = free_port(), tmp_path / "dev.log"
    server = start_cli("serve", "--dev", "--index", index_2k, "--port", port, log=log)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request(port, "/api/search?q=", timeout=10).status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(log.read_text(errors="replace")[-3000:])
    finally:
        kill_group(server)
    assert WARNING in log.read_text()
