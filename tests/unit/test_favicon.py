"""The site's icon (issue 14's probe: /favicon.ico answered 404 on every public page): every
page names it, the files exist and are what they claim, the local site serves them under the
site's CSP (img-src 'self'), and the staff pages carry the same icon as a data: URI (their CSP
allows data: images; the API Lambda serves no static files)."""

from __future__ import annotations

import io
import re
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PIL import Image

from chalicelib.security_headers import CSP
from infra.local.run import serve_site
from tests.deadlines import REQUEST_SECONDS

SITE = Path(__file__).resolve().parents[2] / "static_site"
STAFF_BASE = Path(__file__).resolve().parents[2] / "chalicelib" / "templates" / "staff" / "base.html"


@pytest.mark.parametrize("page", sorted(p.name for p in SITE.glob("*.html")))
def test_every_public_page_names_the_icon(page: str) -> None:
    text = (SITE / page).read_text(encoding="utf-8")
    found = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', text)
    assert found and (SITE / found.group(1)).is_file(), page


def test_the_icon_files_are_what_they_claim() -> None:
    svg = ElementTree.fromstring((SITE / "favicon.svg").read_text(encoding="utf-8"))  # noqa: S314 (our file)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("viewBox") == "0 0 32 32"
    with Image.open(SITE / "favicon.ico") as ico:
        assert ico.format == "ICO" and (16, 16) in ico.info["sizes"] and (32, 32) in ico.info["sizes"]
    assert (SITE / "favicon.ico").stat().st_size < 4096  # small


def test_the_staff_pages_carry_the_icon_inline() -> None:
    base = STAFF_BASE.read_text(encoding="utf-8")
    assert '<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,' in base


def test_the_local_site_serves_both_under_its_policy() -> None:
    server = serve_site("127.0.0.1", 0, "window.LOKET = {};")
    try:
        port = server.server_address[1]
        for name, kind in (("favicon.ico", "image/"), ("favicon.svg", "image/svg+xml")):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{name}", timeout=REQUEST_SECONDS) as answer:
                assert answer.status == 200 and answer.headers["Content-Type"].startswith(kind), name
                assert "img-src 'self'" in answer.headers[CSP]
                data = answer.read()
            if name.endswith(".ico"):
                Image.open(io.BytesIO(data)).verify()
    finally:
        server.shutdown()
        server.server_close()
