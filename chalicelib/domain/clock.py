"""Time in one place, so every record uses the same format (UTC ISO-8601, milliseconds)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")  # both seeded offices keep Western Indonesia Time


def now() -> datetime:
    return datetime.now(UTC)


def iso(at: datetime | None = None) -> str:
    return (at or now()).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def office_today(at: datetime | None = None) -> date:
    """The office's calendar day (WIB), which is what dates on letters and decrees mean."""
    return (at or now()).astimezone(WIB).date()
