"""AK-1 in a real browser, as people do it: Debian's chromium driven by playwright against the local
stack (`make run`'s, on free ports).

A job seeker on a phone scans the poster's QR code, creates an account, fills the form (in lower
case: the page shows capitals), photographs a KTP, attaches the diploma and a 3x4 photo straight
from the camera (over the 2 MB limit: the page shrinks it), reloads the page halfway (the draft
survives) and submits; the status page shows the short code and a timeline numbered from 1, and the
receipt email ("Berkas diterima") carries the code in its subject. Officers on a desktop check the
file, then counsel and approve; the stack's worker pump issues, mails and publishes the card. The
job seeker sees "Selesai" and the message, downloads the card (its text has the registration number,
its QR opens cek.html, which says valid with a masked name), and moto's SES holds exactly one email
with the card attached. Then someone else's account types the same NIK on the form and is told at
once that it holds a card.

Screenshots of each stage go to out/browser/. `make browser` installs chromium (`make test` does).
"""

from __future__ import annotations

import contextlib
import email
import functools
import io
import re
import subprocess
import sys
import time
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from typing import Any

import boto3
import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from chalicelib.domain import cards
from chalicelib.domain.files import judge_ending
from chalicelib.domain.uploads import INFECTED
from tests import upload_corpus as corpus
from tests.browser.conftest import assert_csp_enforced, watch_csp
from tests.conftest import wait_for
from tests.deadlines import BROWSER_MS
from tests.stack import ROOT, Stack

# One stack for both journeys (module fixture), so both run on one xdist worker.
pytestmark = [pytest.mark.stack, pytest.mark.browser, pytest.mark.xdist_group("browser-stack")]

PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 800},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "id-ID",
    "timezone_id": "Asia/Jakarta",
}
DESKTOP: dict[str, Any] = {
    "viewport": {"width": 1280, "height": 900},
    "locale": "id-ID",
    "timezone_id": "Asia/Jakarta",
}
SHOTS = ROOT / "out" / "browser"

OFFICE, SERVICE = "kab-pasuruan", "ak1"
OFFICE_NAME = "Kabupaten Pasuruan"  # the inbox's heading names the office, not its id
USER, EMAIL, PASSWORD = "siti_rahayu", "siti.rahayu@contoh.id", "Rahasia123"
NIK = "3514015708950001"  # Kabupaten Pasuruan (35 14), a woman (17 + 40 = 57) born 17-08-1995
# Another woman born that day: the shared stack keeps the first test's card, and one NIK holds one
# valid AK-1 per office (services/one_card.py), so the second test's job seeker is another person.
NIK2 = "3514015708950002"
PHOTO_LIMIT = 2 * 1024 * 1024  # the photo's max_size_mb in ak1.yaml
MESSAGE = "Lowongan admin di PT Contoh, kirim CV minggu ini."
RETURN_NOTE = "Foto KTP buram, mohon unggah ulang yang jelas."
WORKER_SECONDS = 60  # state machine steps and the worker pump, on a busy CI machine
LOOK_MS = 500  # one look at a page before it is refreshed (until_visible)


# --- what the job seeker has on the phone ------------------------------------------------------


def jpeg(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def ktp_photo() -> bytes:
    card = Image.new("RGB", (1000, 630), (96, 150, 210))
    draw = ImageDraw.Draw(card)
    draw.text((40, 30), "PROVINSI JAWA TIMUR  KABUPATEN PASURUAN", fill=(0, 0, 0))
    draw.text((40, 80), f"NIK {NIK}", fill=(0, 0, 0))
    draw.rectangle((760, 160, 940, 400), fill=(200, 60, 60))
    return jpeg(card)


@functools.cache
def camera_photo() -> bytes:
    """A 3000x4000 portrait straight from a phone camera: sensor noise makes it ~4 MB (made once:
    0.7 s of CPU)."""
    w, h = 3000, 4000
    shade = Image.linear_gradient("L").resize((w, h))
    image = Image.merge("RGB", (shade, shade.rotate(90).resize((w, h)), Image.new("L", (w, h), 150)))
    draw = ImageDraw.Draw(image)
    draw.ellipse((800, 900, 2200, 2600), fill=(225, 185, 160))
    draw.rectangle((500, 2700, 2500, h), fill=(30, 40, 90))
    return jpeg(Image.blend(image, Image.effect_noise((w, h), 30).convert("RGB"), 0.25), 92)


def diploma_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(842, 595))
    page.drawString(72, 500, "IJAZAH SEKOLAH MENENGAH ATAS")
    page.drawString(72, 470, "SMA NEGERI 1 PASURUAN  -  SITI RAHAYU  -  2013")
    page.showPage()
    page.save()
    return out.getvalue()


# --- reading PDFs -----------------------------------------------------------------------------


def pdf_text_and_codes(pdf: bytes) -> tuple[str, list[str]]:
    """The first page's text and what its QR codes say (as tests/integration/test_ak1.py reads the card)."""
    page = pdfium.PdfDocument(pdf)[0]
    text = page.get_textpage().get_text_range()
    return text, [code.text for code in zxingcpp.read_barcodes(page.render(scale=3).to_pil())]


def poster_link(site: str, tmp_path: Path) -> str:
    """The QR link exactly as printed on the service's poster (`cli poster`)."""
    poster = tmp_path / "poster.pdf"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "chalicelib.cli",
            "poster",
            OFFICE,
            SERVICE,
            "--site",
            site,
            "--out",
            str(poster),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=60,
    )
    _, codes = pdf_text_and_codes(poster.read_bytes())
    assert len(codes) == 1, codes
    return codes[0]


# --- browser helpers --------------------------------------------------------------------------


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def until_visible(target: Locator, refresh: Callable[[], Any], seconds: float) -> None:
    """Poll as a person would (refresh, look again) until `target` shows, for at most `seconds`.
    A look lasts LOOK_MS: what the page shows changes only when it is refreshed (the inbox) or
    refreshes itself."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            expect(target).to_be_visible(timeout=LOOK_MS)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            refresh()


def image_loaded(image: Locator) -> tuple[int, int]:
    """Scroll the (lazy) image into view and wait until it is decoded; its natural size."""
    image.scroll_into_view_if_needed()
    image.evaluate(
        "img => img.complete && img.naturalWidth ? null : new Promise((ok, fail) => "
        "{ img.onload = ok; img.onerror = () => fail(new Error('image failed: ' + img.src)); })"
    )
    width, height = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    return int(width), int(height)


# --- the journey --------------------------------------------------------------------------------


def signs_up(phone: Page, user: str, mail: str) -> None:
    """Account: sign up on the open form, then the code from the email (moto sends none and takes
    any number)."""
    phone.get_by_role("tab", name="Daftar akun").tap()
    phone.locator("#signup-username").fill(user)
    phone.locator("#signup-email").fill(mail)
    phone.locator("#signup-password").fill(PASSWORD)
    phone.locator("#signup-password2").fill(PASSWORD)
    phone.locator("#btn-signup").tap()
    expect(phone.locator(".auth-notice")).to_contain_text("Kode konfirmasi telah dikirim ke")
    phone.locator("#confirm-code").fill("123456")
    phone.locator("#btn-confirm").tap()
    expect(phone.locator("#signed-in")).to_contain_text(f"Masuk sebagai {user}")
    expect(phone.locator("#signed-in")).to_contain_text(mail)


def job_seeker_applies(
    phone: Page,
    link: str,
    stack: Stack,
    user: str = USER,
    mail: str = EMAIL,
    csp: list[str] | None = None,
    nik: str = NIK,
) -> str:
    """From the poster's link to a submitted case, with one reload midway; returns the case id.
    With `csp` (a watch_csp list), first shows the form's CSP is there and heard."""
    phone.goto(link)
    expect(phone.locator("#svc-title")).to_have_text("Pelayanan Penerbitan Kartu AK-1 (Pelayanan Online)")
    if csp is not None:
        assert_csp_enforced(phone, csp)
    shot(phone, "01-qr-link-opened")

    signs_up(phone, user, mail)

    # The form, typed in lower case: the standard asks for capitals and the page shows them.
    name = phone.locator("#f-identitas-nama_lengkap")
    phone.locator("#f-identitas-nik").press_sequentially(nik)
    name.press_sequentially("siti rahayu")
    expect(name).to_have_value("SITI RAHAYU")
    phone.locator("#f-identitas-tempat_lahir").press_sequentially("pasuruan")
    expect(phone.locator("#f-identitas-tempat_lahir")).to_have_value("PASURUAN")
    phone.locator("#f-identitas-tanggal_lahir").fill("1995-08-17")
    phone.get_by_label("Perempuan").check()
    phone.locator("#f-identitas-status_perkawinan").select_option("Belum Kawin")
    phone.locator("#f-identitas-agama").select_option("Islam")
    phone.locator("#f-identitas-alamat").press_sequentially("jl. melati no. 5, pandaan")
    expect(phone.locator("#f-identitas-alamat")).to_have_value("JL. MELATI NO. 5, PANDAAN")
    phone.locator("#f-identitas-nomor_hp").fill("081234567890")
    expect(phone.locator("#sec-identitas .warn")).to_have_count(0)  # NIK agrees with date and sex
    expect(phone.locator("#sec-identitas .has-err")).to_have_count(0)

    phone.locator("#file-ktp").set_input_files(
        files=[{"name": "ktp.jpg", "mimeType": "image/jpeg", "buffer": ktp_photo()}]
    )
    expect(phone.locator("#doc-ktp-status")).to_have_text("Terunggah ✓ (JPEG)", timeout=BROWSER_MS)
    shot(phone, "02-form-half-filled")

    # Midway: the page is reloaded (a tab the phone dropped); the draft and the upload remain.
    phone.reload()
    expect(phone.locator("#signed-in")).to_contain_text(f"Masuk sebagai {user}")
    expect(name).to_have_value("SITI RAHAYU")
    expect(phone.locator("#f-identitas-nik")).to_have_value(nik)
    expect(phone.locator("#f-identitas-tanggal_lahir")).to_have_value("1995-08-17")
    expect(phone.get_by_label("Perempuan")).to_be_checked()
    expect(phone.locator("#f-identitas-agama")).to_have_value("Islam")
    expect(phone.locator("#f-identitas-alamat")).to_have_value("JL. MELATI NO. 5, PANDAAN")
    expect(phone.locator("#doc-ktp-status")).to_have_text("Terunggah ✓ (JPEG)")
    shot(phone, "03-after-reload")

    phone.locator("#f-pendidikan_terakhir-jenjang").select_option("SMA/SMK")
    phone.locator("#f-pendidikan_terakhir-nama_sekolah").press_sequentially("sma negeri 1 pasuruan")
    expect(phone.locator("#f-pendidikan_terakhir-nama_sekolah")).to_have_value("SMA NEGERI 1 PASURUAN")
    phone.locator("#f-pendidikan_terakhir-tahun_lulus").fill("2013")

    # A refused file is said next to its field in the server's own words (issue 12), and nothing
    # typed is lost: a diploma cut short is refused at once, one carrying the EICAR test file
    # after the worker's scan ("Sedang diperiksa" meanwhile).
    diploma = phone.locator("#doc-ijazah_terakhir-status")
    phone.locator("#file-ijazah_terakhir").set_input_files(
        files=[
            {"name": "ijazah.pdf", "mimeType": "application/pdf", "buffer": corpus.cut_short(diploma_pdf())}
        ]
    )
    expect(diploma).to_have_text(judge_ending("pdf", b"").message, timeout=BROWSER_MS)
    phone.locator("#file-ijazah_terakhir").set_input_files(
        files=[{"name": "ijazah.pdf", "mimeType": "application/pdf", "buffer": corpus.eicar_pdf()}]
    )
    expect(diploma).to_have_text(INFECTED, timeout=BROWSER_MS)
    expect(name).to_have_value("SITI RAHAYU")
    expect(phone.locator("#f-pendidikan_terakhir-nama_sekolah")).to_have_value("SMA NEGERI 1 PASURUAN")
    shot(phone, "04a-refused-files")

    phone.locator("#file-ijazah_terakhir").set_input_files(
        files=[{"name": "ijazah.pdf", "mimeType": "application/pdf", "buffer": diploma_pdf()}]
    )
    photo = camera_photo()
    assert len(photo) > PHOTO_LIMIT, "the camera photo must be over the photo's limit"
    phone.locator("#file-pas_foto").set_input_files(
        files=[{"name": "IMG_20250817_081500.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    expect(phone.locator("#doc-ijazah_terakhir-status")).to_have_text("Terunggah ✓ (PDF)", timeout=BROWSER_MS)
    expect(phone.locator("#doc-pas_foto-status")).to_have_text("Terunggah ✓ (JPEG)", timeout=BROWSER_MS)
    shot(phone, "04-ready-to-send")

    phone.locator("#btn-submit").tap()
    phone.wait_for_url(re.compile(r"/berkas\.html\?id=\w+$"), timeout=BROWSER_MS)
    case_id = phone.url.rsplit("id=", 1)[1]
    # Issue 13: the short code people read aloud (K7Q-M3X-D2F), not the 24-character id.
    expect(phone.locator("#case-number")).to_have_text(re.compile(r"^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$"))
    expect(phone.locator("#status-badge")).to_have_text(re.compile("diproses", re.IGNORECASE))
    # The timeline right after submit: numbered from 1, only the steps that concern the job
    # seeker (no "Jika kelengkapan berkas kurang"), one current step.
    steps = phone.locator("#timeline > li")
    expect(steps.first.locator(".dot")).to_have_text("1")
    numbers = [int(n) for n in steps.locator(".dot").all_inner_texts()]
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    expect(phone.locator("#timeline")).not_to_contain_text("Jika kelengkapan berkas kurang")
    expect(phone.locator('#timeline > li[aria-current="step"]')).to_have_count(1)
    shot(phone, "05-submitted")
    code = phone.locator("#case-number").inner_text().strip()

    # The receipt email: "Berkas diterima", with the code people read aloud in its subject.
    def receipt() -> Message | None:
        for raw in stack.moto_state().get("ses", {}).get("RawMessage", []):
            message = email.message_from_string(raw["raw_data"])
            if mail in raw["destinations"] and code in str(message["Subject"]):
                return message
        return None

    received = wait_for(receipt, WORKER_SECONDS, interval=0.25)
    assert "diterima" in str(received["Subject"]).lower(), received["Subject"]
    assert case_id not in str(received["Subject"])  # the long id stays internal

    # The photo went up shrunk by the browser: under the limit, at most 800 px on its long side.
    s3 = boto3.client("s3", **stack.aws())
    bucket = next(b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith("loket-uploads"))
    keys = s3.list_objects_v2(Bucket=bucket, Prefix=f"cases/{case_id}/pas_foto/").get("Contents", [])
    assert len(keys) == 1, keys
    stored = s3.get_object(Bucket=bucket, Key=keys[0]["Key"])["Body"].read()
    assert len(stored) < PHOTO_LIMIT and len(stored) < len(photo) // 4, len(stored)
    assert max(Image.open(io.BytesIO(stored)).size) <= 800
    return case_id


def officer_signs_in(desk: Page, stack: Stack, username: str) -> None:
    desk.goto(f"{stack.api_url}/staff/login")
    expect(desk.get_by_role("heading", name="Masuk petugas")).to_be_visible()
    desk.get_by_label("Nama pengguna").fill(username)
    desk.get_by_label("Kata sandi").fill(stack.passwords[username])
    desk.get_by_role("button", name="Masuk").click()
    expect(desk.get_by_role("heading", name=f"Kotak tugas · {OFFICE_NAME}")).to_be_visible()


def officer_opens_case(desk: Page, case_id: str) -> None:
    """Wait for the case in the inbox (the state machine puts it there), then open it."""
    # The row holds a link to the case (the inbox shows the short code, not the long id).
    row = desk.get_by_role("row").filter(has=desk.locator(f'a[href*="/staff/cases/{case_id}"]'))
    link = row.locator(f'a[href*="/staff/cases/{case_id}"]').first  # the applicant's name
    until_visible(link, desk.reload, WORKER_SECONDS)
    expect(row).to_contain_text("SITI RAHAYU")
    link.click()
    expect(desk.get_by_role("heading", name=re.compile(r"Langkah \d+ · tugas Anda"))).to_be_visible()


def officers_decide(desk: Page, stack: Stack, case_id: str, csp: list[str]) -> None:
    officer_signs_in(desk, stack, f"{OFFICE}.petugas_antar_kerja")
    assert_csp_enforced(desk, csp)  # the staff pages' CSP is there and heard
    shot(desk, "06-officer-inbox")
    officer_opens_case(desk, case_id)
    expect(desk.locator("main")).to_contain_text("SITI RAHAYU")
    expect(desk.locator("main")).to_contain_text(NIK)
    # The documents, inline: KTP and photo as pictures (the photo as the browser shrank it), the diploma.
    ktp = image_loaded(desk.locator("#dok-ktp img"))
    assert ktp == (1000, 630), ktp
    assert max(image_loaded(desk.locator("#dok-pas_foto img"))) <= 800
    diploma = desk.locator('#dok-ijazah_terakhir object[type="application/pdf"]')
    expect(diploma).to_be_attached()
    served = desk.request.get(str(diploma.get_attribute("data")))
    assert served.ok and served.body().startswith(b"%PDF"), served.status
    shot(desk, "07-officer-case-documents")
    desk.get_by_label("Berkas lengkap").check()
    desk.get_by_role("button", name="Simpan", exact=True).click()  # back to the inbox
    expect(desk.locator(".alert.ok")).to_have_text("Keputusan tersimpan.")

    desk.goto(f"{stack.api_url}/staff")
    desk.get_by_role("button", name="Keluar").click()
    expect(desk.get_by_role("heading", name="Masuk petugas")).to_be_visible()

    officer_signs_in(desk, stack, f"{OFFICE}.pengantar_kerja")
    officer_opens_case(desk, case_id)
    desk.get_by_label("Saluran konseling").select_option("Email")
    desk.get_by_label("Catatan konseling").fill("Minat di bidang administrasi perkantoran.")
    desk.get_by_label(re.compile(r"^Pesan untuk pencari kerja")).fill(MESSAGE)
    shot(desk, "08-counselling")
    expect(desk.get_by_label("Konseling selesai, terbitkan AK-1")).to_be_checked()  # the one choice
    desk.get_by_role("button", name="Simpan", exact=True).click()
    expect(desk.locator(".alert.ok")).to_have_text("Keputusan tersimpan.")


def job_seeker_downloads_card(phone: Page, stack: Stack, case_id: str) -> tuple[str, bytes]:
    """berkas.html shows "Selesai", the message and the download; returns (number, card PDF)."""
    # The card can be downloadable a moment before the case is closed: wait for both, refreshing.
    done = phone.locator("#status-badge").filter(has_text=re.compile(r"^\s*Selesai\s*$"))
    until_visible(done, lambda: phone.locator("#btn-refresh").tap(), WORKER_SECONDS)
    download = phone.get_by_role("button", name="Unduh Kartu AK-1 (PDF)")
    expect(download).to_be_visible()
    expect(phone.locator("#messages")).to_contain_text(MESSAGE)
    number = phone.locator("#products .mono").inner_text().strip()
    assert re.fullmatch(r"3514\d{12}", number), number
    shot(phone, "09-card-ready")

    with phone.expect_download() as downloading:
        download.tap()
    card = Path(downloading.value.path()).read_bytes()
    assert card.startswith(b"%PDF") and downloading.value.suggested_filename.endswith(".pdf")
    text, codes = pdf_text_and_codes(card)
    assert number in text.replace(" ", ""), text
    assert NIK in text and "SITI RAHAYU" in text
    assert len(codes) == 1 and re.fullmatch(rf"{re.escape(stack.site_url)}/cek\.html\?id=[\w-]+", codes[0]), (
        codes
    )

    # Anyone who scans the card's QR sees it valid, with the name masked.
    phone.goto(codes[0])
    verdict = phone.locator("#verdict")
    expect(verdict).to_have_attribute("data-status", "valid")
    expect(verdict).to_contain_text("SAH / BERLAKU")
    facts = phone.locator("#vfacts")
    expect(facts).to_contain_text(number)
    expect(facts).to_contain_text("SI** RA****")
    expect(phone.locator("main")).not_to_contain_text("SITI RAHAYU")
    shot(phone, "10-verified")
    return number, card


def mail_with_pdf_to(stack: Stack, address: str) -> list[tuple[Message, list[bytes]]]:
    """Mail moto's SES has sent to `address`, with its PDF attachments (as the server shows its state)."""
    sent = stack.moto_state().get("ses", {}).get("RawMessage", [])
    found = []
    for raw in sent:
        if address not in raw["destinations"]:
            continue
        message = email.message_from_string(raw["raw_data"])
        parts = [part.get_payload(decode=True) for part in message.walk()]
        types = [part.get_content_type() for part in message.walk()]
        pdfs = [
            p
            for p, kind in zip(parts, types, strict=True)
            if kind == "application/pdf" and isinstance(p, bytes)
        ]
        if pdfs:
            found.append((message, pdfs))
    return found


def test_job_seeker_gets_the_ak1_card_from_the_poster_qr_in_a_phone_browser(
    stack: Stack, browser: Browser, tmp_path: Path
) -> None:
    # This journey's own screenshots afresh (numbered, or zz- on failure); out/browser/ is shared
    # with the other browser tests, which may be writing into it on the other worker.
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in [*SHOTS.glob("[0-9][0-9]*-*.png"), *SHOTS.glob("zz-*.png")]:
        old.unlink(missing_ok=True)
    contexts: list[BrowserContext] = []
    try:
        link = poster_link(stack.site_url, tmp_path)
        assert link == f"{stack.site_url}/ajukan.html?kantor={OFFICE}&layanan={SERVICE}", link

        contexts.append(phone_context := browser.new_context(**PHONE))
        violations = {"phone": watch_csp(phone_context)}
        phone = phone_context.new_page()
        case_id = job_seeker_applies(phone, link, stack, csp=violations["phone"])

        contexts.append(desk_context := browser.new_context(**DESKTOP))
        violations["staff"] = watch_csp(desk_context)
        officers_decide(desk_context.new_page(), stack, case_id, violations["staff"])

        number, card = job_seeker_downloads_card(phone, stack, case_id)

        mails = mail_with_pdf_to(stack, EMAIL)
        assert len(mails) == 1, [str(m["Subject"]) for m, _ in mails]
        message, pdfs = mails[0]
        assert "AK-1" in str(message["Subject"]) and len(pdfs) == 1
        text, codes = pdf_text_and_codes(pdfs[0])
        assert number in text.replace(" ", "") and codes == pdf_text_and_codes(card)[1]

        # One valid card per NIK: someone else's account types the same NIK and is told at once,
        # beside the field, before anything is uploaded or sent.
        contexts.append(other_context := browser.new_context(**PHONE))
        violations["other"] = watch_csp(other_context)
        other = other_context.new_page()
        other.goto(link)
        signs_up(other, "siti_kedua", "siti.kedua@contoh.id")
        other.locator("#f-identitas-nik").press_sequentially(NIK)
        note = other.locator("#f-identitas-nik-note")
        expect(note).to_be_visible()
        expect(note).to_have_text(str(cards.told(cards.Standing(cards.OTHER_CARD), "Kartu AK-1")))
        shot(other, "11-same-nik-other-account")
        # The whole journey held under the CSP: the public form, status and check pages on the
        # phone, the staff inbox and case pages (documents inline) on the desk.
        assert violations == {"phone": [], "staff": [], "other": []}, violations
    except BaseException:
        for n, page in enumerate(p for context in contexts for p in context.pages):
            with contextlib.suppress(Exception):
                page.screenshot(path=str(SHOTS / f"zz-failed-{n}.png"), full_page=True)
        print(stack.tail())  # shown by pytest with the failure
        raise
    finally:
        for context in contexts:
            context.close()


def test_job_seeker_fixes_a_returned_file_in_a_phone_browser(stack: Stack, browser: Browser) -> None:
    """The officer returns the file asking for the KTP again; on the phone the status page shows the
    note and only the KTP to replace; the job seeker uploads it and sends the file again, and it is
    back in the officer's queue at the same step."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    contexts: list[BrowserContext] = []
    try:
        contexts.append(phone_context := browser.new_context(**PHONE))
        violations = {"phone": watch_csp(phone_context)}
        phone = phone_context.new_page()
        link = f"{stack.site_url}/ajukan.html?kantor={OFFICE}&layanan={SERVICE}"
        case_id = job_seeker_applies(
            phone, link, stack, user="budi_santoso", mail="budi.santoso@contoh.id", nik=NIK2
        )

        contexts.append(desk_context := browser.new_context(**DESKTOP))
        violations["staff"] = watch_csp(desk_context)
        desk = desk_context.new_page()
        officer_signs_in(desk, stack, f"{OFFICE}.petugas_antar_kerja")
        officer_opens_case(desk, case_id)
        desk.locator("#item-ktp").check()
        desk.get_by_label(re.compile(r"^Catatan untuk pemohon")).fill(RETURN_NOTE)
        desk.get_by_label("Berkas kurang, minta pencari kerja melengkapi").check()
        desk.get_by_role("button", name="Simpan", exact=True).click()
        expect(desk.locator(".alert.ok")).to_have_text("Keputusan tersimpan.")

        returned = phone.locator("#returned")
        until_visible(returned, lambda: phone.locator("#btn-refresh").tap(), WORKER_SECONDS)
        expect(phone.locator("#status-note")).to_have_text(RETURN_NOTE)
        expect(returned.locator("input[type=file]")).to_have_count(1)  # only what the officer named
        expect(returned.locator("#file-ktp")).to_be_attached()
        expect(phone.locator('#timeline li[data-step="5"]')).to_have_class("returned")
        shot(phone, "11-returned")
        phone.locator("#btn-resubmit").tap()  # not yet replaced: the page says so, nothing is sent
        expect(phone.locator("#resubmit-status")).not_to_be_empty()
        expect(returned).to_be_visible()

        phone.locator("#file-ktp").set_input_files(
            files=[{"name": "ktp-baru.jpg", "mimeType": "image/jpeg", "buffer": ktp_photo()}]
        )
        expect(phone.locator("#doc-ktp-status")).to_have_text("Terunggah ✓ (JPEG)", timeout=BROWSER_MS)
        phone.locator("#btn-resubmit").tap()
        expect(phone.locator("#status-badge")).to_have_text(re.compile("diproses", re.IGNORECASE))
        expect(phone.locator("#returned")).to_have_count(0)
        shot(phone, "12-sent-again")

        desk.goto(f"{stack.api_url}/staff")
        officer_opens_case(desk, case_id)  # back in the queue, at the checking step
        expect(desk.locator("#langkah-05")).to_be_visible()
        assert violations == {"phone": [], "staff": []}, violations
    except BaseException:
        for n, page in enumerate(p for context in contexts for p in context.pages):
            with contextlib.suppress(Exception):
                page.screenshot(path=str(SHOTS / f"zz-returned-failed-{n}.png"), full_page=True)
        print(stack.tail())
        raise
    finally:
        for context in contexts:
            context.close()
