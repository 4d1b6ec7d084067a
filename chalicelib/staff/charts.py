"""Small charts drawn on the server as SVG (no script, no style attribute: the staff pages' CSP),
and durations written as people read them.

`daily_bars` draws intake, completions and returns per day; `time_bars` a step's median and
90th percentile against its standard. Both scale to their container (viewBox, width 100 %),
so they fit a 360 px phone and a desktop alike. Text is escaped; colours are the stylesheet's
classes (`.c-in`, `.c-done`, `.c-ret`, `.c-med`, `.c-p90`, `.c-std`).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from chalicelib.domain.lama import lama


def _drawn(html: str) -> Markup:
    """Markup drawn here: numbers and class names of this module, every text through `escape`."""
    return Markup(html)  # noqa: S704 - the only text in it was escaped above


def daily_bars(days: Sequence[tuple[str, int, int, int]], title: str) -> Markup:
    """Grouped bars per day: intake, completed, returned (`days` as evaluation.Report.days)."""
    width, height, pad = 640, 180, 24
    if not any(any(d[1:]) for d in days):  # none, or only quiet days
        return _drawn(f'<p class="muted">{escape(title)}: belum ada data.</p>')
    top = max(1, *(max(d[1:]) for d in days))
    slot = (width - pad) / len(days)
    bar = max(1.0, slot / 4)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height + 20}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="12" class="axis">{top}</text>',
        f'<line x1="{pad}" y1="{height}" x2="{width}" y2="{height}" class="base"/>',
    ]
    for i, (day, *values) in enumerate(days):
        x0 = pad + i * slot + bar / 2
        for j, (value, cls) in enumerate(zip(values, ("c-in", "c-done", "c-ret"), strict=True)):
            h = (height - 16) * value / top
            parts.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{height - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'class="{cls}"><title>{escape(day)}: {value}</title></rect>'
            )
        if len(days) <= 16 or i % max(1, len(days) // 8) == 0:
            parts.append(f'<text x="{x0:.1f}" y="{height + 14}" class="axis">{escape(day[8:10])}</text>')
    parts.append("</svg>")
    return _drawn("".join(parts))


def time_bars(rows: Sequence[tuple[str, float | None, float | None, float | None]], title: str) -> Markup:
    """Per row (label, median, p90, standard; seconds): two bars and the standard as a mark."""
    rows = [r for r in rows if r[1] is not None]
    if not rows:
        return _drawn(f'<p class="muted">{escape(title)}: belum ada data.</p>')
    width, row_h, label_w = 640, 34, 150
    top = max(max(r[2] or 0, r[3] or 0, r[1] or 0) for r in rows) or 1
    scale = (width - label_w - 10) / top
    height = row_h * len(rows) + 4
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, median, p90, standard) in enumerate(rows):
        y = i * row_h + 2
        parts.append(f'<text x="0" y="{y + 18}" class="label">{escape(label)}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{(p90 or 0) * scale:.1f}" height="12" class="c-p90">'
            f"<title>p90 {escape(lama(p90))}</title></rect>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 16}" width="{(median or 0) * scale:.1f}" height="12" class="c-med">'
            f"<title>median {escape(lama(median))}</title></rect>"
        )
        if standard:
            x = label_w + standard * scale
            parts.append(
                f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 30}" class="c-std">'
                f"<title>waktu baku {escape(lama(standard))}</title></line>"
            )
    parts.append("</svg>")
    return _drawn("".join(parts))
