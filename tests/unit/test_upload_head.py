"""`S3ObjectStore.upload_head` on S3's answers that moto does not give: a whole object sent
without Content-Range, and an empty object posted again between its 416 and the HEAD."""

from __future__ import annotations

import io
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chalicelib.adapters import storage
from chalicelib.adapters.storage import HEAD_BYTES, S3ObjectStore, StoredUpload, UploadChanged
from tests.fakes import Fakes


class _S3:
    """The calls upload_head makes, answered from a script: each answer an exception or a dict."""

    exceptions = type("exceptions", (), {"ClientError": ClientError})

    def __init__(self, gets: list[Any], heads: list[Any]) -> None:
        self.gets, self.heads, self.asked = gets, heads, []

    def get_object(self, **params: Any) -> dict[str, Any]:
        self.asked.append(("get", params))
        return self._answer(self.gets.pop(0))

    def head_object(self, **params: Any) -> dict[str, Any]:
        self.asked.append(("head", params))
        return self._answer(self.heads.pop(0))

    @staticmethod
    def _answer(answer: Any) -> dict[str, Any]:
        if isinstance(answer, Exception):
            raise answer
        return dict(answer)


def _error(code: str, status: int) -> ClientError:
    return ClientError({"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "GetObject")


def _body(data: bytes, etag: str, content_range: str | None = None) -> dict[str, Any]:
    got: dict[str, Any] = {"Body": io.BytesIO(data), "ETag": etag}
    if content_range is not None:
        got["ContentRange"] = content_range
    return got


@pytest.fixture
def s3(fakes: Fakes, monkeypatch: pytest.MonkeyPatch) -> Any:
    def install(gets: list[Any], heads: list[Any] | None = None) -> _S3:
        fake = _S3(gets, heads or [])
        monkeypatch.setattr(storage, "client", lambda name: fake)
        return fake

    return install


def test_the_size_is_the_content_ranges_total(s3: Any) -> None:
    s3([_body(b"%PDF", '"e1"', "bytes 0-3/52345")])
    assert S3ObjectStore().upload_head("pending/c1/ktp/1.pdf", 4) == (StoredUpload(52345, '"e1"'), b"%PDF")


def test_a_whole_object_sent_without_content_range_is_its_own_size(s3: Any) -> None:
    s3([_body(b"%PDF-1.7", '"e1"')])
    assert S3ObjectStore().upload_head("pending/c1/ktp/1.pdf", HEAD_BYTES) == (
        StoredUpload(8, '"e1"'),
        b"%PDF-1.7",
    )


def test_an_empty_object_is_its_head_with_no_bytes(s3: Any) -> None:
    fake = s3([_error("InvalidRange", 416)], [{"ContentLength": 0, "ETag": '"e0"'}])
    assert S3ObjectStore().upload_head("pending/c1/ktp/1.pdf", 4) == (StoredUpload(0, '"e0"'), b"")
    assert [kind for kind, _params in fake.asked] == ["get", "head"]


def test_an_empty_object_posted_again_before_the_head_is_read_at_the_new_version(s3: Any) -> None:
    """Its size was the new file's and its bytes none: a PDF refused as "Jenis berkas tidak diterima"."""
    fake = s3(
        [_error("InvalidRange", 416), _body(b"%PDF", '"e2"', "bytes 0-3/900")],
        [{"ContentLength": 900, "ETag": '"e2"'}],
    )
    assert S3ObjectStore().upload_head("pending/c1/ktp/1.pdf", 4) == (StoredUpload(900, '"e2"'), b"%PDF")
    assert fake.asked[-1][1]["IfMatch"] == '"e2"'


def test_posted_once_more_meanwhile_is_a_changed_upload_and_a_clear_refusal(s3: Any) -> None:
    s3(
        [_error("InvalidRange", 416), _error("PreconditionFailed", 412)],
        [{"ContentLength": 900, "ETag": '"e2"'}],
    )
    with pytest.raises(UploadChanged):
        S3ObjectStore().upload_head("pending/c1/ktp/1.pdf", 4)


def test_check_upload_refuses_a_changed_upload_in_words(s3: Any, fakes: Fakes) -> None:
    from chalicelib.adapters.ports import Port

    s3(
        [_error("InvalidRange", 416), _error("PreconditionFailed", 412)],
        [{"ContentLength": 900, "ETag": '"e2"'}],
    )
    port: Port[Any] = storage.objects
    before = port.install(S3ObjectStore())
    try:
        verdict = storage.check_upload("pending/c1/ktp/1.pdf", ("pdf",), 5 * 1024 * 1024)
    finally:
        port.install(before)
    assert not verdict.ok and verdict.message == storage.CHANGED
