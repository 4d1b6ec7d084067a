"""A complaint and the satisfaction survey in a real browser, against the shared local stack (issue 15).

1. Without an account, on a 360x800 phone: index.html links pengaduan.html; a first send with a
   bad email is refused by the API (422) and the form shows that answer's own words under the
   email field (`errors["pengaduan.email"]`) and its message on top; the second send files it and
   shows the complaint's code. At the office (a 1366x768 desktop) the staf finds it in the inbox
   by that code, records it with a SP4N-LAPOR! ticket number and passes it on; the Kasi Penempatan
   sees the number, writes the answer and approves; moto's SES then holds exactly one answer
   email to the complainant, with the answer in it.
2. A completed case's status page (berkas.html) on the phone and a desktop: the SKM survey (nine
   questions, one send; a second send from another screen is refused) and the complaint link,
   which opens pengaduan.html about that case (its code shown); the published standard's
   complaint component links pengaduan.html at its office.

Every page is watched for CSP violations. Screenshots go to out/browser/complaint-*.png.
"""

from __future__ import annotations

import contextlib
import email
import email.header
import re
from email.message import Message
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page, expect

from chalicelib.domain import ikm
from tests.browser.conftest import watch_csp
from tests.browser.test_ak1_browser import until_visible
from tests.conftest import wait_for
from tests.deadlines import REQUEST_SECONDS
from tests.helpers import PDF
from tests.stack import ROOT, Stack

pytestmark = [pytest.mark.stack, pytest.mark.browser]

OFFICE, OFFICE_NAME = "kab-pasuruan", "Kabupaten Pasuruan"
SHOTS = ROOT / "out" / "browser"
PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 800},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "id-ID",
    "timezone_id": "Asia/Jakarta",
}
DESKTOP: dict[str, Any] = {
    "viewport": {"width": 1366, "height": 768},
    "locale": "id-ID",
    "timezone_id": "Asia/Jakarta",
}
WORKER_SECONDS = 60
COMPLAINANT = "warga.mengadu@contoh.id"
COMPLAINT = "Antrean di loket AK-1 terlalu lama; petugas tidak menjelaskan persyaratan dengan jelas."
LAPOR = "LAPOR-7731052"
ANSWER = "Terima kasih. Loket AK-1 kini dibuka dua meja dan daftar persyaratan dipasang di ruang tunggu."
APPLICANT, APPLICANT_EMAIL, PASSWORD = "dewi_skm", "dewi.skm@contoh.id", "Rahasia123"


def shot(page: Page, name: str, full: bool = True) -> None:
    page.screenshot(path=str(SHOTS / f"complaint-{name}.png"), full_page=full)


def fits_the_phone(page: Page) -> None:
    """Nothing on the page is wider than the phone's 360 px (no sideways scrolling)."""
    wider = page.evaluate(
        "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 360)"
        ".slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wider


def staff_signs_in(page: Page, stack: Stack, role: str) -> None:
    username = f"{OFFICE}.{role}"
    page.goto(f"{stack.api_url}/staff/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(stack.passwords[username])
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name=f"Kotak tugas · {OFFICE_NAME}")).to_be_visible()


def opens_from_the_inbox(page: Page, stack: Stack, code: str) -> None:
    """The complaint's line in the inbox (found by its code, as staff read it), opened."""
    page.goto(f"{stack.api_url}/staff?layanan=pengaduan")
    row = page.locator("tr.file").filter(has_text=code)
    until_visible(row, page.reload, WORKER_SECONDS)
    expect(row).to_contain_text("Penanganan Pengaduan, Saran dan Masukan")
    row.locator("a.open").click()
    expect(page.get_by_role("heading", name=re.compile(r"Langkah \d+ · tugas Anda"))).to_be_visible()


def answer_mails(stack: Stack, code: str) -> list[Message]:
    """The answer emails moto's SES sent to the complainant about `code`."""
    found = []
    for raw in stack.moto_state().get("ses", {}).get("RawMessage", []):
        if COMPLAINANT not in raw["destinations"]:
            continue
        message = email.message_from_string(raw["raw_data"])
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"] or "")))
        if "Jawaban atas pengaduan" in subject and code in subject + body_text(message):
            found.append(message)
    return found


def body_text(message: Message) -> str:
    parts = [p for p in message.walk() if p.get_content_type() == "text/plain"]
    texts = [p.get_payload(decode=True) for p in parts]
    return "".join(
        t.decode(p.get_content_charset() or "utf-8")
        for t, p in zip(texts, parts, strict=True)
        if isinstance(t, bytes)
    )


def test_a_complaint_without_an_account_is_answered_by_email(stack: Stack, browser: Browser) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    contexts: list[BrowserContext] = []
    try:
        contexts.append(phone_context := browser.new_context(**PHONE))
        violations = {"phone": watch_csp(phone_context)}
        phone = phone_context.new_page()

        # The home page links the complaint form; nothing is wider than the phone.
        phone.goto(f"{stack.site_url}/index.html")
        expect(phone.locator(".office").first).to_be_visible()
        expect(phone.locator("#nav-complaint")).to_be_visible()
        fits_the_phone(phone)
        shot(phone, "01-index-phone", full=False)
        phone.locator("#complaint-home").tap()
        expect(phone).to_have_url(re.compile(r"/pengaduan\.html$"))
        expect(phone.get_by_role("heading", name="Pengaduan, saran dan masukan")).to_be_visible()
        office = phone.get_by_label("Kantor tujuan")
        expect(office.locator(f'option[value="{OFFICE}"]')).to_have_count(1)
        office.select_option(OFFICE)
        phone.get_by_label("Jenis").select_option("Pengaduan")
        phone.get_by_label("Isi pengaduan, saran atau masukan").fill(COMPLAINT)
        email_field = phone.get_by_label("Email untuk jawaban")
        email_field.fill("warga.mengadu@contoh")  # no domain suffix: the API refuses it

        # The API's own 422 answer, shown where it belongs.
        with phone.expect_response(re.compile(r"/api/complaints$")) as answered:
            phone.get_by_role("button", name="Kirim").tap()
        refused = answered.value
        assert refused.status == 422, refused.text()
        said = refused.json()
        assert set(said) >= {"error", "errors", "warnings"}, said  # chalicelib/api/errors.py
        assert list(said["errors"]) == ["pengaduan.email"], said
        expect(phone.locator("#c-email-err")).to_have_text(said["errors"]["pengaduan.email"])
        expect(phone.locator("#c-error")).to_have_text(said["error"]["message"])
        expect(email_field).to_have_attribute("aria-invalid", "true")
        expect(email_field).to_be_focused()
        expect(phone.locator("#c-text-err")).to_be_empty()
        fits_the_phone(phone)
        shot(phone, "02-form-refused-phone")

        email_field.fill(COMPLAINANT)
        with phone.expect_response(re.compile(r"/api/complaints$")) as answered:
            phone.get_by_role("button", name="Kirim").tap()
        assert answered.value.status == 201, answered.value.text()
        code = str(answered.value.json()["code"])
        status = phone.locator("#c-status")
        expect(status).to_contain_text(f"Kode pengaduan Anda: {code}")
        expect(phone.locator("#c-error")).to_be_empty()
        expect(email_field).not_to_have_attribute("aria-invalid", "true")
        expect(phone.get_by_role("button", name="Kirim")).to_be_disabled()
        fits_the_phone(phone)
        shot(phone, "03-form-sent-phone")

        # The staf records it with its SP4N-LAPOR! ticket and passes it to the Kasi.
        contexts.append(staf_context := browser.new_context(**DESKTOP))
        violations["staf"] = watch_csp(staf_context)
        staf = staf_context.new_page()
        staff_signs_in(staf, stack, "staf")
        opens_from_the_inbox(staf, stack, code)
        expect(staf.locator("main")).to_contain_text(COMPLAINT)
        staf.get_by_label(re.compile(r"Nomor tiket SP4N-LAPOR!")).fill(LAPOR)
        staf.get_by_label("Teruskan kepada Kepala Seksi").check()
        shot(staf, "04-staf-records-1366", full=False)
        staf.get_by_role("button", name="Simpan", exact=True).click()
        expect(staf.locator(".alert.ok")).to_contain_text("Keputusan tersimpan.")

        # The Kasi sees the ticket number, writes the answer and approves it.
        contexts.append(kasi_context := browser.new_context(**DESKTOP))
        violations["kasi"] = watch_csp(kasi_context)
        kasi = kasi_context.new_page()
        staff_signs_in(kasi, stack, "kasi_penempatan")
        opens_from_the_inbox(kasi, stack, code)
        expect(kasi.locator("main")).to_contain_text(LAPOR)
        kasi.get_by_label(re.compile(r"Jawaban / tindak lanjut untuk pelapor")).fill(ANSWER)
        kasi.get_by_label("Setujui dan kirim jawaban").check()
        shot(kasi, "05-kasi-answers-1366", full=False)
        kasi.get_by_role("button", name="Simpan", exact=True).click()
        expect(kasi.locator(".alert.ok")).to_contain_text("Keputusan tersimpan.")
        # The Kasi's inbox links the satisfaction index of the office (staff/ikm_pages.py).
        kasi.get_by_role("link", name="Indeks kepuasan").click()
        expect(
            kasi.get_by_role("heading", name=f"Indeks Kepuasan Masyarakat · {OFFICE_NAME}")
        ).to_be_visible()
        expect(kasi.locator("#ikm-ak1")).to_be_visible()
        shot(kasi, "05b-ikm-1366", full=False)

        # The worker emails the answer, once.
        mails = wait_for(lambda: answer_mails(stack, code), WORKER_SECONDS, interval=0.5)
        assert len(mails) == 1, [m["Subject"] for m in mails]
        text = " ".join(body_text(mails[0]).split())
        assert ANSWER in text, text
        assert violations == {"phone": [], "staf": [], "kasi": []}, violations
    except BaseException:
        for n, page in enumerate(p for context in contexts for p in context.pages):
            with contextlib.suppress(Exception):
                page.screenshot(path=str(SHOTS / f"complaint-zz-failed-{n}.png"), full_page=True)
        print(stack.tail())
        raise
    finally:
        for context in contexts:
            context.close()


def api(
    stack: Stack, method: str, path: str, token: str | None = None, key: str | None = None, **kw: Any
) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if key:
        headers["Idempotency-Key"] = key
    answer = requests.request(
        method, f"{stack.api_url}{path}", headers=headers, timeout=REQUEST_SECONDS, **kw
    )
    assert answer.status_code < 300, (path, answer.status_code, answer.text)
    return answer.json()


def completed_case(stack: Stack, browser: Browser) -> tuple[dict[str, Any], str]:
    """A wiring-check case filed through the API, approved by the petugas on the staff page and
    completed by the worker: (the sign-in answer, the case id)."""
    api(
        stack,
        "POST",
        "/api/account/signup",
        json={"username": APPLICANT, "password": PASSWORD, "email": APPLICANT_EMAIL},
    )
    api(stack, "POST", "/api/account/confirm", json={"username": APPLICANT, "code": "123456"})
    signed = api(stack, "POST", "/api/account/signin", json={"username": APPLICANT, "password": PASSWORD})
    token = signed["id_token"]
    opened = api(
        stack, "POST", "/api/cases", token, key="skm-browser-1",
        json={"office": OFFICE, "service": "uji-sambungan", "email": APPLICANT_EMAIL},
    )  # fmt: skip
    case_id = str(opened["case_id"])
    slot = api(
        stack,
        "POST",
        f"/api/cases/{case_id}/uploads",
        token,
        json={"document": "lampiran", "content_type": "application/pdf"},
    )
    sent = requests.post(
        slot["url"], data=slot["fields"], files={"file": ("l.pdf", PDF)}, timeout=REQUEST_SECONDS
    )
    assert sent.status_code in (200, 204), sent.text
    api(stack, "PUT", f"/api/cases/{case_id}/documents/lampiran", token, json={"key": slot["key"]})
    wait_for(
        lambda: (
            api(stack, "GET", f"/api/cases/{case_id}", token)["documents"]["lampiran"]["state"] == "checked"
        )
    )
    api(stack, "POST", f"/api/cases/{case_id}/submit", token, json={})
    context = browser.new_context(**DESKTOP)
    try:
        desk = context.new_page()
        staff_signs_in(desk, stack, "petugas_antar_kerja")
        link = desk.locator(f'a[href*="/staff/cases/{case_id}"]').first
        until_visible(link, desk.reload, WORKER_SECONDS)
        link.click()
        desk.get_by_label("Setujui").check()
        desk.get_by_role("button", name="Simpan", exact=True).click()
        expect(desk.locator(".alert.ok")).to_have_text("Keputusan tersimpan.")
    finally:
        context.close()
    wait_for(
        lambda: api(stack, "GET", f"/api/cases/{case_id}", token)["status"] == "completed", WORKER_SECONDS
    )
    return signed, case_id


def signed_in_on(page: Page, stack: Stack, signed: dict[str, Any]) -> None:
    """The applicant's session kept on this browser, as the site's sign-in box keeps it."""
    page.goto(f"{stack.site_url}/index.html")
    session = {
        "id_token": signed["id_token"],
        "refresh_token": signed.get("refresh_token", ""),
        "username": APPLICANT,
        "email": APPLICANT_EMAIL,
        "kind": "",
        "organisation": "",
    }
    page.evaluate(
        "(s) => localStorage.setItem('loket.session',"
        " JSON.stringify(Object.assign(s, {expires_at: Date.now() + 3600000})))",
        session,
    )


def test_a_completed_case_asks_the_survey_and_links_a_complaint(stack: Stack, browser: Browser) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    contexts: list[BrowserContext] = []
    try:
        signed, case_id = completed_case(stack, browser)
        code = api(stack, "GET", f"/api/cases/{case_id}", signed["id_token"])["code"]
        contexts.append(desk_context := browser.new_context(**DESKTOP))
        contexts.append(phone_context := browser.new_context(**PHONE))
        violations = {"desktop": watch_csp(desk_context), "phone": watch_csp(phone_context)}
        desk, phone = desk_context.new_page(), phone_context.new_page()
        for page in (desk, phone):
            signed_in_on(page, stack, signed)
            page.goto(f"{stack.site_url}/berkas.html?id={case_id}")
            expect(page.locator("#survey-form")).to_be_visible()
            expect(page.locator("#survey-form fieldset")).to_have_count(len(ikm.ELEMENTS))
            expect(page.locator("#complaint-link")).to_be_visible()
        fits_the_phone(phone)
        phone.locator("#survey").scroll_into_view_if_needed()
        shot(phone, "06-survey-phone", full=False)
        shot(phone, "06b-status-phone")
        desk.locator("#survey").scroll_into_view_if_needed()
        shot(desk, "07-survey-1366", full=False)

        # Nine answers on the phone, one send; the desktop's second send is refused, once only.
        for n, (key, _label, _question) in enumerate(ikm.ELEMENTS):
            phone.locator(f'#survey-form label:has(input[name="{key}"][value="{3 + n % 2}"])').tap()
        with phone.expect_response(re.compile(r"/survey$")) as answered:
            phone.locator("#survey-send").tap()
        assert answered.value.status == 201, answered.value.text()
        expect(phone.locator("#survey-done")).to_have_text("Terima kasih, penilaian Anda sudah kami terima.")
        for key, _label, _question in ikm.ELEMENTS:
            desk.locator(f'#survey-form label:has(input[name="{key}"][value="4"])').click()
        desk.locator("#survey-send").click()
        expect(desk.locator("#survey-status")).to_contain_text("sudah diisi")

        # The complaint link opens the form about this case, at its office.
        phone.locator("#complaint-link").scroll_into_view_if_needed()
        shot(phone, "08-complaint-link-phone", full=False)
        phone.locator("#complaint-link").tap()
        expect(phone).to_have_url(re.compile(r"/pengaduan\.html\?kantor="))
        expect(phone.locator("#c-case")).to_have_text(f"Tentang berkas: {code}")
        expect(phone.get_by_label("Kantor tujuan")).to_have_value(OFFICE)
        expect(phone.get_by_label("Kantor tujuan")).to_be_disabled()
        expect(phone.get_by_label("Email untuk jawaban")).to_have_value(APPLICANT_EMAIL)
        fits_the_phone(phone)
        shot(phone, "09-complaint-about-case-phone")
        # The published standard's complaint component links the form, at that office.
        phone.goto(f"{stack.site_url}/standar.html?kantor={OFFICE}&layanan=ak1")
        online = phone.locator("#std-complaint")
        expect(online).to_have_attribute("href", f"pengaduan.html?kantor={OFFICE}")
        online.scroll_into_view_if_needed()
        fits_the_phone(phone)
        shot(phone, "09b-standard-complaint-phone", full=False)
        desk.goto(f"{stack.site_url}/pengaduan.html")
        expect(desk.get_by_label("Kantor tujuan").locator(f'option[value="{OFFICE}"]')).to_have_count(1)
        shot(desk, "10-complaint-form-1366", full=False)
        assert violations == {"desktop": [], "phone": []}, violations
    except BaseException:
        for n, page in enumerate(p for context in contexts for p in context.pages):
            with contextlib.suppress(Exception):
                page.screenshot(path=str(SHOTS / f"complaint-zz-failed-survey-{n}.png"), full_page=True)
        print(stack.tail())
        raise
    finally:
        for context in contexts:
            context.close()
