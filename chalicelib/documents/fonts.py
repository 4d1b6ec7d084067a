"""The documents' typeface: DejaVu Sans Condensed, shipped in `fonts/`, registered with reportlab.

reportlab's built-in Helvetica knows only Latin-1 (a Vietnamese "ễ" or a Turkish "ş" prints as
a black box); the TTF files here print every letter the text rules take (domain/teks.py
LATIN_LETTERS and their capitals, checked by tests/unit/test_fonts.py) and are embedded, subset,
in each PDF. The Condensed cut keeps about Helvetica's width (an address measures 401 points
against Helvetica's 405 at 10 points), so the cards' layout stays as it was. The files ship
in the Lambda package with chalicelib/ (a Lambda has no system fonts); their licence is
`fonts/LICENSE-DejaVu.txt` (Bitstream Vera and Arev licences: free to use, embed and
redistribute). Worker only: this module imports reportlab, never on the API's import path.

Registering also sets reportlab's process-wide defaults for every document: the canvas's first
face, and binary (not ASCII85) streams.

Names to use in `setFont` and `ParagraphStyle(fontName=...)`: REGULAR, BOLD, ITALIC; FAMILY
for platypus markup, where <b> and <i> pick the bold and oblique files.
"""

from __future__ import annotations

from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS = Path(__file__).with_name("fonts")
FAMILY = "LoketSans"
REGULAR = "LoketSans"
BOLD = "LoketSans-Bold"
ITALIC = "LoketSans-Oblique"
FILES = {
    REGULAR: "DejaVuSansCondensed.ttf",
    BOLD: "DejaVuSansCondensed-Bold.ttf",
    ITALIC: "DejaVuSansCondensed-Oblique.ttf",
}


def register() -> None:
    """Register the three faces and their family with reportlab, once per process (idempotent)."""
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))
    # <b><i> has no face of its own: bold is the nearer (no document of Loket's uses it).
    pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)
    # A canvas starts in this face, not in reportlab's default Helvetica.
    rl_config.canvas_basefontname = REGULAR
    # Streams (pages, font subsets, the card's photo) stay binary, not ASCII85 text: a PDF is
    # binary anyway, and the text form is a quarter larger and takes a card a millisecond more.
    rl_config.useA85 = 0


register()
