"""The contract of the objects port (`storage.ObjectStore`), and of `check_upload` on it."""

from __future__ import annotations

import struct
from typing import Any

import pytest

from chalicelib.adapters import storage
from chalicelib.adapters.storage import HEAD_BYTES, ObjectStore, StoredUpload, UploadChanged
from chalicelib.errors import NotFound
from chalicelib.settings import get_settings
from tests.upload_corpus import PDF

EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode."
MB = 1024 * 1024
POSTED = "pending/c1/ktp/0123456789abcdef.pdf"
PINNED = "cases/c1/ktp/0123456789abcdef.pdf"


def jpeg_behind_exif(width: int, height: int, exif_segments: int) -> bytes:
    """A JPEG's header with `exif_segments` APP1 segments of 60 KB before its frame header (as a
    phone writes EXIF, thumbnail and maker notes), then a scan and the end marker."""
    app1 = b"\xff\xe1" + struct.pack(">H", 60_000) + b"Exif\x00\x00" + b"\x00" * (60_000 - 8)
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return (
        b"\xff\xd8"
        + app1 * exif_segments
        + sof0
        + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00"
        + b"\x00" * 64
        + b"\xff\xd9"
    )


class ObjectStoreContract:
    """Subclasses give `subject` (the store under test, installed as `storage.objects()`), and
    play the phone (`post`: a file posted with a presigned POST) and the browser (`follow`: the
    bytes a link gives, and its headers by lower-case name)."""

    @pytest.fixture
    def subject(self) -> ObjectStore:
        raise NotImplementedError

    def post(self, policy: dict[str, Any], data: bytes) -> None:
        raise NotImplementedError

    def follow(self, url: str) -> tuple[bytes, dict[str, str]]:
        raise NotImplementedError

    def test_a_document_put_is_read_back_and_replaced_by_the_next_put(self, subject: ObjectStore) -> None:
        subject.put_document("cases/c1/kartu_ak1/v1.pdf", PDF)
        assert subject.get_document("cases/c1/kartu_ak1/v1.pdf") == PDF
        assert subject.get_document("cases/c1/kartu_ak1/v1.pdf", get_settings().documents_bucket) == PDF
        subject.put_document("cases/c1/kartu_ak1/v1.pdf", PDF + b"%v2")
        assert subject.get_document("cases/c1/kartu_ak1/v1.pdf") == PDF + b"%v2"

    def test_a_missing_object_is_not_found(self, subject: ObjectStore) -> None:
        with pytest.raises(NotFound):
            subject.get_document("cases/c1/tidak-ada.pdf")
        with pytest.raises(NotFound):
            subject.get_upload("cases/c1/ktp/tidak-ada.pdf")
        subject.put_document("cases/c1/surat/v1.pdf", PDF)
        with pytest.raises(NotFound):  # a document is not an upload
            subject.get_upload("cases/c1/surat/v1.pdf")

    def test_a_deleted_document_is_gone_and_deleting_nothing_is_no_error(self, subject: ObjectStore) -> None:
        subject.put_document("sop/kab-pasuruan/ak1/a.yaml", b"id: ak1\n", "application/yaml")
        subject.delete_document("sop/kab-pasuruan/ak1/a.yaml")
        with pytest.raises(NotFound):
            subject.get_document("sop/kab-pasuruan/ak1/a.yaml")
        subject.delete_document("sop/kab-pasuruan/ak1/a.yaml")

    def test_document_keys_are_those_under_the_prefix_in_key_order(self, subject: ObjectStore) -> None:
        for key in (
            "sop/kab-pasuruan/ak1/2-b.yaml",
            "sop/kab-pasuruan/ak1/1-a.yaml",
            "sop/kab-pasuruan/ak1x/1.yaml",
        ):
            subject.put_document(key, b"x", "application/yaml")
        subject.put_document("sop/kota-tangerang/ak1/1-a.yaml", b"x", "application/yaml")
        expected = ["sop/kab-pasuruan/ak1/1-a.yaml", "sop/kab-pasuruan/ak1/2-b.yaml"]
        assert subject.document_keys("sop/kab-pasuruan/ak1/") == expected
        assert subject.document_keys("sop/kab-pasuruan/ak1/", get_settings().documents_bucket) == expected
        assert subject.document_keys("sop/kab-pasuruan/tidak-ada/") == []

    def test_a_file_posted_with_the_policy_lands_at_its_key(self, subject: ObjectStore) -> None:
        policy = subject.upload_policy(POSTED, "application/pdf", 5 * MB)
        assert policy["fields"]["key"] == POSTED
        assert policy["fields"]["Content-Type"] == "application/pdf"
        assert policy["fields"]["x-amz-server-side-encryption"] == "AES256"
        self.post(policy, PDF)
        found = subject.upload_head(POSTED, 4)
        assert found is not None
        stat, head = found
        assert stat.size == len(PDF) and stat.etag.startswith('"') and head == b"%PDF"
        assert subject.upload_head(POSTED, 10 * len(PDF)) == (stat, PDF)  # all of it when shorter
        assert subject.upload_bytes(POSTED, stat.etag, 0, 4) == b"%PDF"
        assert subject.upload_bytes(POSTED, stat.etag, len(PDF) - 6, 100) == b"%%EOF\n"  # fewer at its end
        assert subject.upload_bytes(POSTED, stat.etag, len(PDF) + 10, 4) == b""  # none past it
        assert subject.get_upload(POSTED) == PDF == subject.get_upload(POSTED, stat.etag)
        assert subject.upload_head("pending/c1/ktp/fedcba9876543210.pdf", 4) is None
        with pytest.raises(NotFound):  # an upload is not a document
            subject.get_document(POSTED)

    def test_reads_at_an_etag_fail_once_other_bytes_were_posted(self, subject: ObjectStore) -> None:
        policy = subject.upload_policy(POSTED, "application/pdf", 5 * MB)
        self.post(policy, PDF)
        first = _stat(subject, POSTED)
        assert first is not None
        self.post(policy, PDF + b"%lagi")  # the same policy, again (S3 allows it until it expires)
        with pytest.raises(UploadChanged):
            subject.upload_bytes(POSTED, first.etag, 0, 4)
        with pytest.raises(UploadChanged):
            subject.get_upload(POSTED, first.etag)

    def test_a_pinned_copy_keeps_the_checked_bytes_when_the_policy_posts_again(
        self, subject: ObjectStore
    ) -> None:
        policy = subject.upload_policy(POSTED, "application/pdf", 5 * MB)
        self.post(policy, PDF)
        stat = _stat(subject, POSTED)
        assert stat is not None
        pinned = subject.pin_upload(POSTED, PINNED, stat.etag, stat.size)
        assert (pinned.size, pinned.etag, pinned.sha256) == (len(PDF), stat.etag, storage.sha256_b64(PDF))
        subject.delete_upload(POSTED)
        self.post(policy, EXE)  # a program, with the policy of the checked file
        assert subject.get_upload(PINNED, pinned.etag) == PDF
        assert subject.get_upload(POSTED) == EXE  # it landed where the policy says, nowhere else

    def test_pinning_an_upload_that_changed_is_refused_and_leaves_no_copy(self, subject: ObjectStore) -> None:
        policy = subject.upload_policy(POSTED, "application/pdf", 5 * MB)
        self.post(policy, PDF)
        judged = _stat(subject, POSTED)
        assert judged is not None
        self.post(policy, EXE)  # posted again between the check and the pin
        with pytest.raises(UploadChanged):
            subject.pin_upload(POSTED, PINNED, judged.etag, judged.size)
        assert _stat(subject, PINNED) is None
        subject.delete_upload(POSTED)
        with pytest.raises(UploadChanged):  # gone meanwhile
            subject.pin_upload(POSTED, PINNED, judged.etag, judged.size)

    def test_an_upload_put_is_read_back_with_its_checksum_and_deleted(self, subject: ObjectStore) -> None:
        stored = subject.put_upload(
            "cases/c1/pas_foto/0123456789abcdef.clean.jpeg", b"\xff\xd8\xff", "image/jpeg"
        )
        assert stored.size == 3 and stored.sha256 == storage.sha256_b64(b"\xff\xd8\xff")
        stat = _stat(subject, "cases/c1/pas_foto/0123456789abcdef.clean.jpeg")
        assert stat is not None and stat.etag == stored.etag
        subject.delete_upload("cases/c1/pas_foto/0123456789abcdef.clean.jpeg")
        assert _stat(subject, "cases/c1/pas_foto/0123456789abcdef.clean.jpeg") is None
        subject.delete_upload("cases/c1/pas_foto/0123456789abcdef.clean.jpeg")  # nothing there: no error
        with pytest.raises(NotFound):
            subject.get_upload("cases/c1/pas_foto/0123456789abcdef.clean.jpeg")

    def test_the_head_of_an_empty_upload_is_its_size_and_no_bytes(self, subject: ObjectStore) -> None:
        """S3 has no byte 0 of an empty object to read (a ranged GET answers 416)."""
        self.post(subject.upload_policy(POSTED, "application/pdf", 5 * MB), b"")
        found = subject.upload_head(POSTED, HEAD_BYTES)
        assert found is not None and found[0].size == 0 and found[0].etag.startswith('"') and found[1] == b""

    def test_check_upload_judges_what_was_posted(self, subject: ObjectStore) -> None:
        for key, data in (
            ("pending/c1/a/1.pdf", PDF),
            ("pending/c1/a/2.pdf", b"ini bukan pdf"),
            ("pending/c1/a/3.pdf", b""),
            ("pending/c1/a/5.pdf", PDF[:-7]),  # cut short: no %%EOF
        ):
            self.post(subject.upload_policy(key, "application/pdf", 5 * MB), data)
        accepted = storage.check_upload("pending/c1/a/1.pdf", ("pdf",), 5 * MB, "pdf")
        assert (
            accepted.ok
            and accepted.kind == "pdf"
            and accepted.etag == _stat(subject, "pending/c1/a/1.pdf").etag
        )  # type: ignore[union-attr]
        refused = storage.check_upload("pending/c1/a/2.pdf", ("pdf",), 5 * MB)
        assert not refused.ok and "Jenis berkas tidak diterima" in refused.message
        empty = storage.check_upload("pending/c1/a/3.pdf", ("pdf",), 5 * MB)  # S3 has no byte 0 to read
        assert not empty.ok and "kosong" in empty.message
        assert not storage.check_upload("pending/c1/a/1.pdf", ("pdf",), 10).ok  # over its limit
        missing = storage.check_upload("pending/c1/a/4.pdf", ("pdf",), 5 * MB)
        assert not missing.ok and "belum terunggah" in missing.message
        cut = storage.check_upload("pending/c1/a/5.pdf", ("pdf",), 5 * MB, "pdf")
        assert not cut.ok and "PDF tidak utuh" in cut.message
        as_png = storage.check_upload("pending/c1/a/1.pdf", ("pdf", "png"), 5 * MB, "png")
        assert not as_png.ok and "bukan PNG" in as_png.message

    def test_check_upload_reads_a_jpeg_size_behind_a_long_exif_by_ranged_reads(
        self, subject: ObjectStore
    ) -> None:
        key = "pending/c1/pas_foto/0123456789abcdef.jpeg"
        self.post(subject.upload_policy(key, "image/jpeg", 5 * MB), jpeg_behind_exif(3024, 4032, 3))
        verdict = storage.check_upload(key, ("jpeg",), 5 * MB, "jpeg")
        assert verdict.ok and (verdict.width, verdict.height) == (3024, 4032)
        self.post(subject.upload_policy(key, "image/jpeg", 5 * MB), jpeg_behind_exif(20000, 20000, 1))
        flood = storage.check_upload(key, ("jpeg",), 5 * MB, "jpeg")
        assert not flood.ok and "20000 x 20000 piksel" in flood.message

    def test_a_download_link_gives_the_document_under_its_file_name(self, subject: ObjectStore) -> None:
        subject.put_document("cases/c1/kartu_ak1/v1.pdf", PDF)
        body, headers = self.follow(
            subject.download_link("cases/c1/kartu_ak1/v1.pdf", "Kartu AK/I é abc.pdf", 60)
        )
        assert body == PDF
        assert headers["content-type"] == "application/pdf"
        # saved, never shown; a plain ASCII name and the exact one (RFC 5987)
        exact = "Kartu%20AK%20I%20%C3%A9%20abc.pdf"
        assert headers["content-disposition"] == (
            f"attachment; filename=\"Kartu AK I e abc.pdf\"; filename*=UTF-8''{exact}"
        )

    def test_a_view_link_shows_the_object_of_its_bucket_as_the_kind_it_was_checked_to_be(
        self, subject: ObjectStore
    ) -> None:
        key = POSTED
        self.post(subject.upload_policy(key, "application/pdf", 5 * MB), PDF)
        body, headers = self.follow(
            subject.view_link(get_settings().uploads_bucket, key, "pdf", "KTP abc.pdf", 60)
        )
        assert body == PDF and headers["content-type"] == "application/pdf"
        assert (
            headers["content-disposition"]
            == "inline; filename=\"KTP abc.pdf\"; filename*=UTF-8''KTP%20abc.pdf"
        )
        subject.put_document("cases/c1/surat/v1.pdf", PDF + b"%doc")
        body, _headers = self.follow(
            subject.view_link(
                get_settings().documents_bucket, "cases/c1/surat/v1.pdf", "pdf", "Surat.pdf", 60
            )
        )
        assert body == PDF + b"%doc"

    def test_a_view_link_shows_a_photo_as_its_kind_and_anything_else_only_downloads(
        self, subject: ObjectStore
    ) -> None:
        key = "cases/c1/pas_foto/0123456789abcdef.jpg"
        self.post(subject.upload_policy(key, "image/jpeg", 5 * MB), b"\xff\xd8\xff foto")
        bucket = get_settings().uploads_bucket
        _body, photo = self.follow(subject.view_link(bucket, key, "jpeg", "Pas foto abc.jpg", 60))
        assert photo["content-type"] == "image/jpeg" and photo["content-disposition"].startswith("inline; ")
        _body, other = self.follow(subject.view_link(bucket, key, None, "Berkas abc.bin", 60))
        assert other["content-type"] == "application/octet-stream"  # not rendered, whatever it holds
        assert other["content-disposition"].startswith('attachment; filename="Berkas abc.bin"')


def _stat(subject: ObjectStore, key: str) -> StoredUpload | None:
    """The size and ETag of an upload (its head's, without its bytes)."""
    found = subject.upload_head(key, 1)
    return None if found is None else found[0]
