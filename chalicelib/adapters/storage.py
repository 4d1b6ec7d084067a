"""S3: presigned POST for uploads straight from the phone, the post-upload re-check, short links.

`ObjectStore` is the port (adapters/ports.py): the objects of the two private buckets, uploads
(the applicants' files, posted by presigned POST) and documents (what the office issues, the kept
SOP files); `S3ObjectStore` is it on S3, `objects()` the one in use. `check_upload` is the rule
an upload must pass, on whichever store is in use.

Where an applicant's file lives in the uploads bucket (services/uploads.py moves it along):

- `pending/<case>/<document>/<token>.<kind>`: what the phone posted, with a presigned POST for
  exactly this key; deleted once judged (the bucket's lifecycle drops what is left after a day);
- `cases/<case>/<document>/<token>.<kind>`: the pinned copy, made by the API with a server-side
  CopyObject of the judged ETag. No upload policy can write under `cases/`, so a second POST
  with the same policy (S3 allows it until the policy expires) never reaches it;
- `cases/<case>/<document>/<token>.clean.<kind>`: an image the worker re-encoded from the pinned
  copy (EXIF, GPS and trailing bytes gone).

Reads of a file being judged carry its ETag (`If-Match`): bytes posted in between make them
fail with UploadChanged instead of mixing two files.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from chalicelib.adapters.aws import client
from chalicelib.adapters.ports import Port
from chalicelib.domain.disposition import content_disposition
from chalicelib.domain.files import (
    CHANGED,
    CONTENT_TYPES,
    HEAD_BYTES,
    IMAGE_KINDS,
    MISSING,
    TAIL_BYTES,
    UNREADABLE_SIZE,
    FileVerdict,
    UnreadableImage,
    image_size,
    judge_dimensions,
    judge_ending,
    judge_upload,
)
from chalicelib.errors import Conflict, NotFound
from chalicelib.settings import get_settings

SOP_SHA_PREFIX = 16
_MISSING = ("404", "NoSuchKey", "NotFound")
_CHANGED = ("412", "PreconditionFailed")
_PAST_END = ("416", "InvalidRange")

PENDING_PREFIX = "pending/"
PINNED_PREFIX = "cases/"
# Ranged reads of one image's header beyond its first HEAD_BYTES (a JPEG whose EXIF is long).
MAX_HEADER_READS = 4


def upload_key(case_id: str, document: str, token: str, kind: str) -> str:
    """Where the phone posts one file: `pending/<case>/<document>/<token>.<kind>`."""
    return f"{PENDING_PREFIX}{case_id}/{document}/{token}.{kind}"


def pinned_key(posted: str) -> str:
    """Where the checked copy of a posted file lives: the same name under `cases/`."""
    return PINNED_PREFIX + posted.removeprefix(PENDING_PREFIX)


def clean_key(pinned: str, kind: str) -> str:
    """Where the worker puts an image re-encoded from a pinned copy: `<token>.clean.<kind>`."""
    return f"{pinned.rsplit('.', 1)[0]}.clean.{kind}"


@dataclass(frozen=True)
class StoredUpload:
    """An object of the uploads bucket: `size` in bytes, S3's `etag` (quoted, as S3 gives it) and
    the base64 SHA-256 of its bytes where S3 computed one (a pin or a put: `sha256`)."""

    size: int
    etag: str
    sha256: str = ""


class UploadChanged(Conflict):
    """The object at a key is no longer the one judged (other bytes posted meanwhile, or gone)."""

    def __init__(self, key: str) -> None:
        super().__init__(CHANGED)
        self.key = key


def sha256_b64(data: bytes) -> str:
    """The SHA-256 of `data` as S3 writes a checksum: base64 of the digest."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


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

    def upload_head(self, key: str, length: int) -> tuple[StoredUpload, bytes] | None:
        """The size and ETag of an object of the uploads bucket with its first `length` bytes (all
        of it when shorter, none when empty), all of one version; None when nothing is there.
        UploadChanged when other bytes were posted while it read (it reads again once)."""
        ...

    def upload_bytes(self, key: str, etag: str, start: int, length: int) -> bytes:
        """Up to `length` bytes of an upload from byte `start` (fewer at its end, none past it),
        read only while the object still has `etag`: else UploadChanged (a ranged GET)."""
        ...

    def pin_upload(self, source: str, target: str, etag: str, size: int) -> StoredUpload:
        """Copy an upload to another key of the uploads bucket inside S3, only if it still has
        `etag`, encrypted at rest, with a SHA-256 checksum; the copy's ETag is compared with
        `etag` too. UploadChanged (and no copy left) when the source changed or is gone.
        `size` is the length in bytes of that version (its `upload_head`): the copy is that
        version, so its size is not asked of S3 again."""
        ...

    def put_upload(self, key: str, data: bytes, content_type: str) -> StoredUpload:
        """Store (or replace) `data` at a key of the uploads bucket (the worker's re-encoding)."""
        ...

    def delete_upload(self, key: str) -> None:
        """Remove an object of the uploads bucket; nothing happens when there is none."""
        ...

    def get_upload(self, key: str, etag: str | None = None) -> bytes:
        """An upload's bytes (the worker re-encodes a photo, the card prints it); with `etag`,
        only while the object has it (else UploadChanged). NotFound when there is none."""
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

    def upload_head(self, key: str, length: int) -> tuple[StoredUpload, bytes] | None:
        # One ranged GET (issue 16: a confirmation's HeadObject saved): its Content-Range names the
        # whole object's size, its ETag the version those bytes are of.
        s3 = client("s3")
        bucket = get_settings().uploads_bucket
        try:
            got = s3.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{max(1, length) - 1}")
        except s3.exceptions.ClientError as exc:
            if _code(exc) in _MISSING:
                return None
            if _code(exc) not in _PAST_END:
                raise
            # An empty object has no byte 0 to read (S3 answers 416): its size and ETag by HEAD.
            try:
                head = s3.head_object(Bucket=bucket, Key=key)
            except s3.exceptions.ClientError as again:
                if _code(again) in _MISSING:
                    return None
                raise
            stat = StoredUpload(int(head["ContentLength"]), str(head["ETag"]))
            # Posted again between the two (a policy posts until it expires): that version's head,
            # read at its ETag (UploadChanged if it changes once more).
            return stat, self.upload_bytes(key, stat.etag, 0, length) if stat.size else b""
        body: bytes = got["Body"].read()
        return StoredUpload(_whole_size(got.get("ContentRange"), len(body)), str(got["ETag"])), body[:length]

    def upload_bytes(self, key: str, etag: str, start: int, length: int) -> bytes:
        if length <= 0:
            return b""
        s3 = client("s3")
        try:
            got = s3.get_object(
                Bucket=get_settings().uploads_bucket,
                Key=key,
                Range=f"bytes={start}-{start + length - 1}",
                IfMatch=etag,
            )
        except s3.exceptions.ClientError as exc:
            # An empty object, or a start past the end, has no such byte: S3 answers 416.
            if _code(exc) in _PAST_END:
                return b""
            if _code(exc) in (*_CHANGED, *_MISSING):
                raise UploadChanged(key) from None
            raise
        body: bytes = got["Body"].read()
        return body

    def pin_upload(self, source: str, target: str, etag: str, size: int) -> StoredUpload:
        s3 = client("s3")
        bucket = get_settings().uploads_bucket
        try:
            copied = s3.copy_object(
                Bucket=bucket,
                Key=target,
                CopySource={"Bucket": bucket, "Key": source},
                CopySourceIfMatch=etag,
                ServerSideEncryption="AES256",
                ChecksumAlgorithm="SHA256",
            )["CopyObjectResult"]
        except s3.exceptions.ClientError as exc:
            if _code(exc) in (*_CHANGED, *_MISSING):
                raise UploadChanged(source) from None
            raise
        if copied["ETag"] != etag:  # the condition is S3's; the comparison is ours (moto skips it)
            s3.delete_object(Bucket=bucket, Key=target)
            raise UploadChanged(source)
        return StoredUpload(size, str(copied["ETag"]), str(copied.get("ChecksumSHA256") or ""))

    def put_upload(self, key: str, data: bytes, content_type: str) -> StoredUpload:
        put = client("s3").put_object(
            Bucket=get_settings().uploads_bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            ServerSideEncryption="AES256",
            ChecksumAlgorithm="SHA256",
        )
        return StoredUpload(len(data), str(put["ETag"]), str(put.get("ChecksumSHA256") or sha256_b64(data)))

    def delete_upload(self, key: str) -> None:
        client("s3").delete_object(Bucket=get_settings().uploads_bucket, Key=key)

    def get_upload(self, key: str, etag: str | None = None) -> bytes:
        return _read(get_settings().uploads_bucket, key, etag)

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


def _code(exc: Any) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _read(bucket: str, key: str, etag: str | None = None) -> bytes:
    s3 = client("s3")
    try:
        body: bytes = s3.get_object(Bucket=bucket, Key=key, **({"IfMatch": etag} if etag else {}))[
            "Body"
        ].read()
    except s3.exceptions.ClientError as exc:
        if _code(exc) in _MISSING:
            raise NotFound("Berkas tidak ditemukan.") from None
        if _code(exc) in _CHANGED:
            raise UploadChanged(key) from None
        raise
    return body


objects: Port[ObjectStore] = Port("objects", S3ObjectStore)


def check_upload(
    key: str, accepted: tuple[str, ...], max_bytes: int, declared: str | None = None
) -> FileVerdict:
    """Judge an uploaded object by ranged reads, never a whole download (domain/files.py): its
    size, its first HEAD_BYTES (kind, and the kind `declared` for it), for an image its size in
    pixels from the header, and its last TAIL_BYTES (not cut short). Every read is of the one
    version first seen (its ETag, in the verdict): a file posted again meanwhile is refused.
    A missing object is a clear refusal; so is an empty one (by its size)."""
    store = objects()
    try:
        found = store.upload_head(key, HEAD_BYTES)
    except UploadChanged:
        return FileVerdict(False, None, CHANGED)
    if found is None:
        return FileVerdict(False, None, MISSING)
    stat, head = found
    kind: str | None = None
    try:
        verdict = judge_upload(head, stat.size, accepted, max_bytes, declared)
        kind = verdict.kind
        if not verdict.ok or kind is None:
            return _with_etag(verdict, stat)
        width = height = None
        if kind in IMAGE_KINDS:
            try:
                width, height = image_size(kind, _HeaderReader(store, key, stat, head).read)
            except UnreadableImage:
                return FileVerdict(False, kind, UNREADABLE_SIZE, etag=stat.etag, size=stat.size)
            sized = judge_dimensions(kind, width, height)
            if not sized.ok:
                return _with_etag(sized, stat)
        start = max(0, stat.size - TAIL_BYTES)
        whole = stat.size <= len(head)
        tail = head[start:] if whole else store.upload_bytes(key, stat.etag, start, TAIL_BYTES)
        ending = judge_ending(kind, tail)
        if not ending.ok:
            return _with_etag(ending, stat)
    except UploadChanged:
        return FileVerdict(False, kind, CHANGED, etag=stat.etag, size=stat.size)
    return FileVerdict(True, kind, "", width, height, stat.etag, stat.size)


def _whole_size(content_range: str | None, read: int) -> int:
    """The whole object's size from a ranged GET's Content-Range (`bytes 0-1023/52345`), or the
    bytes read when S3 sent the whole object without one."""
    if content_range and "/" in content_range:
        total = content_range.rsplit("/", 1)[1]
        if total.isdigit():
            return int(total)
    return read


def _with_etag(verdict: FileVerdict, stat: StoredUpload) -> FileVerdict:
    return replace(verdict, etag=stat.etag, size=stat.size)


class _HeaderReader:
    """The bytes of one upload version for `image_size`: its head, then at most MAX_HEADER_READS
    more ranged reads of HEAD_BYTES where a JPEG's segments lead further."""

    def __init__(self, store: ObjectStore, key: str, stat: StoredUpload, head: bytes) -> None:
        self.store, self.key, self.stat = store, key, stat
        self.windows: list[tuple[int, bytes]] = [(0, head)]

    def read(self, offset: int, length: int) -> bytes:
        if offset >= self.stat.size:
            return b""
        end = min(offset + length, self.stat.size)
        for start, data in self.windows:
            if start <= offset and end <= start + len(data):
                return data[offset - start : end - start]
        if len(self.windows) > MAX_HEADER_READS:
            raise UnreadableImage("JPEG header too long to read")
        data = self.store.upload_bytes(self.key, self.stat.etag, offset, max(HEAD_BYTES, length))
        self.windows.append((offset, data))
        return data[: end - offset]
