"""The officer's workbench in a real browser, on a staff desktop's 1366x768 screen (issue 13).

Against the shared local stack: two job seekers' AK-1 files (each with a KTP photo) are filed
through the public API and wait at the checking step. The petugas antar kerja finds the first
one by the NIK on its KTP on the search page, opens it and sees the KTP, the identity data and the
decision together without scrolling; zooms the KTP; approves it by keyboard (a, Enter on
"Simpan & berikutnya") and lands on the next file of the same queue. Then, from the inbox, the
second file is decided and the next one opened in three actions (open, choose, "Simpan &
berikutnya"). Other journeys' files may wait in the same queue: "next" is whatever the inbox
lists first for that queue, never the decided file, and only this journey's files are decided.

Screenshots (1366x768 and a 360x800 phone) go to out/browser/workbench-*.png.
"""

from __future__ import annotations

import contextlib
import io
import re
from typing import Any

import pytest
import requests
from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from chalicelib.services.catalog import find_service
from tests.browser.conftest import watch_csp
from tests.browser.test_ak1_browser import diploma_pdf, image_loaded, until_visible
from tests.conftest import wait_for
from tests.deadlines import REQUEST_SECONDS
from tests.forms import sample_form
from tests.stack import ROOT, Stack

pytestmark = [pytest.mark.stack, pytest.mark.browser]

OFFICE, SERVICE, ROLE = "kab-pasuruan", "ak1", "petugas_antar_kerja"
SHOTS = ROOT / "out" / "browser"
SCREEN: dict[str, Any] = {
    "viewport": {"width": 1366, "height": 768},
    "locale": "id-ID",
    "timezone_id": "Asia/Jakarta",
}
PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 800},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "id-ID",
    "timezone_id": "Asia/Jakarta",
}
PASSWORD = "Rahasia123"
WORKER_SECONDS = 60
# Two job seekers of Kabupaten Pasuruan (35 14 01), each a NIK of their own, matching birth and sex.
PEOPLE = (
    ("rina_meja", "RINA WULANDARI", "3514014604980007", "1998-04-06", "Perempuan"),
    ("agus_meja", "AGUS SETIAWAN", "3514011203900003", "1990-03-12", "Laki-laki"),
)


def shot(page: Page, name: str, full: bool = False) -> None:
    page.screenshot(path=str(SHOTS / f"workbench-{name}.png"), full_page=full)


def api(stack: Stack, method: str, path: str, token: str | None = None, **kwargs: Any) -> Any:
    headers = dict(kwargs.pop("headers", {}))
    if token:
        headers["Authorization"] = f"Bearer {token}"
    answer = requests.request(
        method, f"{stack.api_url}{path}", headers=headers, timeout=REQUEST_SECONDS, **kwargs
    )
    assert answer.status_code < 300, (path, answer.status_code, answer.text)
    return answer.json()


def ktp_photo(name: str, nik: str) -> bytes:
    """A KTP as a phone photographs it: 1000x630, the NIK in print about as large as on a card."""
    card = Image.new("RGB", (1000, 630), (96, 150, 210))
    draw = ImageDraw.Draw(card)
    draw.text((40, 25), "PROVINSI JAWA TIMUR", fill=(0, 0, 0), font=ImageFont.load_default(size=30))
    draw.text((40, 60), "KABUPATEN PASURUAN", fill=(0, 0, 0), font=ImageFont.load_default(size=30))
    draw.text((40, 115), f"NIK : {nik}", fill=(0, 0, 0), font=ImageFont.load_default(size=40))
    draw.text((40, 180), f"Nama : {name}", fill=(0, 0, 0), font=ImageFont.load_default(size=26))
    draw.rectangle((760, 180, 940, 420), fill=(200, 60, 60))
    out = io.BytesIO()
    card.save(out, "JPEG", quality=90)
    return out.getvalue()


def portrait() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 180, 160)).save(out, "JPEG", quality=85)
    return out.getvalue()


def files_ak1(stack: Stack, person: tuple[str, str, str, str, str]) -> str:
    """One job seeker's AK-1, filed through the public API as the site does it: the case id."""
    username, name, nik, born, sex = person
    email = f"{username}@contoh.id"
    api(
        stack,
        "POST",
        "/api/account/signup",
        json={"username": username, "password": PASSWORD, "email": email},
    )
    api(stack, "POST", "/api/account/confirm", json={"username": username, "code": "123456"})
    token = api(stack, "POST", "/api/account/signin", json={"username": username, "password": PASSWORD})[
        "id_token"
    ]
    opened = api(
        stack,
        "POST",
        "/api/cases",
        token,
        headers={"Idempotency-Key": f"meja-{username}"},
        json={"office": OFFICE, "service": SERVICE, "email": email},
    )
    case_id = str(opened["case_id"])
    entry = find_service(OFFICE, SERVICE)
    assert entry is not None
    form = sample_form(entry.sop)
    form["identitas"] = {
        **form["identitas"],
        "nik": nik,
        "nama_lengkap": name,
        "tanggal_lahir": born,
        "jenis_kelamin": sex,
    }
    form.pop("akun", None)
    api(stack, "PUT", f"/api/cases/{case_id}/form", token, json={"form": form, "confirm": []})
    for document, data, kind in (
        ("ktp", ktp_photo(name, nik), "image/jpeg"),
        ("ijazah_terakhir", diploma_pdf(), "application/pdf"),
        ("pas_foto", portrait(), "image/jpeg"),
    ):
        slot = api(
            stack,
            "POST",
            f"/api/cases/{case_id}/uploads",
            token,
            json={"document": document, "content_type": kind},
        )
        sent = requests.post(
            slot["url"], data=slot["fields"], files={"file": ("f", data)}, timeout=REQUEST_SECONDS
        )
        assert sent.status_code in (200, 204), sent.text
        api(stack, "PUT", f"/api/cases/{case_id}/documents/{document}", token, json={"key": slot["key"]})

    def checked() -> bool:  # the stack's worker scanned each file (the case is submitted only then)
        documents = api(stack, "GET", f"/api/cases/{case_id}", token)["documents"]
        return all(d["state"] == "checked" for d in documents.values())

    wait_for(checked)
    api(stack, "POST", f"/api/cases/{case_id}/submit", token, json={})
    return case_id


def signs_in(page: Page, stack: Stack) -> None:
    username = f"{OFFICE}.{ROLE}"
    page.goto(f"{stack.api_url}/staff/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(stack.passwords[username])
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Kotak tugas · Kabupaten Pasuruan")).to_be_visible()


def in_view(page: Page, target: Locator, what: str) -> None:
    """`target` wholly on the screen as it is (nothing scrolled)."""
    box = target.bounding_box()
    assert box is not None, f"{what} is not shown"
    view = page.viewport_size
    assert view is not None
    assert box["x"] >= 0 and box["y"] >= 0, (what, box)
    assert box["x"] + box["width"] <= view["width"] + 1, (what, box, view)
    assert box["y"] + box["height"] <= view["height"] + 1, (what, box, view)


def fits_the_phone(page: Page) -> None:
    """Nothing on the page is wider than the phone's 360 px (no sideways scrolling)."""
    wider = page.evaluate(
        "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 360)"
        ".slice(0, 5)"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wider


def queue_rows(page: Page, stack: Stack) -> list[str]:
    """The case ids of the AK-1 checking queue, in the inbox's order (that queue's filter link)."""
    page.goto(f"{stack.api_url}/staff?peran={ROLE}&layanan={SERVICE}")
    return [str(r.get_attribute("data-case")) for r in page.locator("tr.file").all()]


def next_after(rows: list[str], decided: str) -> str | None:
    rest = [r for r in rows if r != decided]
    return rest[0] if rest else None


def test_the_officer_checks_a_file_and_moves_on_on_a_1366x768_screen(stack: Stack, browser: Browser) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    contexts: list[BrowserContext] = []
    try:
        first, second = (files_ak1(stack, person) for person in PEOPLE)
        contexts.append(desk_context := browser.new_context(**SCREEN))
        violations = {"desk": watch_csp(desk_context)}
        desk = desk_context.new_page()
        signs_in(desk, stack)
        until_visible(desk.locator(f'tr[data-case="{second}"]'), desk.reload, WORKER_SECONDS)

        # The inbox: one line per file, the queue's count, the keyboard.
        row = desk.locator(f'tr[data-case="{first}"]')
        expect(row).to_contain_text("RINA WULANDARI")
        height = row.bounding_box()
        assert height is not None and height["height"] <= 48, height  # one line, not a 392-px form
        expect(desk.locator("main")).not_to_contain_text("Catatan (wajib")
        expect(desk.locator("table.queues")).to_contain_text(
            "Petugas Antar Kerja / Staf Pelayanan · Pelayanan Penerbitan Kartu AK-1"
        )
        desk.keyboard.press("j")
        expect(desk.locator("tr.file.current")).to_have_count(1)
        expect(desk.locator("tr.file").first).to_have_class(re.compile(r"\bcurrent\b"))
        shot(desk, "01-inbox-1366")
        rows = queue_rows(desk, stack)
        assert rows.index(first) < rows.index(second), rows

        # The same pages on a phone: one column, nothing wider than the screen; the decision
        # right after the data, the documents and the step, before the file's history.
        contexts.append(phone_context := browser.new_context(**PHONE))
        violations["phone"] = watch_csp(phone_context)
        phone = phone_context.new_page()
        signs_in(phone, stack)
        expect(phone.locator(f'tr[data-case="{first}"]')).to_be_visible()
        fits_the_phone(phone)
        shot(phone, "05-inbox-phone", full=True)
        phone.locator(f'tr[data-case="{first}"] a.open').tap()
        expect(phone.locator("#data-pemohon")).to_contain_text("RINA WULANDARI")
        fits_the_phone(phone)
        tops = phone.evaluate(
            "() => ['#data-pemohon', '#dok-ktp', '#langkah-05', '.decide-dock', '#jejak']"
            ".map(s => document.querySelector(s).getBoundingClientRect().top)"
        )
        assert tops == sorted(tops), tops
        shot(phone, "06-case-phone")
        phone.locator(".decide-dock").scroll_into_view_if_needed()
        shot(phone, "07-case-phone-decision")
        # The audit trail folds into one card per line on the phone, each value named (issue 14's
        # probe: loose "–" and "5" lines): every cell shows its label before its value.
        unnamed = phone.evaluate(
            "() => [...document.querySelectorAll('#jejak tbody td')]"
            ".map(td => getComputedStyle(td, '::before').content)"
            ".filter(c => !c.includes(':'))"
        )
        cells = phone.locator("#jejak tbody td").count()
        assert cells >= 5 and unnamed == [], unnamed
        labels = phone.evaluate(
            "() => [...document.querySelectorAll('#jejak tbody tr:first-child td')]"
            ".map(td => getComputedStyle(td, '::before').content)"
        )
        assert labels == ['"Waktu: "', '"Langkah: "', '"Oleh: "', '"Tindakan: "', '"Lama / baku: "'], labels
        phone.locator("#jejak").scroll_into_view_if_needed()
        fits_the_phone(phone)
        phone.locator("#jejak").screenshot(path=str(SHOTS / "workbench-08-trail-phone.png"))

        # Search by the job seeker's NIK, read off the KTP at the counter (a POST form: the NIK
        # never goes into a URL), then open the file from the results table.
        desk.get_by_role("link", name="Cari berkas").click()
        desk.get_by_label("Nama, NIK, kode atau nomor").fill(PEOPLE[0][2])
        desk.get_by_role("button", name="Cari").click()
        found = desk.locator("table tr").filter(has=desk.locator(f'a[href*="/staff/cases/{first}"]'))
        expect(found).to_have_count(1)
        expect(found).to_contain_text(PEOPLE[0][1])
        assert PEOPLE[0][2] not in desk.url
        shot(desk, "01b-search-nik-1366")
        found.locator(f'a[href*="/staff/cases/{first}"]').first.click()
        expect(desk.get_by_role("heading", name=re.compile(r"Langkah \d+ · tugas Anda"))).to_be_visible()

        # KTP, identity data and the decision, together on the screen, nothing scrolled.
        ktp = desk.locator("#dok-ktp img")
        image_loaded(ktp)
        nik = desk.locator("#data-pemohon dd").filter(has_text=PEOPLE[0][2])
        save_next = desk.get_by_role("button", name="Simpan & berikutnya")
        approve = desk.get_by_label("Berkas lengkap")
        for target, what in (
            (ktp, "the KTP"),
            (nik, "the NIK"),
            (save_next, "Simpan & berikutnya"),
            (approve, "Berkas lengkap"),
        ):
            in_view(desk, target, what)
        assert desk.evaluate("window.scrollY") == 0
        ktp_box = ktp.bounding_box()
        assert ktp_box is not None and ktp_box["width"] >= 600, ktp_box  # large enough to read the NIK
        shot(desk, "02-case-1366")
        # Zoom: a click doubles the picture in its pane (the link is the fallback without script).
        ktp.click()
        expect(desk.locator("#dok-ktp [data-zoom-box]")).to_have_attribute("data-level", "2")
        zoomed = ktp.bounding_box()
        assert zoomed is not None and zoomed["width"] > ktp_box["width"] * 1.4
        shot(desk, "03-ktp-zoomed")
        desk.get_by_role("button", name="Perkecil Kartu Tanda Penduduk (KTP)").click()
        expect(desk.locator("#dok-ktp [data-zoom-box]")).to_have_attribute("data-level", "1")

        # Keys do not fire while typing; then a (approve) and Enter ("Simpan & berikutnya").
        note = desk.get_by_label(re.compile(r"^Catatan untuk pemohon"))
        note.press_sequentially("ar")
        expect(approve).not_to_be_checked()
        note.fill("")
        desk.evaluate("document.activeElement.blur()")
        desk.keyboard.press("r")  # the return: chosen, and the note ready for its reason
        expect(desk.get_by_label("Berkas kurang, minta pencari kerja melengkapi")).to_be_checked()
        expect(note).to_be_focused()
        desk.evaluate("document.activeElement.blur()")
        expected = next_after(rows, first)
        desk.keyboard.press("a")
        expect(approve).to_be_checked()
        expect(save_next).to_be_focused()
        desk.keyboard.press("Enter")
        expect(desk.locator(".alert.ok")).to_contain_text("Keputusan tersimpan. Berikutnya dari antrean")
        assert expected is not None
        expect(desk).to_have_url(re.compile(rf"/staff/cases/{expected}\?"))
        assert first not in desk.url
        shot(desk, "04-next-file")

        # A refused decision (a return needs its reason) comes back with what was ticked.
        desk.goto(f"{stack.api_url}/staff/cases/{second}")
        desk.locator("#item-ktp").check()
        desk.get_by_label("Berkas kurang, minta pencari kerja melengkapi").check()
        desk.get_by_role("button", name="Simpan", exact=True).click()
        expect(desk.locator("main > .alert.error")).to_contain_text("Tuliskan alasannya")
        expect(desk).to_have_url(re.compile(rf"/staff/cases/{second}\?"))
        expect(desk.locator("#item-ktp")).to_be_checked()
        expect(desk.get_by_label("Berkas kurang, minta pencari kerja melengkapi")).to_be_checked()

        # From the inbox to a decided file and the next one opened: three actions.
        rows = queue_rows(desk, stack)
        expected = next_after(rows, second)
        desk.locator(f'tr[data-case="{second}"] a.open').click()  # 1: open
        in_view(desk, desk.locator("#dok-ktp img"), "the KTP")
        desk.get_by_label("Berkas lengkap").check()  # 2: choose
        desk.get_by_role("button", name="Simpan & berikutnya").click()  # 3: save, next
        if expected is None:
            expect(desk.locator(".alert.ok")).to_contain_text("sudah kosong")
        else:
            expect(desk).to_have_url(re.compile(rf"/staff/cases/{expected}\?"))
        assert second not in desk.url
        assert violations == {"desk": [], "phone": []}, violations

    except BaseException:
        for n, page in enumerate(p for context in contexts for p in context.pages):
            with contextlib.suppress(Exception):
                page.screenshot(path=str(SHOTS / f"workbench-zz-failed-{n}.png"), full_page=True)
        print(stack.tail())
        raise
    finally:
        for context in contexts:
            context.close()
