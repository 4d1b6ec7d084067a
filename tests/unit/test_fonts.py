"""The documents' font prints every character the text rules accept (issue 12: Vietnamese, Turkish
and other Latin letters printed as black boxes with Helvetica), and ships with the code."""

from __future__ import annotations

import ctypes
from dataclasses import replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from reportlab.pdfbase import pdfmetrics

from chalicelib.documents import fonts
from chalicelib.documents.ak1_card import render_card
from chalicelib.domain import teks
from tests.unit.test_ak1_card import CARD

ACCEPTED = sorted(
    teks.LATIN_LETTERS
    | {c for letter in teks.LATIN_LETTERS for c in teks.upper(letter)}
    | teks.NAME_MARKS
    | teks.TYPOGRAPHIC
    | teks.ASCII_PRINTABLE
    | teks.COMBINING
)


@pytest.mark.parametrize("face", sorted(fonts.FILES))
def test_every_accepted_character_and_its_capital_has_a_glyph(face: str) -> None:
    glyphs = pdfmetrics.getFont(face).face.charToGlyph
    missing = [f"U+{ord(ch):04X}" for ch in ACCEPTED if ord(ch) not in glyphs or glyphs[ord(ch)] == 0]
    assert missing == [], f"{face} has no glyph for {len(missing)} accepted characters"
    assert len(ACCEPTED) > 800


@pytest.mark.parametrize(
    "name",
    ["Nguyễn Thị Minh Khai", "Işıl Güneş", "Ğülşen Çağlar", "Łukasz Żółć", "Ərəstun Ağayev", "Jürgen Groß"],
)
def test_a_name_in_any_latin_alphabet_is_printed_with_its_own_letters(name: str) -> None:
    pdf = render_card(replace(CARD, name=name))
    text = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_bounded()
    assert teks.upper(name) in text
    used = {ord(ch) for ch in teks.upper(name)}
    bold = pdfmetrics.getFont(fonts.BOLD).face.charToGlyph
    assert all(bold.get(code, 0) != 0 for code in used)


def test_every_letter_on_the_card_is_drawn_in_the_embedded_font() -> None:
    pdf = render_card(replace(CARD, name="Nguyễn Thị Minh Khai"))
    textpage = pdfium.PdfDocument(pdf)[0].get_textpage()
    used = set()
    for index in range(textpage.count_chars()):
        name = ctypes.create_string_buffer(256)
        if pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, name, 256, ctypes.byref(ctypes.c_int())):
            used.add(name.value.decode())
    assert used == {"DejaVuSansCondensed", "DejaVuSansCondensed-Bold", "DejaVuSansCondensed-Oblique"}


def test_the_fonts_ship_in_chalicelib_with_their_licence() -> None:
    for file in fonts.FILES.values():
        path = fonts.FONTS / file
        assert path.is_file() and 500_000 < path.stat().st_size < 800_000
    licence = (fonts.FONTS / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream Vera" in licence and "Arev" in licence
