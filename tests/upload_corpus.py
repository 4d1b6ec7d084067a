"""The hostile and clumsy uploads of issue 12, made in the tests (nothing is checked in as a file).

Each is what a phone, a careless applicant or an attacker sends; the tests send each through the
API (or the services on fakes) and require it to end refused with its reason, or re-encoded clean
(an image) or checked as it is (a PDF without active content, chalicelib/worker/pdfs.py).

The PDFs are written here byte by byte (`pdf_of`, with a correct cross-reference table) so that
each holds exactly what its test names, in the spelling an attacker would use; the encrypted ones
and the one with an attachment come from pypdf's writer.
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


def javascript_pdf() -> bytes:
    """A PDF that runs a script as it opens (the catalog's /OpenAction)."""
    return pdf_of(b"<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>", PAGES, PAGE)


def escaped_javascript_pdf() -> bytes:
    """A script in the document's /JavaScript name tree with every telling name hex-escaped
    (`/J#61vaScript` is `/JavaScript` to a PDF reader), as written to slip past a byte search."""
    return pdf_of(
        b"<</Type/Catalog/Pages 2 0 R/Names<</J#61vaScript<</Names[(a)4 0 R]>>>>>>",
        PAGES,
        PAGE,
        b"<</S/J#61v#61Script/J#53(app.alert(1))>>",
    )


def launch_pdf() -> bytes:
    """A link on the page that starts a program (a /Launch action in the annotation's /A)."""
    return pdf_of(
        CATALOG,
        PAGES,
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Annots[4 0 R]>>",
        b"<</Type/Annot/Subtype/Link/Rect[0 0 595 842]/A<</S/Launch/F(calc.exe)>>>>",
    )


def object_stream_javascript_pdf() -> bytes:
    """A PDF 1.5 whose objects, the script among them, sit compressed in an object stream, with a
    cross-reference stream: nothing about JavaScript is visible in its bytes."""
    inside = [
        b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>",
        PAGES,
        PAGE,
        b"<</S/JavaScript/JS(app.alert(1))>>",
    ]
    header, body = b"", b""
    for number, content in enumerate(inside, 1):
        header += b"%d %d " % (number, len(body))
        body += content + b"\n"
    packed = zlib.compress(header + body)
    out = bytearray(b"%PDF-1.5\n")
    stream_at = len(out)
    out += b"5 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n" % (
        len(inside),
        len(header),
        len(packed),
    )
    out += packed + b"\nendstream\nendobj\n"
    xref_at = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 2, 5, index) for index in range(len(inside))]
    rows += [struct.pack(">BIH", 1, stream_at, 0), struct.pack(">BIH", 1, xref_at, 0)]
    table = zlib.compress(b"".join(rows))
    out += b"6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Filter/FlateDecode/Length %d>>\nstream\n" % len(
        table
    )
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def linked_pdf() -> bytes:
    """An ordinary PDF that a scanner or a word processor writes: it opens at its page fitted to
    the window (/OpenAction [page /Fit]) and has a web link (/URI) and a link to its own page
    (/GoTo). Nothing in it runs: it must be accepted."""
    return pdf_of(
        b"<</Type/Catalog/Pages 2 0 R/OpenAction[3 0 R/Fit]>>",
        PAGES,
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Annots[4 0 R 5 0 R]>>",
        b"<</Type/Annot/Subtype/Link/Rect[0 0 100 20]/A<</S/URI/URI(https://disnaker.contoh.id)>>>>",
        b"<</Type/Annot/Subtype/Link/Rect[0 30 100 50]/A<</S/GoTo/D[3 0 R/Fit]>>>>",
    )


def _written(encrypt: tuple[str, str] | None = None, attachment: bool = False) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if attachment:
        writer.add_attachment("baca-saya.txt", b"isi tersembunyi")
    if encrypt is not None:
        user, owner = encrypt
        writer.encrypt(user, owner, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    """A PDF that opens only with its password: neither Loket nor staff can read it."""
    return _written(encrypt=("rahasia", "pemilik"))


def owner_password_pdf() -> bytes:
    """A PDF with only an owner password (printing and copying restricted): it opens for anyone
    without a password, as banks and offices often send them; it must be accepted."""
    return _written(encrypt=("", "pemilik"))


def attachment_pdf() -> bytes:
    """A PDF with a file hidden inside it (the document's /EmbeddedFiles name tree)."""
    return _written(attachment=True)


def eicar_pdf() -> bytes:
    """A PDF that carries the EICAR test file (every scanner reports it as a virus)."""
    return PDF[:-6] + EICAR + b"\n%%EOF\n"


def is_zip(data: bytes) -> bool:
    return zipfile.is_zipfile(io.BytesIO(data))
