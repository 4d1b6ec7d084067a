"""Standard times counted in office hours: "1 jam" handed in at 15:30 on a Friday is due on
Monday morning when the office works 08:00-16:00, Monday to Friday. Public holidays are not
known here; an office lists its hours only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta


@dataclass(frozen=True)
class OfficeHours:
    days: frozenset[int]  # ISO weekdays, 1 = Monday
    opens: time
    closes: time


def add_working_minutes(start: datetime, minutes: float, hours: OfficeHours) -> datetime:
    """The moment `minutes` of office time have passed since `start` (an aware datetime in office time)."""
    if not hours.days or hours.closes <= hours.opens:
        raise ValueError("office hours need at least one day and a closing time after the opening time")
    at = start
    remaining = timedelta(minutes=minutes)
    while True:
        day_open = at.replace(hour=hours.opens.hour, minute=hours.opens.minute, second=0, microsecond=0)
        day_close = at.replace(hour=hours.closes.hour, minute=hours.closes.minute, second=0, microsecond=0)
        if at.isoweekday() not in hours.days or at >= day_close:
            at = day_open + timedelta(days=1)
            continue
        at = max(at, day_open)
        available = day_close - at
        if remaining <= available:
            return at + remaining
        remaining -= available
        at = day_open + timedelta(days=1)
