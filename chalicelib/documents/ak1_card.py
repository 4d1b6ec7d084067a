"""The AK/I card ("kartu kuning"): one A4 page the job seeker prints, cuts out and folds.

The front carries the registration and the particulars an employer reads; the back carries the
four six-monthly report boxes the office stamps. Both halves share the fold line, so cutting
along the dashed outline and folding gives a two-sided card. Every variable text is wrapped or
shrunk into its box: a card must never lose a line of a long name or address off its edge.
The sheet, the wrapping and the QR code come from `documents.drawing`, shared with the ID CPMI
card and the poster.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from chalicelib.documents.drawing import (
    BOLD,
    GREY,
    INK,
    ITALIC,
    REGULAR,
    Laid,
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
    truncate,
    wrap_text,
)
from chalicelib.documents.words import tanggal
from chalicelib.domain.holder_reports import FOUND_WORK, Report, due_dates, scheduled

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

CARD_FILL = HexColor("#fff5c2")  # the pale yellow of the kartu kuning
BAND_FILL = HexColor("#f3e39a")

CARD_W = 182 * mm
CARD_H = 128 * mm
PAD = 6 * mm  # from the cut edge to the text
PHOTO_W, PHOTO_H = 30 * mm, 40 * mm
QR_SIZE = 24 * mm
COLUMN_W = 50 * mm  # the right column of the front: photo, officer
SHEET_TOP = 19 * mm  # from the page's top to the front's top edge


@dataclass(frozen=True)
class CardContent:
    government: str  # "Pemerintah Kabupaten Pasuruan"
    unit: str  # "Dinas Tenaga Kerja"
    address: str  # office address
    contact: str  # "(0343) 414430 · https://hellowork.pasuruankab.go.id"
    place: str  # where issued, before the date: "Pasuruan"
    registration_number: str  # 16 digits: region code (4) + DDMMYY + sequence (6)
    nik: str
    name: str
    birth_place: str
    birth_date: date
    sex: str  # "Laki-laki" / "Perempuan"
    marital_status: str
    religion: str
    address_line: str  # the applicant's address; wrapped
    education: str  # "SMA/SMK – IPA, SMAN 1 PASURUAN (2019)"
    skills: tuple[str, ...]  # empty -> "-"
    experience: tuple[str, ...]  # empty -> "-"
    photo: bytes | None  # JPEG or PNG of the 3x4 photo, any size; None -> an empty framed box
    officer_name: str
    officer_nip: str  # printed as given: "NIP. 19800101 200501 1 001"
    officer_title: str  # "Pengantar Kerja"
    issued_on: date
    valid_until: date  # issued_on + 2 years, computed by the caller
    verify_url: str  # encoded in the QR code
    # The holder's six-monthly reports, stamped in their boxes on the back (services/holder.py).
    reports: tuple[Report, ...] = ()


def render_card(content: CardContent) -> bytes:
    """The PDF bytes of the printable card (front above back on one A4 page).

    Raises ValueError when `photo` is given but is not a readable image.
    """
    photo = _photo_reader(content.photo) if content.photo is not None else None
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"Kartu AK/I {content.registration_number}")
    pdf.setAuthor(f"{content.unit} {content.government}")
    pdf.setSubject("Kartu Tanda Bukti Pendaftaran Pencari Kerja (AK/I)")
    pdf.setCreator("Loket")
    sheet = fold_sheet(pdf, CARD_W, CARD_H, CARD_FILL, top=SHEET_TOP, hint=12 * mm)
    _front(pdf, content, photo, sheet.x, sheet.fold)
    _back(pdf, content, sheet.x, sheet.bottom)
    cut_marks(pdf, sheet)
    sheet_footer(
        pdf,
        sheet,
        "Kartu ini diterbitkan secara elektronik; keaslian dan masa berlakunya dapat diperiksa "
        "dengan memindai kode QR.",
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --- front ---------------------------------------------------------------------------------------


def _front(pdf: Canvas, c: CardContent, photo: ImageReader | None, x0: float, y0: float) -> None:
    """Letterhead, title, number, particulars, photo, officer, QR and validity."""
    card_border(pdf, x0, y0, CARD_W, CARD_H, double=True)
    top = y0 + CARD_H
    cx = x0 + CARD_W / 2
    inner_w = CARD_W - 2 * PAD
    pdf.setFillColor(INK)
    fit_string(pdf, c.government.upper(), BOLD, 9, cx, top - 8.5 * mm, inner_w, align="centre")
    fit_string(pdf, c.unit.upper(), BOLD, 11.5, cx, top - 13.3 * mm, inner_w, align="centre")
    office_line = " · ".join(part for part in (c.address, c.contact) if part)
    fit_string(pdf, office_line, REGULAR, 6.8, cx, top - 17 * mm, inner_w, align="centre")
    double_rule(pdf, x0 + PAD, x0 + CARD_W - PAD, top - 19 * mm)

    title = "KARTU TANDA BUKTI PENDAFTARAN PENCARI KERJA (AK/I)"
    fit_string(pdf, title, BOLD, 10.5, cx, top - 24.5 * mm, inner_w, align="centre")
    _number_box(pdf, c.registration_number, cx, top - 35.5 * mm)

    column_x = x0 + CARD_W - PAD - COLUMN_W  # the right column: photo, then the officer
    left, bottom, right, fields_top = _particulars_box(x0, y0)
    _particulars(pdf, c, left, fields_top, right - left, fields_top - bottom)

    photo_x = column_x + (COLUMN_W - PHOTO_W) / 2
    _photo(pdf, photo, photo_x, fields_top - PHOTO_H)
    _officer(pdf, c, column_x, fields_top - PHOTO_H - 5 * mm, COLUMN_W, y0 + PAD)
    _validity(pdf, c, x0 + PAD, y0 + PAD, column_x - 4 * mm - (x0 + PAD))


def _particulars_box(x0: float, y0: float) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of the particulars table of a front whose lower left is (x0, y0):
    below the number, above the QR code, left of the photo column. Points."""
    return (
        x0 + PAD,
        y0 + PAD + QR_SIZE + 2 * mm,
        x0 + CARD_W - PAD - COLUMN_W - 4 * mm,
        y0 + CARD_H - 41 * mm,
    )


def particulars_box() -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of the particulars table on the A4 page, in points: every value
    a person typed is drawn inside it (tests/unit/test_printed_fields.py)."""
    page_w, page_h = A4
    return _particulars_box((page_w - CARD_W) / 2, page_h - SHEET_TOP - CARD_H)


def _number_box(pdf: Canvas, number: str, cx: float, y: float) -> None:
    """The registration number, large and grouped as region, date and sequence so it reads aloud."""
    digits = number.strip()
    groups = [digits[:4], digits[4:10], digits[10:]] if re.fullmatch(r"\d{16}", digits) else [digits]
    label = "No. Pendaftaran"
    size = 15.0
    gap = 2.5 * mm
    label_w = stringWidth(label, REGULAR, 7.5)
    max_number_w = 120 * mm - label_w - 9 * mm

    def number_width(s: float) -> float:
        return sum(stringWidth(g, BOLD, s) for g in groups) + gap * (len(groups) - 1)

    while number_width(size) > max_number_w and size > 7:
        size -= 0.5
    box_w = min(label_w + 9 * mm + number_width(size), 124 * mm)
    box_h = 8.5 * mm
    left = cx - box_w / 2
    pdf.setFillColor(white)
    pdf.setStrokeColor(INK)
    pdf.setLineWidth(0.8)
    pdf.roundRect(left, y, box_w, box_h, 1.2 * mm, stroke=1, fill=1)
    pdf.setFillColor(INK)
    pdf.setFont(REGULAR, 7.5)
    pdf.drawString(left + 3 * mm, y + box_h / 2 - 1 * mm, label)
    text_x = left + 3 * mm + label_w + 3 * mm
    pdf.setFont(BOLD, size)
    for group in groups:
        shown = truncate(group, BOLD, size, left + box_w - 3 * mm - text_x)
        pdf.drawString(text_x, y + box_h / 2 - size * 0.35, shown)
        text_x += stringWidth(group, BOLD, size) + gap


FIELD_SHRINK = Shrink(start=8.5, minimum=5.5, step=0.25, leading=1.25)
LABEL_GAP = 1.5 * mm  # from the longest label to the colon; the value starts 2.5 mm after it
MORE = " (+{n} lainnya)"


def _particulars(pdf: Canvas, c: CardContent, x: float, top: float, width: float, height: float) -> None:
    """The label : value table, at the largest size where every value is whole within the room.

    Nothing a person typed is cut: the form's limits (the SOP's `max_length` of each printed field)
    are what this box prints whole at FIELD_SHRINK.minimum, with every field at its longest in
    capital Ws (tests/unit/test_printed_fields.py). Only the lists of skills and experience may
    be longer than the box (ten entries each): past what fits, their last entries are counted,
    "(+2 lainnya)", never cut in the middle; the register behind the QR code keeps them all.
    """
    skills = [s for s in c.skills if s.strip()]
    experience = [e for e in c.experience if e.strip()]
    shown = [len(skills), len(experience)]

    def label_width(size: float) -> float:
        return max(stringWidth(label, REGULAR, size) for label in FIELD_LABELS) + LABEL_GAP

    while True:
        rows = [
            ("NIK", c.nik),
            ("Nama", c.name.upper()),
            ("Tempat/Tgl. Lahir", f"{c.birth_place}, {tanggal(c.birth_date)}"),
            ("Jenis Kelamin", c.sex),
            ("Status Perkawinan", c.marital_status),
            ("Agama", c.religion),
            ("Alamat", c.address_line),
            ("Pendidikan Terakhir", c.education),
            ("Keterampilan", _listed(skills, shown[0])),
            ("Pengalaman", _listed(experience, shown[1])),
        ]
        laid = fit_rows(
            rows, _field_font, lambda size: width - label_width(size) - 2.5 * mm, height, None, FIELD_SHRINK
        )
        longer = 0 if shown[0] > 1 and (shown[1] <= 1 or _lines(laid, 8) >= _lines(laid, 9)) else 1
        if laid.fits or shown[longer] <= 1:
            break
        shown[longer] -= 1  # count the last entry of the list taking more lines, and lay out again
    size, leading = laid.size, laid.leading
    label_w = label_width(size)
    value_x = x + label_w + 2.5 * mm
    y = top - size
    for label, lines in laid.rows:
        pdf.setFillColor(INK)
        pdf.setFont(REGULAR, size)
        pdf.drawString(x, y, label)
        pdf.drawString(x + label_w, y, ":")
        pdf.setFont(_field_font(label), size)
        for line in lines:
            pdf.drawString(value_x, y, line)
            y -= leading


FIELD_LABELS = (
    "NIK",
    "Nama",
    "Tempat/Tgl. Lahir",
    "Jenis Kelamin",
    "Status Perkawinan",
    "Agama",
    "Alamat",
    "Pendidikan Terakhir",
    "Keterampilan",
    "Pengalaman",
)


def _listed(items: list[str], shown: int) -> str:
    """The first `shown` items joined with '; ', the rest counted; '-' for none."""
    if not items:
        return "-"
    rest = len(items) - shown
    return "; ".join(items[:shown]) + (MORE.format(n=rest) if rest > 0 else "")


def _lines(laid: Laid, row: int) -> int:
    return len(laid.rows[row][1])


def _field_font(label: str) -> str:
    return BOLD if label == "Nama" else REGULAR


def _photo(pdf: Canvas, photo: ImageReader | None, x: float, y: float) -> None:
    """A 3x4 box; the photo fills as much of it as its own proportions allow."""
    pdf.setFillColor(white)
    pdf.setStrokeColor(INK)
    pdf.setLineWidth(0.6)
    pdf.rect(x, y, PHOTO_W, PHOTO_H, stroke=0, fill=1)
    if photo is None:
        pdf.setFillColor(GREY)
        pdf.setFont(REGULAR, 8)
        pdf.drawCentredString(x + PHOTO_W / 2, y + PHOTO_H / 2 + 1 * mm, "Pas foto")
        pdf.drawCentredString(x + PHOTO_W / 2, y + PHOTO_H / 2 - 3 * mm, "3x4")
    else:
        img_w, img_h = photo.getSize()
        scale = min(PHOTO_W / img_w, PHOTO_H / img_h)
        w, h = img_w * scale, img_h * scale
        pdf.drawImage(photo, x + (PHOTO_W - w) / 2, y + (PHOTO_H - h) / 2, w, h)
    pdf.rect(x, y, PHOTO_W, PHOTO_H, stroke=1, fill=0)


def _officer(pdf: Canvas, c: CardContent, x: float, top: float, width: float, bottom: float) -> None:
    """Place and date of issue, the officer's title, the e-signature note, name and NIP."""
    cx = x + width / 2
    pdf.setFillColor(INK)
    y = top
    for line in wrap_text(f"{c.place}, {tanggal(c.issued_on)}", REGULAR, 7.5, width, 2):
        pdf.setFont(REGULAR, 7.5)
        pdf.drawCentredString(cx, y, line)
        y -= 3.3 * mm
    for line in wrap_text(f"{c.officer_title},", REGULAR, 7.5, width, 2):
        pdf.setFont(REGULAR, 7.5)
        pdf.drawCentredString(cx, y, line)
        y -= 3.3 * mm
    nip_y = bottom + 1 * mm
    name = c.officer_name
    if stringWidth(name, BOLD, 6.5) <= width:  # one line, as large as fits up to 8 points
        name_size, name_lines = fit_lines(name, BOLD, 8.0, 6.5, width, 1)
    else:  # a long name with its degrees: up to four lines, whole (staff names: NAME_MAX, 80)
        name_size, name_lines = fit_lines(name, BOLD, 7.0, 5.5, width, 4)
    name_y = nip_y + 3.6 * mm + (len(name_lines) - 1) * name_size * 1.35
    pdf.setFillColor(GREY)
    pdf.setFont(ITALIC, 6)
    pdf.drawCentredString(cx, (y + name_y) / 2, "ditandatangani secara elektronik")
    pdf.setFillColor(INK)
    pdf.setStrokeColor(INK)
    pdf.setLineWidth(0.5)
    pdf.setFont(BOLD, name_size)
    for line in name_lines:
        pdf.drawCentredString(cx, name_y, line)
        half = stringWidth(line, BOLD, name_size) / 2
        pdf.line(cx - half, name_y - 0.8 * mm, cx + half, name_y - 0.8 * mm)
        name_y -= name_size * 1.35
    fit_string(pdf, c.officer_nip, REGULAR, 7.5, cx, nip_y, width, align="centre")


def _validity(pdf: Canvas, c: CardContent, x: float, y: float, width: float) -> None:
    """The QR to the register, its caption, and the expiry date where an employer looks for it."""
    draw_qr(pdf, c.verify_url, x, y, QR_SIZE)
    text_x = x + QR_SIZE + 3 * mm
    text_w = width - QR_SIZE - 3 * mm
    pdf.setFillColor(INK)
    pdf.setFont(REGULAR, 7.5)
    pdf.drawString(text_x, y + QR_SIZE - 6 * mm, "Berlaku s.d.")
    fit_string(pdf, tanggal(c.valid_until), BOLD, 11, text_x, y + QR_SIZE - 11 * mm, text_w)
    pdf.setFillColor(GREY)
    pdf.setFont(ITALIC, 6.5)
    pdf.drawString(text_x, y + 5.5 * mm, "Pindai untuk memeriksa")
    pdf.drawString(text_x, y + 2.8 * mm, "keaslian kartu")


# --- back ----------------------------------------------------------------------------------------


def _back(pdf: Canvas, c: CardContent, x0: float, y0: float) -> None:
    """The four six-monthly report boxes and the rules of the card."""
    card_border(pdf, x0, y0, CARD_W, CARD_H, double=True)
    top = y0 + CARD_H
    cx = x0 + CARD_W / 2
    inner_w = CARD_W - 2 * PAD
    pdf.setFillColor(INK)
    pdf.setFont(BOLD, 13)
    pdf.drawCentredString(cx, top - 10.5 * mm, "LAPORAN")
    fit_string(
        pdf,
        "Pencari kerja wajib melapor setiap 6 (enam) bulan selama belum mendapat pekerjaan",
        REGULAR,
        7.5,
        cx,
        top - 14.5 * mm,
        inner_w,
        align="centre",
    )
    pdf.setFillColor(GREY)
    owner = f"No. Pendaftaran {c.registration_number}  ·  {c.name.upper()}"
    fit_string(pdf, owner, REGULAR, 7, cx, top - 18.3 * mm, inner_w, align="centre")
    double_rule(pdf, x0 + PAD, x0 + CARD_W - PAD, top - 20.3 * mm)

    gap = 4 * mm
    box_w = (inner_w - gap) / 2
    box_h = 34 * mm
    stamps: dict[int, Report] = {}
    for report in c.reports:  # the box prints its latest report (found work after still looking)
        stamps[report.box] = report
    for index, due in enumerate(due_dates(c.issued_on)):
        row, col = divmod(index, 2)
        bx = x0 + PAD + col * (box_w + gap)
        by = top - 24 * mm - box_h - row * (box_h + 3 * mm)
        _report_box(pdf, index + 1, f"jadwal: {scheduled(due)}", bx, by, box_w, box_h)
        if index + 1 in stamps:
            _stamp(pdf, stamps[index + 1], bx, by, box_w, box_h)

    y = top - 24 * mm - 2 * box_h - 3 * mm - 6 * mm
    pdf.setFillColor(INK)
    pdf.setFont(BOLD, 7.5)
    pdf.drawString(x0 + PAD, y, "Catatan:")
    notes = (
        f"Kartu ini berlaku 2 (dua) tahun, sampai dengan {tanggal(c.valid_until)}.",
        f"Selama belum mendapat pekerjaan, laporkan diri ke {c.unit} setiap 6 (enam) bulan "
        "dengan membawa kartu ini.",
        f"Bila sudah mendapat pekerjaan atau data Anda berubah, segera laporkan ke {c.unit}.",
        "Bawa dan tunjukkan kartu ini setiap kali melamar pekerjaan.",
    )
    y -= 3.8 * mm
    number_x = x0 + PAD + 1 * mm
    text_x = x0 + PAD + 5 * mm
    for number, note in enumerate(notes, start=1):
        pdf.setFont(REGULAR, 7.2)
        pdf.drawString(number_x, y, f"{number}.")
        for line in wrap_text(note, REGULAR, 7.2, x0 + CARD_W - PAD - text_x, 2):
            pdf.drawString(text_x, y, line)
            y -= 3.3 * mm


def _report_box(pdf: Canvas, number: int, due: str, x: float, y: float, w: float, h: float) -> None:
    """One report: a header band, the date line, room for the officer's signature and stamp."""
    band = 5.2 * mm
    pdf.setStrokeColor(INK)
    pdf.setLineWidth(0.6)
    pdf.setFillColor(white)
    pdf.rect(x, y, w, h, stroke=1, fill=1)
    pdf.setFillColor(BAND_FILL)
    pdf.rect(x, y + h - band, w, band, stroke=1, fill=1)
    pdf.setFillColor(INK)
    pdf.setFont(BOLD, 8)
    pdf.drawString(x + 2.5 * mm, y + h - band + 1.6 * mm, f"Laporan ke-{number}")
    pdf.setFillColor(GREY)
    pdf.setFont(ITALIC, 6.5)
    pdf.drawRightString(x + w - 2.5 * mm, y + h - band + 1.7 * mm, due)
    pdf.setFillColor(INK)
    pdf.setFont(REGULAR, 7.5)
    line_y = y + h - band - 5.5 * mm
    pdf.drawString(x + 2.5 * mm, line_y, "Tgl.")
    _dotted(pdf, x + 10 * mm, x + w / 2 + 4 * mm, line_y - 0.6 * mm)
    sign_w = 38 * mm
    sign_x = x + w - 3 * mm - sign_w
    _dotted(pdf, sign_x, sign_x + sign_w, y + 5.5 * mm)
    pdf.setFont(REGULAR, 6.5)
    pdf.drawCentredString(sign_x + sign_w / 2, y + 2.2 * mm, "Tanda tangan petugas")


STAMP_BLUE = HexColor("#1f4e9c")
STAMP_RED = HexColor("#b3261e")


def _stamp(pdf: Canvas, report: Report, x: float, y: float, w: float, h: float) -> None:
    """A report made online, stamped in its box: the date on the date line, a framed stamp with
    what was reported (found work closes the card: "DITUTUP") where the officer would sign."""
    band = 5.2 * mm
    colour = STAMP_RED if report.kind == FOUND_WORK else STAMP_BLUE
    pdf.setFillColor(colour)
    pdf.setFont(BOLD, 7.5)
    pdf.drawString(x + 10.5 * mm, y + h - band - 5.5 * mm + 0.6 * mm, tanggal(report.on))
    sx, sw = x + 3 * mm, w - 6 * mm
    sy, sh = y + 1.2 * mm, h - band - 8.7 * mm  # over the signature line: no officer signs
    pdf.saveState()
    pdf.setStrokeColor(colour)
    pdf.setFillColor(white)
    pdf.setLineWidth(1.1)
    pdf.roundRect(sx, sy, sw, sh, 1.5 * mm, stroke=1, fill=1)
    pdf.setFillColor(colour)
    title = "DITUTUP · SUDAH BEKERJA" if report.kind == FOUND_WORK else "DILAPORKAN"
    fit_string(pdf, title, BOLD, 9, sx + sw / 2, sy + sh - 4.2 * mm, sw - 3 * mm, align="centre")
    lines = wrap_text(report.stamp, REGULAR, 6.8, sw - 4 * mm, 3)
    line_y = sy + sh - 8 * mm
    pdf.setFont(REGULAR, 6.8)
    for line in lines:
        pdf.drawCentredString(sx + sw / 2, line_y, line)
        line_y -= 3 * mm
    pdf.setFont(ITALIC, 6)
    pdf.drawCentredString(sx + sw / 2, sy + 1.4 * mm, "dilaporkan daring melalui Loket")
    pdf.restoreState()


# --- shared drawing helpers ----------------------------------------------------------------------


def _dotted(pdf: Canvas, x1: float, x2: float, y: float) -> None:
    pdf.saveState()
    pdf.setStrokeColor(GREY)
    pdf.setLineWidth(0.5)
    pdf.setDash(0.6, 1.6)
    pdf.line(x1, y, x2, y)
    pdf.restoreState()


# The photo box is 3x4 cm: 420x560 pixels is about 300 dpi. A phone photo has 12 to 50 million
# pixels; anything beyond MAX_PHOTO_PIXELS is refused before it is decoded. A picture up to
# KEEP_SCALE times the box (450 dpi) keeps its own pixels: the form's photo, shrunk to 800 pixels by
# the browser (static_site/js/lib/files.js), is 600x800, and shrinking it to 420x560 took 2.5 of
# the card's 12 ms (issue 16) for a difference no print shows; its JPEG is about twice as large.
PHOTO_PIXELS = (420, 560)
KEEP_SCALE = 1.5
MAX_PHOTO_PIXELS = 60_000_000


class _JpegPhoto(ImageReader):
    """The re-encoded photo for reportlab, which embeds a JPEG as it is (DCTDecode).

    reportlab's drawImage names each image by the MD5 of its decoded pixels (so one picture drawn
    twice is stored once), and decodes the JPEG again to get them: 2 of a card's milliseconds.
    A card draws one photo, made just above from the pixels: its JPEG bytes name it as well."""

    def getRGBData(self) -> bytes:  # reportlab's name
        self._dataA = None  # no alpha channel: drawImage reads it beside the data
        return bytes(self.fp.getbuffer())


def _photo_reader(photo: bytes) -> ImageReader:
    """The photo upright, flattened on white and at 300 to 450 dpi for a 3x4 cm box (a small PDF:
    a larger picture is shrunk to 420x560 pixels), as a JPEG for reportlab to embed. Raises
    ValueError when it is not a readable image or claims more than MAX_PHOTO_PIXELS."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(photo)) as opened:
            # The header alone says how big the picture is: a few bytes can claim 20000x20000
            # pixels (a decompression bomb), which would take gigabytes to draw.
            if opened.width * opened.height > MAX_PHOTO_PIXELS:
                raise ValueError(f"pas foto terlalu besar ({opened.width}x{opened.height} piksel)")
            opened.draft("RGB", PHOTO_PIXELS)  # a JPEG decodes at 1/2 to 1/8 size, no smaller than this
            opened.load()
            ImageOps.exif_transpose(opened, in_place=True)  # no copy of an upright picture
            image: PILImage = opened
            if image.mode in ("RGBA", "LA", "P"):
                rgba = image.convert("RGBA")
                image = Image.new("RGB", rgba.size, (255, 255, 255))
                image.paste(rgba, mask=rgba.getchannel("A"))
            elif image.mode != "RGB":
                image = image.convert("RGB")
            # After the JPEG draft a phone's picture is at most about twice the box: bilinear is as
            # sharp as bicubic at print size there, and half the time (issue 16).
            if image.width > PHOTO_PIXELS[0] * KEEP_SCALE or image.height > PHOTO_PIXELS[1] * KEEP_SCALE:
                image.thumbnail(PHOTO_PIXELS, Image.Resampling.BILINEAR)
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=88, comment=b"", exif=b"")  # the pixels only
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValueError("pas foto tidak dapat dibaca (harus JPEG atau PNG)") from error
    out.seek(0)
    return _JpegPhoto(out)
