"""`make load`'s figures as a table, printed and written to docs/load.md.

docs/performance.md is rewritten whole by `make bench` (infra/bench/report.py), so the load
figures live in a file of their own, which performance.md links to.

Units: times in milliseconds, throughput in requests per second over the run's wall time,
the drain in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from infra.load.watch import (
    MAX_IDLE_CPU_SHARE,
    MAX_IDLE_GROWTH_MB,
    MAX_MB_PER_CASE,
    MIN_CASES_JUDGED,
    Figures,
    Sample,
    timeline,
)

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "docs" / "load.md"
HEALTH = "GET /health"


@dataclass(frozen=True)
class Row:
    """One request type: `count` requests, `failures` of them (HTTP status >= 400 or no answer),
    response-time percentiles in ms."""

    name: str
    count: int
    failures: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


@dataclass
class Summary:
    """Everything the report says. `rows`: one per request type; `errors`: (request type,
    error text, occurrences); `drain_seconds`: from the last submission until every case was in
    its final state (None when the run ended first); `checks`: name -> the problems found (an
    empty list is a pass), e.g. cases without exactly one card."""

    command: str
    machine: str
    settings: dict[str, str]
    wall_seconds: float
    rows: list[Row]
    errors: list[tuple[str, str, int]] = field(default_factory=list)
    drain_seconds: float | None = None
    cases: dict[str, int] = field(default_factory=dict)  # "filed", "completed", ... -> count
    emails: dict[str, int] = field(default_factory=dict)  # kind -> count over the run's cases
    checks: dict[str, list[str]] = field(default_factory=dict)
    title: str = "Loket under load (`make load`)"
    watched: Figures | None = None  # the stack's memory and CPU (None: a reused stack)
    samples: list[Sample] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not any(self.checks.values())


MIN_FOR_RATIO = 30  # requests of a type (and of /health) below which a percentile is one request


def _ratio(value: float, reference: float | None, count: int = MIN_FOR_RATIO) -> str:
    return f"{value / reference:.1f}" if reference and count >= MIN_FOR_RATIO else "-"


def table(rows: list[Row], wall_seconds: float) -> list[str]:
    """The markdown table: one line per request type (sorted by name, /health last), with its
    throughput, percentiles, errors and the ratio of its p50 and p95 to /health's."""
    health = next((r for r in rows if r.name == HEALTH), None)
    enough = health is not None and health.count >= MIN_FOR_RATIO
    ref50 = health.p50_ms if health and enough else None
    ref95 = health.p95_ms if health and enough else None
    lines = [
        "| request type | requests | per s | p50 ms | p95 ms | p99 ms | errors "
        "| p50 / health | p95 / health |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    ordered = sorted((r for r in rows if r.name != HEALTH), key=lambda r: r.name) + (
        [health] if health else []
    )
    for r in ordered:
        rate = r.count / wall_seconds if wall_seconds > 0 else 0.0
        errors = f"{r.failures} ({100 * r.failures / r.count:.1f} %)" if r.count and r.failures else "0"
        lines.append(
            f"| {r.name} | {r.count} | {rate:.2f} | {r.p50_ms:.0f} | {r.p95_ms:.0f} | {r.p99_ms:.0f} | "
            f"{errors} | {_ratio(r.p50_ms, ref50, r.count)} | {_ratio(r.p95_ms, ref95, r.count)} |"
        )
    total = sum(r.count for r in rows)
    failed = sum(r.failures for r in rows)
    lines.append(
        f"| all | {total} | {total / wall_seconds if wall_seconds > 0 else 0:.2f} | | | | {failed} | | |"
    )
    return lines


def render(s: Summary) -> str:
    """The markdown of docs/load.md (also what `make load` prints)."""
    drain = f"{s.drain_seconds:.1f} s" if s.drain_seconds is not None else "not reached (the run ended first)"
    lines = [
        f"# {s.title}",
        "",
        f"Written by `{s.command.split()[0]} {s.command.split()[1]}` (`python -m infra.load`); do not "
        "edit by hand. The other measured",
        "figures are in [performance.md](performance.md) (`make bench`).",
        "",
        f"Command: `{s.command}`; machine: {s.machine}.",
        "",
        "Settings: " + ", ".join(f"{k}={v}" for k, v in s.settings.items()) + ".",
        "",
        "Job seekers sign up, open an AK-1 case of kab-pasuruan, save the form, upload KTP, ijazah",
        "and pas foto by presigned POST (moto's S3) and confirm each, wait for the worker's checks,",
        "submit and poll the status; officers of the two AK-1 roles approve from their inboxes on",
        "the staff pages (CSRF token, case page, decision); one probe asks `/health` twice a second.",
        "Everything runs on this machine: locust, `chalice local`, moto and the worker pumps share",
        "its cores, so the latencies are the local stack's, not Lambda's; the ratio to `/health` on",
        "the same server is the figure that carries over, given only where the request type and",
        f"`/health` each have at least {MIN_FOR_RATIO} requests (below that a percentile is one request).",
        "",
        f"Wall time: {s.wall_seconds:.0f} s. Drain (last submission until every case was in its final "
        f"state): {drain}.",
        "",
        *table(s.rows, s.wall_seconds),
        "",
        "Cases: " + ", ".join(f"{k} {v}" for k, v in s.cases.items()) + ".",
        "",
        "Emails to the run's job seekers, by kind: "
        + (", ".join(f"{k} {v}" for k, v in sorted(s.emails.items())) or "none")
        + ".",
        "",
        *resources(s),
        "Checks:",
        "",
    ]
    for name, problems in s.checks.items():
        shown = "; ".join(problems[:5]) + (f"; ... ({len(problems)} in all)" if len(problems) > 5 else "")
        lines.append(f"- {name}: {'ok' if not problems else 'FAILED: ' + shown}")
    if s.errors:
        lines += ["", "Errors (request type, error, occurrences):", ""]
        lines += [f"- {name}: {error} x{n}" for name, error, n in s.errors]
    lines.append("")
    return "\n".join(lines)


def resources(s: Summary) -> list[str]:
    """The section on the stack's processes (memory, CPU, under load and idle); nothing for a
    reused stack, whose processes this run did not start."""
    w = s.watched
    if w is None:
        return []

    def share(value: float | None) -> str:
        return f"{100 * value:.1f} % of a core" if value is not None else "not measured"

    if w.window is not None:
        start, end, first, last, grown = w.window
        window = f"judged from {start:.0f} to {end:.0f} s, cases {first} to {last}, {grown:+.1f} MB"
    else:
        window = "fewer than four samples under load"
    per_case = (
        f"{w.mb_per_case:.2f} MB per case ({window})"
        if w.mb_per_case is not None
        else f"not judged ({window}: at least {MIN_CASES_JUDGED} cases needed)"
    )
    idle = (
        f"{w.idle_seconds:.0f} s with no traffic: CPU {share(w.idle_cpu_share)}, memory "
        f"{w.idle_growth_mb:+.1f} MB"
        if w.idle_growth_mb is not None
        else "not watched (LOAD_IDLE_SECONDS=0)"
    )
    return [
        "The stack's processes (`infra.local.run` and `chalice local`; psutil, a sample every 10 s): "
        f"resident memory {w.first_mb:.0f} MB at the first sample, {w.end_of_load_mb:.0f} MB when the "
        f"load ended, peak {w.peak_mb:.0f} MB (the first minute of a new stack is its imports and "
        f"first requests); growth under load over the second half: {per_case} (at most "
        f"{MAX_MB_PER_CASE:g}: moto keeps every item, file, email and execution history); CPU under "
        f"load {share(w.load_cpu_share)}. Idle: {idle} (at most {100 * MAX_IDLE_CPU_SHARE:g} % and "
        f"{MAX_IDLE_GROWTH_MB:g} MB).",
        "",
        *timeline(s.samples),
        "",
    ]


def write(s: Summary, path: Path = REPORT) -> Path:
    path.write_text(render(s), encoding="utf-8")
    return path
