"""The public site's pages as ES modules: served with a JavaScript content type (by `make run`'s
server and by `aws s3 sync`), and each page's modules load and run in Debian's chromium at 360 px
with no error and no CSP violation, the language switch included. No stack: API calls fail as they
do offline."""

from __future__ import annotations

import json
import mimetypes
import re
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from chalicelib.security_headers import site_headers
from tests.browser.conftest import watch_csp
from tests.deadlines import REQUEST_SECONDS
from tests.site import SITE

pytestmark = pytest.mark.browser

JS_TYPES = ("text/javascript", "application/javascript")  # what a browser runs as a module script
MODULES = sorted(str(p.relative_to(SITE)) for p in SITE.glob("**/*.js") if p.name != "config.js")


def test_every_module_is_served_as_javascript(site: str) -> None:
    """A module served as anything else (application/octet-stream) is refused by the browser; `aws s3
    sync` sets Content-Type from Python's mimetypes, as make run's server does."""
    assert len(MODULES) > 15
    for path in MODULES:
        with urllib.request.urlopen(f"{site}/{path}", timeout=REQUEST_SECONDS) as answer:  # noqa: S310 (loopback)
            served = answer.headers.get_content_type()
        assert served in JS_TYPES, (path, served)
        assert mimetypes.guess_type(path)[0] in JS_TYPES, path


def test_the_site_server_sends_the_headers_cloudfront_sends(site: str) -> None:
    """make run's site server (and this test's) answers with the policy of infra/base.yaml's
    SiteHeadersPolicy, here with no origin to connect to but its own (its config.js has no API)."""
    for path in ("index.html", "ajukan.html", "js/pages/ajukan.js", "app.css", "tidak-ada.html"):
        try:
            with urllib.request.urlopen(f"{site}/{path}", timeout=REQUEST_SECONDS) as answer:  # noqa: S310 (loopback)
                headers = answer.headers
        except urllib.error.HTTPError as error:  # the 404 carries them too
            headers = error.headers
        assert {name: headers[name] for name in site_headers()} == site_headers(), path


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, is_mobile=True, locale="id-ID", timezone_id="Asia/Jakarta"
    )
    violations = watch_csp(context)  # the site server sends the CSP CloudFront sends
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
        assert errors == [], errors
        assert violations == [], violations
        expect(page.locator("#old-browser")).to_be_hidden()
    finally:
        context.close()


def test_index_says_the_list_could_not_be_loaded_in_either_language(page: Page, site: str) -> None:
    page.goto(f"{site}/index.html")
    status = page.locator("#status")
    expect(status).to_have_text(re.compile("^Daftar layanan tidak dapat dimuat"))
    page.locator("#lang").click()
    expect(status).to_have_text(re.compile("^The list of services could not be loaded"))
    expect(page.locator("h1")).to_have_text("Manpower services, from your phone")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.reload()  # the choice is kept on the phone
    expect(page.locator("#lang")).to_have_text("Indonesia")


def test_ajukan_offers_to_try_again_when_the_form_cannot_load(page: Page, site: str) -> None:
    page.goto(f"{site}/ajukan.html?kantor=kab-pasuruan&layanan=ak1")
    expect(page.locator("#load-status")).to_contain_text("Formulir tidak dapat dimuat")
    expect(page.locator("#load-status button")).to_have_text("Coba lagi")
    page.goto(f"{site}/ajukan.html")
    expect(page.locator("#load-status")).to_contain_text("Alamat halaman ini tidak lengkap")


def test_ajukan_says_a_service_is_not_there_only_when_the_api_says_so(page: Page, site: str) -> None:
    """The API's own 404 (its JSON error) means the office or service is not there; the site
    server's plain 404 above means the form could not be loaded, and offers to try again."""
    page.route(
        "**/api/offices/kab-pasuruan/services/tidak-ada",
        lambda route: route.fulfill(
            status=404,
            content_type="application/json",
            body='{"error": {"code": "not_found", "message": "Layanan tidak ditemukan."}}',
        ),
    )
    page.goto(f"{site}/ajukan.html?kantor=kab-pasuruan&layanan=tidak-ada")
    expect(page.locator("#load-status")).to_contain_text("tidak ditemukan")
    expect(page.locator("#load-status button")).to_have_count(0)


def test_ajukan_names_the_office_when_only_its_service_is_missing(page: Page, site: str) -> None:
    """The office is there (the API's 404 names the `service`): the page says the service is not
    found at that office, by its name, never that the office is missing."""
    page.route(
        "**/api/offices/kab-pasuruan/services/tidak-ada",
        lambda route: route.fulfill(
            status=404,
            content_type="application/json",
            body='{"error": {"message": "Layanan tidak ditemukan di kantor ini.", "field": "service"}}',
        ),
    )
    page.route(
        "**/api/offices",
        lambda route: route.fulfill(
            status=200,
            content_type="application/json",
            body=json.dumps(
                {"offices": [{"id": "kab-pasuruan", "name": "Disnaker Kabupaten Pasuruan", "services": []}]}
            ),
        ),
    )
    page.goto(f"{site}/ajukan.html?kantor=kab-pasuruan&layanan=tidak-ada")
    status = page.locator("#load-status")
    expect(status).to_contain_text('Layanan "tidak-ada" tidak ditemukan di Disnaker Kabupaten Pasuruan')
    expect(status).not_to_contain_text("Kantor")


def test_berkas_asks_to_sign_in(page: Page, site: str) -> None:
    page.goto(f"{site}/berkas.html")
    expect(page.locator("#auth-card")).to_be_visible()
    expect(page.get_by_role("tab", name="Daftar akun")).to_be_visible()
    page.get_by_role("tab", name="Daftar akun").click()
    expect(page.locator("#signup-kind-pencari_kerja")).to_be_checked()
    page.locator("#lang").click()
    expect(page.get_by_role("tab", name="Create account")).to_have_attribute("aria-selected", "true")


def test_cek_without_a_code_says_so(page: Page, site: str) -> None:
    page.goto(f"{site}/cek.html")
    expect(page.locator("#verdict")).to_have_text(re.compile("^Kode dokumen tidak ada di alamat ini"))
