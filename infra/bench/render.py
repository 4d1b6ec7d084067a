"""Render time and memory of the printed documents: the AK/I card (with a 600x800 photo) and every
letter the offices' SOPs print, each rendered `count` times in this process.

Figures: p50 and p95 of one render in milliseconds, and RSS growth in MB per 1,000 renders
(resident set after the runs minus after three warm-up renders, from /proc/self/statm).
Targets (issue 16): card p95 at most 10 ms, letters p95 at most 15 ms, RSS growth under 5 MB per 1,000.

    python -m infra.bench.render [count]
"""

from __future__ import annotations

import importlib
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

CARD_P95_MS = 10.0
LETTER_P95_MS = 15.0
RSS_MB_PER_1000 = 5.0


@dataclass(frozen=True)
class RenderFigure:
    """One document's render figures: milliseconds per render and RSS growth per 1,000 renders."""

    name: str
    count: int
    p50_ms: float
    p95_ms: float
    cpu_p50_ms: float  # CPU time of this thread: less sensitive to other work on a loaded machine
    cpu_p95_ms: float
    rss_mb_per_1000: float  # over all the runs, scaled to 1,000
    steady_mb_per_1000: float  # over the second half of the runs only, scaled to 1,000
    target_p95_ms: float

    @property
    def meets(self) -> bool:
        """p95 within the target and no steady growth: memory the allocator keeps after the first
        renders (glibc's arenas: it plateaus, and malloc_trim gives most of it back) is no leak;
        a leak grows in the second half as in the first."""
        return self.p95_ms <= self.target_p95_ms and self.steady_mb_per_1000 < RSS_MB_PER_1000


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def measure(name: str, render: Callable[[], bytes], count: int, target: float) -> RenderFigure:
    """Time `count` renders of one document after three warm-up renders."""
    for _ in range(3):
        render()
    before = _rss_mb()
    times: list[float] = []
    cpu: list[float] = []
    halfway = before
    for i in range(count):
        if i == count // 2:
            halfway = _rss_mb()
        start, start_cpu = time.perf_counter(), time.thread_time()
        render()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    after = _rss_mb()
    grown, steady = after - before, after - halfway
    return RenderFigure(
        name,
        count,
        statistics.median(times),
        _p95(times),
        statistics.median(cpu),
        _p95(cpu),
        grown * 1000 / count,
        steady * 1000 / max(1, count - count // 2),
        target,
    )


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _photo() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "navy")
    ImageDraw.Draw(image).ellipse((150, 100, 450, 400), fill="tan")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def documents() -> list[tuple[str, Callable[[], bytes], float]]:
    """The card and every letter of tests/unit/test_letters.py's LETTERS, ready to render."""
    from chalicelib.documents.ak1_card import render_card

    # The tests' own sample card and letters (the tests are not type-checked, hence Any).
    test_ak1_card: Any = importlib.import_module("tests.unit.test_ak1_card")
    test_letters: Any = importlib.import_module("tests.unit.test_letters")

    card = replace(test_ak1_card.CARD, photo=_photo())
    found: list[tuple[str, Callable[[], bytes], float]] = [
        ("kartu AK/I (foto 600x800)", lambda: render_card(card), CARD_P95_MS)
    ]
    for office_id, service_id, key, number, _words in test_letters.LETTERS:
        office, sop, case = test_letters._case(office_id, service_id)
        signature = test_letters._signature(office, sop, key)

        def render(
            o: Any = office, s: Any = sop, c: Any = case, k: str = key, n: Any = number, g: Any = signature
        ) -> bytes:
            return bytes(test_letters.render(o, s, c, k, n, g))

        found.append((f"{office_id} {key}", render, LETTER_P95_MS))
    return found


def run(count: int, only: str = "") -> list[RenderFigure]:
    """Every document's figures (those whose name contains `only`), `count` renders each."""
    return [measure(name, render, count, target) for name, render, target in documents() if only in name]


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 300
    for f in run(count, argv[1] if len(argv) > 1 else ""):
        print(
            f"{f.name:52} p50 {f.p50_ms:6.1f} ms  p95 {f.p95_ms:6.1f} ms (target {f.target_p95_ms:g})"
            f"  CPU p50 {f.cpu_p50_ms:6.1f} p95 {f.cpu_p95_ms:6.1f}"
            f"  RSS {f.rss_mb_per_1000:+6.1f} MB/1000 (second half {f.steady_mb_per_1000:+6.1f})"
            f"  {'ok' if f.meets else 'GAP'}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
