"""The local stack's HTTP servers answer without Nagle's delay; run as a module, `chalice local` so.

chalice's dev server and moto's (werkzeug) are Python's `http.server` speaking HTTP/1.1 with
keep-alive: a response goes out as two writes, the headers, then the body. With Nagle's algorithm
on, the body waits until the client acknowledges the headers, and a client reading a response
delays that acknowledgement (about 40 ms on Linux): every request after the first on a kept-alive
connection (a browser's, botocore's, schemathesis') took 40 ms more than its work. Measured on the
OpenAPI fuzz (tests/integration/test_openapi.py, 869 requests on one connection): its coverage
phase 32.0 s with Nagle, 2.0 s without.

`socketserver.StreamRequestHandler.disable_nagle_algorithm` is the standard library's own switch
(TCP_NODELAY on each accepted connection); `install()` turns it on for both servers' handlers.
It also gives chalice's server the listen backlog werkzeug's has (128, not socketserver's 5): 40
job seekers of `make burst` arriving at once had sign-ups answered "connection reset by peer".

    python -m infra.local.nodelay local --host 127.0.0.1 --port 8000 --stage local --no-autoreload

runs chalice's command line (`chalice local ...`) with it on (infra/local/run.py starts the API so).
Always without chalice's autoreload: its reloader runs the server in a child started as plain
`chalice`, which would answer without these settings (`--no-autoreload` is added when missing).
"""

from __future__ import annotations

import sys


def install() -> None:
    """TCP_NODELAY on every connection accepted by chalice's dev server and by werkzeug's (moto's
    server) in this process, and chalice's listen backlog werkzeug's, from now on. Idempotent."""
    from chalice.local import ChaliceRequestHandler, ThreadedHTTPServer
    from werkzeug.serving import LISTEN_QUEUE, WSGIRequestHandler

    ChaliceRequestHandler.disable_nagle_algorithm = True
    WSGIRequestHandler.disable_nagle_algorithm = True
    ThreadedHTTPServer.request_queue_size = LISTEN_QUEUE


def main() -> int:
    """chalice's command line with `install()` done first; its exit status."""
    install()
    from chalice.cli import main as chalice_main

    sys.argv[0] = "chalice"
    if sys.argv[1:2] == ["local"] and "--no-autoreload" not in sys.argv:
        sys.argv.append("--no-autoreload")
    return int(chalice_main() or 0)


if __name__ == "__main__":
    sys.exit(main())
