"""The machine a figure was measured on: cores, load average and the time, for docs/performance.md."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Machine:
    """Where and when a figure was taken: `nproc`, the 1/5/15-minute load averages, UTC time."""

    cores: int
    load: tuple[float, float, float]
    at: str
    python: str

    def line(self) -> str:
        """One line for the report, e.g. '2 cores, load 1.20 0.90 0.80, 2026-12-01 04:00 UTC'."""
        one, five, fifteen = self.load
        return f"{self.cores} cores, load {one:.2f} {five:.2f} {fifteen:.2f}, {self.at}, Python {self.python}"


def now() -> Machine:
    """The machine as it is at this moment."""
    return Machine(
        cores=os.cpu_count() or 1,
        load=os.getloadavg(),
        at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        python=platform.python_version(),
    )
