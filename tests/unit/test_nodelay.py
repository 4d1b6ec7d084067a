"""infra/local/nodelay.py: the local stack's servers answer without Nagle's 40 ms wait and take a
burst of connections (the knobs are the standard library's; what they cost is in the module)."""

from __future__ import annotations

import socket
import threading
from http.client import HTTPConnection

from chalice import Chalice
from chalice.config import Config
from chalice.local import ChaliceRequestHandler, LocalDevServer, ThreadedHTTPServer
from werkzeug.serving import WSGIRequestHandler

from infra.local import nodelay
from tests.deadlines import REQUEST_SECONDS


def test_install_turns_on_tcp_nodelay_and_a_listen_backlog_of_128() -> None:
    nodelay.install()
    nodelay.install()  # idempotent
    assert ChaliceRequestHandler.disable_nagle_algorithm is True
    assert WSGIRequestHandler.disable_nagle_algorithm is True
    assert ThreadedHTTPServer.request_queue_size == 128


def test_a_kept_alive_connection_is_answered_with_tcp_nodelay_on_the_server_side() -> None:
    """The socket the server answers on has TCP_NODELAY (read from inside a request)."""
    nodelay.install()
    app = Chalice(app_name="uji")
    seen: list[int] = []
    original_setup = ChaliceRequestHandler.setup

    def setup(handler: ChaliceRequestHandler) -> None:
        original_setup(handler)
        seen.append(handler.connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    @app.route("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    ChaliceRequestHandler.setup = setup  # type: ignore[method-assign]
    try:
        server = LocalDevServer(app, Config(), "127.0.0.1", 0)
        thread = threading.Thread(target=server.server.serve_forever, daemon=True)
        thread.start()
        try:
            connection = HTTPConnection("127.0.0.1", server.server.server_address[1], timeout=REQUEST_SECONDS)
            for _ in range(2):  # one connection, two requests
                connection.request("GET", "/health")
                answer = connection.getresponse()
                assert answer.status == 200 and answer.read() == b'{"status":"ok"}'
            connection.close()
        finally:
            server.shutdown()
            server.server.server_close()
            thread.join(timeout=REQUEST_SECONDS)
    finally:
        ChaliceRequestHandler.setup = original_setup  # type: ignore[method-assign]
    assert seen == [1]
