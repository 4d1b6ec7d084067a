"""Standard times counted in office hours: "1 jam" handed in at 15:30 on a Friday is due on
Monday morning when the office works 08:00-16:00, Monday to Friday.

An office's hours (`OfficeHours`) are its opening and closing time on each weekday it works
(Friday may close later than Monday, e.g. 08.00-16.30) and the dates it is closed although the
weekday works: public holidays and joint leave (domain/hari_libur.py). Two counts:

- `add_working_minutes`: minutes and hours ("30 menit", "1 jam") run only while the office is open;
- `working_minutes_between`: the office minutes between two moments (the time a returned file
  spent with the applicant, which the service clock does not count);
- `add_working_days`: days ("1 Hari", "3-7 Hari") are office days: the file received at 14.00 on
  a working day is due at 14.00 on the N-th working day after it (at that day's closing time when
  it closes earlier); a file received outside office hours counts from the next opening.

All datetimes are aware and in office time (WIB, domain/clock.py). No I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

MAX_SEARCH_DAYS = 3660
"""How far ahead a count may look for an open day before the hours are judged broken (10 years)."""


@dataclass(frozen=True)
class OfficeHours:
    """`week`: ISO weekday (1 = Monday ... 7 = Sunday) -> (opens, closes) on the days the office
    works; `closed`: dates it does not open although their weekday works (holidays)."""

    week: Mapping[int, tuple[time, time]]
    closed: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def uniform(cls, days: frozenset[int], opens: time, closes: time) -> OfficeHours:
        """The same hours on every listed weekday."""
        return cls({d: (opens, closes) for d in days})

    def with_closed(self, closed: frozenset[date]) -> OfficeHours:
        return OfficeHours(self.week, self.closed | closed)

    def on(self, day: date) -> tuple[time, time] | None:
        """(opens, closes) on `day`, or None when the office does not open that day."""
        if day in self.closed:
            return None
        return self.week.get(day.isoweekday())

    def check(self) -> None:
        """Raises ValueError for hours no count can use: no working day, or a day that closes
        before it opens."""
        if not self.week or any(closes <= opens for opens, closes in self.week.values()):
            raise ValueError("office hours need at least one day and a closing time after the opening time")


def _at(day: date, moment: time, like: datetime) -> datetime:
    return datetime.combine(day, moment, tzinfo=like.tzinfo)


def next_open(start: datetime, hours: OfficeHours) -> datetime:
    """`start` if the office is open then, else the next moment it opens."""
    hours.check()
    day = start.date()
    for _ in range(MAX_SEARCH_DAYS):
        today = hours.on(day)
        if today is not None:
            opens, closes = today
            if start < _at(day, closes, start):
                return max(start, _at(day, opens, start))
        day += timedelta(days=1)
    raise ValueError("the office never opens in the next ten years")


def add_working_minutes(start: datetime, minutes: float, hours: OfficeHours) -> datetime:
    """The moment `minutes` of office time have passed since `start` (an aware datetime in office time)."""
    at = next_open(start, hours)
    remaining = timedelta(minutes=minutes)
    while True:
        today = hours.on(at.date())
        assert today is not None  # next_open returns a moment of an open day
        available = _at(at.date(), today[1], at) - at
        if remaining <= available:
            return at + remaining
        remaining -= available
        at = next_open(_at(at.date() + timedelta(days=1), time(0), at), hours)


def working_minutes_between(start: datetime, end: datetime, hours: OfficeHours) -> float:
    """The minutes the office is open from `start` to `end` (aware datetimes in office time); 0
    when `end` is not after `start`. Raises ValueError for hours no count can use."""
    hours.check()
    if end <= start:
        return 0.0
    counted = timedelta()
    day = start.date()
    while day <= end.date():
        today = hours.on(day)
        if today is not None:
            opens, closes = _at(day, today[0], start), _at(day, today[1], start)
            begin, finish = max(opens, start), min(closes, end)
            if finish > begin:
                counted += finish - begin
        day += timedelta(days=1)
    return counted.total_seconds() / 60


def add_working_days(start: datetime, days: int, hours: OfficeHours) -> datetime:
    """The moment `days` office days have passed since `start`: the same time of day on the
    `days`-th working day after the day the office receives it (`next_open`), or that day's
    closing time when it closes earlier (a file received at 16.15 on a Friday that closes at 16.30
    is due at 16.00 on a Monday that closes at 16.00)."""
    received = next_open(start, hours)
    day = received.date()
    counted = 0
    for _ in range(MAX_SEARCH_DAYS):
        if counted == days:
            break
        day += timedelta(days=1)
        if hours.on(day) is not None:
            counted += 1
    today = hours.on(day)
    assert today is not None or days == 0
    opens, closes = today or (received.time(), received.time())
    moment = min(max(received.timetz().replace(tzinfo=None), opens), closes)
    return _at(day, moment, received)
