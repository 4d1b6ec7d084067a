"""The contract of the objects port (`storage.ObjectStore`), and of `check_upload` on it."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters import storage
from chalicelib.adapters.storage import ObjectStore
from chalicelib.errors import NotFound
from chalicelib.settings import get_settings

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MB = 1024 * 1024


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
        policy = subject.upload_policy("cases/c1/ktp/0123456789abcdef.pdf", "application/pdf", 5 * MB)
        assert policy["fields"]["key"] == "cases/c1/ktp/0123456789abcdef.pdf"
        assert policy["fields"]["Content-Type"] == "application/pdf"
        assert policy["fields"]["x-amz-server-side-encryption"] == "AES256"
        self.post(policy, PDF)
        assert subject.upload_head("cases/c1/ktp/0123456789abcdef.pdf", 4) == (len(PDF), b"%PDF")
        assert subject.get_upload("cases/c1/ktp/0123456789abcdef.pdf") == PDF
        assert subject.upload_head("cases/c1/ktp/fedcba9876543210.pdf", 4) is None
        with pytest.raises(NotFound):  # an upload is not a document
            subject.get_document("cases/c1/ktp/0123456789abcdef.pdf")

    def test_check_upload_judges_what_was_posted(self, subject: ObjectStore) -> None:
        for key, data in (
            ("cases/c1/a/1.pdf", PDF),
            ("cases/c1/a/2.pdf", b"ini bukan pdf"),
            ("cases/c1/a/3.pdf", b""),
        ):
            self.post(subject.upload_policy(key, "application/pdf", 5 * MB), data)
        assert storage.check_upload("cases/c1/a/1.pdf", ("pdf",), 5 * MB).kind == "pdf"
        refused = storage.check_upload("cases/c1/a/2.pdf", ("pdf",), 5 * MB)
        assert not refused.ok and "Jenis berkas tidak diterima" in refused.message
        empty = storage.check_upload("cases/c1/a/3.pdf", ("pdf",), 5 * MB)  # S3 has no byte 0 to read
        assert not empty.ok and "kosong" in empty.message
        assert not storage.check_upload("cases/c1/a/1.pdf", ("pdf",), 10).ok  # over its limit
        missing = storage.check_upload("cases/c1/a/4.pdf", ("pdf",), 5 * MB)
        assert not missing.ok and "belum terunggah" in missing.message

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
        key = "cases/c1/ktp/0123456789abcdef.pdf"
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
