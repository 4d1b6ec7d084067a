"""Debian's chromium, driven by playwright, for every browser test (one browser per test module), and
the public site served on its own for the tests of its modules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from infra.local.run import serve_site
from tests.deadlines import BROWSER_MS

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium (make test does)")
    # Playwright polls, so a generous default costs nothing when the page is quick: a busy 2-core
    # CI machine runs other tests (and maybe a second session) beside this one.
    expect.set_options(timeout=BROWSER_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


BLANK = "<!doctype html><html lang='id'><head><meta charset='utf-8'></head><body></body></html>"


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """static_site/ served as `make run` serves it (infra.local.run.serve_site, on a free port), with
    a config.js that sends API calls to the same server (which has no API: they fail as offline
    ones do), for tests of the page modules without the stack. Its address, without a final slash."""
    server = serve_site("127.0.0.1", 0, 'window.LOKET = {"apiUrl": ""};\n')
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def open_blank(page: Page, site: str) -> None:
    """An empty page of the site's origin, so that `await import("/js/...")` loads its modules."""
    page.route(f"{site}/__blank__.html", lambda route: route.fulfill(content_type="text/html", body=BLANK))
    page.goto(f"{site}/__blank__.html")
