"""Issue 13 on the phone, without the stack: the site served as `make run` serves it, the API's
answers given by the test (playwright's routes), Debian's chromium at 360 px.

- the account box: "Nama pengguna atau email" to sign in, and a sign-up's code step that survives a
  reload (kept in sessionStorage, never the password);
- the form: capitals where the server keeps capitals, field by field (the immigration office as
  typed), and an organisation's remembered data prefilled without replacing what was typed;
- an upload row: a thumbnail of the photo that was sent, a PDF's page count and size, and a HEIC
  photo the browser cannot decode refused with the one-line hint.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, Route, expect
from reportlab.pdfgen import canvas

from chalicelib.services.forms import form_spec
from chalicelib.sop.loader import load_service
from tests.browser.conftest import open_blank, watch_csp

pytestmark = pytest.mark.browser

CPMI = load_service("kota-tangerang", "id-rekomendasi-paspor-cpmi")
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)


def _json(route: Route, status: int, answer: dict[str, Any]) -> None:
    route.fulfill(status=status, content_type="application/json", body=json.dumps(answer))


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 360, "height": 800}, is_mobile=True, locale="id-ID")
    violations = watch_csp(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
        assert errors == [], errors
        assert violations == [], violations
    finally:
        context.close()


def test_the_code_step_survives_a_reload_without_the_password(phone: Page, site: str) -> None:
    sent: list[dict[str, Any]] = []
    phone.route(
        "**/api/account/signup",
        lambda route: _json(route, 201, {"username": "siti", "destination": "s***@contoh.id"}),
    )

    def confirm(route: Route) -> None:
        sent.append(json.loads(route.request.post_data or "{}"))
        _json(route, 200, {"confirmed": True, "username": "siti"})

    phone.route("**/api/account/confirm", confirm)
    phone.goto(f"{site}/berkas.html")
    expect(phone.locator("label[for=signin-username]")).to_contain_text("Nama pengguna atau email")
    phone.get_by_role("tab", name="Daftar akun").click()
    expect(phone.locator("label[for=signup-username]")).to_contain_text("Nama pengguna")
    phone.locator("#signup-username").fill("siti")
    phone.locator("#signup-email").fill("siti@contoh.id")
    phone.locator("#signup-password").fill("Rahasia123")
    phone.locator("#signup-password2").fill("Rahasia123")
    phone.locator("#btn-signup").click()
    expect(phone.locator(".auth-notice")).to_contain_text("Kode konfirmasi telah dikirim ke s***@contoh.id")

    kept = phone.evaluate("() => JSON.stringify(window.sessionStorage)")
    assert "Rahasia123" not in kept and "siti@contoh.id" in kept
    phone.reload()
    expect(phone.locator(".auth-notice")).to_have_text(
        "Pendaftaran siti menunggu kode konfirmasi dari email s***@contoh.id."
    )
    expect(phone.locator("#confirm-code")).to_be_visible()
    expect(phone.get_by_role("tab", name="Daftar akun")).to_have_attribute("aria-selected", "true")
    phone.locator("#confirm-code").fill("123456")
    phone.locator("#btn-confirm").click()
    expect(phone.locator(".auth-notice")).to_have_text("Akun sudah dikonfirmasi. Silakan masuk.")
    expect(phone.locator("#signin-username")).to_have_value("siti")  # the password was not kept
    assert sent == [{"username": "siti", "code": "123456"}]
    assert phone.evaluate("() => window.sessionStorage.getItem('loket.signup')") is None
    phone.reload()
    expect(phone.locator("#signin-username")).to_be_visible()  # done: no code step any more


def test_another_sign_up_leaves_the_code_step(phone: Page, site: str) -> None:
    phone.goto(f"{site}/berkas.html")
    phone.evaluate(
        """() => sessionStorage.setItem('loket.signup', JSON.stringify(
             {username: 'budi', email: 'budi@contoh.id', dest: 'b***@contoh.id', at: Date.now()}))"""
    )
    phone.reload()
    expect(phone.locator("#confirm-code")).to_be_visible()
    phone.locator("#btn-signup-other").click()
    expect(phone.locator("#signup-username")).to_be_visible()
    assert phone.evaluate("() => window.sessionStorage.getItem('loket.signup')") is None


@pytest.fixture
def blank(phone: Page, site: str) -> Page:
    open_blank(phone, site)
    phone.add_style_tag(url=f"{site}/app.css")  # the site's own look, as its pages have it
    return phone


def test_capitals_follow_the_field_and_the_agency_data_is_prefilled(blank: Page) -> None:
    blank.evaluate(
        """async spec => {
            const { FormView } = await import("/js/components/form-view.js");
            window.view = FormView(spec, {});
            document.body.appendChild(view.node);
        }""",
        form_spec(CPMI),
    )
    blank.locator('[name="cpmi.nama_lengkap"]').type("dewi lestari")
    blank.locator('[name="penempatan.kantor_imigrasi"]').type("Kantor Imigrasi Kelas I Tangerang")
    expect(blank.locator('[name="cpmi.nama_lengkap"]')).to_have_value("DEWI LESTARI")
    expect(blank.locator('[name="penempatan.kantor_imigrasi"]')).to_have_value(
        "Kantor Imigrasi Kelas I Tangerang"
    )
    blank.locator('[name="p3mi.jabatan_petugas"]').fill("DIREKTUR")  # typed before the profile came
    filled = blank.evaluate(
        """() => view.prefill({p3mi: {nama_p3mi: "PT CONTOH PENEMPATAN MIGRAN", jabatan_petugas: "STAF",
                                       telepon_petugas: "081234567890"},
                               cpmi: {nama_lengkap: "ORANG LAIN"}})"""
    )
    assert filled == 2  # the agency's name and phone; not its officer's typed position, not the CPMI
    expect(blank.locator('[name="p3mi.nama_p3mi"]')).to_have_value("PT CONTOH PENEMPATAN MIGRAN")
    expect(blank.locator('[name="p3mi.jabatan_petugas"]')).to_have_value("DIREKTUR")
    expect(blank.locator('[name="cpmi.nama_lengkap"]')).to_have_value("DEWI LESTARI")
    expect(blank.locator("#prefilled-p3mi")).to_contain_text("Diisi dari pengajuan akun ini sebelumnya")
    # A first form: nothing remembered, the company's name comes from the account's sign-up.
    blank.evaluate(
        """async spec => {
            const { FormView } = await import("/js/components/form-view.js");
            window.first = FormView(spec, {});
            document.body.appendChild(first.node);
            window.firstFilled = first.prefill({}, "PT CONTOH PENEMPATAN MIGRAN");
        }""",
        form_spec(CPMI),
    )
    assert blank.evaluate("() => firstFilled") == 1
    assert blank.evaluate("() => first.node.querySelector('.prefilled').textContent") == (
        "Nama lembaga diisi dari akun Anda; periksa dan ubah bila perlu."
    )
    assert blank.evaluate("() => first.values().p3mi.nama_p3mi") == "PT CONTOH PENEMPATAN MIGRAN"
    assert blank.evaluate("() => first.values().penempatan.nama_pemberi_kerja") == ""  # not the agency's
    payload = blank.evaluate("() => view.payload({})")
    assert payload["penempatan"]["kantor_imigrasi"] == "Kantor Imigrasi Kelas I Tangerang"
    assert payload["cpmi"]["nama_lengkap"] == "DEWI LESTARI"


def _upload_row(page: Page, site: str, key: str, kinds: list[str]) -> None:
    """One upload row on the blank page, its API answered here: a policy posting back to this
    site, and a confirmation that the file was checked."""
    page.route(
        re.compile(r".*/api/cases/c1/uploads$"),
        lambda route: _json(route, 200, {"url": f"{site}/__upload__", "fields": {"key": "k"}, "key": "k"}),
    )
    page.route(f"{site}/__upload__", lambda route: route.fulfill(status=204, body=""))
    page.route(
        re.compile(r".*/api/cases/c1/documents/.*"),
        lambda route: _json(
            route, 200, {"kind": kinds[0], "state": "checked", "checked_at": "2026-12-01T00:00:00Z"}
        ),
    )
    page.evaluate(  # a signed-in session on this phone (the routes above are the API)
        """() => localStorage.setItem("loket.session", JSON.stringify(
             {id_token: "x.e30.y", expires_at: Date.now() + 3600000, username: "siti"}))"""
    )
    page.evaluate(
        """async ([key, kinds]) => {
            const { UploadRow } = await import("/js/components/upload-row.js");
            window.row = UploadRow({key: key, name: "Pas foto", required: true, kinds: kinds, max_size_mb: 2},
                                   {caseId: () => Promise.resolve("c1")});
            document.body.appendChild(row.node);
        }""",
        [key, kinds],
    )


def test_a_photo_sent_shows_its_thumbnail_to_enlarge(blank: Page, site: str) -> None:
    image = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 40, 40)).save(image, "JPEG")
    _upload_row(blank, site, "pas_foto", ["jpeg", "png"])
    blank.set_input_files(
        "#file-pas_foto", files=[{"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": image.getvalue()}]
    )
    expect(blank.locator("#doc-pas_foto-status")).to_have_text("Terunggah ✓ (JPEG)")
    thumb = blank.locator("#doc-pas_foto-thumb img")
    expect(thumb).to_be_visible()
    expect(thumb).to_have_attribute("alt", "Foto Pas foto yang terkirim")
    natural = blank.evaluate("() => document.querySelector('#doc-pas_foto-thumb img').naturalWidth")
    assert natural == 300  # the picture itself, upright as sent
    small = thumb.bounding_box()
    blank.locator("#thumb-pas_foto").click()
    expect(blank.locator("#thumb-pas_foto")).to_have_attribute("aria-expanded", "true")
    large = thumb.bounding_box()
    assert small and large and large["width"] > small["width"] * 1.5


def test_a_pdf_sent_shows_its_pages_and_size(blank: Page, site: str) -> None:
    pdf = io.BytesIO()
    drawing = canvas.Canvas(pdf)
    for _ in range(3):
        drawing.drawString(72, 720, "Surat Permohonan")
        drawing.showPage()
    drawing.save()
    _upload_row(blank, site, "surat_permohonan", ["pdf", "jpeg", "png"])
    blank.set_input_files(
        "#file-surat_permohonan",
        files=[{"name": "surat.pdf", "mimeType": "application/pdf", "buffer": pdf.getvalue()}],
    )
    expect(blank.locator("#doc-surat_permohonan-thumb .pdf-facts")).to_have_text(
        re.compile(r"^PDF · 3 halaman · ")
    )
    expect(blank.locator("#doc-surat_permohonan-thumb .pdf-icon")).to_have_text("PDF")


def test_a_heic_photo_is_refused_with_a_hint_how_to_send_jpeg(blank: Page, site: str) -> None:
    _upload_row(blank, site, "pas_foto", ["jpeg", "png"])
    blank.set_input_files(
        "#file-pas_foto", files=[{"name": "IMG_0001.HEIC", "mimeType": "image/heic", "buffer": HEIC}]
    )
    expect(blank.locator("#doc-pas_foto-status")).to_have_text(
        "Foto HEIC/HEIF belum dapat diterima: kirim JPEG (iPhone: Pengaturan > Kamera > Format > "
        "Paling Kompatibel) atau tangkapan layar foto itu."
    )
    expect(blank.locator("#doc-pas_foto-thumb")).to_be_hidden()
    # The same file with no type and no .heic name is known by its first bytes.
    blank.set_input_files("#file-pas_foto", files=[{"name": "foto", "mimeType": "", "buffer": HEIC}])
    expect(blank.locator("#doc-pas_foto-status")).to_contain_text("Foto HEIC/HEIF belum dapat diterima")


def test_the_marriage_certificate_follows_the_marital_status(phone: Page, site: str) -> None:
    """Issue 14, conditional requirements: Pasuruan's CPMI form asks the marriage certificate
    ("Wajib bagi CPMI yang sudah menikah", the SOP's `required_when`) only when the marital
    status says "Kawin", and then as required; another answer hides it again."""
    from chalicelib.api.services import catalogue, catalogue_entry

    offices = catalogue()
    entry = catalogue_entry("kab-pasuruan", "rekomendasi-paspor-cpmi")
    phone.route("**/api/offices", lambda route: _json(route, 200, {"offices": offices}))
    # the form page fetches only its own office and service (issue 16)
    phone.route("**/api/offices/kab-pasuruan/services/*", lambda route: _json(route, 200, entry))
    phone.route("**/api/account/profile", lambda route: _json(route, 200, {"sections": {}}))
    phone.goto(f"{site}/index.html")
    phone.evaluate(  # a signed-in placement agency (P3MI) on this phone
        """() => localStorage.setItem("loket.session", JSON.stringify(
             {id_token: "x.e30.y", expires_at: Date.now() + 3600000, username: "p3mi1",
              email: "p3mi@contoh.id", kind: "p3mi", organisation: "PT CONTOH PENEMPATAN MIGRAN"}))"""
    )
    phone.goto(f"{site}/ajukan.html?kantor=kab-pasuruan&layanan=rekomendasi-paspor-cpmi")
    certificate = phone.locator("#doc-surat_nikah")
    status = phone.locator('[name="cpmi.status_perkawinan"]')
    expect(status).to_be_visible()
    expect(phone.locator("#doc-pas_foto")).to_be_visible()
    expect(certificate).to_be_hidden()  # no answer yet: not asked

    status.select_option("Kawin")
    expect(certificate).to_be_visible()
    expect(certificate.locator(".pill")).to_have_text("Wajib")
    phone.locator("#btn-submit").click()
    expect(phone.locator("#doc-surat_nikah-status")).to_have_text("Dokumen wajib belum diunggah.")
    phone.screenshot(path="out/browser/conditional-requirement-married.png", full_page=False)

    status.select_option("Cerai Hidup")
    expect(certificate).to_be_hidden()
    phone.locator("#btn-submit").click()
    expect(phone.locator("#doc-pas_foto-status")).to_have_text("Dokumen wajib belum diunggah.")
    # not asked, so not missing: its row is back to "not uploaded", and hidden
    expect(phone.locator("#doc-surat_nikah-status")).not_to_have_text("Dokumen wajib belum diunggah.")
