"""The public standard pages (standar.html) of the six public services, through the local stack, in
Debian's chromium under the site's CSP: each page shows every component of its office's written
standard, in the seed's order, on a 360 px phone and a 1366 px desktop, with the complaint
channel as working links; and its A4 print renders, page 1 with the QR code to the form.

What is expected comes from the seed files (tests/browser/standard_seed.json, written by
make_standard_seed.py from the offices' documents, every label and excerpt checked to be in them),
not from the SOP YAML, so a component the YAML or the page loses fails here. Screenshots and the
printed pages go to out/browser/standard-*.png.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import assert_csp_enforced, watch_csp
from tests.deadlines import REQUEST_SECONDS
from tests.stack import ROOT, Stack

pytestmark = pytest.mark.browser

SEED = json.loads((Path(__file__).with_name("standard_seed.json")).read_text(encoding="utf-8"))
SERVICES = sorted(SEED)
SHOTS = ROOT / "out" / "browser"
VIEWPORTS = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1366, "height": 768}}
SEED_TITLES = {  # the title as each seed writes it
    "kab-pasuruan/ak1": "Pelayanan Penerbitan Kartu AK-1 (Pelayanan Online)",
    "kota-tangerang/id-rekomendasi-paspor-cpmi": (
        "ID dan Rekomendasi Paspor Calon Pekerja Migran Indonesia (CPMI)"
    ),
}
A4_POINTS = (595, 842)  # 210 x 297 mm at 72 points per inch, rounded


def plain(text: str) -> str:
    """Text compared as words: lower case, '&' read as 'dan', punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKC", text).lower().replace("&", " dan ")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def open_page(
    browser: Browser, viewport: dict[str, int]
) -> tuple[BrowserContext, Page, list[str], list[str]]:
    context = browser.new_context(viewport=viewport, locale="id-ID", timezone_id="Asia/Jakarta")  # type: ignore[arg-type]
    violations = watch_csp(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, violations, errors


def shown_components(page: Page) -> list[tuple[str, str]]:
    """(heading, whole text) of every component on the page, in page order."""
    rows = page.eval_on_selector_all(
        "[data-component]", "els => els.map(e => [e.querySelector('h3').innerText, e.innerText])"
    )
    return [(str(heading), str(text)) for heading, text in rows]


def test_the_seed_list_covers_every_public_service(stack: Stack) -> None:
    """Six pages: the public services of both offices are exactly the seed's."""
    import urllib.request

    with urllib.request.urlopen(f"{stack.api_url}/api/offices", timeout=REQUEST_SECONDS) as answer:  # noqa: S310 (loopback)
        offices = json.load(answer)["offices"]
    listed = sorted(f"{o['id']}/{s['id']}" for o in offices for s in o["services"])
    assert listed == SERVICES
    assert len(SERVICES) == 6


@pytest.mark.parametrize("where", sorted(VIEWPORTS))
def test_each_standard_page_shows_every_component_of_its_seed(
    browser: Browser, stack: Stack, where: str
) -> None:
    context, page, violations, errors = open_page(browser, VIEWPORTS[where])
    try:
        page.goto(f"{stack.site_url}/index.html")
        assert_csp_enforced(page, violations)
        for key in SERVICES:
            office, service = key.split("/")
            page.goto(f"{stack.site_url}/standar.html?kantor={office}&layanan={service}")
            expect(page.locator("#standard")).to_be_visible()
            shown = shown_components(page)
            at = 0
            for expected in SEED[key]:
                label = plain(expected["label"])
                found = next((i for i in range(at, len(shown)) if label in plain(shown[i][0])), None)
                assert found is not None, (
                    f"{key} ({where}): '{expected['label']}' missing or out of the seed's order; "
                    f"the page shows {[h for h, _ in shown]}"
                )
                text = plain(shown[found][1])
                for excerpt in expected["excerpts"]:
                    assert plain(excerpt) in text, f"{key}: '{excerpt}' not under '{shown[found][0]}'"
                at = found + 1
            # The procedure is a numbered flow, 1..n.
            numbers = page.locator("[data-component='prosedur'] .flow-step").evaluate_all(
                "els => els.map(e => Number(e.dataset.step))"
            )
            assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 7, (key, numbers)
            # The complaint channel: the address opens the map, the phone dials, the website opens.
            channel = page.locator("[data-component='pengaduan']")
            expect(channel.locator("a[href^='https://www.openstreetmap.org/search?query=']")).to_have_count(1)
            assert channel.locator("a[href^='tel:+62']").count() >= 1
            if office == "kab-pasuruan":
                expect(channel.locator("a[href='https://hellowork.pasuruankab.go.id']")).to_have_count(1)
            else:  # "(021) 55798228, 5517542": both numbers dial, the second with the first's area code
                hrefs = channel.locator("a[href^='tel:']").evaluate_all("els => els.map(e => e.href)")
                assert hrefs == ["tel:+622155798228", "tel:+62215517542"], hrefs
            # The QR code to the form, and no sideways scrolling on a phone.
            qr = page.locator("#std-qr")
            expect(qr).to_have_attribute("src", re.compile("^data:image/svg\\+xml"))
            form = f"{stack.site_url}/ajukan.html?kantor={office}&layanan={service}"
            expect(page.locator("#std-apply")).to_have_attribute("href", form)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= VIEWPORTS[where]["width"], (key, where, width)
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"standard-{service}-{where}.png"), full_page=True)
        assert errors == [], errors
        assert violations == [], violations
    finally:
        context.close()


def test_the_index_links_each_service_to_its_standard(browser: Browser, stack: Stack) -> None:
    context, page, violations, errors = open_page(browser, VIEWPORTS["phone"])
    try:
        page.goto(f"{stack.site_url}/index.html")
        links = page.locator("a[id^='standard-']")
        expect(links).to_have_count(len(SERVICES))
        page.locator("summary", has_text="Validasi TKA").click()
        page.locator("#standard-kab-pasuruan-validasi-tka").click()
        expect(page.locator("#std-title")).to_have_text("Pelayanan Validasi TKA")
        page.goto(f"{stack.site_url}/standar.html?kantor=kab-pasuruan&layanan=tidak-ada")
        expect(page.locator("#std-status")).to_contain_text("Layanan ini tidak ditemukan")
        assert errors == [] and violations == [], (errors, violations)
    finally:
        context.close()


@pytest.mark.parametrize("key", ["kab-pasuruan/ak1", "kota-tangerang/id-rekomendasi-paspor-cpmi"])
def test_the_printed_standard_is_a4_with_the_qr_code_to_the_form(
    browser: Browser, stack: Stack, key: str, tmp_path: Path
) -> None:
    """The print stylesheet's A4 sheet (chromium's print to PDF, as Ctrl+P gives it): page 1,
    rendered as a viewer draws it, carries the title and a QR code that opens the service's form."""
    office, service = key.split("/")
    context, page, violations, errors = open_page(browser, VIEWPORTS["desktop"])
    try:
        page.goto(f"{stack.site_url}/standar.html?kantor={office}&layanan={service}")
        expect(page.locator("#standard")).to_be_visible()
        page.emulate_media(media="print")
        expect(page.locator("#std-print")).to_be_hidden()  # the buttons are not printed
        pdf = tmp_path / f"{service}.pdf"
        pdf.write_bytes(page.pdf(prefer_css_page_size=True, print_background=True))
        assert errors == [] and violations == [], (errors, violations)
    finally:
        context.close()
    # Page 1 as a viewer draws it (pdfium, the engine of chromium's PDF viewer) at 150 dpi.
    first = pdfium.PdfDocument(pdf.read_bytes())[0]
    words = first.get_textpage().get_text_range()
    image = first.render(scale=150 / 72).to_pil()
    assert plain(SEED_TITLES[key]) in plain(words), words[:400]
    # A4 portrait: 210 x 297 mm at 150 dpi.
    assert abs(image.width - round(A4_POINTS[0] / 72 * 150)) <= 2, image.size
    assert abs(image.height - round(A4_POINTS[1] / 72 * 150)) <= 2, image.size
    found = [r.text for r in zxingcpp.read_barcodes(image)]
    assert found == [f"{stack.site_url}/ajukan.html?kantor={office}&layanan={service}"], found
    SHOTS.mkdir(parents=True, exist_ok=True)
    image.convert("L").resize((image.width * 2 // 5, image.height * 2 // 5)).save(
        SHOTS / f"standard-{service}-print-1.png"
    )
