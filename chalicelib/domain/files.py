"""What an uploaded file really is, judged by its first bytes rather than its name or header.

The presigned POST policy is only the first gate (and moto does not enforce it): after upload the
server reads the object's head and checks kind and size here.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}

_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)


def sniff_kind(head: bytes) -> str | None:
    """The file kind (pdf, jpeg, png) its leading bytes show, or None for anything else."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


@dataclass(frozen=True)
class FileVerdict:
    ok: bool
    kind: str | None
    message: str = ""


def judge_upload(head: bytes, size: int, accepted: tuple[str, ...], max_bytes: int) -> FileVerdict:
    """Accept or refuse an uploaded object, with an Indonesian reason the applicant can act on."""
    kind = sniff_kind(head)
    names = ", ".join(k.upper() for k in accepted)
    if size <= 0:
        return FileVerdict(False, kind, "Berkas kosong. Unggah ulang berkasnya.")
    if size > max_bytes:
        mb = max_bytes / (1024 * 1024)
        return FileVerdict(
            False, kind, f"Berkas terlalu besar ({size / 1048576:.1f} MB); batasnya {mb:g} MB."
        )
    if kind is None or kind not in accepted:
        return FileVerdict(False, kind, f"Jenis berkas tidak diterima. Gunakan {names}.")
    return FileVerdict(True, kind)
