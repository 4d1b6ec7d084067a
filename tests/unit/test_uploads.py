"""An applicant's file from the presigned POST to a checked document, on the in-memory fakes:
judged by ranged reads and pinned at confirmation (the API), scanned and re-encoded (an image)
or searched for active content (a PDF) by the worker, refused files deleted (issue 12, the
"Files" part).

The examples of the issue are here as tests: a PNG declared as PDF, a POST again after the
confirmation, the 20000 x 20000 PNG, EXIF GPS removed, the JPEG/ZIP polyglot, the refused
object deleted, the EICAR test file, PDFs with JavaScript (plain, hex-escaped, in an object
stream), with a launched program or a hidden file, and ordinary PDFs with links, kept as sent.
tests/integration/test_uploads.py sends the same through the API on moto.
"""

from __future__ import annotations

import contextlib
import io
import struct
import zlib
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from PIL import Image

from chalicelib.adapters import malware
from chalicelib.adapters.storage import pinned_key
from chalicelib.domain import uploads as states
from chalicelib.domain.clock import iso, now
from chalicelib.domain.files import CHANGED
from chalicelib.errors import Conflict, Unprocessable
from chalicelib.services import cases, uploads
from chalicelib.services.catalog import find_service
from chalicelib.worker import tasks
from tests import upload_corpus as corpus
from tests.fakes import Fakes

OFFICE, SERVICE, DOC = "kab-pasuruan", "uji-sambungan", "lampiran"
SUB = "budi-sub"
TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


@pytest.fixture
def case_id(fakes: Fakes) -> str:
    entry = find_service(OFFICE, SERVICE)
    assert entry is not None
    return cases.open_case(
        SUB, "budi@contoh.id", OFFICE, SERVICE, "form-0001", entry.sop.applicant.kind
    ).case.case_id


@contextlib.contextmanager
def ranged_reads_only(fakes: Fakes) -> Iterator[None]:
    """The API never downloads a whole upload: only ranged reads (get_upload fails meanwhile)."""

    def whole(key: str, etag: str | None = None) -> bytes:
        raise AssertionError(f"the API read the whole of {key}")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fakes.objects, "get_upload", whole)
        yield


@pytest.fixture
def no_whole_reads(fakes: Fakes) -> Iterator[None]:
    with ranged_reads_only(fakes):
        yield


def posted(fakes: Fakes, case_id: str, data: bytes, kind: str = "pdf") -> tuple[str, dict[str, Any]]:
    """The phone asks for a policy and posts `data` with it; returns (its key, the policy)."""
    policy = cases.request_upload(SUB, case_id, DOC, TYPES[kind])
    fakes.objects.post({"url": policy["url"], "fields": policy["fields"]}, data)
    return str(policy["key"]), policy


def confirm(case_id: str, key: str) -> dict[str, Any]:
    return cases.confirm_upload(SUB, case_id, DOC, key)


def run_checks(fakes: Fakes) -> list[dict[str, Any]]:
    """The worker handles every queued upload check once (as Lambda's event source would)."""
    taken = fakes.tasks.take("check_upload")
    for message in taken:
        tasks.handle(message)
    return taken


def record(fakes: Fakes, case_id: str) -> dict[str, Any]:
    return dict(fakes.cases.get(case_id).documents[DOC])


def shown(case_id: str) -> dict[str, Any]:
    """What the applicant's status page shows of the document (public_view's `documents`, whose
    other parts read Step Functions' work items: tests/integration/test_uploads.py)."""
    return cases.public_document(cases.own_case(SUB, case_id).documents[DOC])


def refused_at_confirmation(fakes: Fakes, case_id: str, data: bytes, kind: str) -> str:
    key, _policy = posted(fakes, case_id, data, kind)
    with pytest.raises(Unprocessable) as refused:
        confirm(case_id, key)
    assert refused.value.field == DOC
    assert fakes.objects.upload_keys() == []  # the refused object is deleted, nothing was pinned
    assert DOC not in (fakes.cases.get(case_id).documents or {})
    return refused.value.message


# --- at confirmation (the API) -------------------------------------------------------------------


def test_a_pdf_is_pinned_recorded_as_being_checked_then_checked_by_the_worker(
    fakes: Fakes, case_id: str
) -> None:
    key, _policy = posted(fakes, case_id, corpus.PDF)
    with ranged_reads_only(fakes):
        answer = confirm(case_id, key)
    assert answer["state"] == "scanning" and answer["state_label"] == "Sedang diperiksa"
    assert "key" not in answer  # where the file lives is the server's business
    kept = record(fakes, case_id)
    assert kept["key"] == pinned_key(key) == key.replace("pending/", "cases/", 1)
    assert fakes.objects.upload_keys() == [pinned_key(key)]  # the posted object is gone
    assert kept["sha256"] and kept["etag"] and kept["size"] == len(corpus.PDF)
    [message] = run_checks(fakes)
    assert (message["task"], message["document"], message["key"]) == ("check_upload", DOC, pinned_key(key))
    assert record(fakes, case_id)["state"] == "checked"
    assert fakes.objects.get_upload(pinned_key(key)) == corpus.PDF  # a PDF is kept as it was sent
    assert shown(case_id)["state_label"] == "Sudah diperiksa"


def test_a_png_declared_as_pdf_is_refused_in_indonesian_and_deleted(
    fakes: Fakes, case_id: str, no_whole_reads: None
) -> None:
    message = refused_at_confirmation(fakes, case_id, corpus.png(), "pdf")
    assert message.startswith("Isi berkas adalah PNG, bukan PDF seperti jenis yang dikirim.")


@pytest.mark.parametrize(
    ("kind", "make"),
    [("jpeg", corpus.camera_jpeg), ("pdf", lambda: corpus.PDF), ("png", corpus.png)],
)
def test_a_file_cut_short_is_refused_with_the_reason_and_deleted(
    fakes: Fakes, case_id: str, no_whole_reads: None, kind: str, make: Callable[[], bytes]
) -> None:
    message = refused_at_confirmation(fakes, case_id, corpus.cut_short(make()), kind)
    assert f"Berkas {kind.upper()} tidak utuh" in message


def test_the_20000_by_20000_png_is_refused_at_confirmation_before_anything_decodes_it(
    fakes: Fakes, case_id: str, no_whole_reads: None
) -> None:
    message = refused_at_confirmation(fakes, case_id, corpus.pixel_flood(), "png")
    assert message.startswith("Gambar terlalu besar (20000 x 20000 piksel)")


@pytest.mark.parametrize(
    ("data", "kind", "reason"),
    [
        (b"", "pdf", "Berkas kosong"),
        (corpus.EXE, "jpeg", "Jenis berkas tidak diterima"),
        (corpus.PDF + b" " * (5 * 1024 * 1024), "pdf", "Berkas terlalu besar"),
    ],
)
def test_empty_foreign_and_oversize_files_are_refused_and_deleted(
    fakes: Fakes, case_id: str, data: bytes, kind: str, reason: str
) -> None:
    assert reason in refused_at_confirmation(fakes, case_id, data, kind)


def test_bytes_posted_again_between_the_check_and_the_pin_are_refused(
    fakes: Fakes, case_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, policy = posted(fakes, case_id, corpus.PDF)
    pin = fakes.objects.pin_upload

    def raced(source: str, target: str, etag: str, size: int) -> Any:
        fakes.objects.post({"url": policy["url"], "fields": policy["fields"]}, corpus.EXE)
        return pin(source, target, etag, size)

    monkeypatch.setattr(fakes.objects, "pin_upload", raced)
    with pytest.raises(Unprocessable, match="Berkas berubah saat sedang diperiksa"):
        confirm(case_id, key)
    assert fakes.objects.upload_keys() == []


def test_a_post_again_after_the_confirmation_never_replaces_what_was_checked(
    fakes: Fakes, case_id: str
) -> None:
    key, policy = posted(fakes, case_id, corpus.PDF)
    confirm(case_id, key)
    run_checks(fakes)
    fakes.objects.post(
        {"url": policy["url"], "fields": policy["fields"]}, corpus.EXE
    )  # within the 10 minutes
    kept = record(fakes, case_id)
    assert kept["state"] == "checked" and kept["key"] == pinned_key(key)
    assert fakes.objects.get_upload(kept["key"], kept["etag"]) == corpus.PDF
    # Confirming the policy's key again judges what is there now: a program, refused and deleted.
    with pytest.raises(Unprocessable, match="Jenis berkas tidak diterima"):
        confirm(case_id, key)
    assert fakes.objects.upload_keys() == [pinned_key(key)]
    assert record(fakes, case_id) == kept


def test_a_confirmation_repeated_after_it_was_done_answers_the_same(fakes: Fakes, case_id: str) -> None:
    key, _policy = posted(fakes, case_id, corpus.PDF)
    first = confirm(case_id, key)
    assert confirm(case_id, key) == first  # the posted object is gone: the record it made is the answer
    assert len(fakes.tasks.take("check_upload")) == 1


# --- after the scan (the worker) ------------------------------------------------------------------


def test_a_phone_photo_is_re_encoded_upright_without_exif_or_gps(fakes: Fakes, case_id: str) -> None:
    original = corpus.camera_jpeg(40, 20)
    with Image.open(io.BytesIO(original)) as sent:
        assert sent.getexif().get_ifd(0x8825)  # the phone wrote where it was
    key, _policy = posted(fakes, case_id, original, "jpeg")
    confirm(case_id, key)
    run_checks(fakes)
    kept = record(fakes, case_id)
    assert kept["state"] == "checked" and kept["key"].endswith(".clean.jpeg")
    assert (kept["width"], kept["height"]) == (20, 40)  # turned upright as its EXIF said
    clean = fakes.objects.get_upload(kept["key"], kept["etag"])
    with Image.open(io.BytesIO(clean)) as stored:
        assert stored.size == (20, 40)
        assert dict(stored.getexif()) == {} and "exif" not in stored.info and "icc_profile" not in stored.info
        assert stored.getpixel((10, 2))[1] > 150  # the green half, now at the top
    assert b"Samsung" not in clean and b"Exif" not in clean
    assert fakes.objects.upload_keys() == [kept["key"]]  # the original is not kept


def test_a_jpeg_zip_polyglot_is_no_longer_a_polyglot(fakes: Fakes, case_id: str) -> None:
    assert corpus.is_zip(corpus.polyglot())
    key, _policy = posted(fakes, case_id, corpus.polyglot(), "jpeg")
    confirm(case_id, key)
    run_checks(fakes)
    kept = record(fakes, case_id)
    clean = fakes.objects.get_upload(kept["key"])
    assert kept["state"] == "checked" and not corpus.is_zip(clean) and b"PK\x03\x04" not in clean
    assert b"baca-saya" not in clean


def test_a_png_keeps_its_kind_and_loses_its_text_chunks(fakes: Fakes, case_id: str) -> None:
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "alamat rumah")
    out = io.BytesIO()
    Image.new("RGBA", (12, 8), (1, 2, 3, 128)).save(out, "PNG", pnginfo=text)
    key, _policy = posted(fakes, case_id, out.getvalue(), "png")
    confirm(case_id, key)
    run_checks(fakes)
    kept = record(fakes, case_id)
    clean = fakes.objects.get_upload(kept["key"])
    assert kept["key"].endswith(".clean.png") and b"alamat rumah" not in clean and b"tEXt" not in clean
    with Image.open(io.BytesIO(clean)) as stored:
        assert stored.mode == "RGBA" and stored.getpixel((0, 0)) == (1, 2, 3, 128)


def test_an_image_the_worker_cannot_decode_is_refused_and_deleted(fakes: Fakes, case_id: str) -> None:
    good = corpus.png(30, 40)
    garbage = b"IDAT" + b"\x13\x37" * 40
    broken = good[:33] + struct.pack(">I", 80) + garbage + struct.pack(">I", zlib.crc32(garbage)) + good[-12:]
    key, _policy = posted(fakes, case_id, broken, "png")
    confirm(case_id, key)  # its header and its end are fine
    run_checks(fakes)
    kept = record(fakes, case_id)
    assert kept["state"] == "refused" and kept["message"] == states.IMAGE_UNREADABLE
    assert fakes.objects.upload_keys() == []


def test_the_eicar_test_file_is_refused_deleted_and_said_in_indonesian(fakes: Fakes, case_id: str) -> None:
    key, _policy = posted(fakes, case_id, corpus.eicar_pdf())
    assert confirm(case_id, key)["state"] == "scanning"  # a scan is not a header check: later
    run_checks(fakes)
    kept = record(fakes, case_id)
    assert kept["state"] == "refused" and kept["message"] == states.INFECTED
    assert fakes.objects.upload_keys() == []  # neither the posted file nor its pinned copy is kept
    view = shown(case_id)
    assert view["state_label"] == "Ditolak" and view["message"].startswith("Berkas ini mengandung virus")
    with pytest.raises(Unprocessable) as refused:
        cases.submit(SUB, case_id)
    assert refused.value.field == "documents" and "mengandung virus" in refused.value.message


@pytest.mark.parametrize(
    "make",
    [
        corpus.javascript_pdf,
        corpus.escaped_javascript_pdf,
        corpus.launch_pdf,
        corpus.object_stream_javascript_pdf,
        corpus.attachment_pdf,
    ],
)
def test_a_pdf_with_active_content_is_refused_deleted_and_said_in_indonesian(
    fakes: Fakes, case_id: str, make: Callable[[], bytes], caplog: pytest.LogCaptureFixture
) -> None:
    key, _policy = posted(fakes, case_id, make())
    assert confirm(case_id, key)["state"] == "scanning"  # its header and its end are a PDF's
    with caplog.at_level("INFO", logger="chalicelib.services.uploads"):
        run_checks(fakes)
    kept = record(fakes, case_id)
    assert kept["state"] == "refused" and kept["message"] == states.PDF_ACTIVE
    assert fakes.objects.upload_keys() == []  # neither the posted file nor its pinned copy is kept
    view = shown(case_id)
    assert view["state_label"] == "Ditolak" and view["message"].startswith("PDF ini berisi skrip")
    with pytest.raises(Unprocessable, match="PDF ini berisi skrip"):
        cases.submit(SUB, case_id)
    logged = caplog.text
    assert "has active content: /" in logged  # the names found, never what the file holds
    assert "app.alert" not in logged and "calc.exe" not in logged and "tersembunyi" not in logged


@pytest.mark.parametrize("make", [corpus.encrypted_pdf, lambda: b"%PDF-1.4\nbukan PDF\n%%EOF\n"])
def test_a_pdf_that_cannot_be_opened_is_refused_and_deleted(
    fakes: Fakes, case_id: str, make: Callable[[], bytes]
) -> None:
    key, _policy = posted(fakes, case_id, make())
    confirm(case_id, key)
    run_checks(fakes)
    kept = record(fakes, case_id)
    assert kept["state"] == "refused" and kept["message"] == states.PDF_UNREADABLE
    assert fakes.objects.upload_keys() == []


@pytest.mark.parametrize("make", [corpus.linked_pdf, corpus.owner_password_pdf])
def test_an_ordinary_pdf_with_links_or_an_owner_password_is_checked_and_kept_as_sent(
    fakes: Fakes, case_id: str, make: Callable[[], bytes]
) -> None:
    sent = make()
    key, _policy = posted(fakes, case_id, sent)
    confirm(case_id, key)
    run_checks(fakes)
    kept = record(fakes, case_id)
    assert kept["state"] == "checked" and kept["key"] == pinned_key(key)
    assert fakes.objects.get_upload(kept["key"], kept["etag"]) == sent  # searched, not rewritten
    assert fakes.objects.upload_keys() == [pinned_key(key)]


def test_a_pdf_changed_after_it_was_pinned_is_refused_before_it_is_searched(
    fakes: Fakes, case_id: str
) -> None:
    key, _policy = posted(fakes, case_id, corpus.PDF)
    confirm(case_id, key)
    fakes.objects.put_upload(pinned_key(key), corpus.javascript_pdf(), "application/pdf")
    run_checks(fakes)
    kept = record(fakes, case_id)
    assert kept["state"] == "refused" and kept["message"] == CHANGED
    assert fakes.objects.upload_keys() == []


def test_what_the_scanner_could_not_scan_is_refused_and_deleted(fakes: Fakes, case_id: str) -> None:
    key, _policy = posted(fakes, case_id, corpus.PDF)
    fakes.scanner.fail(pinned_key(key))
    confirm(case_id, key)
    run_checks(fakes)
    assert record(fakes, case_id)["message"] == states.UNSCANNABLE
    assert fakes.objects.upload_keys() == []


def test_a_scan_not_done_shows_sedang_diperiksa_and_the_case_waits_for_it(fakes: Fakes, case_id: str) -> None:
    key, _policy = posted(fakes, case_id, corpus.PDF)
    fakes.scanner.hold(pinned_key(key))
    confirm(case_id, key)
    run_checks(fakes)
    assert shown(case_id)["state_label"] == "Sedang diperiksa"
    with pytest.raises(Conflict, match="Dokumen masih diperiksa: Lampiran"):
        cases.submit(SUB, case_id)
    again, delay = fakes.tasks.sent[-1]
    assert (again["attempt"], delay) == (1, states.recheck_delay(0))  # asked again in 5 s
    fakes.scanner.release(pinned_key(key))
    run_checks(fakes)
    assert shown(case_id)["state"] == "checked"


def test_a_scan_that_never_ends_is_refused_after_its_deadline(fakes: Fakes, case_id: str) -> None:
    key, _policy = posted(fakes, case_id, corpus.PDF)
    fakes.scanner.hold(pinned_key(key))
    confirm(case_id, key)
    [message] = fakes.tasks.take("check_upload")
    late = iso(now() - timedelta(seconds=states.SCAN_DEADLINE_SECONDS + 1))
    tasks.handle(dict(message, received_at=late))
    kept = record(fakes, case_id)
    assert kept["state"] == "refused" and kept["message"] == states.SCAN_TIMEOUT
    assert fakes.objects.upload_keys() == [] and fakes.tasks.take() == []


def test_a_check_delivered_twice_is_done_once(
    fakes: Fakes, case_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, _policy = posted(fakes, case_id, corpus.camera_jpeg(), "jpeg")
    confirm(case_id, key)
    [message] = fakes.tasks.take("check_upload")
    calls: list[str] = []
    monkeypatch.setattr(malware.StandInScanner, "verdict", lambda self, k: calls.append(k) or malware.CLEAN)
    tasks.handle(dict(message))
    tasks.handle(dict(message))  # SQS delivers it again
    assert calls == [pinned_key(key)] and record(fakes, case_id)["state"] == "checked"


def test_a_newer_upload_wins_over_the_check_of_an_older_one(fakes: Fakes, case_id: str) -> None:
    first, _p1 = posted(fakes, case_id, corpus.PDF)
    confirm(case_id, first)
    second, _p2 = posted(fakes, case_id, corpus.PDF + b"%kedua")
    confirm(case_id, second)
    run_checks(fakes)
    kept = record(fakes, case_id)
    assert kept["key"] == pinned_key(second) and kept["state"] == "checked"
    assert fakes.objects.upload_keys() == [pinned_key(second)]  # the older copy is gone


def test_the_worker_waits_for_a_record_not_written_yet_then_drops_the_orphan(
    fakes: Fakes, case_id: str
) -> None:
    pinned = "cases/" + case_id + "/lampiran/00000000000000aa.pdf"
    fakes.objects.put_upload(pinned, corpus.PDF, "application/pdf")
    message = {
        "task": "check_upload",
        "case_id": case_id,
        "office": OFFICE,
        "service": SERVICE,
        "document": DOC,
        "key": pinned,
        "received_at": iso(),
        "attempt": 0,
        "entered": f"{pinned}#0",
    }
    assert uploads.check(
        message,
        lambda data, kind: pytest.fail("nothing to re-encode"),
        lambda data: pytest.fail("nor search"),
    ) == {"outcome": "waiting"}
    assert fakes.tasks.take("check_upload")[0]["attempt"] == 1
    old = iso(now() - timedelta(seconds=states.RECORD_GRACE_SECONDS + 1))
    assert uploads.check(
        dict(message, received_at=old), lambda data, kind: pytest.fail("no"), lambda data: pytest.fail("no")
    ) == {"outcome": "orphan"}
    assert fakes.objects.upload_keys() == []


def test_a_check_without_its_upload_fails_as_a_bad_message(fakes: Fakes, case_id: str) -> None:
    tasks.handle({"task": "check_upload", "case_id": case_id, "document": DOC})  # no key: logged, dropped
    assert fakes.effects.claimed(f"{case_id}:-:check_upload:-") is False
