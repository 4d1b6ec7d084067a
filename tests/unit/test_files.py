"""Uploaded files are judged by their bytes, not their name: the policy is only the first gate."""

from __future__ import annotations

import struct
from collections.abc import Callable

import pytest

from chalicelib.domain.files import (
    MAX_IMAGE_PIXELS,
    MAX_IMAGE_SIDE,
    UnreadableImage,
    ends_whole,
    image_size,
    judge_dimensions,
    judge_ending,
    judge_upload,
    sniff_kind,
)
from tests import upload_corpus as corpus

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00"
PDF = b"%PDF-1.7\n"
MB = 1024 * 1024


def test_sniff_kinds() -> None:
    assert sniff_kind(JPEG) == "jpeg"
    assert sniff_kind(PNG) == "png"
    assert sniff_kind(PDF) == "pdf"
    assert sniff_kind(b"MZ\x90\x00") is None  # a Windows program renamed to .jpg


def test_text_renamed_to_jpg_is_refused_in_indonesian() -> None:
    verdict = judge_upload(b"hello, this is text", 19, ("jpeg", "png"), 5 * MB)
    assert not verdict.ok
    assert "Jenis berkas tidak diterima" in verdict.message and "JPEG" in verdict.message


def test_pdf_where_only_photos_are_accepted_is_refused() -> None:
    assert not judge_upload(PDF, 100, ("jpeg", "png"), 5 * MB).ok


def test_oversize_is_refused_with_the_limit() -> None:
    verdict = judge_upload(JPEG, 6 * MB, ("jpeg",), 5 * MB)
    assert not verdict.ok and "5 MB" in verdict.message


def test_empty_is_refused() -> None:
    assert not judge_upload(b"", 0, ("pdf",), MB).ok


def test_good_file_passes() -> None:
    verdict = judge_upload(PDF, 2048, ("pdf", "jpeg"), MB)
    assert verdict.ok and verdict.kind == "pdf"


# --- the declared kind, the end of the file, the image's size (issue 12) --------------------------


def reader(data: bytes) -> Callable[[int, int], bytes]:
    return lambda offset, length: data[offset : offset + length]


def test_a_png_declared_as_pdf_is_refused_with_both_kinds_named() -> None:
    verdict = judge_upload(corpus.png(), 200, ("pdf", "jpeg", "png"), 5 * MB, declared="pdf")
    assert not verdict.ok and verdict.kind == "png"
    assert verdict.message.startswith("Isi berkas adalah PNG, bukan PDF seperti jenis yang dikirim.")
    assert judge_upload(corpus.png(), 200, ("pdf", "png"), 5 * MB, declared="png").ok


def test_each_kind_must_end_as_it_ends() -> None:
    jpeg, whole_png = corpus.camera_jpeg(), corpus.png()
    assert (
        ends_whole("jpeg", jpeg[-8192:])
        and ends_whole("png", whole_png)
        and ends_whole("pdf", PDF + b"%%EOF\n")
    )
    for kind, cut in (
        ("jpeg", corpus.cut_short(jpeg)),  # no FF D9
        ("pdf", corpus.PDF[:-7]),  # no %%EOF
        ("png", whole_png[:-12]),  # no IEND
    ):
        verdict = judge_ending(kind, cut[-8192:])
        assert not verdict.ok and f"Berkas {kind.upper()} tidak utuh" in verdict.message


def test_a_pdf_end_must_be_in_its_last_kilobyte() -> None:
    assert not ends_whole("pdf", b"%%EOF\n" + b" " * 1100)


def test_a_short_trailer_after_an_image_passes_here_and_is_dropped_when_re_encoded() -> None:
    assert ends_whole("jpeg", corpus.polyglot()[-8192:])


def test_png_size_comes_from_ihdr_without_decoding() -> None:
    assert image_size("png", reader(corpus.png(30, 40))) == (30, 40)
    assert image_size("png", reader(corpus.pixel_flood()[:64])) == (20000, 20000)  # 64 bytes say it


def test_jpeg_size_comes_from_the_frame_header_behind_exif() -> None:
    assert image_size("jpeg", reader(corpus.camera_jpeg(40, 20))) == (40, 20)
    progressive = (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
        + b"\x00" * 9
        + b"\xff\xff\xc2"
        + struct.pack(">HBHHB", 11, 8, 3024, 4032, 1)
    )
    assert image_size("jpeg", reader(progressive + b"\x01\x11\x00")) == (
        4032,
        3024,
    )  # SOF2, fill byte before it


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xd8\xff\xda\x00\x08",  # the scan begins with no frame header
        b"\xff\xd8\xff\xe1\x00",  # cut inside a segment
        b"\xff\xd8" + b"\xff\xfe\x00\x02" * 80,  # more segments than a phone writes
        b"\xff\xd8\x00\x00\x00\x00",  # not a marker where one must be
    ],
)
def test_a_jpeg_header_that_does_not_say_its_size_is_unreadable(data: bytes) -> None:
    with pytest.raises(UnreadableImage):
        image_size("jpeg", reader(data))


def test_png_without_ihdr_first_is_unreadable() -> None:
    with pytest.raises(UnreadableImage):
        image_size("png", reader(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dtEXt" + b"\x00" * 16))


def test_image_size_is_bounded_per_side_and_in_all() -> None:
    assert judge_dimensions("png", MAX_IMAGE_SIDE, MAX_IMAGE_PIXELS // MAX_IMAGE_SIDE).ok
    flood = judge_dimensions("png", 20000, 20000)
    assert not flood.ok and flood.message.startswith("Gambar terlalu besar (20000 x 20000 piksel)")
    assert not judge_dimensions("jpeg", MAX_IMAGE_SIDE + 1, 10).ok  # a long thin strip
    assert not judge_dimensions("jpeg", 7000, 7000).ok  # 49 Mpx, each side allowed
    assert not judge_dimensions("png", 0, 10).ok
