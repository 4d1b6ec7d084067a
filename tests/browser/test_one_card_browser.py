"""At form time the job seeker is told, beside the NIK, that the NIK already holds an AK-1 (one
valid card per NIK per office), in the server's words; the refusal at submit lands on the NIK field.

No stack: Debian's chromium imports the form module (static_site/js/components/form-view.js) into
a blank page at 360 px and builds the AK-1 form from the spec the API serves; `onNik` stands in
for the page's call to `POST /api/cases/{id}/nik` and answers what `services/one_card.check`
answers (`domain/cards.told`) for a card of the job seeker's own account.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from chalicelib.domain import cards
from chalicelib.services.forms import form_spec
from chalicelib.sop.loader import load_service
from tests.browser.conftest import open_blank
from tests.forms import NIK

pytestmark = pytest.mark.browser

AK1 = load_service("kab-pasuruan", "ak1")
TOLD = cards.told(cards.Standing(cards.OWN_CARD, "3514011226000001", date(2028, 12, 1)), "Kartu AK-1")


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="id-ID")
    page = context.new_page()
    open_blank(page, site)
    page.evaluate(
        """async ([spec, nik, told]) => {
            const { FormView } = await import("/js/components/form-view.js");
            window.asked = [];
            const onNik = n => { asked.push(n); return Promise.resolve(n === nik ? told : ""); };
            window.view = FormView(spec, { onNik });
            document.body.appendChild(view.node);
        }""",
        [form_spec(AK1), NIK, TOLD],
    )
    try:
        yield page
    finally:
        context.close()


def test_a_nik_with_a_card_is_told_beside_the_field_and_a_free_one_says_nothing(page: Page) -> None:
    nik, note = page.locator("#f-identitas-nik"), page.locator("#f-identitas-nik-note")
    expect(note).to_be_hidden()
    nik.press_sequentially(NIK)
    nik.blur()
    expect(note).to_be_visible()
    expect(note).to_have_text(str(TOLD))
    assert "1 Desember 2028" in str(TOLD)
    # The reason is asked in the form: a re-issue is its own choice.
    expect(page.get_by_label("Penggantian kartu hilang atau rusak")).to_be_visible()
    nik.fill("3514015708950002")
    nik.blur()
    expect(note).to_be_hidden()
    assert page.evaluate("asked") == [NIK, "3514015708950002"]


def test_a_short_nik_asks_nothing_and_the_submit_refusal_marks_the_nik_field(page: Page) -> None:
    nik = page.locator("#f-identitas-nik")
    nik.press_sequentially("351401")
    nik.blur()
    assert page.evaluate("asked") == []
    message = "NIK ini sudah memiliki Kartu AK-1 yang masih berlaku di kantor ini."
    page.evaluate("m => view.showServer({'identitas.nik': m}, [])", message)
    expect(page.locator("#sec-identitas .err").first).to_have_text(message)


def test_cek_says_a_superseded_card_is_replaced_and_by_which_card(browser: Browser, site: str) -> None:
    """The verification page of the old card after a re-issue (services/verification.lookup)."""
    answer = {
        "status": "superseded",
        "document": "Kartu AK-1",
        "number": "3514011226000001",
        "name": "SI** RA****",
        "office": "Dinas Tenaga Kerja Kabupaten Pasuruan",
        "issued_on": "2026-12-01",
        "valid_until": "2028-12-01",
        "revoked_at": None,
        "superseded_by": "3514150127000002",
        "superseded_at": "2027-01-15",
    }
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="id-ID")
    try:
        phone = context.new_page()
        phone.route("**/api/verify/**", lambda route: route.fulfill(json=answer))
        phone.goto(f"{site}/cek.html?id=AAAAAAAAAAAAAAAAAAAAAAAA")
        verdict = phone.locator("#verdict")
        expect(verdict).to_have_attribute("data-status", "superseded")
        expect(verdict).to_contain_text("DIGANTIKAN")
        expect(verdict).to_contain_text("digantikan oleh kartu baru")
        expect(phone.locator("#vfacts")).to_contain_text("Digantikan oleh kartu")
        expect(phone.locator("#vfacts")).to_contain_text("3514150127000002")
    finally:
        context.close()


def test_cek_says_a_card_whose_holder_found_work_is_closed(browser: Browser, site: str) -> None:
    """The verification page of a card closed by its holder's report of work (services/holder.py)."""
    answer = {
        "status": "closed",
        "document": "Kartu AK-1",
        "number": "3514011226000001",
        "name": "SI** RA****",
        "office": "Dinas Tenaga Kerja Kabupaten Pasuruan",
        "issued_on": "2026-12-01",
        "valid_until": "2028-12-01",
        "revoked_at": None,
        "superseded_by": None,
        "superseded_at": None,
        "closed_at": "2027-06-03",
    }
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="id-ID")
    try:
        phone = context.new_page()
        phone.route("**/api/verify/**", lambda route: route.fulfill(json=answer))
        phone.goto(f"{site}/cek.html?id=AAAAAAAAAAAAAAAAAAAAAAAA")
        verdict = phone.locator("#verdict")
        expect(verdict).to_have_attribute("data-status", "closed")
        expect(verdict).to_contain_text("DITUTUP")
        expect(verdict).to_contain_text("pemegangnya sudah bekerja")
        expect(phone.locator("#vfacts")).to_contain_text("Ditutup pada")
        phone.screenshot(path="out/holder/cek-closed.png")
    finally:
        context.close()
