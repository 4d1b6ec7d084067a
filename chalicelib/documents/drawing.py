"""Drawing helpers shared by the printed documents (the AK/I card, the ID CPMI card, the poster).

Text is wrapped or shrunk into its box, never lost off an edge; QR codes sit on a white quiet zone
so phones read them on any background; the two cards share one A4 sheet layout: front above back,
a dashed cut outline round both, a fold line between them, and the printing hint above.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import segno
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from chalicelib.documents.fonts import BOLD as BOLD  # the faces, named here for the drawings
from chalicelib.documents.fonts import ITALIC as ITALIC
from chalicelib.documents.fonts import REGULAR

INK = HexColor("#1b1b1b")
GREY = HexColor("#555555")
ELLIPSIS = "…"
PRINT_HINT = (
    "Cetak pada kertas A4 dengan skala 100%, gunting pada garis putus-putus, lalu lipat pada garis tengah."
)


@dataclass(frozen=True)
class FoldSheet:
    """Where the two halves of a fold-over card sit on its A4 page (points)."""

    x: float  # left edge of both halves
    top: float  # top edge of the front
    fold: float  # the fold line: bottom of the front, top of the back
    bottom: float  # bottom edge of the back
    card_w: float
    card_h: float
    page_w: float
    page_h: float


def fold_sheet(pdf: Canvas, card_w: float, card_h: float, fill: Color, top: float, hint: float) -> FoldSheet:
    """The printing hint `hint` below the page top and both halves, filled, from `top` below it."""
    page_w, page_h = A4
    x = (page_w - card_w) / 2
    front_top = page_h - top
    sheet = FoldSheet(
        x, front_top, front_top - card_h, front_top - 2 * card_h, card_w, card_h, page_w, page_h
    )
    pdf.setFillColor(GREY)
    pdf.setFont(REGULAR, 7.5)
    pdf.drawCentredString(page_w / 2, page_h - hint, PRINT_HINT)
    for y in (sheet.fold, sheet.bottom):
        pdf.setFillColor(fill)
        pdf.rect(x, y, card_w, card_h, stroke=0, fill=1)
    return sheet


def cut_marks(pdf: Canvas, sheet: FoldSheet) -> None:
    """Dashed cut outline round both halves, a dash-dot fold line between them, and their labels."""
    x = sheet.x
    pdf.saveState()
    pdf.setStrokeColor(GREY)
    pdf.setLineWidth(0.4)
    pdf.setDash(3, 2)
    pdf.rect(x, sheet.bottom, sheet.card_w, sheet.top - sheet.bottom, stroke=1, fill=0)
    pdf.setDash([4, 1.5, 0.8, 1.5])
    pdf.line(x - 6 * mm, sheet.fold, x + sheet.card_w + 6 * mm, sheet.fold)
    pdf.setFillColor(GREY)
    pdf.setFont(REGULAR, 6.5)
    pdf.drawString(x, sheet.top + 1.2 * mm, "garis gunting")
    pdf.drawString(x + sheet.card_w + 1 * mm, sheet.fold + 1 * mm, "lipat")
    pdf.restoreState()


def sheet_footer(pdf: Canvas, sheet: FoldSheet, text: str) -> None:
    """One grey line under the card."""
    pdf.setFillColor(GREY)
    pdf.setFont(REGULAR, 7)
    pdf.drawCentredString(sheet.page_w / 2, sheet.bottom - 8 * mm, text)


def card_border(pdf: Canvas, x: float, y: float, w: float, h: float, double: bool) -> None:
    """A printed border just inside the cut line, so a slightly crooked cut still looks neat."""
    inset = 2.5 * mm
    pdf.setStrokeColor(INK)
    pdf.setLineWidth(0.9)
    pdf.rect(x + inset, y + inset, w - 2 * inset, h - 2 * inset, stroke=1, fill=0)
    if double:
        pdf.setLineWidth(0.3)
        inset += 0.8 * mm
        pdf.rect(x + inset, y + inset, w - 2 * inset, h - 2 * inset, stroke=1, fill=0)


def double_rule(pdf: Canvas, x1: float, x2: float, y: float) -> None:
    """The thick-thin rule under an Indonesian government letterhead."""
    pdf.setStrokeColor(INK)
    pdf.setLineWidth(1.2)
    pdf.line(x1, y, x2, y)
    pdf.setLineWidth(0.4)
    pdf.line(x1, y - 0.8 * mm, x2, y - 0.8 * mm)


QUIET_ZONE = 4  # modules of white round a QR code (ISO/IEC 18004's quiet zone)
_DARK_RUN = re.compile(rb"\x01+")  # a run of dark modules in a row of segno's matrix (bytes 0/1)


def qr_runs(value: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The QR code of `value` (error correction level M, segno, its data mask chosen by segno's
    ISO/IEC 18004 penalty) as its width in modules and its dark modules merged into horizontal
    runs: (column, row counted from the bottom, length)."""
    matrix = segno.make(value, error="m", boost_error=False, micro=False).matrix
    width = len(matrix)
    runs: list[tuple[int, int, int]] = []
    for r, row in enumerate(matrix):
        y = width - 1 - r
        runs.extend((dark.start(), y, dark.end() - dark.start()) for dark in _DARK_RUN.finditer(row))
    return width, runs


def draw_qr(pdf: Canvas, value: str, x: float, y: float, size: float, fill: Color = white) -> None:
    """A QR code of `value` filling the square of `size` points at (x, y), its quiet zone of four
    modules included, on white whatever the background, so phones read it.

    The dark modules are one filled path of rectangles (one per horizontal run), drawn in module
    units under a scaling transform: a few hundred path operators instead of one validated
    reportlab shape per module (issue 16: the card's QR code took 19 of its 31 ms)."""
    pdf.setFillColor(fill)
    pdf.rect(x, y, size, size, stroke=0, fill=1)
    width, runs = qr_runs(value)
    module = size / (width + 2 * QUIET_ZONE)
    pdf.saveState()
    pdf.translate(x + QUIET_ZONE * module, y + QUIET_ZONE * module)
    pdf.scale(module, module)
    pdf.setFillColor(INK)
    path = pdf.beginPath()
    for c, r, length in runs:
        path.rect(c, r, length, 1)
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.restoreState()


def fit_string(
    pdf: Canvas,
    text: str,
    font: str,
    size: float,
    x: float,
    y: float,
    width: float,
    align: str = "left",
    min_size: float = 5.5,
) -> float:
    """Draw one line, shrinking it (then cutting it with an ellipsis) to fit; returns the size used."""
    while stringWidth(text, font, size) > width and size > min_size:
        size -= 0.25
    shown = truncate(text, font, size, width)
    pdf.setFont(font, size)
    if align == "centre":
        pdf.drawCentredString(x, y, shown)
    elif align == "right":
        pdf.drawRightString(x, y, shown)
    else:
        pdf.drawString(x, y, shown)
    return size


def truncate(text: str, font: str, size: float, width: float) -> str:
    """The text, or as much of it as fits followed by an ellipsis."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text.rstrip() + ELLIPSIS, font, size) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def wrap_text(text: str, font: str, size: float, width: float, max_lines: int | None = None) -> list[str]:
    """Words into lines no wider than `width`; an over-long word is split; past `max_lines`, '…'."""
    lines: list[str] = []
    current = ""
    for word in " ".join(text.split()).split(" "):
        candidate = f"{current} {word}".strip()
        if stringWidth(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while stringWidth(word, font, size) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and stringWidth(word[:cut], font, size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    lines.append(current)
    if max_lines is not None and len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], truncate(rest, font, size, width)]
    return lines


def fit_lines(
    text: str, font: str, start: float, minimum: float, width: float, max_lines: int
) -> tuple[float, list[str]]:
    """The largest size from `start` down to `minimum` (by 0.25 points) at which `text` wraps into
    at most `max_lines` lines of `width`, and those lines; at `minimum` the excess is cut with '…'."""
    size = start
    while size > minimum and len(wrap_text(text, font, size, width)) > max_lines:
        size = max(minimum, size - 0.25)
    return size, wrap_text(text, font, size, width, max_lines)


@dataclass(frozen=True)
class Shrink:
    """How far a block of labelled rows may shrink: from `start` by `step` down to `minimum`."""

    start: float
    minimum: float
    step: float
    leading: float  # line height as a multiple of the font size


@dataclass(frozen=True)
class Laid:
    """A block of labelled rows as `fit_rows` laid it out."""

    size: float  # font size, points
    leading: float  # line height, points
    rows: list[tuple[str, list[str]]]  # each row's label and its value's lines
    fits: bool  # every value whole within its line budget and the room; False: cut with '…'


def fit_rows(
    rows: list[tuple[str, str]],
    font_for: Callable[[str], str],
    width: float | Callable[[float], float],
    room: float,
    max_lines: dict[str, int] | None,
    shrink: Shrink,
    first_line_free: bool = False,
) -> Laid:
    """Wrap each row's value into `width` (points, or a function of the font size when the label
    column narrows with the type), shrinking the type until every row keeps its whole text within
    its line budget (`max_lines`, 1 by default; None: no budget, only the room counts) and all
    lines fit in `room` (the first line not counted when `room` is measured from its baseline).
    At the smallest size the excess is cut with an ellipsis and `fits` is False."""
    size = shrink.start
    while True:
        leading = size * shrink.leading
        value_width = width(size) if callable(width) else width
        laid = [(label, wrap_text(value, font_for(label), size, value_width)) for label, value in rows]
        lines = sum(len(wrapped) for _, wrapped in laid) - (1 if first_line_free else 0)
        within = max_lines is None or all(len(wrapped) <= max_lines.get(label, 1) for label, wrapped in laid)
        if within and lines * leading <= room + 0.01:
            return Laid(size, leading, laid, True)
        if size <= shrink.minimum:
            budget = max_lines or {}
            if max_lines is None:  # share the room: cut the longest values first
                budget = _share_lines(laid, int((room + 0.01) // leading) + (1 if first_line_free else 0))
            cut = [
                (label, wrap_text(value, font_for(label), size, value_width, budget.get(label, 1)))
                for label, value in rows
            ]
            return Laid(size, leading, cut, False)
        size = max(shrink.minimum, size - shrink.step)


def _share_lines(laid: list[tuple[str, list[str]]], lines: int) -> dict[str, int]:
    """Line budgets within `lines` in all: every row one line, then one more at a time to the row
    that still needs the most."""
    budget = {label: 1 for label, _ in laid}
    needed = {label: len(wrapped) for label, wrapped in laid}
    spare = lines - len(laid)
    while spare > 0:
        label = max(needed, key=lambda k: needed[k] - budget[k])
        if needed[label] <= budget[label]:
            break
        budget[label] += 1
        spare -= 1
    return budget
