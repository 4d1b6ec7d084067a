"""AK-1 end to end through the API, the staff pages and the worker: from the form to the card.

Every test runs the real compiled AK-1 state machine in moto. The card is checked as the job
seeker gets it: the emailed PDF's text carries the registration number and its QR code decodes
to the public verification page, which tells valid, then revoked.
"""

from __future__ import annotations

import email
import io
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pypdfium2 as pdfium
import pytest
import requests
import zxingcpp
from chalice.test import Client
from PIL import Image

from app import app
from chalicelib.adapters.models import Case
from chalicelib.services import audit, reference_search, work
from tests.conftest import wait_for
from tests.deadlines import REQUEST_SECONDS, SITE_URL
from tests.forms import NIK, sample_form
from tests.helpers import PDF, Applicant, Officer, body
from tests.walker import Walk

OFFICE, SERVICE = "kab-pasuruan", "ak1"
ARTIFACTS = Path(__file__).resolve().parents[2] / "out" / "test-artifacts"


def photo(size: tuple[int, int] = (300, 400)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (120, 150, 200)).save(out, "JPEG", quality=90)
    return out.getvalue()


def upload(applicant: Applicant, case_id: str, document: str, data: bytes, content_type: str) -> Any:
    """Presigned POST then confirm; returns the confirm response (the upload itself must pass S3)."""
    slot = applicant.slot(case_id, document, content_type)
    assert slot.status_code == 200, slot.body
    post = body(slot)
    sent = requests.post(
        post["url"], data=post["fields"], files={"file": ("berkas", data)}, timeout=REQUEST_SECONDS
    )
    if sent.status_code not in (200, 204):
        return sent
    return applicant.confirm(case_id, post["key"], document)


def filed(walk: Walk, key: str = "ak1-form-0001") -> str:
    """A complete AK-1 application: form, KTP, diploma and photo, submitted."""
    applicant = walk.applicant
    opened = applicant.open(key, office=OFFICE, service=SERVICE)
    assert opened.status_code == 201, opened.body
    case_id = str(body(opened)["case_id"])
    walk.case_id = case_id
    saved = applicant.save_form(case_id, sample_form(walk.entry.sop))  # type: ignore[union-attr]
    assert saved.status_code == 200, saved.body
    for document, data, content_type in (
        ("ktp", photo((800, 500)), "image/jpeg"),
        ("ijazah_terakhir", PDF, "application/pdf"),
        ("pas_foto", photo(), "image/jpeg"),
    ):
        confirmed = upload(applicant, case_id, document, data, content_type)
        assert confirmed.status_code == 200, getattr(confirmed, "body", confirmed)
    submitted = applicant.submit(case_id)
    assert submitted.status_code == 200, submitted.body
    return case_id


def mail_to(address: str) -> list[email.message.Message]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    sent = ses_backends[DEFAULT_ACCOUNT_ID]["ap-southeast-3"].sent_messages
    found = {m.raw_data: email.message_from_string(m.raw_data) for m in sent if address in m.raw_data}
    return list(found.values())


def applicant_email(case_id: str) -> str:
    """Where Loket writes to: the account's verified address, kept on the case."""
    return str((Case.get(*Case.key(case_id)).data or {})["email"])


def pdf_attachments(message: email.message.Message) -> list[bytes]:
    return [
        part.get_payload(decode=True)
        for part in message.walk()
        if part.get_content_type() == "application/pdf"
    ]


def read_card(pdf: bytes) -> tuple[str, list[str]]:
    """The text of the card's first page and what its QR codes say."""
    document = pdfium.PdfDocument(pdf)
    page = document[0]
    text = page.get_textpage().get_text_range()
    image = page.render(scale=3).to_pil()
    return text, [code.text for code in zxingcpp.read_barcodes(image)]


@pytest.fixture
def walk(aws, applicant, staff, monkeypatch):  # type: ignore[no-untyped-def]
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("LOKET_TIME_SCALE", "60")  # real standard times: no step times out mid-test
    reset_settings()
    with Client(app) as client:
        yield Walk(client, aws, applicant, staff, OFFICE, SERVICE)


def test_job_seeker_gets_the_card_by_email_and_its_qr_verifies(walk: Walk) -> None:
    case_id = filed(walk)
    # Right after submit (the execution may not have written the work item yet): a clear current
    # step, numbered from 1 after the receipt, never "waiting" on every step.
    first = body(walk.applicant.get(case_id))["steps"]
    assert [(s["position"], s["number"], s["state"]) for s in first[:2]] == [
        (1, 0, "done"),
        (2, 5, "current"),
    ]
    item = walk.next_item()
    assert item is not None and item.step == "05"
    officer = walk.officer("petugas_antar_kerja")
    page = officer.case_page(case_id).body.decode()
    assert "SITI RAHAYU" in page and NIK in page  # the form, uppercased as the standard asks
    # The typed birth date in the one Indonesian date format, never as ISO (domain/tanggal.py).
    assert "<dt>Tanggal Lahir</dt><dd>17 Agu 1995</dd>" in page and "1995-08-17" not in page
    assert "Daftar periksa persyaratan" in page and 'name="item_ktp"' in page
    assert page.count("<img ") == 2 and "application/pdf" in page  # photo and KTP inline, diploma as PDF
    decided = officer.decide(case_id, item.SK, "approve", back="case")
    assert decided.headers["Location"].startswith("/staff?pesan=")  # never back to the decided file

    counselling = walk.next_item()
    assert counselling is not None and counselling.step == "06"
    counsellor = walk.officer("pengantar_kerja")
    fields = {
        "kanal_konseling": "Email",
        "catatan_konseling": "Minat di bidang administrasi.",
        "pesan_untuk_pencari_kerja": "Lowongan admin di PT Contoh, kirim CV minggu ini.",
    }
    assert (
        "pesan=" in counsellor.decide(case_id, counselling.SK, "approve", fields=fields).headers["Location"]
    )
    assert walk.next_item() is None
    assert walk.status() == "SUCCEEDED"

    view = body(walk.applicant.get(case_id))
    assert view["status"] == "completed"
    assert [m["text"] for m in view["messages"]] == ["Email", fields["pesan_untuk_pencari_kerja"]]
    assert "Minat di bidang administrasi." not in json.dumps(view)  # staff notes stay with staff
    assert {s["state"] for s in view["steps"] if s["number"] in (5, 6, 8, 9, 10)} == {"done"}
    # Only what concerned this applicant, numbered from 1: no "if the file is incomplete" step 7.
    assert [(s["position"], s["number"]) for s in view["steps"]] == [
        (1, 0),
        (2, 5),
        (3, 6),
        (4, 8),
        (5, 9),
        (6, 10),
    ]
    counselling_step = next(s for s in view["steps"] if s["number"] == 6)
    links = {p["href"] for p in counselling_step["parts"] if "href" in p}
    assert links == {"mailto:ak1.disnakerkabpas@yahoo.com", "https://hellowork.pasuruankab.go.id"}
    assert view["steps"][-1]["role"] == "Loket (otomatis)" and view["steps"][-1]["time"] == ""
    card = view["products"][0]
    number = card["number"]
    assert re.fullmatch(r"3514\d{6}\d{6}", number) and card["downloadable"]
    # Issue 13: the card's number (like 3514301126000010) finds the case on "Cari berkas".
    found = officer.post("/staff/cari", rujukan=number).body.decode()
    assert f'href="/staff/cases/{case_id}"' in found and "Nomor kartu / surat" in found

    link = walk.applicant.client.http.get(
        f"/api/cases/{case_id}/products/kartu_ak1", headers=walk.applicant.headers()
    )
    downloaded = requests.get(body(link)["url"], timeout=REQUEST_SECONDS)
    assert downloaded.status_code == 200 and downloaded.content.startswith(b"%PDF")
    assert downloaded.headers["Content-Type"] == "application/pdf"
    name = f"Kartu AK-1 {reference_search.code_of(Case.get(*Case.key(case_id)))}.pdf"  # the code, not the id
    assert downloaded.headers["Content-Disposition"] == (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{name.replace(' ', '%20')}"
    )

    mails = [m for m in mail_to(applicant_email(case_id)) if pdf_attachments(m)]
    assert len(mails) == 1, "one email with the card"
    assert "AK-1" in str(mails[0]["Subject"])
    card_pdf = pdf_attachments(mails[0])[0]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "ak1-card.pdf").write_bytes(card_pdf)  # to look at: pdftoppm -png out/test-artifacts/...
    text, codes = read_card(card_pdf)
    assert number in text.replace(" ", "") and NIK in text.replace(" ", "")
    assert "Petugas Pengantar_Kerja" in text or "19800101" in text.replace(" ", "")  # the officer
    assert len(codes) == 1 and codes[0].startswith(f"{SITE_URL}/cek.html?id=")

    verify_id = codes[0].split("id=")[1]
    checked = body(walk.applicant.client.http.get(f"/api/verify/{verify_id}"))
    assert checked["status"] == "valid" and checked["number"] == number
    assert checked["name"] == "SI** RA****" and "nik" not in checked

    # Revoking: only the issuing role and those above it, in this office, with a reason, once.
    counsellor = walk.officer("pengantar_kerja")
    assert "Cabut dokumen ini" not in counsellor.case_page(case_id).body.decode()
    refused = counsellor.post("/staff/revoke", case_id=case_id, product="kartu_ak1", reason="Salah")
    assert "tidak%20berwenang" in refused.headers["Location"]
    outsider = Officer(walk.client, *walk.staff("kasi-tng", "kota-tangerang.kasi"))
    refused = outsider.post("/staff/revoke", case_id=case_id, product="kartu_ak1", reason="Salah")
    assert "tidak%20ditemukan" in refused.headers["Location"]
    supervisor = walk.officer("kasi_penempatan")
    page = supervisor.case_page(case_id).body.decode()
    assert 'name="product" value="kartu_ak1"' in page and "Cabut dokumen ini" in page  # the revoke form
    no_reason = supervisor.post("/staff/revoke", case_id=case_id, product="kartu_ak1", reason=" ")
    assert "alasan" in unquote(no_reason.headers["Location"])
    assert body(walk.applicant.client.http.get(f"/api/verify/{verify_id}"))["status"] == "valid"
    for _click in range(2):  # a second click changes nothing
        revoked = supervisor.post("/staff/revoke", case_id=case_id, product="kartu_ak1", reason="Data palsu")
        assert "pesan=" in revoked.headers["Location"], revoked.headers
    assert body(walk.applicant.client.http.get(f"/api/verify/{verify_id}"))["status"] == "revoked"
    revocations = [e.actor for e in audit.trail(case_id) if e.action == "revoke"]
    assert revocations == ["kab-pasuruan.kasi_penempatan.walk"]
    assert walk.applicant.client.http.get("/api/verify/not-a-real-id-000000000").status_code == 404


def test_returned_file_is_fixed_by_replacing_only_the_named_document(walk: Walk) -> None:
    case_id = filed(walk)
    item = walk.next_item()
    assert item is not None
    officer = walk.officer("petugas_antar_kerja")
    response = officer.decide(case_id, item.SK, "return", "Foto KTP buram, unggah ulang.", items=("ktp",))
    assert "pesan=" in response.headers["Location"]
    resubmit = walk.next_item()
    assert resubmit is not None and resubmit.role == "pemohon"
    wait_for(lambda: body(walk.applicant.get(case_id))["status"] == "returned")
    view = body(walk.applicant.get(case_id))
    assert view["returned_items"] == ["ktp"] and view["status_note"] == "Foto KTP buram, unggah ulang."
    states = {s["number"]: s["state"] for s in view["steps"]}
    assert (states[5], states[6]) == ("returned", "waiting")  # the step that sent it back
    assert 7 not in states  # its notice step: not a second line beside "Dikembalikan ke Anda"
    assert any("Foto KTP buram" in str(m) for m in mail_to(applicant_email(case_id)))

    refused = walk.applicant.submit(case_id)
    assert refused.status_code == 422 and "Kartu Tanda Penduduk" in body(refused)["error"]["message"]
    assert upload(walk.applicant, case_id, "ktp", photo((900, 560)), "image/jpeg").status_code == 200
    assert walk.applicant.submit(case_id).status_code == 200
    again = walk.next_item()
    assert again is not None and again.step == "05" and again.role == "petugas_antar_kerja"
    view = body(walk.applicant.get(case_id))
    assert view["returned_items"] == []
    # The timeline from one read of the case's partition: the checking step waits again, the
    # counselling after it has not begun.
    states = {s["number"]: s["state"] for s in view["steps"]}
    assert (states[5], states[6], states[7]) == ("current", "waiting", "done")  # the return, taken
    assert [s["position"] for s in view["steps"]] == list(range(1, len(view["steps"]) + 1))


def test_rejected_registration_tells_the_reason(walk: Walk) -> None:
    case_id = filed(walk)
    item = walk.next_item()
    assert item is not None
    officer = walk.officer("petugas_antar_kerja")
    assert "galat=" in officer.decide(case_id, item.SK, "reject").headers["Location"]  # a reason is required
    assert (
        "pesan=" in officer.decide(case_id, item.SK, "reject", "KTP bukan milik pemohon.").headers["Location"]
    )
    assert walk.next_item() is None
    view = body(walk.applicant.get(case_id))
    assert view["status"] == "rejected" and view["status_note"] == "KTP bukan milik pemohon."


def test_second_submission_makes_no_second_case_or_execution(walk: Walk) -> None:
    case_id = filed(walk)
    again = walk.applicant.open("ak1-form-0001", office=OFFICE, service=SERVICE)
    assert again.status_code == 200 and body(again)["case_id"] == case_id
    assert walk.applicant.submit(case_id).status_code == 200
    mine = body(walk.applicant.client.http.get("/api/cases", headers=walk.applicant.headers()))["cases"]
    assert [c["case_id"] for c in mine] == [case_id]
    import boto3

    executions = boto3.client("stepfunctions").list_executions(
        stateMachineArn=Case.get(*Case.key(case_id))
        .execution_arn.rsplit(":", 1)[0]
        .replace(":execution:", ":stateMachine:")
    )["executions"]
    assert [e["name"] for e in executions] == [case_id]


def test_malformed_nik_is_refused_with_the_field_and_the_form_kept(walk: Walk) -> None:
    opened = body(walk.applicant.open("ak1-nik-0001", office=OFFICE, service=SERVICE))
    form = sample_form(walk.entry.sop)  # type: ignore[union-attr]
    form["identitas"] = {**form["identitas"], "nik": "35140157089500"}  # 14 digits
    refused = walk.applicant.save_form(opened["case_id"], form)
    assert refused.status_code == 422
    problems = body(refused)
    assert problems["errors"]["identitas.nik"] == "NIK harus 16 angka, sesuai KTP."
    assert problems["error"]["field"] == "identitas.nik"
    form["identitas"]["nik"] = "9914015708950001"  # no province 99
    assert (
        "kode provinsi" in body(walk.applicant.save_form(opened["case_id"], form))["errors"]["identitas.nik"]
    )


def test_nik_whose_date_disagrees_is_a_warning_the_job_seeker_can_confirm(walk: Walk) -> None:
    case_id = body(walk.applicant.open("ak1-nik-0002", office=OFFICE, service=SERVICE))["case_id"]
    form = sample_form(walk.entry.sop)  # type: ignore[union-attr]
    form["identitas"] = {**form["identitas"], "tanggal_lahir": "1995-08-18"}
    warned = walk.applicant.save_form(case_id, form)
    assert warned.status_code == 422
    problems = body(warned)
    assert problems["errors"] == {} and [w["code"] for w in problems["warnings"]] == ["nik_tanggal_lahir"]
    accepted = walk.applicant.save_form(case_id, form, confirm=["nik_tanggal_lahir"])
    assert accepted.status_code == 200
    assert body(accepted)["form"]["identitas"]["tanggal_lahir"] == "1995-08-18"


def test_missing_field_is_named_in_indonesian(walk: Walk) -> None:
    case_id = body(walk.applicant.open("ak1-form-0003", office=OFFICE, service=SERVICE))["case_id"]
    form = sample_form(walk.entry.sop)  # type: ignore[union-attr]
    del form["identitas"]["nama_lengkap"]
    form["pendidikan_terakhir"]["tahun_lulus"] = "20"
    problems = body(walk.applicant.save_form(case_id, form))
    assert problems["errors"]["identitas.nama_lengkap"] == "Nama Lengkap wajib diisi."
    assert "4 angka" in problems["errors"]["pendidikan_terakhir.tahun_lulus"]
    submitted = walk.applicant.submit(case_id)
    assert submitted.status_code == 422  # nothing saved: no documents, no form


def test_executable_renamed_jpg_and_oversize_photo_are_refused(walk: Walk) -> None:
    case_id = body(walk.applicant.open("ak1-form-0004", office=OFFICE, service=SERVICE))["case_id"]
    renamed = upload(walk.applicant, case_id, "pas_foto", b"MZ\x90\x00" + b"\x00" * 500, "image/jpeg")
    assert renamed.status_code == 422
    assert (
        "bukan" in body(renamed)["error"]["message"].lower()
        or "jenis" in body(renamed)["error"]["message"].lower()
    )
    big = b"\xff\xd8\xff\xe0" + b"\x00" * (2 * 1024 * 1024 + 10)  # over the photo's 2 MB
    refused = upload(walk.applicant, case_id, "pas_foto", big, "image/jpeg")
    assert getattr(refused, "status_code", 0) in (400, 403, 422)
    assert "pas_foto" not in body(walk.applicant.get(case_id))["documents"]


def test_another_job_seeker_and_another_office_see_nothing(walk: Walk, applicant, staff) -> None:
    case_id = filed(walk)
    item = walk.next_item()
    assert item is not None
    other = Applicant(walk.client, applicant("budi"))
    for response in (
        other.get(case_id),
        other.client.http.get(f"/api/cases/{case_id}/products/kartu_ak1", headers=other.headers()),
        other.save_form(case_id, {}),
        other.submit(case_id),
    ):
        assert response.status_code == 404
    tangerang = Officer(walk.client, *staff("tng.staf", "kota-tangerang.staf"))
    assert tangerang.case_page(case_id).status_code == 404
    response = tangerang.decide(case_id, item.SK, "approve")
    assert "galat=" in response.headers["Location"]
    assert work.open_items(case_id)[0].status == "open"
    assert case_id not in tangerang.inbox()
