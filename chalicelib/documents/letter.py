"""An office document as a PDF: letterhead, title, number, the case's particulars, signature block.

The plain frame for a product of an SOP that has no letter of its own in `letters` yet (a
product added to an SOP before its letter is written). A draft says so in its signature block
and carries a DRAF watermark; once signed, the block names the signer and, for a delegate, the
form of delegation (a.n., u.b., Plt, Plh) and the decree.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


@dataclass(frozen=True)
class Signature:
    office_title: str  # the signer's position, e.g. "Kepala Dinas Tenaga Kerja"
    signed_by: str  # the staff account (username)
    acting_as: str | None = None  # the delegate's own position, when signing for another
    kind: str | None = None  # a.n. | u.b. | Plt | Plh
    decree: str | None = None
    name: str | None = None  # the signer's full name, as on the staff account
    nip: str | None = None
    signed_at: str | None = None  # when the signing decision was taken (ISO, UTC)
    step: str | None = None  # the SOP step of the signature ("06")

    @property
    def ref(self) -> str:
        """One signing decision: a document is rendered again only for a different one."""
        return "|".join(
            str(x or "") for x in (self.step, self.signed_at, self.signed_by, self.kind, self.decree)
        )

    @property
    def signed_on(self) -> date | None:
        """The office's calendar day of the signature: the date a signed letter carries."""
        if not self.signed_at:
            return None
        from chalicelib.domain.clock import office_today, parse

        return office_today(parse(self.signed_at))


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


def tanggal(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


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
    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawCentredString(width / 2, y, content.government.upper())
    y -= 7 * mm
    pdf.setFont("Helvetica-Bold", 15)
    pdf.drawCentredString(width / 2, y, content.unit.upper())
    y -= 6 * mm
    pdf.setFont("Helvetica", 9)
    pdf.drawCentredString(width / 2, y, content.address)
    y -= 4.5 * mm
    pdf.drawCentredString(width / 2, y, content.contact)
    y -= 3 * mm
    pdf.setLineWidth(1.5)
    pdf.line(20 * mm, y, width - 20 * mm, y)
    y -= 14 * mm
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawCentredString(width / 2, y, content.title.upper())
    y -= 6 * mm
    pdf.setFont("Helvetica", 10)
    pdf.drawCentredString(width / 2, y, f"Nomor: {content.number or '(belum diberi nomor)'}")
    y -= 14 * mm
    for label, value in content.particulars:
        pdf.drawString(25 * mm, y, label)
        pdf.drawString(75 * mm, y, f": {value}")
        y -= 6 * mm
    if content.body:
        y -= 4 * mm
        text = pdf.beginText(25 * mm, y)
        text.setFont("Helvetica", 10)
        for line in _wrap(content.body, 95):
            text.textLine(line)
            y -= 5 * mm
        pdf.drawText(text)
    y = max(y - 15 * mm, 70 * mm)
    x = width - 95 * mm
    pdf.drawString(x, y, f"{content.place}, {tanggal(content.issued_on)}")
    y -= 6 * mm
    for line in _signature_lines(content.signature):
        pdf.setFont("Helvetica-Bold" if line == "DRAF" else "Helvetica", 10)
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
    pdf.setFont("Helvetica-Bold", 150)
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
