"""The public site's dates (static_site/js/lib/format.js formatDate) against the shared date cases
(tests/tanggal_cases.json), which chalicelib/domain/tanggal.py answers in tests/unit/test_tanggal.py.

No stack: a phone page of the site (tests/browser/conftest.py `site`) in a zone far from WIB
(Los Angeles) imports the module and writes every case at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from chalicelib.domain.tanggal import tanggal, waktu
from tests.browser.conftest import open_blank

pytestmark = pytest.mark.browser

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent.parent / "tanggal_cases.json").read_text(encoding="utf-8")
)["cases"]


@pytest.fixture(scope="module")
def page(browser: Browser, site: str) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, locale="id-ID", timezone_id="America/Los_Angeles"
    )
    page = context.new_page()
    open_blank(page, site)
    try:
        yield page
    finally:
        context.close()


def test_the_browser_writes_every_date_as_tanggal_py(page: Page) -> None:
    written: list[str] = page.evaluate(
        """async cases => {
            const format = await import("/js/lib/format.js");
            return cases.map(c => format.formatDate(c.value, c.time));
        }""",
        CASES,
    )
    python = [waktu(c["value"]) if c["time"] else tanggal(c["value"]) for c in CASES]
    differ = [
        (c["value"], c["time"], p, b)
        for c, p, b in zip(CASES, python, written, strict=True)
        if not p == b == c["expect"]
    ]
    assert differ == [], "(value, with time, tanggal.py, browser)"
