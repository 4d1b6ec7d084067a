"""The evaluation as an A4 PDF for the office's performance meeting (Evaluasi Kinerja), drawn in
the worker with reportlab (platypus for the flow, reportlab.graphics for the charts). The same
figures and words as the HTML page and the CSV (services/evaluation_export.py).

Page 1: the office's volume, the daily chart, the time per step against the standard; then each
service, returns by reason and the officers' SKP table.
"""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Line
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from chalicelib.documents import fonts
from chalicelib.domain.lama import lama, percent
from chalicelib.domain.tanggal import tanggal
from chalicelib.services.evaluation import COMPLAINTS, Figures, Report, Times
from chalicelib.services.evaluation_export import Names

BLUE = colors.HexColor("#1f6feb")
LIGHT = colors.HexColor("#a5c8ff")
GREEN = colors.HexColor("#2f9e44")
ORANGE = colors.HexColor("#e67700")
RED = colors.HexColor("#c92a2a")
WIDTH = A4[0] - 30 * mm


def _styles() -> dict[str, ParagraphStyle]:
    fonts.register()
    return {
        "title": ParagraphStyle("title", fontName=fonts.BOLD, fontSize=15, leading=19, spaceAfter=2),
        # A heading and the line under it go to the next page with what follows, never alone.
        "h2": ParagraphStyle(
            "h2", fontName=fonts.BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4, keepWithNext=1
        ),
        "lead": ParagraphStyle("lead", fontName=fonts.REGULAR, fontSize=9, leading=12, keepWithNext=1),
        "body": ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=9, leading=12),
        "small": ParagraphStyle(
            "small", fontName=fonts.REGULAR, fontSize=7.5, leading=10, textColor=colors.grey
        ),
    }


def _table(rows: list[list[str]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8),
                ("FONT", (0, 0), (-1, 0), fonts.BOLD, 8),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _daily(report: Report) -> Flowable:
    if not any(any(d[1:]) for d in report.days):
        return Paragraph("Belum ada berkas pada periode ini.", _styles()["body"])
    drawing = Drawing(WIDTH, 150)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 30, WIDTH - 40, 105
    days = report.days or [(report.first.isoformat(), 0, 0, 0)]
    chart.data = [[d[1] for d in days], [d[2] for d in days], [d[3] for d in days]]
    chart.categoryAxis.categoryNames = [d[0][8:10] for d in days]
    chart.categoryAxis.labels.fontName = fonts.REGULAR
    chart.categoryAxis.labels.fontSize = 6
    chart.valueAxis.labels.fontName = fonts.REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(1, *(max(d[1:]) for d in days))
    chart.valueAxis.valueStep = max(1, round(chart.valueAxis.valueMax / 5))
    chart.groupSpacing = 2
    chart.barSpacing = 0
    for i, colour in enumerate((BLUE, GREEN, ORANGE)):
        chart.bars[i].fillColor = colour
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 30, 10
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName = fonts.REGULAR
    legend.fontSize = 7
    legend.colorNamePairs = [(BLUE, "masuk"), (GREEN, "selesai"), (ORANGE, "dikembalikan")]
    legend.deltax = 70
    drawing.add(legend)
    return drawing


def _times_chart(rows: list[tuple[str, Times]]) -> Drawing:
    """Median and p90 per row (minutes) as horizontal bars, the standard as a red mark."""
    rows = [r for r in rows if r[1].median is not None]
    height = 26 + 22 * max(1, len(rows))
    drawing = Drawing(WIDTH, height)
    if not rows:
        return drawing
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 95, 18, WIDTH - 110, height - 24
    minutes = [[(t.p90 or 0) / 60 for _, t in rows], [(t.median or 0) / 60 for _, t in rows]]
    top = max([*minutes[0], *((t.standard or 0) / 60 for _, t in rows), 1.0])
    chart.data = minutes
    chart.categoryAxis.categoryNames = [label for label, _ in rows]
    chart.categoryAxis.reverseDirection = True
    chart.categoryAxis.labels.fontName = fonts.REGULAR
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top * 1.08
    chart.valueAxis.labels.fontName = fonts.REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = LIGHT
    chart.bars[1].fillColor = BLUE
    chart.bars.strokeColor = None
    drawing.add(chart)
    band = chart.height / len(rows)
    for i, (_, t) in enumerate(rows):
        if t.standard:
            x = chart.x + chart.width * (t.standard / 60) / (top * 1.08)
            y = chart.y + chart.height - (i + 1) * band
            drawing.add(Line(x, y + 2, x, y + band - 2, strokeColor=RED, strokeWidth=1.5))
    return drawing


def _parts(f: Figures, n: Names, report: Report) -> list[tuple[str, Times]]:
    """The rows of a section after "Seluruh berkas": a service's steps, or for the office each
    service's whole case (step numbers mean different steps in each SOP)."""
    if f.service == "*":
        return [(n.service(s), t) for s, t in report.case_times().items()]
    return [(n.step(f.service, s), t) for s, t in f.steps.items()]


def _times_rows(f: Figures, n: Names, report: Report) -> list[list[str]]:
    rows = [["Bagian", "Jumlah", "Median", "P90", "Waktu baku", "Tepat waktu"]]
    parts = [("Seluruh berkas", f.case), *_parts(f, n, report)]
    for label, t in parts:
        rows.append([label[:48], str(t.n), lama(t.median), lama(t.p90), lama(t.standard), percent(t.on_time)])
    return rows


def _section(f: Figures, n: Names, s: dict[str, ParagraphStyle], report: Report) -> list[Flowable]:
    out: list[Flowable] = [Paragraph(n.service(f.service), s["h2"])]
    volume = (
        f"Masuk {f.intake} · dijawab {f.completed} · ditutup tanpa jawaban {f.rejected} · "
        f"lewat SP4N-LAPOR! {f.lapor}"
        if f.service == COMPLAINTS
        else f"Masuk {f.intake} · selesai {f.completed} · dikembalikan {f.returned} · "
        f"ditolak {f.rejected} · kedaluwarsa {f.expired}"
    )
    out.append(Paragraph(volume, s["lead"]))
    # Steps only: a whole case's day or more beside steps of minutes would flatten every step's
    # bar to nothing; the whole case is the table's first row.
    if f.service != "*":  # the office's services differ a thousandfold (minutes to days): a table
        out += [
            _times_chart([(f"Langkah {int(st)}", t) for st, t in f.steps.items()]),
            Paragraph(
                "Batang biru tua: median; biru muda: persentil ke-90 (menit); garis merah: waktu baku.",
                s["small"],
            ),
        ]
    out += [
        Spacer(1, 3),
        _table(
            _times_rows(f, n, report),
            [WIDTH * 0.38, WIDTH * 0.1, WIDTH * 0.13, WIDTH * 0.13, WIDTH * 0.13, WIDTH * 0.13],
        ),
    ]
    if f.reasons:
        out += [
            Spacer(1, 4),
            _table(
                [["Alasan pengembalian", "Jumlah"]]
                + [[n.reason(k)[:70], str(v)] for k, v in f.reasons.items()],
                [WIDTH * 0.8, WIDTH * 0.2],
            ),
        ]
    if f.officers:
        rows = [["Petugas (SKP)", "Berkas diputus", "Rata-rata", "Tepat waktu"]]
        rows += [[o.who, str(o.decided), lama(o.mean), percent(o.on_time)] for o in f.officers]
        out += [Spacer(1, 4), _table(rows, [WIDTH * 0.4, WIDTH * 0.2, WIDTH * 0.2, WIDTH * 0.2])]
    return out


def render(report: Report, n: Names, office_title: str, drawn_at: datetime) -> bytes:
    """The evaluation PDF's bytes (A4, portrait)."""
    s = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=f"Evaluasi Kinerja {office_title}",
        author="Loket",
    )
    o = report.office
    story: list[Flowable] = [
        Paragraph("Evaluasi Kinerja Pelayanan", s["title"]),
        Paragraph(office_title, s["h2"]),
        Paragraph(
            f"Periode {tanggal(report.first.isoformat())} s.d. {tanggal(report.last.isoformat())} · "
            f"dibuat {drawn_at.strftime('%d-%m-%Y %H.%M')} WIB",
            s["small"],
        ),
        Spacer(1, 6),
        _table(
            [
                ["Masuk", "Selesai", "Dikembalikan", "Ditolak", "Kedaluwarsa", "Selesai tepat waktu"],
                [
                    str(o.intake),
                    str(o.completed),
                    str(o.returned),
                    str(o.rejected),
                    str(o.expired),
                    percent(o.case.on_time),
                ],
            ],
            [WIDTH / 6] * 6,
        ),
        Paragraph(
            f"Pengaduan, saran dan masukan (tidak dihitung sebagai berkas layanan): masuk "
            f"{report.complaints.intake} · dijawab {report.complaints.completed} · lewat SP4N-LAPOR! "
            f"{report.complaints.lapor}",
            s["small"],
        ),
        Paragraph("Berkas per hari", s["h2"]),
        _daily(report),
        *_section(o, n, s, report),
    ]
    for figures in report.services.values():
        story += _section(figures, n, s, report)
    story += [
        Spacer(1, 8),
        Paragraph(
            "Median dan persentil ke-90 diperkirakan dari kelompok waktu (selisih paling banyak 25 %); "
            "jumlah dan rata-rata tepat. Sumber: jejak audit setiap berkas, dijumlahkan per hari.",
            s["small"],
        ),
    ]
    doc.build(story)
    return out.getvalue()
