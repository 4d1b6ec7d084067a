"""Uploaded files are judged by their bytes, not their name: the policy is only the first gate."""

from __future__ import annotations

from chalicelib.domain.files import judge_upload, sniff_kind

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
