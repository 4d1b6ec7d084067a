"""The days an Indonesian government office is closed on a weekday it works: public holidays
(hari libur nasional) and joint leave (cuti bersama).

Both are set each year by the joint decree of three ministers (SKB Menteri Agama, Menteri
Ketenagakerjaan dan Menteri PAN-RB tentang Hari Libur Nasional dan Cuti Bersama). Two sources:

- the `holidays` library (python-holidays, pinned in requirements.txt): Indonesia's public
  holidays (category "public") and its joint leave ("government"), with Indonesian names;
- the decree as the office administrator recorded it (`JointLeaveDecree`, kept in the table by
  services/administration/calendar.py): when a year has one, its days are that year's joint
  leave instead of the library's (a decree revised mid-year, or a year the library does not
  know yet). Public holidays always come from the library.

No I/O here; `closed_days` is what the service clock (services/service_clock.py) skips.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

MAX_DAYS = 20
"""Joint leave days one decree may list: the SKBs of 2020-2027 list 4 to 10."""
MAX_NAME = 80


class DecreeError(ValueError):
    """A decree list that cannot be kept; the message is Indonesian, for the admin page."""


@dataclass(frozen=True)
class JointLeaveDecree:
    """One year's joint leave as the SKB lists it: `days` are (date, what it is for)."""

    year: int
    decree: str  # the SKB's number and date, as the administrator wrote it
    days: tuple[tuple[date, str], ...]


@functools.cache
def _library(year: int, category: str) -> tuple[tuple[date, str], ...]:
    import holidays  # imported when first needed: most requests never ask

    found = holidays.country_holidays("ID", years=year, categories=(category,), language="id")
    return tuple(sorted((day, str(name)) for day, name in found.items()))


def public_holidays(year: int) -> tuple[tuple[date, str], ...]:
    """Indonesia's public holidays of `year` (the library's), oldest first."""
    return _library(year, "public")


def library_joint_leave(year: int) -> tuple[tuple[date, str], ...]:
    """The joint leave days of `year` as the library knows them (empty for a year it does not)."""
    return _library(year, "government")


def closed_days(years: Iterable[int], decrees: Mapping[int, JointLeaveDecree]) -> dict[date, str]:
    """Every public holiday and joint leave day of `years` -> its name. A year with a recorded
    decree takes its joint leave from the decree, else from the library."""
    closed: dict[date, str] = {}
    for year in years:
        joint = decrees[year].days if year in decrees else library_joint_leave(year)
        for day, name in (*joint, *public_holidays(year)):
            closed[day] = f"{closed[day]}; {name}" if day in closed else name
    return closed


_LINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(.*?)\s*$")


def read_decree_days(text: str, year: int) -> tuple[tuple[date, str], ...]:
    """The days of a decree as the admin form gives them, one per line: `2026-02-16 Cuti bersama
    Tahun Baru Imlek` (an ISO date, then what it is for). Raises DecreeError naming the first
    line at fault: no date, a date of another year, a Saturday or Sunday (joint leave falls on
    working days), a date given twice, more than MAX_DAYS days, a name longer than MAX_NAME."""
    days: dict[date, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found = _LINE.match(line)
        if found is None:
            raise DecreeError(
                f"Baris {number}: awali dengan tanggal tttt-bb-hh, mis. {year}-02-16 Cuti bersama."
            )
        try:
            day = date.fromisoformat(found.group(1))
        except ValueError:
            raise DecreeError(f"Baris {number}: tanggal {found.group(1)} tidak ada.") from None
        if day.year != year:
            raise DecreeError(f"Baris {number}: tanggal {day.isoformat()} bukan tahun {year}.")
        if day.isoweekday() > 5:
            raise DecreeError(
                f"Baris {number}: {day.isoformat()} hari Sabtu/Minggu; cuti bersama jatuh pada hari kerja."
            )
        if day in days:
            raise DecreeError(f"Baris {number}: tanggal {day.isoformat()} ditulis dua kali.")
        name = found.group(2) or "Cuti bersama"
        if len(name) > MAX_NAME:
            raise DecreeError(f"Baris {number}: keterangan paling panjang {MAX_NAME} karakter.")
        days[day] = name
    if len(days) > MAX_DAYS:
        raise DecreeError(f"Paling banyak {MAX_DAYS} hari cuti bersama dalam satu SKB.")
    return tuple(sorted(days.items()))
