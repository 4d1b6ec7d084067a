"""S3: presigned POST for uploads straight from the phone, the post-upload re-check, short links."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.adapters.aws import client
from chalicelib.domain.disposition import content_disposition
from chalicelib.domain.files import CONTENT_TYPES, FileVerdict, judge_upload
from chalicelib.settings import get_settings

HEAD_BYTES = 16
SOP_SHA_PREFIX = 16


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


def upload_policy(key: str, content_type: str, max_bytes: int) -> dict[str, Any]:
    """A presigned POST for exactly one key, one content type and a size range, encrypted at rest."""
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


def check_upload(key: str, accepted: tuple[str, ...], max_bytes: int) -> FileVerdict:
    """Re-check an uploaded object (size and magic bytes); a missing object is a clear refusal."""
    s3 = client("s3")
    bucket = get_settings().uploads_bucket
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
    except s3.exceptions.ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return FileVerdict(False, None, "Berkas belum terunggah. Unggah ulang berkasnya.")
        raise
    size = int(head["ContentLength"])
    # An empty object has no byte 0: S3 answers a range read of it with 416 (InvalidRange), so
    # its head is read only when there is one; judge_upload refuses the empty file by its size.
    first = b""
    if size > 0:
        first = s3.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{HEAD_BYTES - 1}")["Body"].read()
    return judge_upload(first, size, accepted, max_bytes)


def put_document(key: str, data: bytes, content_type: str = "application/pdf") -> None:
    """Store an issued document privately (encrypted) in the documents bucket."""
    client("s3").put_object(
        Bucket=get_settings().documents_bucket,
        Key=key,
        Body=data,
        ContentType=content_type,
        ServerSideEncryption="AES256",
    )


def get_document(key: str, bucket: str | None = None) -> bytes:
    name = bucket or get_settings().documents_bucket
    body: bytes = client("s3").get_object(Bucket=name, Key=key)["Body"].read()
    return body


def delete_document(key: str) -> None:
    client("s3").delete_object(Bucket=get_settings().documents_bucket, Key=key)


def document_keys(prefix: str, bucket: str | None = None) -> list[str]:
    """Every key of the documents bucket under `prefix`, in key order."""
    pages = (
        client("s3")
        .get_paginator("list_objects_v2")
        .paginate(Bucket=bucket or get_settings().documents_bucket, Prefix=prefix)
    )
    return sorted(str(item["Key"]) for page in pages for item in page.get("Contents", []))


def get_upload(key: str) -> bytes:
    """An applicant's upload (the worker puts the 3x4 photo on the card)."""
    body: bytes = client("s3").get_object(Bucket=get_settings().uploads_bucket, Key=key)["Body"].read()
    return body


def _get_link(bucket: str, key: str, content_type: str, disposition: str, seconds: int) -> str:
    """A presigned GET whose answer says what the object is and how to hand it over: S3 sends
    `ResponseContentType` and `ResponseContentDisposition` as the Content-Type and
    Content-Disposition of that answer, whatever the object was stored with."""
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


def download_link(key: str, filename: str, seconds: int = 300) -> str:
    """A short-lived link that downloads an issued document (a PDF) under a readable file name."""
    disposition = content_disposition(filename, inline=False)
    return _get_link(get_settings().documents_bucket, key, "application/pdf", disposition, seconds)


def view_link(bucket: str, key: str, kind: str | None, filename: str, seconds: int = 300) -> str:
    """A short-lived link to read a private object in the browser (staff viewing a document of their
    office): shown inline as the kind it was checked to be (`pdf`, `jpeg`, `png`); an object of
    any other kind is only downloaded, never rendered."""
    content_type = CONTENT_TYPES.get(kind or "")
    if content_type is None:
        return _get_link(bucket, key, "application/octet-stream", content_disposition(filename), seconds)
    return _get_link(bucket, key, content_type, content_disposition(filename, inline=True), seconds)
