"""The life of an uploaded document on a case, and what the applicant and staff read about it.

A case's `documents` map holds one record per requirement key (JSON, written by
services/uploads.py):

    {"key": "cases/<case>/<document>/<token>.<kind>",  # the pinned copy (or its re-encoding)
     "kind": "jpeg", "state": "scanning" | "checked" | "refused",
     "checked_at": "<ISO time of confirmation>", "size": <bytes>, "etag": "<S3 ETag>",
     "sha256": "<base64 SHA-256 of the bytes at key>", "width"/"height": <pixels, images>,
     "message": "<why it was refused, Indonesian>"}

- **scanning** (*sedang diperiksa*): received and pinned; the malware scan (GuardDuty Malware
  Protection for S3, or the local stand-in) has not answered yet, or the worker has not yet
  re-encoded it (an image) or searched it for active content (a PDF). The case cannot be
  submitted, and staff see no link to it.
- **checked**: scanned clean and, for an image, re-encoded (`key` is then the re-encoded copy);
  for a PDF, found without active content (scripts, launched programs, hidden files:
  worker/pdfs.py) and kept as it was sent, never rewritten. Only a checked file counts:
  submission needs every uploaded document checked.
- **refused**: infected, not scannable, not decodable, a PDF with active content or one that
  cannot be opened (damaged, with a password), or not scanned in time: the object is deleted and
  `message` says why; the applicant uploads the document again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SCANNING = "scanning"
CHECKED = "checked"
REFUSED = "refused"

STATE_LABELS = {SCANNING: "Sedang diperiksa", CHECKED: "Sudah diperiksa", REFUSED: "Ditolak"}

# How long a scan may take before the file is refused as not checked in time (GuardDuty scans a
# small file in seconds; it publishes no bound) and how often the worker asks again meanwhile.
SCAN_DEADLINE_SECONDS = 30 * 60
FIRST_RECHECK_SECONDS = 5
MAX_RECHECK_SECONDS = 120
# How long the worker waits for the confirmation to record an upload it was told about (the API
# sends the check before it writes the record); after that, an unrecorded copy is an orphan.
RECORD_GRACE_SECONDS = 5 * 60

INFECTED = (
    "Berkas ini mengandung virus atau program berbahaya, jadi ditolak dan dihapus. Periksa "
    "perangkat Anda, lalu unggah berkas lain yang bersih."
)
UNSCANNABLE = (
    "Berkas ini tidak dapat diperiksa keamanannya, jadi ditolak dan dihapus. Simpan ulang "
    "berkasnya (foto ulang, atau cetak ulang ke PDF), lalu unggah ulang."
)
SCAN_TIMEOUT = "Pemeriksaan keamanan berkas tidak selesai tepat waktu. Unggah ulang berkasnya."
IMAGE_UNREADABLE = "Gambar tidak dapat dibaca (rusak atau terpotong), jadi ditolak. Unggah ulang berkasnya."
PDF_ACTIVE = (
    "PDF ini berisi skrip atau perintah otomatis (JavaScript, lampiran tersembunyi), jadi ditolak dan "
    "dihapus. Cetak ulang ke PDF biasa (menu Cetak → Simpan sebagai PDF) atau foto dokumennya, lalu "
    "unggah ulang."
)
PDF_UNREADABLE = (
    "PDF tidak dapat dibuka atau diperiksa (rusak, terpotong, berkata sandi, atau terlalu rumit), jadi "
    "ditolak. Simpan ulang sebagai PDF tanpa kata sandi, lalu unggah ulang."
)


def state_of(record: Mapping[str, Any] | None) -> str | None:
    """The record's state (None: no upload). A record without one was never scanned: scanning."""
    if not record:
        return None
    return str(record.get("state") or SCANNING)


def is_checked(record: Mapping[str, Any] | None) -> bool:
    """Whether an uploaded document counts: scanned clean and, for an image, re-encoded."""
    return state_of(record) == CHECKED


def recheck_delay(attempt: int) -> int:
    """Seconds before the worker asks the scanner again, after `attempt` answers of "not yet"
    (0, 1, ...): 5, 10, 20, 40, 80, then every 120 s; SQS delays a message by at most 900 s."""
    return min(FIRST_RECHECK_SECONDS * 2 ** max(0, attempt), MAX_RECHECK_SECONDS)
