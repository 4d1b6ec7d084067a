"""Debian's chromium, driven by playwright, for every browser test (one browser per test module), the
local stack the journeys share, the public site served on its own for the tests of its modules, and a
watch on the pages' CSP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from infra.local.run import serve_site
from tests.deadlines import BROWSER_MS
from tests.stack import Stack, running_stack

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


# A failed worker task is delivered again after this many seconds (make run's default is 5): the
# desk journey waits for five failed deliveries.
STACK_RETRY_SECONDS = 1


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """The local stack (`make run`'s, on free ports), started once per test process for every
    journey module that needs it. Those modules run on one worker, one after the other
    (tests/conftest.py, STACK_MODULES), so the stack starts once in a `make test`; each journey
    uses its own applicant and case, and puts back what it changes (the desk journey's SES)."""
    with running_stack(options=("--retry-seconds", str(STACK_RETRY_SECONDS))) as running:
        yield running


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


@pytest.fixture(scope="module")
def page(browser: Browser, site: str) -> Iterator[Page]:
    """A phone-sized page of the site's origin (`open_blank`), for tests that run the site's
    modules in the browser against tables Python answers too (NIK, text rules). A module may
    define its own `page`."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="id-ID")
    page = context.new_page()
    open_blank(page, site)
    try:
        yield page
    finally:
        context.close()


def open_blank(page: Page, site: str) -> None:
    """An empty page of the site's origin, so that `await import("/js/...")` loads its modules."""
    page.route(f"{site}/__blank__.html", lambda route: route.fulfill(content_type="text/html", body=BLANK))
    page.goto(f"{site}/__blank__.html")


# Runs in every page of a watched context before the page's own scripts (playwright injects it,
# so the page's CSP does not apply to it): each violation the page reports goes to the test.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  var where = e.sourceFile ? " (" + e.sourceFile + ":" + e.lineNumber + ")" : "";
  window.loketCspViolation(e.effectiveDirective + " blocked " + (e.blockedURI || "inline") +
    " on " + e.documentURI.split("?")[0] + where);
});
"""


def watch_csp(context: BrowserContext) -> list[str]:
    """Every Content-Security-Policy violation in the context's pages from now on, as the page
    reports it (a `securitypolicyviolation` event) and as chromium logs it ("Refused to ...")."""
    seen: list[str] = []
    context.expose_function("loketCspViolation", lambda text: seen.append(str(text)))
    context.add_init_script(CSP_LISTENER)
    context.on(
        "console", lambda message: seen.append(message.text) if "Security Policy" in message.text else None
    )
    return seen


def assert_csp_enforced(page: Page, seen: list[str]) -> None:
    """The page has a CSP and the watch hears it: an image from elsewhere is refused (img-src) and
    reported; then the watch is emptied for the journey."""
    page.evaluate(
        "() => { const probe = document.createElement('img'); probe.alt = '';"
        " probe.src = 'https://csp-probe.invalid/x.png'; document.body.appendChild(probe); probe.remove(); }"
    )
    deadline = BROWSER_MS
    while len([s for s in seen if "img-src" in s and "csp-probe.invalid" in s]) < 2:  # event and console
        assert deadline > 0, f"no CSP violation reported for an image from elsewhere on {page.url}: {seen}"
        page.wait_for_timeout(50)  # a poll: the reports cross from the page to the test
        deadline -= 50
    seen.clear()
