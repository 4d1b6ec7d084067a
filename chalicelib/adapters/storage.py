"""S3: presigned POST for uploads straight from the phone, the post-upload re-check, short links.

`ObjectStore` is the port (adapters/ports.py): the objects of the two private buckets, uploads
(the applicants' files, posted by presigned POST) and documents (what the office issues, the kept
SOP files); `S3ObjectStore` is it on S3, `objects()` the one in use. `check_upload` is the rule
an upload must pass, on whichever store is in use.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from chalicelib.adapters.aws import client
from chalicelib.adapters.ports import Port
from chalicelib.domain.disposition import content_disposition
from chalicelib.domain.files import CONTENT_TYPES, FileVerdict, judge_upload
from chalicelib.errors import NotFound
from chalicelib.settings import get_settings

HEAD_BYTES = 16
SOP_SHA_PREFIX = 16
_MISSING = ("404", "NoSuchKey", "NotFound")


def sop_prefix(office: str, service: str) -> str:
    """Where the kept versions of one office's SOP file live in the documents bucket."""
    return f"sop/{office}/{service}/"


def sop_key(office: str, service: str, sha256: str, at: datetime) -> str:
    """`sop/<office>/<service>/<UTC time to the millisecond>-<sha256 prefix>.yaml`, e.g.
    `sop/kab-pasuruan/ak1/20260512T031522123Z-3f2a….yaml`: keys of one file sort by time, so
    the newest version is the last key (what `sop pull` takes)."""
    utc = at.astimezone(UTC)
    stamp = utc.strftime("%Y%m%dT%H%M%S") + f"{utc.microsecond // 1000:03d}Z"
    return f"{sop_prefix(office, service)}{stamp}-{sha256[:SOP_SHA_PREFIX]}.yaml"


def sop_key_sha(key: str) -> str:
    """The SHA-256 prefix in a kept version's key."""
    return key.rsplit("/", 1)[-1].removesuffix(".yaml").rsplit("-", 1)[-1]


class ObjectStore(Protocol):
    """The objects of the uploads and the documents bucket. A missing object is NotFound."""

    def upload_policy(self, key: str, content_type: str, max_bytes: int) -> dict[str, Any]:
        """A presigned POST (`url`, `fields`) for exactly one key of the uploads bucket, one content
        type and 1 to `max_bytes` bytes, encrypted at rest; posting the fields and a file stores it."""
        ...

    def upload_head(self, key: str, length: int) -> tuple[int, bytes] | None:
        """(size, its first `length` bytes) of an upload; None when nothing is stored at the key."""
        ...

    def get_upload(self, key: str) -> bytes:
        """An upload's bytes (the worker puts the 3x4 photo on the card)."""
        ...

    def put_document(self, key: str, data: bytes, content_type: str = "application/pdf") -> None:
        """Store (or replace) a document privately, encrypted at rest."""
        ...

    def get_document(self, key: str, bucket: str | None = None) -> bytes:
        """A document's bytes, from the documents bucket or the one named (`sop pull --bucket`)."""
        ...

    def delete_document(self, key: str) -> None:
        """Remove a document; nothing happens when there is none."""
        ...

    def document_keys(self, prefix: str, bucket: str | None = None) -> list[str]:
        """Every key of the documents bucket (or the one named) under `prefix`, in key order."""
        ...

    def download_link(self, key: str, filename: str, seconds: int = 300) -> str:
        """A link that downloads a document for `seconds` as a PDF named `filename`: its answer
        has the type and disposition of `download_headers`."""
        ...

    def view_link(self, bucket: str, key: str, kind: str | None, filename: str, seconds: int = 300) -> str:
        """A link that shows an object of `bucket` for `seconds` (staff viewing a file of the
        `kind` it was checked to be): its answer has the type and disposition of `view_headers`."""
        ...


def download_headers(filename: str) -> tuple[str, str]:
    """(Content-Type, Content-Disposition) of a download link's answer: a PDF, saved as `filename`."""
    return "application/pdf", content_disposition(filename)


def view_headers(kind: str | None, filename: str) -> tuple[str, str]:
    """(Content-Type, Content-Disposition) of a view link's answer: shown inline as the kind the
    object was checked to be (`pdf`, `jpeg`, `png`); an object of any other kind is only
    downloaded, as application/octet-stream, never rendered. A link fixes both whatever type the
    object was stored with (S3's response-content-type and response-content-disposition)."""
    content_type = CONTENT_TYPES.get(kind or "")
    if content_type is None:
        return "application/octet-stream", content_disposition(filename)
    return content_type, content_disposition(filename, inline=True)


class S3ObjectStore:
    def upload_policy(self, key: str, content_type: str, max_bytes: int) -> dict[str, Any]:
        settings = get_settings()
        fields = {"Content-Type": content_type, "x-amz-server-side-encryption": "AES256"}
        conditions: list[Any] = [
            ["content-length-range", 1, max_bytes],
            {"Content-Type": content_type},
            {"x-amz-server-side-encryption": "AES256"},
        ]
        post: dict[str, Any] = client("s3").generate_presigned_post(
            Bucket=settings.uploads_bucket,
            Key=key,
            Fields=fields,
            Conditions=conditions,
            ExpiresIn=settings.presign_expiry_seconds,
        )
        return post

    def upload_head(self, key: str, length: int) -> tuple[int, bytes] | None:
        s3 = client("s3")
        bucket = get_settings().uploads_bucket
        try:
            head = s3.head_object(Bucket=bucket, Key=key)
        except s3.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return None
            raise
        size = int(head["ContentLength"])
        # An empty object has no byte 0: S3 answers a range read of it with 416 (InvalidRange), so
        # its head is read only when there is one.
        first = b""
        if size > 0:
            first = s3.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{length - 1}")["Body"].read()
        return size, first

    def get_upload(self, key: str) -> bytes:
        return _read(get_settings().uploads_bucket, key)

    def put_document(self, key: str, data: bytes, content_type: str = "application/pdf") -> None:
        client("s3").put_object(
            Bucket=get_settings().documents_bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            ServerSideEncryption="AES256",
        )

    def get_document(self, key: str, bucket: str | None = None) -> bytes:
        return _read(bucket or get_settings().documents_bucket, key)

    def delete_document(self, key: str) -> None:
        client("s3").delete_object(Bucket=get_settings().documents_bucket, Key=key)

    def document_keys(self, prefix: str, bucket: str | None = None) -> list[str]:
        pages = (
            client("s3")
            .get_paginator("list_objects_v2")
            .paginate(Bucket=bucket or get_settings().documents_bucket, Prefix=prefix)
        )
        return sorted(str(item["Key"]) for page in pages for item in page.get("Contents", []))

    def download_link(self, key: str, filename: str, seconds: int = 300) -> str:
        return _presigned_get(get_settings().documents_bucket, key, download_headers(filename), seconds)

    def view_link(self, bucket: str, key: str, kind: str | None, filename: str, seconds: int = 300) -> str:
        return _presigned_get(bucket, key, view_headers(kind, filename), seconds)


def _presigned_get(bucket: str, key: str, headers: tuple[str, str], seconds: int) -> str:
    """A presigned GET whose answer carries `headers` (Content-Type, Content-Disposition)."""
    content_type, disposition = headers
    url: str = client("s3").generate_presigned_url(
        "get_object",
        Params={
            "Bucket": bucket,
            "Key": key,
            "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition,
        },
        ExpiresIn=seconds,
    )
    return url


def _read(bucket: str, key: str) -> bytes:
    s3 = client("s3")
    try:
        body: bytes = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except s3.exceptions.ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in _MISSING:
            raise NotFound("Berkas tidak ditemukan.") from None
        raise
    return body


objects: Port[ObjectStore] = Port("objects", S3ObjectStore)


def check_upload(key: str, accepted: tuple[str, ...], max_bytes: int) -> FileVerdict:
    """Re-check an uploaded object (size and magic bytes); a missing object is a clear refusal.
    judge_upload refuses an empty file by its size."""
    head = objects().upload_head(key, HEAD_BYTES)
    if head is None:
        return FileVerdict(False, None, "Berkas belum terunggah. Unggah ulang berkasnya.")
    size, first = head
    return judge_upload(first, size, accepted, max_bytes)
