"""An accepted image re-encoded from its pixels, in the worker only (Pillow is never on the API
Lambda's import path: tests/unit/test_import_path.py).

What the applicant's phone sent may carry more than a picture: EXIF with the place it was taken
(GPS), the camera and the time; a thumbnail; bytes after the image's end (a JPEG followed by a
ZIP is both at once, a "polyglot"). The office keeps only the picture: the pixels are decoded
(once the header's size has been bounded, domain/files.py), turned upright as the EXIF
orientation says, and written into a new file of the same kind with no metadata at all (no EXIF,
no ICC profile, no text chunks), so nothing else the file held survives. Colours of a photo in
a wide-gamut profile (Display P3) shift slightly without its ICC profile: a fair price for
documents read by people.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chalicelib.domain.files import judge_dimensions

if TYPE_CHECKING:
    from PIL.Image import Image

PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG"}
JPEG_QUALITY = 90


class UnreadableImage(ValueError):
    """The image cannot be decoded (damaged, cut short, not its kind, or too large to decode)."""


@dataclass(frozen=True)
class Reencoded:
    """The new file: its bytes and its size in pixels (after turning it upright)."""

    data: bytes
    width: int
    height: int


def reencode(data: bytes, kind: str) -> Reencoded:
    """`data` (a JPEG or PNG, `kind` "jpeg" or "png") decoded, turned upright by its EXIF
    orientation and encoded again as the same kind from its pixels alone: JPEG at quality 90 in
    RGB or greyscale, PNG in RGB(A) or greyscale. Raises UnreadableImage when Pillow cannot decode
    it whole (a truncated file too: Pillow refuses what is cut short) or its header claims more
    pixels than domain/files.py allows."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    pil_format = PIL_FORMATS.get(kind)
    if pil_format is None:
        raise UnreadableImage(f"not an image kind: {kind}")
    try:
        with Image.open(io.BytesIO(data), formats=[pil_format]) as opened:
            if not judge_dimensions(kind, opened.width, opened.height).ok:
                raise UnreadableImage(f"{opened.width}x{opened.height} pixels")
            opened.load()
            ImageOps.exif_transpose(opened, in_place=True)  # no second copy of the pixels
            pixels = _plain(opened, kind)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise UnreadableImage(str(error)) from error
    out = io.BytesIO()
    if kind == "jpeg":
        pixels.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, exif=b"")
    else:
        pixels.save(out, format="PNG", optimize=True)
    return Reencoded(out.getvalue(), pixels.width, pixels.height)


def _plain(image: Image, kind: str) -> Image:
    """A new image holding only `image`'s pixels in a mode its kind writes plainly: none of its
    `info` (EXIF, ICC profile, text, transparency keys), which Pillow would write again, is kept."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    grey = image.mode in ("1", "L", "LA", "I", "I;16", "F")
    if kind == "jpeg":
        mode = "L" if grey else "RGB"
    else:
        mode = ("LA" if grey else "RGBA") if has_alpha else ("L" if grey else "RGB")
    plain = image.convert(mode)  # always a new image (a copy when the mode is already right)
    plain.info = {}
    return plain
