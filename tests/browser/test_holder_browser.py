"""The AK-1 holder reports work from the status page and the card's QR then says it is closed
(issue 15, part 5; services/holder.py, docs/adr/0028), on the shared local stack, on a 360x800 phone.

A job seeker's AK-1 is filed through the public API (as tests/browser/test_workbench_browser.py
does) and both officers approve it through the staff pages' own forms. On berkas.html the holder
signs in, sees the card's four report boxes and, the first six-monthly window not yet open, only
"Sudah bekerja" to report: types the employer and the start date and sends. The card is closed at
once (the boxes' section says so), the worker re-issues it with the box stamped (same QR code,
checked on the downloaded PDF), and the QR's link (cek.html) says DITUTUP, not valid. Then the
officer's case page lists the report. No CSP violation on the way.

Screenshots go to out/browser/holder-*.png. The NIK is this journey's alone (one valid card per
NIK per office: the shared stack keeps it).
"""

from __future__ import annotations

import contextlib
import re
from http.cookiejar import CookieJar

import pypdfium2 as pdfium
import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page, expect

from chalicelib.domain.clock import office_today
from chalicelib.domain.tanggal import tanggal
from tests.browser.conftest import assert_csp_enforced, watch_csp
from tests.browser.test_ak1_browser import pdf_text_and_codes, until_visible
from tests.browser.test_workbench_browser import (
    PASSWORD,
    PHONE,
    SCREEN,
    SHOTS,
    api,
    files_ak1,
    fits_the_phone,
)
from tests.conftest import wait_for
from tests.deadlines import REQUEST_SECONDS
from tests.stack import Stack

pytestmark = [pytest.mark.stack, pytest.mark.browser]

OFFICE = "kab-pasuruan"
# A woman of Kabupaten Pasuruan (35 14 01) born 14-02-1993 (14 + 40 = 54): used by no other test.
PERSON = ("nur_hidayati", "NUR HIDAYATI", "3514015402930004", "1993-02-14", "Perempuan")
EMPLOYER = "CV Sumber Rejeki Pandaan"
WORKER_SECONDS = 60


def shot(page: Page, name: str, full: bool = False) -> None:
    page.screenshot(path=str(SHOTS / f"holder-{name}.png"), full_page=full)


def staff_session(stack: Stack, role: str) -> requests.Session:
    """A signed-in staff session of `role` at the office (the login form and its CSRF token)."""
    staff = requests.Session()
    staff.cookies = CookieJar()  # type: ignore[assignment]
    form = staff.get(f"{stack.api_url}/staff/login", timeout=REQUEST_SECONDS).text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form)
    assert csrf is not None
    username = f"{OFFICE}.{role}"
    login = staff.post(
        f"{stack.api_url}/staff/login",
        timeout=REQUEST_SECONDS,
        data={"csrf": csrf.group(1), "username": username, "password": stack.passwords[username]},
    )
    assert login.status_code == 200, login.text
    return staff


def officers_approve(stack: Stack, case_id: str) -> None:
    """Both AK-1 steps approved on the case page's own form (as tests/e2e/test_local_stack.py)."""
    for role in ("petugas_antar_kerja", "pengantar_kerja"):
        staff = staff_session(stack, role)

        def waiting(staff: requests.Session = staff) -> str | None:
            page = staff.get(f"{stack.api_url}/staff/cases/{case_id}", timeout=REQUEST_SECONDS).text
            return page if 'name="item"' in page else None

        page = wait_for(
            waiting, timeout=WORKER_SECONDS, interval=0.3
        )  # the stack's pump and moto's executions
        item = re.search(r'name="item" value="([^"]+)"', page)
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
        assert item is not None and csrf is not None
        fields = {
            "csrf": csrf.group(1),
            "case_id": case_id,
            "item": item.group(1),
            "decision": "approve",
            "note": "",
            "dari": "berkas",
        }
        if role == "pengantar_kerja":
            fields.update(
                {
                    "rec_kanal_konseling": "Email",
                    "rec_catatan_konseling": "Siap kerja",
                    "rec_pesan_untuk_pencari_kerja": "Semoga lancar.",
                }
            )
        decided = staff.post(f"{stack.api_url}/staff/decide", data=fields, timeout=REQUEST_SECONDS)
        assert "Keputusan tersimpan" in decided.text, decided.text[-500:]


def card_pdf(stack: Stack, token: str, case_id: str) -> bytes:
    """The card as the holder downloads it now (the product link, then the file)."""
    link = api(stack, "GET", f"/api/cases/{case_id}/products/kartu_ak1", token)["url"]
    got = requests.get(link, timeout=REQUEST_SECONDS)
    assert got.status_code == 200 and got.content.startswith(b"%PDF"), got.status_code
    return got.content


def back_page_text(pdf: bytes) -> str:
    """Every page's text (the report boxes are on the card's back)."""
    document = pdfium.PdfDocument(pdf)
    return " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def test_the_holder_reports_work_and_the_cards_qr_says_closed(stack: Stack, browser: Browser) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    contexts: list[BrowserContext] = []
    username, name, _nik, _born, _sex = PERSON
    try:
        case_id = files_ak1(stack, PERSON)
        token = api(stack, "POST", "/api/account/signin", json={"username": username, "password": PASSWORD})[
            "id_token"
        ]
        officers_approve(stack, case_id)

        contexts.append(phone_context := browser.new_context(**PHONE))
        csp = watch_csp(phone_context)
        phone = phone_context.new_page()
        phone.goto(f"{stack.site_url}/berkas.html?id={case_id}")
        assert_csp_enforced(phone, csp)
        phone.locator("#signin-username").fill(username)
        phone.locator("#signin-password").fill(PASSWORD)
        phone.locator("#btn-signin").tap()
        # The card's section shows once the card is issued; the download a moment later (wait for "Selesai").
        done = phone.locator("#status-badge").filter(has_text=re.compile(r"^\s*Selesai\s*$"))
        until_visible(done, lambda: phone.locator("#btn-refresh").tap(), WORKER_SECONDS)
        holder = phone.locator("#holder")
        expect(holder).to_be_visible()
        first_card = card_pdf(stack, token, case_id)
        _text, codes = pdf_text_and_codes(first_card)
        assert len(codes) == 1 and "/cek.html?id=" in codes[0], codes

        # Four boxes, none reported; the first window not open yet, so only found work may be told.
        expect(holder.get_by_role("heading", name="Laporan enam bulanan")).to_be_visible()
        expect(phone.locator("#holder-boxes li")).to_have_count(4)
        expect(phone.locator("#holder-boxes")).to_contain_text("Laporan ke-1")
        expect(phone.locator("#holder-when")).to_contain_text("Laporan ke-1 dapat dibuat mulai")
        expect(phone.get_by_label("Masih mencari kerja")).to_be_disabled()
        expect(phone.get_by_label("Sudah bekerja")).to_be_checked()
        expect(phone.locator("#holder-found-hint")).to_contain_text("menutup kartu ini")
        holder.scroll_into_view_if_needed()
        phone.get_by_label("Nama perusahaan / pemberi kerja").fill(EMPLOYER)
        phone.get_by_label("Tanggal mulai bekerja").fill(office_today().isoformat())
        fits_the_phone(phone)
        phone.locator("#holder-form").scroll_into_view_if_needed()
        shot(phone, "01-report-form")

        phone.locator("#btn-holder").tap()
        closed = phone.locator("#holder-closed")
        expect(closed).to_contain_text(f"Kartu ditutup: Anda melaporkan sudah bekerja di {EMPLOYER}")
        expect(phone.locator("#holder-said")).to_contain_text("Laporan tercatat")
        expect(phone.locator("#holder-form")).to_have_count(0)  # nothing more to report on this card
        box1 = phone.locator('#holder-boxes li[data-box="1"]')
        expect(box1).to_contain_text(f"Sudah bekerja di {EMPLOYER} sejak {tanggal(office_today())}")
        fits_the_phone(phone)
        shot(phone, "02-reported")

        # The worker re-issues the card with the box stamped: the same QR code.
        def restamped() -> bytes | None:
            pdf = card_pdf(stack, token, case_id)
            return pdf if EMPLOYER in back_page_text(pdf) else None

        second_card = wait_for(restamped, timeout=WORKER_SECONDS, interval=0.5)
        assert pdf_text_and_codes(second_card)[1] == codes

        # Whoever scans the card's QR is told it is closed, not valid.
        phone.goto(codes[0])
        verdict = phone.locator("#verdict")
        expect(verdict).to_have_attribute("data-status", "closed")
        expect(verdict).to_contain_text("DITUTUP")
        expect(verdict).not_to_contain_text("BERLAKU")
        expect(phone.locator("#vfacts")).to_contain_text("Ditutup pada")
        expect(phone.locator("main")).not_to_contain_text(EMPLOYER)  # the holder's own business
        expect(phone.locator("main")).not_to_contain_text(name)
        fits_the_phone(phone)
        shot(phone, "03-cek-closed")
        assert csp == [], csp

        # The officer's case page lists the report (the data pane) and the card's QR status.
        contexts.append(desk_context := browser.new_context(**SCREEN))
        desk_csp = watch_csp(desk_context)
        desk = desk_context.new_page()
        desk.goto(f"{stack.api_url}/staff/login")
        desk.get_by_label("Nama pengguna").fill(f"{OFFICE}.pengantar_kerja")
        desk.get_by_label("Kata sandi").fill(stack.passwords[f"{OFFICE}.pengantar_kerja"])
        desk.get_by_role("button", name="Masuk").click()
        desk.goto(f"{stack.api_url}/staff/cases/{case_id}")
        reports = desk.locator("#laporan-pemegang")
        expect(reports).to_contain_text("Laporan ke-1")
        expect(reports).to_contain_text("Sudah bekerja")
        expect(reports).to_contain_text(EMPLOYER)
        expect(desk.locator("#terbit")).to_contain_text("Ditutup (sudah bekerja)")
        reports.scroll_into_view_if_needed()
        shot(desk, "04-staff-case")
        assert desk_csp == [], desk_csp
    except BaseException:
        for n, page in enumerate(p for context in contexts for p in context.pages):
            with contextlib.suppress(Exception):
                page.screenshot(path=str(SHOTS / f"holder-zz-failed-{n}.png"), full_page=True)
        print(stack.tail())
        raise
    finally:
        for context in contexts:
            context.close()
