"""Dates and times as an Indonesian reads them, in one format for every page, email and document.

The rule (PUEBI, Pedoman Umum Ejaan Bahasa Indonesia, on numbers: day, month name, year; hours
and minutes separated by a period, "pukul 18.37"; abbreviations of the months as CLDR's `id`
locale writes them) and the zone (Waktu Indonesia Barat, UTC+7, where both seeded offices are):

- a date: `30 Nov 2026`; in a letter or a card, where the Tata Naskah Dinas writes the month in
  full: `30 November 2026` (`tanggal(day, full_month=True)`);
- a moment: `30 Nov 2026 18.37 WIB`, always in WIB, whatever zone the stored value has (UTC ISO
  with `Z` in Loket's records, `chalicelib/domain/clock.py`).

static_site/js/lib/format.js writes the same on the public site; tests/tanggal_cases.json holds
the cases both must answer alike (tests/unit/test_tanggal.py, tests/browser/test_tanggal_browser.py).
Raw ISO or UTC strings never reach a person: what cannot be read as a date is shown as "–".
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from chalicelib.domain.clock import WIB

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
NONE = "–"  # what a missing or unreadable date shows
# The timestamps both this module and format.js read: ISO day, T or space, hh:mm[:ss[.fff]], zone.
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def _moment(value: datetime | str) -> datetime | None:
    """A timestamp (ISO text, `Z` or an offset; a naive one is UTC) as an aware datetime in WIB."""
    if isinstance(value, str):
        text = value.strip()
        if not TIMESTAMP.match(text):
            return None
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(WIB)


def _day(value: date | datetime | str) -> date | None:
    if isinstance(value, datetime):
        moment = _moment(value)
        return moment.date() if moment else None
    if isinstance(value, date):
        return value
    text = value.strip()
    if len(text) == 10:  # "2026-11-30": a calendar day, no zone to convert
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    moment = _moment(text)
    return moment.date() if moment else None


def tanggal(value: date | datetime | str | None, *, full_month: bool = False) -> str:
    """A day as `30 Nov 2026` (`30 November 2026` with full_month, for letters and cards).

    `value` is a date, an ISO day ("2026-11-30"), or a timestamp (datetime or ISO text), whose
    day in WIB is meant (a step begun at 00.30 WIB on 1 Dec is on 1 Dec, not UTC's 30 Nov).
    None, "" or unreadable text gives "–"; nothing raises."""
    if value is None or value == "":
        return NONE
    day = _day(value)
    if day is None:
        return NONE
    month = (MONTHS if full_month else MONTHS_SHORT)[day.month - 1]
    return f"{day.day} {month} {day.year}"


def jam(value: datetime | str | None) -> str:
    """The time of day in WIB as `18.37 WIB`; "–" for None or unreadable text."""
    moment = _moment(value) if value else None
    return f"{moment:%H.%M} WIB" if moment else NONE


def waktu(value: datetime | str | None) -> str:
    """A moment as `30 Nov 2026 18.37 WIB` (day and time in WIB).

    `value` is an aware datetime (a naive one is taken as UTC) or ISO text (`...Z` or with an
    offset); an ISO day alone ("2026-11-30") is shown as its date; None, "" or unreadable text
    gives "–"; nothing raises."""
    if isinstance(value, str) and len(value.strip()) == 10:
        return tanggal(value)
    moment = _moment(value) if value else None
    if moment is None:
        return NONE
    return f"{tanggal(moment)} {moment:%H.%M} WIB"
