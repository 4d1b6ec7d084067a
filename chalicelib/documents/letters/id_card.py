"""The ID CPMI (Kota Tangerang): a card on an A4 page to cut out and fold, like the AK/I card.

The front carries the ID number from SISKOTKLN, a box for the photo (the SOP's file has none, so
it is glued on and stamped at hand-over), the CPMI's particulars and placement, and the QR code;
the back carries the rules of the card and the Kasi's signature block.
"""

from __future__ import annotations

import io

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from chalicelib.documents.drawing import (
    BOLD,
    GREY,
    INK,
    ITALIC,
    REGULAR,
    Shrink,
    card_border,
    cut_marks,
    double_rule,
    draw_qr,
    fit_lines,
    fit_rows,
    fit_string,
    fold_sheet,
    sheet_footer,
    wrap_text,
)
from chalicelib.documents.letter import draft_watermark
from chalicelib.documents.values import Facts, SignatureBlock

FILL = HexColor("#e8f1fb")  # pale blue, so it is not taken for the yellow AK/I card
BAND = HexColor("#c9dcf2")
CARD_W, CARD_H = 170 * mm, 110 * mm
PAD = 6 * mm
PHOTO_W, PHOTO_H = 30 * mm, 40 * mm
QR = 20 * mm
SHEET_TOP = 22 * mm  # from the page's top to the front's top edge

# Every value whole: the type shrinks until all rows fit (the SOP's `max_length` of each printed
# field is what fits at the minimum, tests/unit/test_printed_fields.py).
SHRINK = Shrink(start=9.2, minimum=5.5, step=0.2, leading=1.3)


def render_card(facts: Facts) -> bytes:
    """The PDF of the card: a draft (DRAF watermark) until the Kasi's signature step is signed."""
    sign, verify_url, draft = facts.sign, facts.verify_url, facts.draft
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"ID CPMI {facts.number or ''}".strip())
    pdf.setAuthor(facts.office.full_name)
    pdf.setCreator("Loket")
    sheet = fold_sheet(pdf, CARD_W, CARD_H, FILL, top=SHEET_TOP, hint=14 * mm)
    for y in (sheet.fold, sheet.bottom):
        card_border(pdf, sheet.x, y, CARD_W, CARD_H, double=False)
    _front(pdf, facts, verify_url, sheet.x, sheet.fold)
    _back(pdf, facts, sign, sheet.x, sheet.bottom)
    cut_marks(pdf, sheet)
    sheet_footer(pdf, sheet, f"Berkas {facts.case_id} · diterbitkan melalui Loket · keaslian: {verify_url}")
    if draft:
        draft_watermark(pdf, sheet.page_w, sheet.page_h)
        pdf.setFillColor(HexColor("#9b1c1c"))
        pdf.setFont(BOLD, 8)
        pdf.drawCentredString(
            sheet.page_w / 2, sheet.page_h - 8 * mm, "DRAF: belum ditandatangani, tidak berlaku sebagai kartu"
        )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _front(pdf: Canvas, f: Facts, verify_url: str, x0: float, y0: float) -> None:
    top = y0 + CARD_H
    cx = x0 + CARD_W / 2
    inner = CARD_W - 2 * PAD
    pdf.setFillColor(INK)
    fit_string(pdf, f.office.government.upper(), BOLD, 9, cx, top - 8.5 * mm, inner, align="centre")
    fit_string(pdf, f.office.unit.upper(), BOLD, 11.5, cx, top - 13.3 * mm, inner, align="centre")
    fit_string(pdf, f.office.address, REGULAR, 6.8, cx, top - 17 * mm, inner, align="centre")
    double_rule(pdf, x0 + PAD, x0 + CARD_W - PAD, top - 19 * mm)
    fit_string(
        pdf,
        "KARTU IDENTITAS CALON PEKERJA MIGRAN INDONESIA",
        BOLD,
        10.5,
        cx,
        top - 24.5 * mm,
        inner,
        "centre",
    )
    # The ID number, large, where an officer looks for it.
    label = "No. ID CPMI"
    number = f.number or "(dari SISKOTKLN)"
    box_w, box_h = 110 * mm, 8 * mm
    left = cx - box_w / 2
    box_y = top - 35 * mm
    pdf.setFillColor(white)
    pdf.setStrokeColor(INK)
    pdf.setLineWidth(0.8)
    pdf.roundRect(left, box_y, box_w, box_h, 1.2 * mm, stroke=1, fill=1)
    pdf.setFillColor(INK)
    pdf.setFont(REGULAR, 7.5)
    pdf.drawString(left + 3 * mm, box_y + 3 * mm, label)
    fit_string(pdf, number, BOLD, 13, left + 22 * mm, box_y + 2.4 * mm, box_w - 25 * mm)

    photo_x = x0 + CARD_W - PAD - PHOTO_W - 2 * mm
    photo_y = box_y - 4 * mm - PHOTO_H
    pdf.setFillColor(white)
    pdf.rect(photo_x, photo_y, PHOTO_W, PHOTO_H, stroke=1, fill=1)
    pdf.setFillColor(GREY)
    pdf.setFont(REGULAR, 7.5)
    pdf.drawCentredString(photo_x + PHOTO_W / 2, photo_y + PHOTO_H / 2 + 2 * mm, "Pas foto 3x4")
    pdf.drawCentredString(photo_x + PHOTO_W / 2, photo_y + PHOTO_H / 2 - 2 * mm, "ditempel dan dicap")

    rows = [
        ("NIK", f.get("cpmi", "nik")),
        ("Nama", f.get("cpmi", "nama_lengkap").upper()),
        ("Tempat/Tgl. Lahir", f.born("cpmi")),
        ("Jenis Kelamin", f.get("cpmi", "jenis_kelamin")),
        ("Alamat", f.get("cpmi", "alamat")),
        ("Negara Tujuan", f.get("penempatan", "negara_tujuan")),
        ("Jabatan", f.get("penempatan", "jabatan")),
        ("Pemberi Kerja", f.get("penempatan", "nama_pemberi_kerja")),
        ("P3MI", f.get("p3mi", "nama_p3mi")),
    ]
    fx = x0 + PAD + 1 * mm
    value_x = fx + 32 * mm
    value_w = photo_x - 4 * mm - value_x
    qr_x, qr_y = photo_x + (PHOTO_W - QR) / 2, y0 + PAD + 3.5 * mm  # under the photo
    y = box_y - 7.5 * mm
    room = y - (y0 + PAD + 2 * mm)  # from the first baseline down to the card's bottom edge
    # shrink before cutting: the card keeps the whole name and address
    laid = fit_rows(rows, _font, value_w, room, None, SHRINK, first_line_free=True)
    size, leading = laid.size, laid.leading
    for label_text, lines in laid.rows:
        pdf.setFillColor(INK)
        pdf.setFont(REGULAR, size)
        pdf.drawString(fx, y, label_text)
        pdf.drawString(fx + 30 * mm, y, ":")
        pdf.setFont(_font(label_text), size)
        for line in lines:
            pdf.drawString(value_x, y, line)
            y -= leading
    draw_qr(pdf, verify_url, qr_x, qr_y, QR)
    pdf.setFillColor(GREY)
    pdf.setFont(ITALIC, 6)
    pdf.drawCentredString(qr_x + QR / 2, qr_y - 2.6 * mm, "Pindai untuk cek keaslian")


def particulars_box() -> tuple[float, float, float, float]:
    """(left, bottom, right, top) on the A4 page, in points, of the particulars of the front: from
    the labels to the photo, between the ID number's box and the card's bottom edge. Every value
    a person typed is drawn inside it (tests/unit/test_printed_fields.py)."""
    page_w, page_h = A4
    x0, top = (page_w - CARD_W) / 2, page_h - SHEET_TOP
    photo_x = x0 + CARD_W - PAD - PHOTO_W - 2 * mm
    return x0 + PAD, top - CARD_H + PAD, photo_x - 4 * mm, top - 35 * mm


def _font(label: str) -> str:
    return BOLD if label == "Nama" else REGULAR


def _back(pdf: Canvas, f: Facts, sign: SignatureBlock, x0: float, y0: float) -> None:
    top = y0 + CARD_H
    cx = x0 + CARD_W / 2
    inner = CARD_W - 2 * PAD
    pdf.setFillColor(BAND)
    pdf.rect(x0 + 2.5 * mm, top - 14 * mm, CARD_W - 5 * mm, 11.5 * mm, stroke=0, fill=1)
    pdf.setFillColor(INK)
    fit_string(pdf, "KETENTUAN KARTU", BOLD, 11, cx, top - 10 * mm, inner, align="centre")
    notes = (
        f"Kartu ini menandakan pemegangnya terdaftar sebagai Calon Pekerja Migran Indonesia pada "
        f"{f.office.full_name} dan tercatat di SISKOTKLN.",
        "Bawa kartu ini bersama KTP saat mengurus paspor dan dokumen penempatan lainnya.",
        "Kartu ini tidak dapat dipindahtangankan. Bila hilang atau data berubah, segera laporkan ke "
        f"{f.office.full_name}.",
        "Keaslian kartu dapat diperiksa siapa saja dengan memindai kode QR di halaman depan.",
    )
    y = top - 21 * mm
    text_x = x0 + PAD + 5 * mm
    for number, note in enumerate(notes, start=1):
        pdf.setFont(REGULAR, 7.8)
        pdf.drawString(x0 + PAD + 1 * mm, y, f"{number}.")
        for line in wrap_text(note, REGULAR, 7.8, x0 + CARD_W - PAD - text_x, 3):
            pdf.drawString(text_x, y, line)
            y -= 3.5 * mm
        y -= 0.8 * mm
    # The signature block, bottom right, laid out from the bottom up so that a long name (staff
    # names: up to 80 characters) and decree (up to 80) push the lines above them up, whole.
    block_w = 78 * mm
    bx = x0 + CARD_W - PAD - block_w
    decree_size, decree_lines = 6.5, list[str]()
    if sign.decree:
        decree_size, decree_lines = fit_lines(f"berdasarkan {sign.decree}", ITALIC, 6.5, 5, block_w, 2)
    y = y0 + PAD + 1 * mm + (len(decree_lines) - 1) * decree_size * 1.15
    pdf.setFillColor(INK)
    pdf.setFont(ITALIC, decree_size)
    for index, line in enumerate(decree_lines):
        pdf.drawString(bx, y - index * decree_size * 1.15, line)
    y += (3.5 * mm) if decree_lines else 0
    if sign.signed and sign.name:
        fit_string(pdf, f"NIP. {sign.nip or '-'}", REGULAR, 8, bx, y, block_w)
        size, lines = fit_lines(sign.name, BOLD, 8.5, 5.5, block_w, 1 if len(sign.name) <= 40 else 3)
        pdf.setFont(BOLD, size)
        pdf.setLineWidth(0.5)
        y += 4 * mm + (len(lines) - 1) * size * 1.4  # the first line's baseline; drawn top down
        for index, line in enumerate(lines):
            line_y = y - index * size * 1.4
            pdf.drawString(bx, line_y, line)
            pdf.line(bx, line_y - 0.9 * mm, bx + pdf.stringWidth(line, BOLD, size), line_y - 0.9 * mm)
        y += 3 * mm
    else:
        pdf.setFont(REGULAR, 8)
        pdf.drawString(bx, y, "NIP. ........................................")
        y += 4 * mm
        pdf.drawString(bx, y, "..................................................")
        y += 3 * mm
    pdf.setFillColor(GREY)
    pdf.setFont(ITALIC, 6.5)
    pdf.drawString(
        bx, y + 1 * mm, "Ditandatangani secara elektronik" if sign.signed else "(belum ditandatangani)"
    )
    y += 6 * mm
    pdf.setFillColor(INK)
    pdf.setFont(REGULAR, 8)
    above = [f"{sign.place}, {sign.date_text}"]
    above += [part for line in sign.position for part in wrap_text(line, REGULAR, 8, block_w, 2)]
    y += (len(above) - 1) * 3.6 * mm
    for index, part in enumerate(above):
        pdf.drawString(bx, y - index * 3.6 * mm, part)
    pdf.setFillColor(GREY)
    pdf.setFont(REGULAR, 6.5)
    pdf.drawString(x0 + PAD + 1 * mm, y0 + PAD + 1 * mm, f"Berkas {f.case_id}")
