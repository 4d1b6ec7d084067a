"""The monthly evaluation (Evaluasi Kinerja) of an office, for any date range: per service and for
the whole office, read only from the running aggregates (services/tallies.py), one query.

Figures: volume (intake, completed, returned, rejected, expired), the median and 90th percentile
of each step's time and of the whole case against the standard (estimated from the histograms:
domain/durations.py says how exact), the on-time share, returns by reason, and per officer
(their SKP view: files decided, mean time per decision, on-time share). Seconds throughout.

Complaints (pengaduan, saran dan masukan: cases of each office's `pengaduan` SOP) are counted on
their own (`Report.complaints`: filed, answered, closed, answer times, how many came through
SP4N-LAPOR!), never in the office's intake of services or its daily chart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from chalicelib.adapters import tallies
from chalicelib.domain import durations
from chalicelib.domain.clock import office_today
from chalicelib.errors import InvalidInput

MAX_DAYS = 366
COMPLAINTS = "pengaduan"
"""The complaint SOP's service id in every office (services/complaints.py `SERVICE`)."""


@dataclass(frozen=True)
class Times:
    """Durations of one step or of the whole case: `n` counted, `mean`, `median`, `p90`
    (estimated), `standard` (their mean standard), `on_time` (share 0-1), seconds; None when
    nothing was counted."""

    n: int
    mean: float | None
    median: float | None
    p90: float | None
    standard: float | None
    on_time: float | None


@dataclass(frozen=True)
class Officer:
    """One officer's decisions in the period (SKP): `decided`, `mean` seconds, `on_time` share."""

    who: str
    decided: int
    mean: float | None
    on_time: float | None


@dataclass
class Figures:
    """The figures of one service, or of the office (`service` "*")."""

    service: str
    intake: int = 0
    completed: int = 0
    returned: int = 0
    rejected: int = 0
    expired: int = 0
    lapor: int = 0  # complaints only: filed through SP4N-LAPOR! (a ticket number recorded)
    reasons: dict[str, int] = field(default_factory=dict)
    case: Times = Times(0, None, None, None, None, None)
    steps: dict[str, Times] = field(default_factory=dict)
    officers: list[Officer] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    """An office's evaluation from `first` to `last` (both included): `office` (all services
    together, complaints left out), `services` (per service, by id; the complaint SOP last),
    `days` (intake/completed/returned per day of the services, for the chart)."""

    office_id: str
    first: date
    last: date
    office: Figures
    services: dict[str, Figures]
    days: list[tuple[str, int, int, int]]

    def case_times(self) -> dict[str, Times]:
        """The whole-case times of each service (complaints left out), by service id: what the
        office's own section shows, since step numbers mean different steps in each SOP."""
        return {s: f.case for s, f in self.services.items() if s != COMPLAINTS}

    @property
    def complaints(self) -> Figures:
        """The complaints of the period: `intake` filed, `completed` answered, `rejected` closed
        without an answer, `lapor` through SP4N-LAPOR!, `case` the answer times."""
        return self.services.get(COMPLAINTS) or Figures(service=COMPLAINTS)


def period(first: str, last: str) -> tuple[date, date]:
    """The dates of a period typed as YYYY-MM-DD; raises InvalidInput for an unreadable date, an
    end before the start or more than MAX_DAYS days."""
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise InvalidInput("Tanggal harus berbentuk TTTT-BB-HH.") from None
    if end < start:
        raise InvalidInput("Tanggal akhir tidak boleh sebelum tanggal awal.")
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput(f"Periode paling panjang {MAX_DAYS} hari.")
    return start, end


def month(year: int, month_number: int) -> tuple[date, date]:
    """The first and last day of a calendar month."""
    start = date(year, month_number, 1)
    following = date(year + month_number // 12, month_number % 12 + 1, 1)
    return start, date.fromordinal(following.toordinal() - 1)


def _times(counters: Mapping[str, float], prefix: str) -> Times:
    n = int(counters.get(f"{prefix}|n", 0))
    if n <= 0:
        return Times(0, None, None, None, None, None)
    hist = {
        int(name.rsplit("|", 1)[1]): int(v) for name, v in counters.items() if name.startswith(f"{prefix}|h|")
    }
    standard = counters.get(f"{prefix}|std", 0.0) / n
    return Times(
        n=n,
        mean=counters.get(f"{prefix}|s", 0.0) / n,
        median=durations.quantile(hist, 0.5),
        p90=durations.quantile(hist, 0.9),
        standard=standard or None,
        on_time=counters.get(f"{prefix}|ok", 0.0) / n,
    )


def figures(service: str, counters: Mapping[str, float]) -> Figures:
    """The figures of summed counters (tallies' names) of one service or of the office."""
    got = Figures(
        service=service,
        intake=int(counters.get("case|in", 0)),
        completed=int(counters.get("case|done", 0)),
        returned=int(counters.get("case|ret", 0)),
        rejected=int(counters.get("case|rej", 0)),
        expired=int(counters.get("case|exp", 0)),
        lapor=int(counters.get("cp|lapor", 0)),
    )
    steps: set[str] = set()
    officers: set[str] = set()
    for name, value in counters.items():
        parts = name.split("|")
        if parts[0] == "ret" and len(parts) == 2:
            got.reasons[parts[1]] = int(value)
        elif parts[0] == "st" and len(parts) >= 3:
            steps.add(parts[1])
        elif parts[0] == "of" and len(parts) == 3:
            officers.add(parts[1])
    got.reasons = dict(sorted(got.reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    got.case = _times(counters, "case")
    got.steps = {s: _times(counters, f"st|{s}") for s in sorted(steps)}
    for who in sorted(officers):
        n = int(counters.get(f"of|{who}|n", 0))
        got.officers.append(
            Officer(
                who=who,
                decided=n,
                mean=counters.get(f"of|{who}|s", 0.0) / n if n else None,
                on_time=counters.get(f"of|{who}|ok", 0.0) / n if n else None,
            )
        )
    return got


def _sum(into: dict[str, float], counters: Mapping[str, float]) -> None:
    for name, value in counters.items():
        into[name] = into.get(name, 0.0) + value


def from_days(office_id: str, first: date, last: date, items: Iterable[Mapping[str, object]]) -> Report:
    """The report of DayTally items as `adapters.tallies.days` reads them."""
    per_service: dict[str, dict[str, float]] = {}
    whole: dict[str, float] = {}
    per_day: dict[str, list[int]] = {}
    for item in items:
        counters = item["counters"]
        assert isinstance(counters, dict)
        service = str(item["service"])
        _sum(per_service.setdefault(service, {}), counters)
        if service == COMPLAINTS:
            continue
        _sum(whole, counters)
        day = per_day.setdefault(str(item["day"]), [0, 0, 0])
        day[0] += int(counters.get("case|in", 0))
        day[1] += int(counters.get("case|done", 0))
        day[2] += int(counters.get("case|ret", 0))
    return Report(
        office_id=office_id,
        first=first,
        last=last,
        office=figures("*", whole),
        services={
            s: figures(s, c)
            for s, c in sorted(per_service.items(), key=lambda sc: (sc[0] == COMPLAINTS, sc[0]))
        },
        days=_every_day(first, last, per_day),
    )


def _every_day(first: date, last: date, per_day: Mapping[str, list[int]]) -> list[tuple[str, int, int, int]]:
    """(day, intake, completed, returned) for every day from `first` to `last`, a quiet day as
    zeros (a chart that skipped it would read as continuous), stopping at today (WIB): the rest
    of a month in progress has not happened yet."""
    end = min(last, office_today())
    days: list[tuple[str, int, int, int]] = []
    day = first
    while day <= end:
        intake, completed, returned = per_day.get(day.isoformat(), [0, 0, 0])
        days.append((day.isoformat(), intake, completed, returned))
        day += timedelta(days=1)
    for name in sorted(set(per_day) - {d[0] for d in days}):  # counted beyond today: kept, never dropped
        intake, completed, returned = per_day[name]
        days.append((name, intake, completed, returned))
    return days


def report(office_id: str, first: date, last: date) -> Report:
    """The office's evaluation for a period: one query of its aggregates (and its pages)."""
    items = tallies.days(office_id, first.isoformat(), last.isoformat())
    return from_days(office_id, first, last, items)
