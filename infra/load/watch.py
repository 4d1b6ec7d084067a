"""What the local stack's processes use while `make load` runs and after it, with no traffic: the
soak of issue 16 (a stack that lasts a job-fair day keeps its memory flat and its idle CPU near
zero).

The stack `make load` starts is one process group (`infra.local.run`: moto, the worker pumps and
the site in one process, `chalice local` in a child). `StackWatch.sample` reads, with psutil, the
resident memory and the CPU time (user + system) of the group's root and every descendant
alive; `figures` turns the samples into what the report judges.

Units: seconds (`at`, since the watch began; `cpu_seconds`, since the processes started), MB
(10^6 bytes) of resident memory; a CPU share is CPU seconds per wall second (1.0 = one core).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import psutil

LOAD, IDLE = "load", "idle"

# What the soak's checks allow (issue 16: "memory flat and idle CPU near zero").
MAX_IDLE_CPU_SHARE = 0.05  # of one core, with no traffic at all
MAX_IDLE_GROWTH_MB = 5.0  # resident memory gained while nothing happens
MAX_MB_PER_CASE = 2.0  # what a case may add (moto keeps its items, files, mail and history)
MIN_CASES_JUDGED = 20  # fewer cases in the judged window: memory jitter of a few MB would decide


@dataclass(frozen=True)
class Sample:
    at: float
    rss_mb: float
    cpu_seconds: float
    phase: str  # LOAD or IDLE
    cases: int  # cases submitted so far


class StackWatch:
    """Samples of one process tree (its root `pid` and the descendants alive at each sample)."""

    def __init__(self, pid: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.root = psutil.Process(pid)
        self.clock = clock
        self.began = clock()
        self.samples: list[Sample] = []
        self._gone_cpu = 0.0  # CPU time of descendants that ended (a child's time is lost with it)
        self._last: dict[int, float] = {}

    def sample(self, phase: str, cases: int) -> Sample | None:
        """Read the tree now; None (and nothing kept) once its root has ended."""
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return None
        rss = 0
        seen: dict[int, float] = {}
        for process in processes:
            try:
                with process.oneshot():
                    rss += process.memory_info().rss
                    times = process.cpu_times()
                    seen[process.pid] = times.user + times.system
            except psutil.NoSuchProcess:
                continue
        self._gone_cpu += sum(cpu for pid, cpu in self._last.items() if pid not in seen)
        self._last = seen
        taken = Sample(
            self.clock() - self.began, rss / 1e6, self._gone_cpu + sum(seen.values()), phase, cases
        )
        self.samples.append(taken)
        return taken


@dataclass(frozen=True)
class Figures:
    """`first_mb`/`peak_mb`/`end_of_load_mb`: resident memory at the first sample, its peak, at
    the last sample under load; `mb_per_case`: growth over the second half of the load samples
    (`window`) per case submitted meanwhile, None (not judged) with fewer than four load samples
    or MIN_CASES_JUDGED cases in that half;
    `load_cpu_share`: CPU share under load;
    `idle_seconds`, `idle_cpu_share`, `idle_growth_mb`: the same with no traffic (None without
    two idle samples)."""

    samples: int
    first_mb: float
    peak_mb: float
    end_of_load_mb: float
    mb_per_case: float | None
    window: tuple[float, float, int, int, float] | None  # judged: from s, to s, cases from, to, MB
    load_cpu_share: float | None
    idle_seconds: float
    idle_cpu_share: float | None
    idle_growth_mb: float | None

    def problems(self) -> list[str]:
        """What the soak's checks find wrong (an empty list passes)."""
        found = []
        if self.idle_cpu_share is not None and self.idle_cpu_share > MAX_IDLE_CPU_SHARE:
            found.append(
                f"idle CPU {100 * self.idle_cpu_share:.1f} % of a core "
                f"(at most {100 * MAX_IDLE_CPU_SHARE:g} %)"
            )
        if self.idle_growth_mb is not None and self.idle_growth_mb > MAX_IDLE_GROWTH_MB:
            found.append(
                f"memory grew {self.idle_growth_mb:.1f} MB with no traffic (at most {MAX_IDLE_GROWTH_MB:g})"
            )
        if self.mb_per_case is not None and self.mb_per_case > MAX_MB_PER_CASE:
            found.append(f"memory grew {self.mb_per_case:.2f} MB per case (at most {MAX_MB_PER_CASE:g})")
        return found


def _share(samples: Sequence[Sample]) -> float | None:
    if len(samples) < 2 or samples[-1].at <= samples[0].at:
        return None
    return (samples[-1].cpu_seconds - samples[0].cpu_seconds) / (samples[-1].at - samples[0].at)


def figures(samples: Sequence[Sample]) -> Figures | None:
    """The soak's figures from `samples` in the order taken; None without a sample."""
    if not samples:
        return None
    load = [s for s in samples if s.phase == LOAD]
    idle = [s for s in samples if s.phase == IDLE]
    # Memory per case over the load's second half: the first minute of a new stack imports and
    # loads what its first requests need (hundreds of MB), which is no growth per case.
    later = load[len(load) // 2 :] if len(load) >= 4 else []
    added = later[-1].cases - later[0].cases if len(later) >= 2 else 0
    window = (
        (later[0].at, later[-1].at, later[0].cases, later[-1].cases, later[-1].rss_mb - later[0].rss_mb)
        if len(later) >= 2
        else None
    )
    judged = added >= MIN_CASES_JUDGED
    return Figures(
        samples=len(samples),
        first_mb=samples[0].rss_mb,
        peak_mb=max(s.rss_mb for s in samples),
        end_of_load_mb=(load or samples)[-1].rss_mb,
        mb_per_case=(later[-1].rss_mb - later[0].rss_mb) / added if judged else None,
        window=window,
        load_cpu_share=_share(load),
        idle_seconds=idle[-1].at - idle[0].at if len(idle) >= 2 else 0.0,
        idle_cpu_share=_share(idle),
        idle_growth_mb=idle[-1].rss_mb - idle[0].rss_mb if len(idle) >= 2 else None,
    )


def timeline(samples: Sequence[Sample], rows: int = 13) -> list[str]:
    """A markdown table of about `rows` samples spread over the run (the first and last kept)."""
    if not samples:
        return []
    step = max(1, (len(samples) - 1) // max(1, rows - 1))
    chosen = list(samples[::step])
    if chosen[-1] is not samples[-1]:
        chosen.append(samples[-1])
    lines = ["| s | phase | cases | RSS MB | CPU s |", "| ---: | --- | ---: | ---: | ---: |"]
    lines += [
        f"| {s.at:.0f} | {s.phase} | {s.cases} | {s.rss_mb:.0f} | {s.cpu_seconds:.1f} |" for s in chosen
    ]
    return lines
