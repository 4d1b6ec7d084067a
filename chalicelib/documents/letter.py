"""The DRAF watermark every document draws, and the plain one-page frame of Loket's first letters.

No product uses the plain frame any more (each product has its own renderer in
`chalicelib/documents/products/`); `Signature`, `MONTHS` and `tanggal` live in `values.py` and
`words.py` and are named here for the code that imported them from this module.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from chalicelib.documents.fonts import BOLD, REGULAR
from chalicelib.documents.values import Signature
from chalicelib.documents.words import MONTHS, tanggal

__all__ = ["MONTHS", "LetterContent", "Signature", "draft_watermark", "render", "tanggal"]


@dataclass(frozen=True)
class LetterContent:
    government: str
    unit: str
    address: str
    contact: str
    title: str
    number: str | None
    place: str
    issued_on: date
    particulars: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    signature: Signature | None = None


def _signature_lines(sig: Signature | None) -> list[str]:
    if sig is None:
        return ["DRAF", "belum ditandatangani"]
    if sig.kind in ("Plt", "Plh"):
        head = [f"{sig.kind}. {sig.office_title}"]
    elif sig.kind in ("a.n.", "u.b."):
        head = [f"{sig.kind} {sig.office_title}", sig.acting_as or ""]
    else:
        head = [sig.office_title]
    tail = ["Ditandatangani secara elektronik", f"oleh {sig.name or sig.signed_by}"]
    if sig.decree:
        tail.append(f"berdasarkan {sig.decree}")
    return [*head, "", *tail]


def render(content: LetterContent) -> bytes:
    """The PDF bytes of one document."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(content.title)
    pdf.setAuthor(f"{content.unit} {content.government}")
    width, height = A4
    y = height - 20 * mm
    pdf.setFont(BOLD, 13)
    pdf.drawCentredString(width / 2, y, content.government.upper())
    y -= 7 * mm
    pdf.setFont(BOLD, 15)
    pdf.drawCentredString(width / 2, y, content.unit.upper())
    y -= 6 * mm
    pdf.setFont(REGULAR, 9)
    pdf.drawCentredString(width / 2, y, content.address)
    y -= 4.5 * mm
    pdf.drawCentredString(width / 2, y, content.contact)
    y -= 3 * mm
    pdf.setLineWidth(1.5)
    pdf.line(20 * mm, y, width - 20 * mm, y)
    y -= 14 * mm
    pdf.setFont(BOLD, 12)
    pdf.drawCentredString(width / 2, y, content.title.upper())
    y -= 6 * mm
    pdf.setFont(REGULAR, 10)
    pdf.drawCentredString(width / 2, y, f"Nomor: {content.number or '(belum diberi nomor)'}")
    y -= 14 * mm
    for label, value in content.particulars:
        pdf.drawString(25 * mm, y, label)
        pdf.drawString(75 * mm, y, f": {value}")
        y -= 6 * mm
    if content.body:
        y -= 4 * mm
        text = pdf.beginText(25 * mm, y)
        text.setFont(REGULAR, 10)
        for line in _wrap(content.body, 95):
            text.textLine(line)
            y -= 5 * mm
        pdf.drawText(text)
    y = max(y - 15 * mm, 70 * mm)
    x = width - 95 * mm
    pdf.drawString(x, y, f"{content.place}, {tanggal(content.issued_on)}")
    y -= 6 * mm
    for line in _signature_lines(content.signature):
        pdf.setFont(BOLD if line == "DRAF" else REGULAR, 10)
        pdf.drawString(x, y, line)
        y -= 5 * mm
    if content.signature is None:
        draft_watermark(pdf, width, height)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def draft_watermark(pdf: canvas.Canvas, width: float, height: float) -> None:
    """A large pale diagonal DRAF across the page: a draft is read, never mistaken for the letter."""
    pdf.saveState()
    pdf.setFillColorRGB(0.55, 0.55, 0.55)
    pdf.setFillAlpha(0.18)
    pdf.translate(width / 2, height / 2)
    pdf.rotate(50)
    pdf.setFont(BOLD, 150)
    pdf.drawCentredString(0, -50, "DRAF")
    pdf.restoreState()


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            if len(current) + len(word) + 1 > width:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        lines.append(current)
    return lines
