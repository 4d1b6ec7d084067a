"""Issue 12's file examples through the public API on moto: each upload ends refused with its
reason (and deleted from the bucket) or checked, an image re-encoded clean by the worker, a PDF
searched for active content (a PDF with JavaScript refused) and otherwise kept as sent.

The phone's presigned POST goes to moto's S3, the confirmation through the API, the worker's
upload check through the worker handler as SQS would deliver it (tests/helpers.py
`run_upload_checks`); the stand-in scanner flags the EICAR test file (LOKET_MALWARE_SCANNER).
The same rules on the fakes, each path and race: tests/unit/test_uploads.py.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from chalice.test import Client
from PIL import Image

from app import app
from chalicelib.adapters.models import Case
from chalicelib.settings import get_settings
from tests import upload_corpus as corpus
from tests.deadlines import REQUEST_SECONDS
from tests.helpers import OFFICE, Applicant, Officer, body, run_upload_checks


@pytest.fixture
def client(aws: dict[str, str]) -> Iterator[Client]:
    with Client(app) as c:
        yield c


@pytest.fixture
def budi(client: Client, applicant: Any) -> Applicant:
    return Applicant(client, applicant("budi"))


def post(budi: Applicant, case_id: str, data: bytes, content_type: str) -> dict[str, Any]:
    """The phone's presigned POST of `data`; returns the policy (its key and fields)."""
    slot = budi.slot(case_id, content_type=content_type)
    assert slot.status_code == 200, slot.body
    policy = body(slot)
    sent = requests.post(
        policy["url"], data=policy["fields"], files={"file": ("berkas", data)}, timeout=REQUEST_SECONDS
    )
    assert sent.status_code in (200, 204), sent.text
    return policy


def bucket_keys() -> list[str]:
    listed = boto3.client("s3").list_objects_v2(Bucket=get_settings().uploads_bucket)
    return sorted(o["Key"] for o in listed.get("Contents", []))


def stored(case_id: str) -> dict[str, Any]:
    return dict(Case.get(*Case.key(case_id), consistent_read=True).documents["lampiran"])


def refused(budi: Applicant, data: bytes, content_type: str) -> str:
    """Post and confirm `data`: the answer is 422 on the document's field and nothing is kept."""
    case_id = body(budi.open())["case_id"]
    policy = post(budi, case_id, data, content_type)
    answer = budi.confirm(case_id, policy["key"])
    assert answer.status_code == 422, answer.body
    error = body(answer)["error"]
    assert error["field"] == "lampiran"
    assert bucket_keys() == []  # the refused object is deleted
    assert body(budi.get(case_id))["documents"] == {}
    return str(error["message"])


def test_a_png_presigned_as_pdf_is_refused_in_indonesian(budi: Applicant) -> None:
    message = refused(budi, corpus.png(), "application/pdf")
    assert message.startswith("Isi berkas adalah PNG, bukan PDF seperti jenis yang dikirim.")


def test_the_20000_by_20000_png_is_refused_at_confirmation(budi: Applicant) -> None:
    assert refused(budi, corpus.pixel_flood(), "image/png").startswith(
        "Gambar terlalu besar (20000 x 20000 piksel)"
    )


@pytest.mark.parametrize(
    ("data", "content_type", "kind"),
    [
        (corpus.cut_short(corpus.camera_jpeg()), "image/jpeg", "JPEG"),
        (corpus.PDF[:-7], "application/pdf", "PDF"),
        (corpus.png()[:-12], "image/png", "PNG"),
    ],
)
def test_a_file_cut_short_is_refused_with_the_reason(
    budi: Applicant, data: bytes, content_type: str, kind: str
) -> None:
    assert f"Berkas {kind} tidak utuh" in refused(budi, data, content_type)


def test_a_post_again_after_the_confirmation_leaves_the_checked_file_in_the_case(
    client: Client, budi: Applicant, staff: Any
) -> None:
    case_id = body(budi.open())["case_id"]
    policy = post(budi, case_id, corpus.PDF, "application/pdf")
    assert budi.confirm(case_id, policy["key"]).status_code == 200
    assert budi.submit(case_id).status_code == 200
    # Within the policy's 10 minutes the same POST is accepted by S3 again: a program this time.
    again = requests.post(
        policy["url"], data=policy["fields"], files={"file": ("f", corpus.EXE)}, timeout=REQUEST_SECONDS
    )
    assert again.status_code in (200, 204)
    record = stored(case_id)
    assert record["key"].startswith(f"cases/{case_id}/lampiran/") and record["state"] == "checked"
    # What the office opens is what was checked.
    officer = Officer(client, *staff("petugas1", f"{OFFICE}.petugas_antar_kerja"))
    page = officer.case_page(case_id)
    assert page.status_code == 200
    link = re.search(r'<object data="([^"]+)" type="application/pdf"', page.body.decode())
    assert link, "no document link on the case page"
    opened = requests.get(html.unescape(link.group(1)), timeout=REQUEST_SECONDS)
    assert opened.content == corpus.PDF
    # And the program is nowhere but at the policy's own key, which nothing reads.
    assert bucket_keys() == sorted([record["key"], policy["key"]])


def test_a_phone_photo_is_stored_re_encoded_without_exif_gps(budi: Applicant) -> None:
    case_id = body(budi.open())["case_id"]
    policy = post(budi, case_id, corpus.camera_jpeg(), "image/jpeg")
    assert budi.confirm(case_id, policy["key"]).status_code == 200
    record = stored(case_id)
    assert record["state"] == "checked" and record["key"].endswith(".clean.jpeg")
    data = (
        boto3.client("s3").get_object(Bucket=get_settings().uploads_bucket, Key=record["key"])["Body"].read()
    )
    with Image.open(io.BytesIO(data)) as image:
        assert dict(image.getexif()) == {} and image.size == (20, 40)  # no GPS, upright
    assert bucket_keys() == [record["key"]]  # neither the posted file nor the original kept


def test_a_jpeg_zip_polyglot_is_stored_as_a_plain_jpeg(budi: Applicant) -> None:
    case_id = body(budi.open())["case_id"]
    policy = post(budi, case_id, corpus.polyglot(), "image/jpeg")
    assert budi.confirm(case_id, policy["key"]).status_code == 200
    record = stored(case_id)
    data = (
        boto3.client("s3").get_object(Bucket=get_settings().uploads_bucket, Key=record["key"])["Body"].read()
    )
    assert record["state"] == "checked" and not corpus.is_zip(data)


def test_the_eicar_test_file_is_refused_and_deleted_and_the_case_cannot_be_sent(budi: Applicant) -> None:
    case_id = body(budi.open())["case_id"]
    policy = post(budi, case_id, corpus.eicar_pdf(), "application/pdf")
    assert budi.confirm(case_id, policy["key"]).status_code == 200  # its scan comes after
    shown = body(budi.get(case_id))["documents"]["lampiran"]
    assert shown["state"] == "refused" and shown["state_label"] == "Ditolak"
    assert shown["message"].startswith("Berkas ini mengandung virus atau program berbahaya")
    assert bucket_keys() == []
    sent = budi.submit(case_id)
    assert sent.status_code == 422 and "mengandung virus" in body(sent)["error"]["message"]


def test_a_pdf_with_javascript_is_refused_and_deleted_and_the_case_cannot_be_sent(budi: Applicant) -> None:
    case_id = body(budi.open())["case_id"]
    policy = post(budi, case_id, corpus.javascript_pdf(), "application/pdf")
    assert budi.confirm(case_id, policy["key"]).status_code == 200  # scanned clean, then searched
    shown = body(budi.get(case_id))["documents"]["lampiran"]
    assert shown["state"] == "refused" and shown["state_label"] == "Ditolak"
    assert shown["message"].startswith("PDF ini berisi skrip atau perintah otomatis")
    assert bucket_keys() == []
    sent = budi.submit(case_id)
    assert sent.status_code == 422 and "PDF ini berisi skrip" in body(sent)["error"]["message"]


def test_an_ordinary_pdf_with_links_is_kept_as_sent(budi: Applicant) -> None:
    case_id = body(budi.open())["case_id"]
    policy = post(budi, case_id, corpus.linked_pdf(), "application/pdf")
    assert budi.confirm(case_id, policy["key"]).status_code == 200
    record = stored(case_id)
    data = (
        boto3.client("s3").get_object(Bucket=get_settings().uploads_bucket, Key=record["key"])["Body"].read()
    )
    assert record["state"] == "checked" and data == corpus.linked_pdf()


def test_a_file_being_scanned_shows_sedang_diperiksa_and_the_case_waits(
    client: Client, budi: Applicant
) -> None:
    case_id = body(budi.open())["case_id"]
    policy = post(budi, case_id, corpus.PDF, "application/pdf")
    answer = budi.confirm(case_id, policy["key"], checked=False)
    assert answer.status_code == 200 and body(answer)["state_label"] == "Sedang diperiksa"
    assert body(budi.get(case_id))["documents"]["lampiran"]["state"] == "scanning"
    waiting = budi.submit(case_id)
    assert waiting.status_code == 409
    assert (
        body(waiting)["error"]["message"]
        == "Dokumen masih diperiksa: Lampiran. Tunggu sebentar, lalu kirim lagi."
    )
    assert run_upload_checks(client) == 1
    assert budi.submit(case_id).status_code == 200
