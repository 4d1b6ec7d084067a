"""What an uploaded file really is, judged by its bytes rather than its name or header.

The presigned POST policy is only the first gate (and moto does not enforce it): after upload the
server reads the object's size, its first bytes and its last bytes (ranged reads: the API never
downloads a whole file) and judges them here, in pure Python, before anything decodes them:

- the kind its first bytes show (magic numbers) must be one the document accepts **and** the
  kind it was declared as (the content type of its presigned POST): a PNG sent as
  `application/pdf` is refused;
- the file must end as its kind ends: a JPEG with its end-of-image marker (FF D9), a PDF with
  `%%EOF`, a PNG with its IEND chunk, within the last TAIL_BYTES (a few bytes after them, such
  as a phone's trailer, are tolerated here and dropped when the worker re-encodes the image);
- an image's dimensions, read from its header (PNG IHDR, JPEG SOFn), must be at most
  MAX_IMAGE_SIDE pixels a side and MAX_IMAGE_PIXELS in all: a few bytes can claim 20000 x 20000
  pixels, which would take gigabytes to decode.

Every refusal is an Indonesian sentence the applicant can act on (shown next to the file field).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
KINDS_BY_TYPE = {v: k for k, v in CONTENT_TYPES.items()}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
IMAGE_KINDS = ("jpeg", "png")

# How much of an object the server reads: its first HEAD_BYTES (magic bytes and, for nearly every
# photo, the image header) and its last TAIL_BYTES (the end marker). PDF readers look for %%EOF
# in the last 1024 bytes; the rest of the window tolerates a short trailer after an image.
HEAD_BYTES = 64 * 1024
TAIL_BYTES = 8 * 1024

# The bound on an image before anything decodes it: a 12000-pixel side is beyond any phone camera
# (50 Mpx sensors are 8160 x 6120), and 40 million pixels decode to 120 MB of RGB in the worker.
MAX_IMAGE_SIDE = 12_000
MAX_IMAGE_PIXELS = 40_000_000
# A JPEG's segments before its frame header: a phone's EXIF, thumbnails and ICC profile are a
# handful; a file that needs more hops to reach its size is refused as unreadable.
MAX_JPEG_SEGMENTS = 64

_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)
_ENDINGS = {"pdf": b"%%EOF", "jpeg": b"\xff\xd9", "png": b"IEND\xaeB`\x82"}
# JPEG frame headers (SOF0-3, 5-7, 9-11, 13-15) carry the size; 0xC4 (DHT), 0xC8 (JPG) and 0xCC
# (DAC) are in the same range but are not frames.
_JPEG_FRAMES = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM and RST0-7 have no length

EMPTY = "Berkas kosong. Unggah ulang berkasnya."
MISSING = "Berkas belum terunggah. Unggah ulang berkasnya."
CHANGED = "Berkas berubah saat sedang diperiksa. Unggah ulang berkasnya."
UNREADABLE_SIZE = (
    "Ukuran gambar tidak dapat dibaca: berkas rusak atau bukan gambar yang sah. Unggah ulang berkasnya."
)


def sniff_kind(head: bytes) -> str | None:
    """The file kind (pdf, jpeg, png) its leading bytes show, or None for anything else."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def ends_whole(kind: str, tail: bytes) -> bool:
    """Whether `tail` (the file's last bytes, at most TAIL_BYTES) holds the end its kind must
    have: FF D9 (JPEG end of image, ITU T.81 B.2.1), `%%EOF` in the last 1024 bytes (PDF 32000-1
    7.5.5; readers search that far), the IEND chunk with its CRC (PNG, RFC 2083 4.1.4)."""
    if kind == "pdf":
        return _ENDINGS["pdf"] in tail[-1024:]
    ending = _ENDINGS.get(kind)
    return ending is not None and ending in tail


class UnreadableImage(ValueError):
    """The image's header does not say its size (damaged, cut short, or not the kind it claims)."""


def image_size(kind: str, read: Callable[[int, int], bytes]) -> tuple[int, int]:
    """(width, height) in pixels from an image's header, without decoding it.

    `read(offset, length)` gives the file's bytes from `offset` (fewer at its end): a PNG needs
    its first 24 bytes (the IHDR chunk, which must come first); a JPEG is walked segment by
    segment from its start to the first frame header (SOFn), which follows the EXIF, thumbnail
    and ICC segments. Raises UnreadableImage when no size can be read (at most
    MAX_JPEG_SEGMENTS segments are walked)."""
    if kind == "png":
        head = read(0, 24)
        if len(head) < 24 or head[12:16] != b"IHDR":
            raise UnreadableImage("PNG without IHDR")
        return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    if kind != "jpeg":
        raise UnreadableImage(f"not an image: {kind}")
    position = 2  # after SOI (FF D8)
    for _segment in range(MAX_JPEG_SEGMENTS):
        header = read(position, 16)
        skipped = 0  # a marker may be preceded by fill bytes (FF)
        while skipped + 1 < len(header) and header[skipped] == 0xFF and header[skipped + 1] == 0xFF:
            skipped += 1
        if len(header) < skipped + 4 or header[skipped] != 0xFF:
            raise UnreadableImage("JPEG segment expected")
        marker = header[skipped + 1]
        position += skipped + 2
        if marker in _JPEG_STANDALONE:
            continue
        if marker in (0xD9, 0xDA):  # end of image, or the scan began, with no frame header
            raise UnreadableImage("JPEG without a frame header")
        length = int.from_bytes(header[skipped + 2 : skipped + 4], "big")
        if length < 2:
            raise UnreadableImage("JPEG segment length")
        if marker in _JPEG_FRAMES:
            frame = read(position, 7)  # length (2), precision (1), height (2), width (2)
            if len(frame) < 7:
                raise UnreadableImage("JPEG frame header cut short")
            return int.from_bytes(frame[5:7], "big"), int.from_bytes(frame[3:5], "big")
        position += length
    raise UnreadableImage("JPEG frame header not found")


@dataclass(frozen=True)
class FileVerdict:
    """What the server found: `ok`, the `kind` the bytes show, the reason when refused (Indonesian),
    and for an image its size in pixels; `etag` names the exact bytes judged and `size` their length
    in bytes (storage adapters; 0 where nothing was read)."""

    ok: bool
    kind: str | None
    message: str = ""
    width: int | None = None
    height: int | None = None
    etag: str = ""
    size: int = 0


def judge_upload(
    head: bytes, size: int, accepted: tuple[str, ...], max_bytes: int, declared: str | None = None
) -> FileVerdict:
    """Accept or refuse an uploaded object by its size and first bytes, with an Indonesian reason.

    `accepted` are the kinds the document takes (pdf, jpeg, png), `max_bytes` its limit, and
    `declared` the kind it was sent as (its presigned POST's content type): the bytes must be that
    kind, whatever else the document would take (a PNG declared as PDF is refused)."""
    kind = sniff_kind(head)
    names = ", ".join(k.upper() for k in accepted)
    if size <= 0:
        return FileVerdict(False, kind, EMPTY)
    if size > max_bytes:
        mb = max_bytes / (1024 * 1024)
        return FileVerdict(
            False, kind, f"Berkas terlalu besar ({size / 1048576:.1f} MB); batasnya {mb:g} MB."
        )
    if kind is None or kind not in accepted:
        return FileVerdict(False, kind, f"Jenis berkas tidak diterima. Gunakan {names}.")
    if declared is not None and kind != declared:
        said, found = declared.upper(), kind.upper()
        return FileVerdict(
            False,
            kind,
            f"Isi berkas adalah {found}, bukan {said} seperti jenis yang dikirim. Unggah berkas "
            f"{said} yang asli (mengganti nama berkas tidak mengubah isinya).",
        )
    return FileVerdict(True, kind)


def judge_ending(kind: str, tail: bytes) -> FileVerdict:
    """Refuse a file cut short (see `ends_whole`), naming its kind."""
    if ends_whole(kind, tail):
        return FileVerdict(True, kind)
    return FileVerdict(
        False,
        kind,
        f"Berkas {kind.upper()} tidak utuh: bagian akhirnya tidak ada (unggahan terputus atau "
        "berkas rusak). Unggah ulang berkasnya.",
    )


def judge_dimensions(kind: str, width: int, height: int) -> FileVerdict:
    """Refuse an image with no pixels, a side over MAX_IMAGE_SIDE or over MAX_IMAGE_PIXELS."""
    if width <= 0 or height <= 0:
        return FileVerdict(False, kind, UNREADABLE_SIZE)
    if max(width, height) > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        return FileVerdict(
            False,
            kind,
            f"Gambar terlalu besar ({width} x {height} piksel); batasnya {MAX_IMAGE_SIDE} piksel "
            f"per sisi dan {MAX_IMAGE_PIXELS // 1_000_000} juta piksel. Perkecil gambarnya lalu "
            "unggah ulang.",
            width,
            height,
        )
    return FileVerdict(True, kind, "", width, height)
