"""The hostile and clumsy uploads of issue 12, made in the tests (nothing is checked in as a file).

Each is what a phone, a careless applicant or an attacker sends; the tests send each through the
API (or the services on fakes) and require it to end refused with its reason, or re-encoded clean.

The PDFs are written here byte by byte (`pdf_of`, with a correct cross-reference table).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from functools import cache

from chalicelib.adapters.malware import EICAR


def pdf_of(*objects: bytes) -> bytes:
    """A PDF whose object n is `objects[n - 1]` (object 1 the catalog), each at the offset its
    cross-reference table gives."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


CATALOG = b"<</Type/Catalog/Pages 2 0 R>>"
PAGES = b"<</Type/Pages/Kids[3 0 R]/Count 1>>"
PAGE = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"
# The smallest real PDF: one blank A4 page. Every test that uploads "a PDF" sends this one.
PDF = pdf_of(CATALOG, PAGES, PAGE)
# A Windows program (its MZ header and DOS stub).
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode.\r\n"

# Where the photo was taken, as a phone writes it in EXIF (GPSInfo): 7 deg 38' S, 112 deg 54' E.
GPS = {1: "S", 2: (7.0, 38.0, 0.0), 3: "E", 4: (112.0, 54.0, 0.0)}
ORIENTATION_RIGHT = 6  # EXIF Orientation: the picture must be turned 90 degrees clockwise


def png(width: int = 30, height: int = 40, colour: tuple[int, int, int] = (20, 120, 200)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def camera_jpeg(width: int = 40, height: int = 20) -> bytes:
    """A phone photo: EXIF with the camera, GPS position and Orientation 6 (stored on its side)."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Samsung"  # Make
    exif[0x0112] = ORIENTATION_RIGHT
    gps = exif.get_ifd(0x8825)
    gps.update(GPS)
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 200, 30), (0, 0, width // 2, height))  # left half green: shows the turn
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def polyglot() -> bytes:
    """A JPEG followed by a ZIP archive: a picture to an image viewer, an archive to unzip."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("baca-saya.txt", "isi tersembunyi")
    return camera_jpeg() + archive.getvalue()


@cache
def pixel_flood(width: int = 20000, height: int = 20000) -> bytes:
    """A real PNG of `width` x `height` one-bit pixels, all black: about 50 KB on the wire, 400
    million pixels (1.6 GB of RGBA) once decoded."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row * 500) for _ in range(height // 500)) + packer.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def cut_short(data: bytes) -> bytes:
    """The first two thirds of a file: an upload broken off."""
    return data[: len(data) * 2 // 3]


def eicar_pdf() -> bytes:
    """A PDF that carries the EICAR test file (every scanner reports it as a virus)."""
    return PDF[:-6] + EICAR + b"\n%%EOF\n"


def is_zip(data: bytes) -> bool:
    return zipfile.is_zipfile(io.BytesIO(data))
