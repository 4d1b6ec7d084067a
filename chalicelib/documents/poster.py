"""A printable A4 QR poster for one service of one office, for the counter or a job-fair stand.

Someone walking past must get it in a glance: what they can apply for, that a phone is enough,
and a QR code large enough to scan from a step away. The URL is printed too, for phones that
will not scan. Indonesian first; one English line for foreign workers and their employers.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from chalicelib.documents.drawing import BOLD, GREY, INK, ITALIC, REGULAR, draw_qr, fit_string, wrap_text

ACCENT = HexColor("#1f3a5f")  # a dark government blue for the heading and step numbers
BAND_FILL = HexColor("#fff5c2")
MARGIN = 18 * mm
QR_SIZE = 100 * mm
MIN_QR_SIZE = 92 * mm  # 9 cm and more scans from a step away


@dataclass(frozen=True)
class PosterContent:
    government: str
    unit: str
    address: str
    contact: str
    service_title: str  # "Pelayanan Penerbitan Kartu AK-1 (Pelayanan Online)"
    form_url: str  # encoded in the QR code
    requirements: tuple[str, ...]  # names of the documents to prepare
    fee: str
    duration: str


def poster_heading(service_title: str) -> str:
    """ "Ajukan … dari ponsel Anda", without the "Pelayanan" and "(Online)" that say nothing here."""
    subject = re.sub(r"^\s*pelayanan\s+", "", service_title, flags=re.IGNORECASE)
    subject = re.sub(r"\s*\((pelayanan\s+)?online\)\s*$", "", subject, flags=re.IGNORECASE).strip()
    return f"Ajukan {subject or service_title.strip()} dari ponsel Anda"


def render_poster(content: PosterContent) -> bytes:
    """The PDF bytes of the one-page poster."""
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"Poster QR: {content.service_title}")
    pdf.setSubject("Poster kode QR pelayanan online")
    pdf.setAuthor(f"{content.unit} {content.government}")
    pdf.setCreator("Loket")
    width, height = A4
    cx = width / 2
    inner = width - 2 * MARGIN
    is_card = "kartu" in content.service_title.lower()

    y = height - 18 * mm
    pdf.setFillColor(INK)
    fit_string(pdf, content.government.upper(), BOLD, 13, cx, y, inner, align="centre")
    y -= 7 * mm
    fit_string(pdf, content.unit.upper(), BOLD, 16, cx, y, inner, align="centre")
    y -= 5.5 * mm
    fit_string(pdf, content.address, REGULAR, 9, cx, y, inner, align="centre")
    y -= 4.3 * mm
    fit_string(pdf, content.contact, REGULAR, 9, cx, y, inner, align="centre")
    y -= 3 * mm
    pdf.setStrokeColor(INK)
    pdf.setLineWidth(1.6)
    pdf.line(MARGIN, y, width - MARGIN, y)
    pdf.setLineWidth(0.5)
    pdf.line(MARGIN, y - 1 * mm, width - MARGIN, y - 1 * mm)

    y -= 13 * mm
    y = _heading(pdf, content.service_title, cx, y, inner)
    pdf.setFillColor(GREY)
    for line in wrap_text(content.service_title, REGULAR, 11, inner, 2):
        pdf.setFont(REGULAR, 11)
        pdf.drawCentredString(cx, y, line)
        y -= 5 * mm

    band_top = 30 * mm  # the fee band, the English line and the footer live below this
    product = "kartu" if is_card else "hasil layanan"
    steps = (
        "Pindai kode QR dengan kamera ponsel.",
        "Buat akun dengan alamat email Anda.",
        "Isi formulir dan unggah dokumen persyaratan.",
        f"Pantau status berkas; {product} dikirim ke email Anda.",
    )
    requirements = content.requirements or ("Tidak ada dokumen yang perlu disiapkan.",)
    url_size, url_lines = _url_lines(content.form_url, inner)
    frame = 4 * mm
    # Everything between the subtitle and the band but the QR and the documents: frame and gaps
    # round the QR, the URL, the gaps before the two lists, and the steps.
    fixed = 2 * frame + 8 * mm + len(url_lines) * url_size * 1.3 + 7 * mm + _steps_height(steps, inner)
    room = y - (band_top + 4 * mm) - fixed  # for the QR and the documents
    size = 10.0
    while _requirements_height(requirements, size, inner) > room - MIN_QR_SIZE and size > 6.5:
        size -= 0.5
    qr_size = max(MIN_QR_SIZE, min(QR_SIZE, room - _requirements_height(requirements, size, inner)))
    spare = max(0.0, room - qr_size - _requirements_height(requirements, size, inner)) / 3

    y -= frame + 3 * mm + spare
    pdf.setStrokeColor(ACCENT)
    pdf.setLineWidth(2)
    pdf.setFillColor(white)
    box = qr_size + 2 * frame
    pdf.roundRect(cx - box / 2, y - qr_size - frame, box, box, 4 * mm)
    draw_qr(pdf, content.form_url, cx - qr_size / 2, y - qr_size, qr_size)
    y -= qr_size + frame + 5 * mm
    pdf.setFillColor(INK)
    pdf.setFont("Courier-Bold", url_size)
    for line in url_lines:
        pdf.drawCentredString(cx, y, line)
        y -= url_size * 1.3

    y -= 3 * mm + spare
    y = _steps(pdf, steps, MARGIN, y, inner)
    _requirements(pdf, requirements, MARGIN, y - 4 * mm - spare, inner, size, band_top + 4 * mm)

    band_h = 10 * mm
    band_y = band_top - band_h
    pdf.setFillColor(BAND_FILL)
    pdf.setStrokeColor(INK)
    pdf.setLineWidth(0.6)
    pdf.rect(MARGIN, band_y, inner, band_h, stroke=1, fill=1)
    pdf.setFillColor(INK)
    facts = f"Biaya: {content.fee}     |     Jangka waktu pelayanan: {content.duration}"
    fit_string(pdf, facts, BOLD, 12, cx, band_y + 3.5 * mm, inner - 6 * mm, align="centre")

    pdf.setFillColor(GREY)
    english = (
        "Apply from your phone: scan the QR code, create an account with your email, fill in the form and "
        f"upload the documents, then track your application; the {'card' if is_card else 'result'} is sent "
        "to your email."
    )
    line_y = band_y - 5.5 * mm
    for line in wrap_text(english, ITALIC, 8.5, inner, 2):
        pdf.setFont(ITALIC, 8.5)
        pdf.drawCentredString(cx, line_y, line)
        line_y -= 3.8 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _heading(pdf: Canvas, service_title: str, cx: float, y: float, width: float) -> float:
    """The heading, breaking before "dari ponsel Anda" when it needs two lines; returns the next baseline."""
    text = poster_heading(service_title)
    head, tail = text.removesuffix(" dari ponsel Anda"), "dari ponsel Anda"
    size = 26.0
    while True:
        if stringWidth(text, BOLD, size) <= width:
            lines = [text]
        else:
            lines = [*wrap_text(head, BOLD, size, width), tail]
        if len(lines) <= 2 or size <= 18:
            break
        size -= 1
    if len(lines) > 3:
        lines = [*wrap_text(head, BOLD, size, width, 2), tail]
    pdf.setFillColor(ACCENT)
    pdf.setFont(BOLD, size)
    for line in lines:
        pdf.drawCentredString(cx, y, line)
        y -= size * 1.2
    return y + size * 1.2 - 7 * mm


def _url_lines(url: str, width: float) -> tuple[float, list[str]]:
    """The URL on one line if it fits at a readable size, else wrapped."""
    size = 10.0
    while stringWidth(url, "Courier-Bold", size) > width and size > 7.5:
        size -= 0.5
    return size, wrap_text(url, "Courier-Bold", size, width, 3)


STEP_SIZE = 9.5
STEP_GAP = 4 * mm


def _step_width(width: float) -> float:
    return (width - 3 * STEP_GAP) / 4


def _steps_height(steps: tuple[str, ...], width: float) -> float:
    text_w = _step_width(width) - 7 * mm
    most = max(len(wrap_text(step, REGULAR, STEP_SIZE, text_w)) for step in steps)
    return 7 * mm + most * STEP_SIZE * 1.3


def _steps(pdf: Canvas, steps: tuple[str, ...], x: float, y: float, width: float) -> float:
    """The four steps side by side, numbered in discs, read left to right like a service flow."""
    _section_title(pdf, "Cara mengajukan", x, y, width)
    y -= 7 * mm
    step_w = _step_width(width)
    lowest = y
    for number, step in enumerate(steps, start=1):
        sx = x + (number - 1) * (step_w + STEP_GAP)
        pdf.setFillColor(ACCENT)
        pdf.circle(sx + 2.6 * mm, y + 1.2 * mm, 2.6 * mm, stroke=0, fill=1)
        pdf.setFillColor(white)
        pdf.setFont(BOLD, 10)
        pdf.drawCentredString(sx + 2.6 * mm, y + 1.2 * mm - 3.5, str(number))
        pdf.setFillColor(INK)
        pdf.setFont(REGULAR, STEP_SIZE)
        line_y = y
        for line in wrap_text(step, REGULAR, STEP_SIZE, step_w - 7 * mm):
            pdf.drawString(sx + 7 * mm, line_y, line)
            line_y -= STEP_SIZE * 1.3
        lowest = min(lowest, line_y)
    return lowest


def _requirement_rows(items: tuple[str, ...], size: float, width: float) -> list[list[list[str]]]:
    """The documents in two columns (down the left, then down the right), each wrapped."""
    col_w = (width - 8 * mm) / 2 - 5 * mm
    wrapped = [wrap_text(item, REGULAR, size, col_w) for item in items]
    half = (len(wrapped) + 1) // 2
    left, right = wrapped[:half], wrapped[half:]
    return [[left[i], *([right[i]] if i < len(right) else [])] for i in range(half)]


def _requirements_height(items: tuple[str, ...], size: float, width: float) -> float:
    rows = _requirement_rows(items, size, width)
    return 7 * mm + sum(max(len(cell) for cell in row) * size * 1.25 + size * 0.3 for row in rows)


def _requirements(
    pdf: Canvas, items: tuple[str, ...], x: float, y: float, width: float, size: float, bottom: float
) -> None:
    """What to prepare, bulleted in two columns; stops above the fee band rather than run into it."""
    _section_title(pdf, "Siapkan dokumen", x, y, width)
    y -= 7 * mm
    col_step = (width - 8 * mm) / 2 + 8 * mm
    leading = size * 1.25
    rows = _requirement_rows(items, size, width)
    heights = [max(len(cell) for cell in row) * leading + size * 0.3 for row in rows]
    if y - sum(heights) + leading < bottom:  # only for lists far longer than any SOP has
        while rows and y - sum(heights) < bottom:
            rows, heights = rows[:-1], heights[:-1]  # room for one line saying so
        rows.append([["… dan dokumen lain: lihat daftar lengkap di formulir."]])
    for row in rows:
        for col, cell in enumerate(row):
            cx = x + col * col_step
            pdf.setFillColor(INK)
            pdf.circle(cx + 1.5 * mm, y + size * 0.33, 0.75 * mm, stroke=0, fill=1)
            pdf.setFont(REGULAR, size)
            for index, line in enumerate(cell):
                pdf.drawString(cx + 5 * mm, y - index * leading, line)
        y -= max(len(cell) for cell in row) * leading + size * 0.3


def _section_title(pdf: Canvas, title: str, x: float, y: float, width: float) -> None:
    pdf.setFillColor(ACCENT)
    pdf.setFont(BOLD, 12)
    pdf.drawString(x, y, title)
    pdf.setStrokeColor(ACCENT)
    pdf.setLineWidth(0.8)
    pdf.line(x, y - 1.8 * mm, x + width, y - 1.8 * mm)
