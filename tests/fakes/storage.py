"""The two buckets in memory: `chalicelib.adapters.storage.ObjectStore` without S3.

Proven by tests/contract/storage.py, which runs against this and against S3ObjectStore on moto.
A test plays the phone with `post` (a presigned POST) and the browser with `follow` (a link).
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from chalicelib.adapters.storage import (
    StoredUpload,
    UploadChanged,
    download_headers,
    sha256_b64,
    view_headers,
)
from chalicelib.errors import NotFound
from chalicelib.settings import get_settings

SCHEME = "memory"


class FakeObjectStore:
    """Objects by bucket and key, each with its content type; the buckets named by the settings,
    as S3ObjectStore names them. Links are `memory://<bucket>/<key>?...` (never fetched over HTTP)."""

    def __init__(self) -> None:
        self._buckets: dict[str, dict[str, tuple[bytes, str]]] = {}
        self._lock = threading.Lock()

    # --- ObjectStore ------------------------------------------------------------------------------

    def upload_policy(self, key: str, content_type: str, max_bytes: int) -> dict[str, Any]:
        # S3 checks the policy's conditions (one key, the type, 1 to max_bytes bytes) when the phone
        # posts; moto does not, so neither does `post`: services re-check with check_upload.
        return {
            "url": f"{SCHEME}://{get_settings().uploads_bucket}/",
            "fields": {"key": key, "Content-Type": content_type, "x-amz-server-side-encryption": "AES256"},
        }

    def upload_head(self, key: str, length: int) -> tuple[StoredUpload, bytes] | None:
        found = self._object(get_settings().uploads_bucket, key)
        return None if found is None else (StoredUpload(len(found[0]), etag_of(found[0])), found[0][:length])

    def upload_bytes(self, key: str, etag: str, start: int, length: int) -> bytes:
        data = self._version(key, etag)
        return data[start : start + max(0, length)]

    def pin_upload(self, source: str, target: str, etag: str, size: int) -> StoredUpload:
        data = self._version(source, etag)
        # S3's copy is not measured again (adapters/storage.py): a caller's size must be the version's.
        assert size == len(data), f"pin_upload given size {size} for a version of {len(data)} bytes"
        bucket = get_settings().uploads_bucket
        content_type = (self._object(bucket, source) or (b"", "binary/octet-stream"))[1]
        self._write(bucket, target, data, content_type)
        return StoredUpload(len(data), etag_of(data), sha256_b64(data))

    def put_upload(self, key: str, data: bytes, content_type: str) -> StoredUpload:
        self._write(get_settings().uploads_bucket, key, data, content_type)
        return StoredUpload(len(data), etag_of(data), sha256_b64(data))

    def delete_upload(self, key: str) -> None:
        with self._lock:
            self._buckets.get(get_settings().uploads_bucket, {}).pop(key, None)

    def get_upload(self, key: str, etag: str | None = None) -> bytes:
        data = self._read(get_settings().uploads_bucket, key)
        if etag is not None and etag_of(data) != etag:
            raise UploadChanged(key)
        return data

    def put_document(self, key: str, data: bytes, content_type: str = "application/pdf") -> None:
        self._write(get_settings().documents_bucket, key, data, content_type)

    def get_document(self, key: str, bucket: str | None = None) -> bytes:
        return self._read(bucket or get_settings().documents_bucket, key)

    def delete_document(self, key: str) -> None:
        with self._lock:
            self._buckets.get(get_settings().documents_bucket, {}).pop(key, None)

    def document_keys(self, prefix: str, bucket: str | None = None) -> list[str]:
        with self._lock:
            keys = list(self._buckets.get(bucket or get_settings().documents_bucket, {}))
        return sorted(k for k in keys if k.startswith(prefix))

    def download_link(self, key: str, filename: str, seconds: int = 300) -> str:
        return self._link(get_settings().documents_bucket, key, seconds, download_headers(filename))

    def view_link(self, bucket: str, key: str, kind: str | None, filename: str, seconds: int = 300) -> str:
        return self._link(bucket, key, seconds, view_headers(kind, filename))

    # --- what a test looks at ----------------------------------------------------------------------

    def upload_keys(self, prefix: str = "") -> list[str]:
        """Every key of the uploads bucket under `prefix`, in key order."""
        with self._lock:
            keys = list(self._buckets.get(get_settings().uploads_bucket, {}))
        return sorted(k for k in keys if k.startswith(prefix))

    # --- what the phone and the browser do --------------------------------------------------------

    def post(self, policy: dict[str, Any], data: bytes) -> None:
        """The phone posts a file with the policy's fields: it lands at the policy's key."""
        bucket = urlsplit(policy["url"]).netloc
        fields = policy["fields"]
        self._write(bucket, str(fields["key"]), data, str(fields.get("Content-Type", "binary/octet-stream")))

    def follow(self, url: str) -> tuple[bytes, dict[str, str]]:
        """What a browser gets from a link: the bytes and the headers by lower-case name
        (content-type, and content-disposition for a download). NotFound for a missing object."""
        parts = urlsplit(url)
        if parts.scheme != SCHEME:
            raise ValueError(f"not a link of the in-memory store: {url}")
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        bucket, key = parts.netloc, unquote(parts.path.removeprefix("/"))
        found = self._object(bucket, key)
        if found is None:
            raise NotFound("Berkas tidak ditemukan.")
        headers = {"content-type": query.get("response-content-type", found[1])}
        if "response-content-disposition" in query:
            headers["content-disposition"] = query["response-content-disposition"]
        return found[0], headers

    # --- in memory --------------------------------------------------------------------------------

    def _link(self, bucket: str, key: str, seconds: int, headers: tuple[str, str]) -> str:
        content_type, disposition = headers  # what S3's response-content-* overrides make it answer
        params = {"response-content-type": content_type, "response-content-disposition": disposition}
        query = urlencode({**params, "X-Amz-Expires": str(seconds)})
        return f"{SCHEME}://{bucket}/{quote(key)}?{query}"

    def _object(self, bucket: str, key: str) -> tuple[bytes, str] | None:
        with self._lock:
            return self._buckets.get(bucket, {}).get(key)

    def _version(self, key: str, etag: str) -> bytes:
        """The upload at `key` while it has `etag` (S3's If-Match), else UploadChanged."""
        found = self._object(get_settings().uploads_bucket, key)
        if found is None or etag_of(found[0]) != etag:
            raise UploadChanged(key)
        return found[0]

    def _read(self, bucket: str, key: str) -> bytes:
        found = self._object(bucket, key)
        if found is None:
            raise NotFound("Berkas tidak ditemukan.")
        return found[0]

    def _write(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        with self._lock:
            self._buckets.setdefault(bucket, {})[key] = (bytes(data), content_type)


def etag_of(data: bytes) -> str:
    """S3's ETag of an object put in one part with SSE-S3: the quoted MD5 of its bytes."""
    return '"' + hashlib.md5(data, usedforsecurity=False).hexdigest() + '"'
