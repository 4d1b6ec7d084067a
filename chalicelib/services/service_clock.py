"""The service clock: each case carries its published service time (the SOP's `duration`,
"Jangka Waktu Pelayanan") as a due date, set once when it is submitted.

- An office with hours (office.yaml `working_hours`) counts its published days as office days
  and its minutes as office minutes (domain/working_time.py), skipping the public holidays and
  joint leave days of Indonesia (domain/hari_libur.py: the `holidays` library, and the yearly
  SKB cuti bersama as the office administrator recorded it, `JointLeave` items).
- An office without hours runs around the clock: "1 Hari" is 24 hours, and no day is skipped
  (it did not say when it is closed).
- A range ("3-7 Hari", "5 - 10 Menit") is due at its upper bound: the longest the office promised.
- `LOKET_TIME_SCALE` shrinks the wall-clock distance as it shrinks step timers (60 s per standard
  minute in production), so tests and demos see cases fall due.

The clock stops while a returned file is with the applicant (the SOPs' decisions: "Berkas kembali
ke pencari kerja (waktu berhenti)", ak1.yaml; "waktu berhenti sampai perusahaan melengkapi",
validasi-tka.yaml): at resubmission the due date moves on by
the time it was away, counted as the due date was (office minutes where the office has hours,
wall-clock time otherwise, scaled time as measured), and the case records the total (`resumed`).

A case is overdue while it is still with the office (submitted, or stuck on a failed task) and
its due date has passed (`overdue`). The step timers stay as they were: a step may be late while
the case is on time, and the other way round.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from typing import Any

from chalicelib.adapters.models import Case, JointLeave
from chalicelib.domain.clock import WIB, now, parse
from chalicelib.domain.hari_libur import JointLeaveDecree, closed_days
from chalicelib.domain.tanggal import waktu
from chalicelib.domain.working_time import (
    OfficeHours,
    add_working_days,
    add_working_minutes,
    working_minutes_between,
)
from chalicelib.settings import get_settings
from chalicelib.sop.durations import longest_span
from chalicelib.sop.schema import Office, ServiceStandard

PRODUCTION_SCALE = 60.0  # seconds per standard minute when nothing is scaled
RUNNING = frozenset({"submitted", "stuck"})
"""Statuses in which the case is with the office and its clock runs."""
YEARS_AHEAD = 2  # holidays are loaded for the year of submission and the next ones


def decrees(office: str) -> dict[int, JointLeaveDecree]:
    """The joint-leave decrees the office administrator recorded, by year."""
    found = JointLeave.query(JointLeave.partition(office), JointLeave.SK.startswith(JointLeave.PREFIX))
    return {
        int(item.year): JointLeaveDecree(
            int(item.year),
            item.decree,
            tuple((date.fromisoformat(d["date"]), str(d.get("name") or "")) for d in item.days or []),
        )
        for item in found
        if isinstance(item, JointLeave)
    }


def calendar(
    office: Office, start: datetime, recorded: dict[int, JointLeaveDecree] | None = None
) -> OfficeHours | None:
    """The office's hours with its closed days from `start`'s year on, or None without hours.
    `recorded` is the office's decrees when the caller has them (else read from the table)."""
    hours = office.office_hours
    if hours is None:
        return None
    year = start.astimezone(WIB).year
    years = range(year, year + YEARS_AHEAD + 1)
    closed = closed_days(years, decrees(office.id) if recorded is None else recorded)
    return hours.with_closed(frozenset(closed))


def due_at(
    sop: ServiceStandard,
    office: Office,
    received: datetime,
    recorded: dict[int, JointLeaveDecree] | None = None,
    time_scale: float | None = None,
) -> datetime:
    """When a case of `sop` received at `received` (aware) is due, in UTC; scaled by
    `time_scale` (seconds per standard minute; LOKET_TIME_SCALE when None). `recorded` is the
    office's joint-leave decrees when the caller has them (else read from the table, and only for
    an office with hours). Raises ValueError for office hours no count can use (never for a
    file that passed `sop check`)."""
    days, minutes = longest_span(sop.duration.text)
    start = received.astimezone(WIB)
    hours = calendar(office, received, recorded)
    if hours is None:
        due = start + timedelta(days=days, minutes=minutes)
    else:
        due = add_working_days(start, math.ceil(days), hours) if days else start
        if minutes:
            due = add_working_minutes(due, minutes, hours)
    scale = (get_settings().time_scale if time_scale is None else time_scale) / PRODUCTION_SCALE
    return (received + (due - start) * scale).astimezone(UTC)


def resumed(
    due: datetime,
    office: Office,
    returned: datetime,
    resubmitted: datetime,
    recorded: dict[int, JointLeaveDecree] | None = None,
    time_scale: float | None = None,
) -> datetime:
    """The due date `due` (aware) of a case returned to the applicant at `returned` and handed
    back at `resubmitted`, moved on by the time the file was with the applicant, in UTC.

    An office with hours counts only its open minutes in between (a file returned on Friday
    afternoon and resubmitted on Monday at opening lost the office only Friday's last hours) and
    adds them as office minutes; an office without hours, or a scaled clock (`time_scale` other
    than the production 60 s per minute: tests, demos), moves it by the wall-clock time away.
    `recorded` as for `due_at`. Raises ValueError for office hours no count can use."""
    scale = get_settings().time_scale if time_scale is None else time_scale
    hours = calendar(office, returned, recorded) if scale == PRODUCTION_SCALE else None
    if resubmitted <= returned:
        return due.astimezone(UTC)
    if hours is None:
        return (due + (resubmitted - returned)).astimezone(UTC)
    away = working_minutes_between(returned.astimezone(WIB), resubmitted.astimezone(WIB), hours)
    if not away:
        return due.astimezone(UTC)
    return add_working_minutes(due.astimezone(WIB), away, hours).astimezone(UTC)


def overdue(case: Case, at: datetime | None = None) -> bool:
    """Whether the case is past its published service time while still with the office."""
    if not case.due_at or case.status not in RUNNING:
        return False
    return (at or now()) > parse(case.due_at)


def shown(case: Case, at: datetime | None = None) -> dict[str, Any]:
    """The due date as pages show it: {"due": "13 Feb 2026 14.00 WIB" or None, "overdue": bool,
    "paused": bool (the file is with the applicant, and the clock stopped)}."""
    return {
        "due": waktu(case.due_at) if case.due_at else None,
        "overdue": overdue(case, at),
        "paused": bool(case.due_at) and case.status == "returned",
    }
