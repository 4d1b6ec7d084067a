"""The official letter of an office on A4 (tata naskah dinas), drawn with reportlab's platypus.

A letter here is a `Plan` (`plan.py`: what a product says: heading, particulars, paragraphs) in a frame that
is the same for every product of an office: the letterhead with its double rule, either the
heading of a letter to someone (date, Nomor / Sifat / Lampiran / Perihal, Kepada Yth.) or the
centred title and number of a naskah (surat keterangan, berita acara, tanda daftar), the signature
block (place and date, position, a.n. / u.b. / Plt / Plh, name, NIP, decree), the verification QR
code, tembusan, a footer on every page, and a DRAF watermark until the letter is signed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from chalicelib.documents.drawing import draw_qr
from chalicelib.documents.fonts import BOLD, ITALIC, REGULAR
from chalicelib.documents.letter import draft_watermark
from chalicelib.documents.letters.plan import Block, Para, Plan, Rows
from chalicelib.documents.values import Facts, SignatureBlock

INK = HexColor("#1b1b1b")
GREY = HexColor("#5a5a5a")
LEFT_MARGIN = 25 * mm
RIGHT_MARGIN = 20 * mm
TOP_MARGIN = 13 * mm
BOTTOM_MARGIN = 18 * mm
WIDTH = A4[0] - LEFT_MARGIN - RIGHT_MARGIN
QR_SIZE = 24 * mm

BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=13, alignment=TA_JUSTIFY)
INDENTED = ParagraphStyle("indented", parent=BODY, firstLineIndent=12 * mm)
PLAIN = ParagraphStyle("plain", parent=BODY, alignment=TA_LEFT)
ROW = ParagraphStyle("row", parent=PLAIN, leading=12)
CENTRE = ParagraphStyle("centre", parent=BODY, alignment=TA_CENTER)
SMALL = ParagraphStyle("small", parent=PLAIN, fontSize=8, leading=10, textColor=GREY)
SIGN = ParagraphStyle("sign", parent=PLAIN, fontSize=10, leading=12.5)
SIGN_NOTE = ParagraphStyle("sign_note", parent=SIGN, fontName=ITALIC, fontSize=8, textColor=GREY)


@dataclass(frozen=True)
class Letterhead:
    government: str
    unit: str
    address: str
    contact: str
    place: str  # before the date: "Pasuruan"


@dataclass(frozen=True)
class Footer:
    case_id: str
    verify_url: str
    draft: bool
    title: str
    author: str


# --- drawing -----------------------------------------------------------------------------------


class DoubleRule(Flowable):
    """The thick-thin rule under an Indonesian government letterhead."""

    def __init__(self, width: float) -> None:
        super().__init__()
        self.width = width
        self.height = 2.2 * mm

    def draw(self) -> None:
        canvas = self.canv
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(1.8)
        canvas.line(0, self.height - 0.4 * mm, self.width, self.height - 0.4 * mm)
        canvas.setLineWidth(0.5)
        canvas.line(0, self.height - 1.5 * mm, self.width, self.height - 1.5 * mm)


class QrCode(Flowable):
    """The verification QR code of `value` as a `size`-point square flowable (drawing.draw_qr)."""

    def __init__(self, value: str, size: float = QR_SIZE) -> None:
        super().__init__()
        self.value = value
        self.width = self.height = size

    def draw(self) -> None:
        draw_qr(self.canv, self.value, 0, 0, self.width)


def qr_drawing(value: str, size: float = QR_SIZE) -> Flowable:
    """The verification QR code as a flowable for a letter's signature table."""
    return QrCode(value, size)


def text(value: Any) -> str:
    """Plain text for a Paragraph (which reads a small XML markup)."""
    return escape(str(value if value not in (None, "") else "-")).replace("\n", "<br/>")


def _letterhead(head: Letterhead) -> list[Flowable]:
    gov = ParagraphStyle("gov", parent=CENTRE, fontName=BOLD, fontSize=13, leading=16)
    unit = ParagraphStyle("unit", parent=CENTRE, fontName=BOLD, fontSize=17, leading=21)
    line = ParagraphStyle("addr", parent=CENTRE, fontSize=9, leading=11.5)
    return [
        Paragraph(text(head.government.upper()), gov),
        Paragraph(text(head.unit.upper()), unit),
        Paragraph(text(head.address), line),
        Paragraph(text(head.contact), line),
        Spacer(1, 1.5 * mm),
        DoubleRule(WIDTH),
        Spacer(1, 4 * mm),
    ]


def _surat_heading(plan: Plan, sign: SignatureBlock) -> list[Flowable]:
    """Place and date on the right; Nomor, Sifat, Lampiran, Perihal on the left; Kepada on the right."""
    date_line = Paragraph(text(f"{sign.place}, {sign.date_text}"), PLAIN)
    meta = [
        ("Nomor", plan.number or "(diberi nomor setelah ditandatangani)"),
        ("Sifat", plan.sifat),
        ("Lampiran", plan.lampiran),
        ("Perihal", plan.perihal),
    ]
    left = Table(
        [[Paragraph(text(k), PLAIN), ":", Paragraph(text(v), PLAIN)] for k, v in meta],
        colWidths=[20 * mm, 4 * mm, 66 * mm],
        style=_tight(),
    )
    right = [Paragraph("Kepada", PLAIN)]
    right += [Paragraph(text(line), PLAIN) for line in plan.addressee]
    head = Table(
        [["", date_line], [left, right]],
        colWidths=[WIDTH - 65 * mm, 65 * mm],
        style=_tight([("TOPPADDING", (0, 1), (-1, 1), 3 * mm)]),
    )
    return [head, Spacer(1, 4 * mm)]


def _naskah_heading(plan: Plan) -> list[Flowable]:
    title = ParagraphStyle("title", parent=CENTRE, fontName=BOLD, fontSize=12, leading=15)
    out: list[Flowable] = [Paragraph(f"<u>{text(plan.title.upper())}</u>", title)]
    number = plan.number or "(diberi nomor setelah ditandatangani)"
    out.append(Paragraph(text(f"{plan.number_label} : {number}"), CENTRE))
    for line in plan.subtitle:
        out.append(Paragraph(f"<b>{text(line)}</b>", CENTRE))
    out.append(Spacer(1, 4 * mm))
    return out


def _tight(extra: list[tuple[Any, ...]] | None = None) -> TableStyle:
    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0.2 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0.2 * mm),
            *(extra or []),
        ]
    )


def _block(block: Block) -> list[Flowable]:
    if isinstance(block, Para):
        style = {"indented": INDENTED, "plain": PLAIN, "centre": CENTRE}[block.style]
        body = f"<b>{text(block.text)}</b>" if block.bold else text(block.text)
        return [Spacer(1, block.space_before), Paragraph(body, style)]
    if isinstance(block, Rows):
        numbered = 7 * mm if block.numbered else 0
        rows = [
            [
                "",
                *([Paragraph(f"{i}.", ROW)] if block.numbered else []),
                Paragraph(text(label) if label else "", ROW),
                Paragraph(":" if label else "", ROW),
                Paragraph(text(value), ROW),
            ]
            for i, (label, value) in enumerate(block.rows, start=1)
        ]
        widths = [
            block.indent,
            *([numbered] if block.numbered else []),
            block.label_width,
            4 * mm,
            WIDTH - block.indent - numbered - block.label_width - 4 * mm,
        ]
        return [Spacer(1, 1 * mm), Table(rows, colWidths=widths, style=_tight())]
    rows = [
        ["", Paragraph(f"{i}.", ROW), Paragraph(text(item), ROW)] for i, item in enumerate(block.items, 1)
    ]
    widths = [block.indent, 7 * mm, WIDTH - block.indent - 7 * mm]
    return [Spacer(1, 1 * mm), Table(rows, colWidths=widths, style=_tight())]


def _signer(sign: SignatureBlock, dated: str, show_date: bool, heading: Sequence[str] = ()) -> list[Flowable]:
    cells: list[Flowable] = []
    if show_date and dated == "ditetapkan":
        cells.append(
            Table(
                [
                    [Paragraph("Ditetapkan di", SIGN), ":", Paragraph(text(sign.place), SIGN)],
                    [Paragraph("pada tanggal", SIGN), ":", Paragraph(text(sign.date_text), SIGN)],
                ],
                colWidths=[25 * mm, 4 * mm, 41 * mm],
                style=_tight(),
            )
        )
        cells.append(Spacer(1, 2 * mm))
    elif show_date:
        cells.append(Paragraph(text(f"{sign.place}, {sign.date_text}"), SIGN))
    for line in [*heading, *sign.position]:
        cells.append(Paragraph(text(line), SIGN))
    if sign.signed:
        cells += [
            Spacer(1, 3 * mm),
            Paragraph("Ditandatangani secara elektronik", SIGN_NOTE),
            Spacer(1, 3 * mm),
        ]
        cells.append(Paragraph(f"<b><u>{text(sign.name)}</u></b>", SIGN))
        cells.append(Paragraph(text(f"NIP. {sign.nip}" if sign.nip else "NIP. -"), SIGN))
        if sign.decree:
            cells.append(Paragraph(text(f"berdasarkan {sign.decree}"), SIGN_NOTE))
    else:
        cells += [Spacer(1, 6 * mm), Paragraph("(belum ditandatangani)", SIGN_NOTE), Spacer(1, 6 * mm)]
        cells.append(Paragraph("<b>...................................</b>", SIGN))
        cells.append(Paragraph("NIP. ...................................", SIGN))
    return cells


def _qr_cell(verify_url: str, sign: SignatureBlock) -> list[Flowable]:
    cells: list[Flowable] = [qr_drawing(verify_url)]
    cells.append(Paragraph("Pindai untuk memeriksa keaslian dokumen", SMALL))
    if sign.paraf:
        cells.append(Spacer(1, 1.5 * mm))
        cells.append(Paragraph("Paraf: " + "; ".join(text(p) for p in sign.paraf), SMALL))
    return cells


def _signature_area(plan: Plan, sign: SignatureBlock, verify_url: str) -> list[Flowable]:
    signer_w = 75 * mm
    show_date = plan.style == "naskah"
    if plan.other_party is None:
        table = Table(
            [[_qr_cell(verify_url, sign), "", _signer(sign, plan.dated, show_date)]],
            colWidths=[48 * mm, WIDTH - 48 * mm - signer_w, signer_w],
            style=_tight([("VALIGN", (0, 0), (0, 0), "BOTTOM")]),
        )
        return [Spacer(1, 5 * mm), KeepTogether([table])]
    party = plan.other_party
    left: list[Flowable] = [Paragraph(text(line), SIGN) for line in party.heading]
    left += [Spacer(1, 17 * mm), Paragraph(f"<b><u>{text(party.name)}</u></b>", SIGN)]
    if party.subtitle:
        left.append(Paragraph(text(party.subtitle), SIGN))
    date_row = Paragraph(text(f"{sign.place}, {sign.date_text}"), SIGN)
    qr_w = 36 * mm
    table = Table(
        [
            ["", "", date_row],
            [left, _qr_cell(verify_url, sign), _signer(sign, plan.dated, False, plan.signer_heading)],
        ],
        colWidths=[WIDTH - signer_w - qr_w, qr_w, signer_w],
        style=_tight(
            [
                ("TOPPADDING", (0, 1), (-1, 1), 2 * mm),
                ("RIGHTPADDING", (1, 1), (1, 1), 3 * mm),
                ("VALIGN", (1, 1), (1, 1), "BOTTOM"),
            ]
        ),
    )
    return [Spacer(1, 5 * mm), KeepTogether([table])]


def _tembusan(lines: Sequence[str]) -> list[Flowable]:
    if not lines:
        return []
    style = ParagraphStyle("tembusan", parent=PLAIN, fontSize=9, leading=11.5)
    out: list[Flowable] = [Paragraph("<u>Tembusan</u> disampaikan kepada Yth.:", style)]
    out += [Paragraph(text(f"{i}. {line}"), style) for i, line in enumerate(lines, start=1)]
    return [Spacer(1, 4 * mm), KeepTogether(out)]


def render(head: Letterhead, plan: Plan, sign: SignatureBlock, footer: Footer) -> bytes:
    """The PDF bytes of one letter."""
    buffer = io.BytesIO()

    def decorate(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        width, height = A4
        if footer.draft:
            draft_watermark(canvas, width, height)
            canvas.setFillColor(HexColor("#9b1c1c"))
            canvas.setFont(BOLD, 8)
            canvas.drawCentredString(
                width / 2, height - 8 * mm, "DRAF: belum ditandatangani, tidak berlaku sebagai dokumen resmi"
            )
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.3)
        canvas.line(LEFT_MARGIN, 13 * mm, width - RIGHT_MARGIN, 13 * mm)
        canvas.setFillColor(GREY)
        canvas.setFont(REGULAR, 7)
        canvas.drawString(
            LEFT_MARGIN,
            9.5 * mm,
            f"Berkas {footer.case_id} · diterbitkan melalui Loket · keaslian: {footer.verify_url}",
        )
        canvas.drawRightString(width - RIGHT_MARGIN, 6.5 * mm, f"Halaman {doc.page}")
        canvas.restoreState()

    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=footer.title,
        author=footer.author,
        creator="Loket",
        pageCompression=1,
    )
    frame = Frame(LEFT_MARGIN, BOTTOM_MARGIN, WIDTH, A4[1] - TOP_MARGIN - BOTTOM_MARGIN, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    story: list[Flowable] = _letterhead(head)
    story += _surat_heading(plan, sign) if plan.style == "surat" else _naskah_heading(plan)
    for block in plan.blocks:
        story += _block(block)
    story += _signature_area(plan, sign, footer.verify_url)
    story += _tembusan(plan.tembusan)
    doc.build(story)
    return buffer.getvalue()


def render_letter(facts: Facts, plan: Plan) -> bytes:
    """The PDF of one product's letter: its `plan` in the office's frame, signed or a draft."""
    office = facts.office
    head = Letterhead(
        government=office.government,
        unit=office.unit,
        address=office.address,
        contact=" · ".join(
            x
            for x in (
                f"Telp. {office.phone}",
                f"Fax {office.fax}" if office.fax else "",
                office.website,
                office.email,
            )
            if x
        ),
        place=facts.place,
    )
    footer = Footer(
        case_id=facts.case_id,
        verify_url=facts.verify_url,
        draft=facts.draft,
        title=plan.title,
        author=office.full_name,
    )
    return render(head, plan, facts.sign, footer)
