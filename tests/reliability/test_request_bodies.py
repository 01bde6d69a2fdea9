"""Requests with bad bodies are answered 4xx with the usual JSON error, never a 500 or a traceback:
a JSON body nested 1,000 deep, malformed chunked bodies, a chunked body over the 64 kB limit, and
a method the address does not take (405, with ``Allow``).

Through the Flask test client, then through the real server (``eig-search serve`` on 127.0.0.1)
with raw sockets: how a chunked body is read depends on the server.
"""

import io
import json
import logging
import socket

import pytest

from searchweb import DEFAULTS

from .support import Server

BODY_LIMIT = DEFAULTS["MAX_CONTENT_LENGTH"]
#: 2 kB of JSON nested 1,000 deep: the parser gives up with RecursionError, not ValueError.
DEEP_JSON = b'{"text": ' + b"[" * 1_000 + b"]" * 1_000 + b"}"
NOT_A_TEXT = {"error": {"status": 400, "message": 'envoyez un objet JSON de la forme {"text": "…"}'}}
BAD_REQUEST = {"error": {"status": 400, "message": "La demande n'a pas pu être comprise."}}
TOO_LONG = {"error": {"status": 413, "message": "Le texte envoyé est trop long."}}
NOT_THIS_WAY = {"error": {"status": 405, "message": "Cette adresse ne s'utilise pas ainsi."}}
#: Body text of more than the limit, and of a little less, as JSON.
OVER_LIMIT = b'{"text": "' + b"x" * BODY_LIMIT + b'"}'
UNDER_LIMIT = b'{"text": "' + b"cartographie " * 5_000 + b'"}'
#: Address → the methods it takes.
ALLOWED = {"/api/search": {"GET", "HEAD", "OPTIONS"}, "/api/similar": {"GET", "HEAD", "OPTIONS", "POST"},
           "/recherche": {"GET", "HEAD", "OPTIONS"}}


@pytest.fixture
def quiet_app(caplog):
    """Fails the test if the app logged an error (an unexpected exception, with its traceback)."""
    with caplog.at_level(logging.ERROR):
        yield
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR] == []


# -- the Flask test client --------------------------------------------------------------------------

def test_json_nested_1000_deep_is_a_400(client_2k, quiet_app):
    assert len(DEEP_JSON) < 2_100
    response = client_2k.post("/api/similar", data=DEEP_JSON, content_type="application/json")
    assert (response.status_code, response.get_json()) == (400, NOT_A_TEXT)


def streamed(client, path: str, body: bytes, content_type: str = "application/json"):
    """POST ``body`` as a server hands a chunked body to the app: no length, the stream ends."""
    return client.post(path, input_stream=io.BytesIO(body), content_type=content_type,
                       headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})


def test_chunked_body_over_the_limit_is_a_413_and_one_under_it_is_read_whole(client_2k, quiet_app):
    response = streamed(client_2k, "/api/similar", OVER_LIMIT)
    assert (response.status_code, response.get_json()) == (413, TOO_LONG)
    page = streamed(client_2k, "/similaires", b"text=" + b"x" * BODY_LIMIT, "application/x-www-form-urlencoded")
    assert page.status_code == 413
    assert "Le texte envoyé est trop long." in page.get_data(as_text=True)
    assert len(UNDER_LIMIT) < BODY_LIMIT
    response = streamed(client_2k, "/api/similar", UNDER_LIMIT)
    assert response.status_code == 400  # the text is over its own 10,000-character limit: it was read whole
    assert response.get_json()["error"]["message"] == "texte trop long : 10000 caractères au plus"
    assert streamed(client_2k, "/api/similar", b'{"text": "cartographie des parcelles"}').status_code == 200


@pytest.mark.parametrize("method, path", [("DELETE", "/api/search"), ("PUT", "/api/similar"), ("POST", "/recherche")])
def test_405_says_which_methods_are_allowed(client_2k, quiet_app, method, path):
    response = client_2k.open(path, method=method)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == ALLOWED[path]
    if path.startswith("/api/"):
        assert response.get_json() == NOT_THIS_WAY


# -- the real server, raw bytes -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(index_2k, tmp_path_factory):
    with Server(index_2k, tmp_path_factory.mktemp("server-bodies")) as running:
        yield running


def exchange(port: int, raw: bytes, timeout: float = 10.0) -> tuple[int, dict, bytes]:
    """Send ``raw`` on a fresh connection; return the status, headers and body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(raw)
        received = b""
        while b"\r\n\r\n" not in received or len(received) < _expected_length(received):
            chunk = sock.recv(65_536)
            if not chunk:
                break
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split(" ", 2)[1]), headers, body


def _expected_length(received: bytes) -> int:
    head, _, _body = received.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(head) + 4 + int(line.split(b":")[1])
    return len(received) + 1


def post(path: str, body: bytes, headers: str) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Connection: close\r\n{headers}\r\n").encode() + body


def chunked(path: str, body: bytes) -> bytes:
    return post(path, body, "Transfer-Encoding: chunked\r\n")


def one_chunk(data: bytes) -> bytes:
    return b"%x\r\n" % len(data) + data + b"\r\n0\r\n\r\n"


MALFORMED = {
    "size that is not hexadecimal": b"zz\r\nabc\r\n0\r\n\r\n",
    "chunk longer than its size": b"3\r\nabcdef\r\n0\r\n\r\n",
    "negative size": b"-5\r\nabc\r\n0\r\n\r\n",
    "bad chunk extension": b"3;\x00=\x01\r\nabc\r\n0\r\n\r\n",
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_chunked_body_is_a_400_over_the_wire(server, name):
    status, headers, body = exchange(server.port, chunked("/api/similar", MALFORMED[name]))
    assert (status, headers["content-type"]) == (400, "application/json")
    assert json.loads(body) in (BAD_REQUEST, NOT_A_TEXT)


def test_malformed_chunked_form_is_a_400_over_the_wire(server):
    raw = chunked("/similaires", MALFORMED["size that is not hexadecimal"])
    status, _headers, body = exchange(server.port, raw.replace(b"application/json", b"application/x-www-form-urlencoded"))
    assert status == 400
    assert '<h1 class="fr-alert__title">La demande n&#39;a pas pu être comprise.</h1>' in body.decode()


def test_chunked_body_over_the_limit_is_a_413_and_small_chunks_are_read_whole_over_the_wire(server):
    status, _headers, body = exchange(server.port, chunked("/api/similar", one_chunk(OVER_LIMIT)))
    assert (status, json.loads(body)) == (413, TOO_LONG)
    text = b'{"text": "cartographie des parcelles agricoles"}'
    pieces = b"".join(b"%x\r\n" % len(text[start:start + 7]) + text[start:start + 7] + b"\r\n"
                      for start in range(0, len(text), 7))
    status, _headers, _body = exchange(server.port, chunked("/api/similar", pieces + b"0\r\n\r\n"))
    assert status == 200


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_json_nested_1000_deep_is_a_400_over_the_wire(server, framing):
    raw = (post("/api/similar", DEEP_JSON, f"Content-Length: {len(DEEP_JSON)}\r\n") if framing == "content-length"
           else chunked("/api/similar", one_chunk(DEEP_JSON)))
    status, _headers, body = exchange(server.port, raw)
    assert (status, json.loads(body)) == (400, NOT_A_TEXT)


def test_405_says_which_methods_are_allowed_over_the_wire(server):
    status, headers, body = exchange(server.port, b"DELETE /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                  b"Connection: close\r\n\r\n")
    assert (status, json.loads(body)) == (405, NOT_THIS_WAY)
    assert set(headers["allow"].split(", ")) == ALLOWED["/api/search"]


def test_no_traceback_in_the_server_log(server):
    """Last of the module: every bad body above was answered without an error in the log."""
    for name in MALFORMED:
        exchange(server.port, chunked("/api/similar", MALFORMED[name]))
    exchange(server.port, chunked("/api/similar", one_chunk(DEEP_JSON)))
    log = server.log.read_text(errors="replace")
    assert "Traceback" not in log and "unexpected error" not in log and "[ERROR]" not in log, log[-3000:]
