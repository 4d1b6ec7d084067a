"""Content-Disposition of the links that hand a document to a browser (chalicelib/domain/disposition.py)."""

from __future__ import annotations

import pytest

from chalicelib.domain.disposition import ascii_name, content_disposition


@pytest.mark.parametrize(
    ("name", "plain", "exact"),
    [
        ("ak1.yaml", "ak1.yaml", "ak1.yaml"),
        ("Kartu AK/I 1a2b3c4d.pdf", "Kartu AK I 1a2b3c4d.pdf", "Kartu%20AK%20I%201a2b3c4d.pdf"),
        (
            "Surat Keterangan — TKA.pdf",
            "Surat Keterangan TKA.pdf",
            "Surat%20Keterangan%20%E2%80%94%20TKA.pdf",
        ),
        ('a"b;c\r\nX: y.pdf', "a_b_c X_ y.pdf", "a%22b%3Bc%20X%3A%20y.pdf"),
        ("صورة.pdf", "dokumen.pdf", "%D8%B5%D9%88%D8%B1%D8%A9.pdf"),
        ("../../etc/passwd", "etc passwd", "etc%20passwd"),
        ("", "dokumen", "dokumen"),
    ],
)
def test_content_disposition_has_a_safe_ascii_name_and_the_exact_one(
    name: str, plain: str, exact: str
) -> None:
    """No quote, `;`, line break or path reaches the header; browsers take filename* (RFC 5987)."""
    names = f"filename=\"{plain}\"; filename*=UTF-8''{exact}"
    assert content_disposition(name) == f"attachment; {names}"
    assert content_disposition(name, inline=True) == f"inline; {names}"


def test_a_long_name_keeps_its_extension() -> None:
    value = content_disposition("x" * 300 + ".pdf")
    assert 'filename="' + "x" * 116 + '.pdf"' in value and value.endswith(".pdf")


def test_accents_and_typographic_dashes_are_dropped_from_the_plain_name() -> None:
    assert ascii_name("Sürat Pengantar – Siti.pdf") == "Surat Pengantar Siti.pdf"
