"""The AK/I card: every particular is on the page, long texts stay inside it, the QR really scans."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image, ImageDraw

from chalicelib.documents.ak1_card import CardContent, render_card, wrap_text

VERIFY_URL = "https://hellowork.pasuruankab.go.id/cek-ak1?no=3514221126000001&t=8f3a9c2e"

CARD = CardContent(
    government="Pemerintah Kabupaten Pasuruan",
    unit="Dinas Tenaga Kerja",
    address="Jl. Ir. Juanda No. 56 Pasuruan",
    contact="(0343) 414430 · https://hellowork.pasuruankab.go.id",
    place="Pasuruan",
    registration_number="3514221126000001",
    nik="3514012202000003",
    name="Siti Nurhaliza",
    birth_place="Pasuruan",
    birth_date=date(2000, 2, 22),
    sex="Perempuan",
    marital_status="Belum Kawin",
    religion="Islam",
    address_line="Dusun Krajan RT 002 RW 001, Desa Pandaan, Kecamatan Pandaan, Kabupaten Pasuruan",
    education="SMA/SMK – IPA, SMAN 1 PASURUAN (2019)",
    skills=("Komputer perkantoran", "Bahasa Inggris"),
    experience=(),
    photo=None,
    officer_name="Budi Santoso, S.Sos.",
    officer_nip="NIP. 19800101 200501 1 001",
    officer_title="Pengantar Kerja",
    issued_on=date(2026, 11, 22),
    valid_until=date(2028, 11, 22),
    verify_url=VERIFY_URL,
)


def page_text(pdf: bytes) -> str:
    return str(pdfium.PdfDocument(pdf)[0].get_textpage().get_text_bounded())


def qr_values(pdf: bytes) -> list[str]:
    image = pdfium.PdfDocument(pdf)[0].render(scale=150 / 72).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def photo_bytes(fmt: str, size: tuple[int, int], mode: str = "RGB") -> bytes:
    image = Image.new(mode, size, "navy")
    ImageDraw.Draw(image).ellipse((size[0] // 4, size[1] // 8, size[0] * 3 // 4, size[1] // 2), fill="tan")
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def test_the_card_carries_every_particular_and_the_report_boxes() -> None:
    pdf = render_card(CARD)
    assert pdf.startswith(b"%PDF-")
    text = page_text(pdf)
    for expected in (
        "KARTU TANDA BUKTI PENDAFTARAN PENCARI KERJA (AK/I)",
        "3514221126000001",
        "3514012202000003",
        "SITI NURHALIZA",
        "Pasuruan, 22 Februari 2000",
        "Budi Santoso, S.Sos.",
        "NIP. 19800101 200501 1 001",
        "Pasuruan, 22 November 2026",
        "22 November 2028",
        "Pas foto",
        "Pindai untuk memeriksa",
        "Laporan ke-1",
        "Laporan ke-4",
        "Tanda tangan petugas",
    ):
        assert expected in text, expected
    assert "Pengalaman : -" in text
    document = pdfium.PdfDocument(pdf)
    assert len(document) == 1
    metadata = document.get_metadata_dict()
    assert metadata["Title"] == "Kartu AK/I 3514221126000001"
    assert metadata["Author"] == "Dinas Tenaga Kerja Pemerintah Kabupaten Pasuruan"


def test_the_qr_code_scans_to_the_verification_address() -> None:
    assert qr_values(render_card(CARD)) == [VERIFY_URL]


@pytest.mark.parametrize(
    ("fmt", "size", "mode"),
    [("PNG", (300, 400), "RGBA"), ("JPEG", (1200, 900), "RGB"), ("PNG", (60, 80), "P")],
)
def test_a_real_photo_of_any_shape_is_placed(fmt: str, size: tuple[int, int], mode: str) -> None:
    pdf = render_card(replace(CARD, photo=photo_bytes(fmt, size, mode)))
    assert "Pas foto" not in page_text(pdf)
    assert len(pdf) < 200_000  # the photo is scaled to the box, not embedded at camera size


def test_an_unreadable_photo_is_an_error_not_a_blank_card() -> None:
    with pytest.raises(ValueError, match="pas foto"):
        render_card(replace(CARD, photo=b"not an image"))


def png_header(width: int, height: int) -> bytes:
    """A valid PNG that claims `width` x `height` pixels in a few bytes (a decompression bomb:
    its one row of image data stands for gigabytes once decoded)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (1 + 3 * width))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize("size", [(20000, 20000), (9000, 9000)])
def test_a_photo_claiming_too_many_pixels_is_refused_before_it_is_decoded(size: tuple[int, int]) -> None:
    """Issue 11: a 20000x20000 PNG header passed the upload check and the worker raised Pillow's
    DecompressionBombError five times; 9000x9000 is under Pillow's own limit but not worth 243 MB."""
    with pytest.raises(ValueError, match="pas foto"):
        render_card(replace(CARD, photo=png_header(*size)))


def test_very_long_texts_wrap_inside_the_card() -> None:
    long_card = replace(
        CARD,
        name="Raden Mas Muhammad Abdurrahman Wahyudi Kusumanegara Prawirodirjo Sastrowardoyo",
        address_line="Perumahan Griya Bangil Asri Blok C-17 Nomor 23, Jalan Raya Kalirejo " * 6,
        education="Diploma IV – Teknik Mesin Otomotif dan Manufaktur, Politeknik Negeri Malang (2023)",
        skills=tuple(f"Keterampilan nomor {i}" for i in range(30)),
        experience=("Operator produksi PT Contoh Industri Nusantara (2019–2021)",) * 10,
        officer_name="Dr. Hj. Siti Rahmawati Kusumaningtyas Widyaningrum, S.H., M.H., M.Kn.",
        officer_title="Pengantar Kerja Ahli Madya Bidang Penempatan dan Perluasan Kesempatan Kerja",
    )
    pdf = render_card(long_card)
    text = " ".join(page_text(pdf).split())
    assert "RADEN MAS MUHAMMAD ABDURRAHMAN WAHYUDI" in text and "SASTROWARDOYO" in text
    assert "Widyaningrum, S.H., M.H., M.Kn." in text
    assert qr_values(pdf) == [VERIFY_URL]


def test_wrap_text_keeps_every_line_inside_the_width() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = wrap_text("kata " * 40 + "x" * 200, "Helvetica", 8, 100)
    assert all(stringWidth(line, "Helvetica", 8) <= 100 for line in lines)
    cut = wrap_text("kata " * 40, "Helvetica", 8, 100, max_lines=2)
    assert len(cut) == 2 and cut[-1].endswith("…")


def embedded_photo(pdf: bytes) -> tuple[int, int, str]:
    """Width, height and filter of the one image the card's page draws."""
    import pypdf

    xobjects = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/XObject"]
    (image,) = [xobjects[name].get_object() for name in xobjects]
    return int(image["/Width"]), int(image["/Height"]), str(image["/Filter"])


@pytest.mark.parametrize(
    ("size", "embedded"),
    [
        ((600, 800), (600, 800)),  # the form's photo (800 pixels, the browser's shrink): kept
        ((300, 400), (300, 400)),  # smaller than the box: never enlarged
        ((3000, 4000), (420, 560)),  # a phone's photo: decoded at 1/4, then shrunk to the box
    ],
)
def test_the_photo_is_embedded_as_a_jpeg_no_larger_than_it_needs(
    size: tuple[int, int], embedded: tuple[int, int]
) -> None:
    width, height, kind = embedded_photo(render_card(replace(CARD, photo=photo_bytes("JPEG", size))))
    assert (width, height) == embedded
    assert "DCTDecode" in kind and "ASCII85" not in kind


def test_a_photo_taken_sideways_is_turned_upright_by_its_exif() -> None:
    image = Image.new("RGB", (800, 600), "navy")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90 degrees clockwise to view
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    assert embedded_photo(render_card(replace(CARD, photo=out.getvalue())))[:2] == (600, 800)


def test_a_photos_comment_and_exif_never_reach_the_card() -> None:
    """The card embeds the photo's pixels only: a JPEG comment or EXIF the picture carried (a
    name, an NIK, a place) is not written into the PDF."""
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "NIK 3514220101900001"  # ImageDescription
    Image.new("RGB", (600, 800), (120, 90, 60)).save(
        out, format="JPEG", comment=b"NIK 3514220101900001", exif=exif.tobytes()
    )
    pdf = render_card(replace(CARD, photo=out.getvalue()))
    assert b"3514220101900001" not in pdf
