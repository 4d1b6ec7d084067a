"""The AK/I holder's six-monthly report (laporan enam bulanan): its boxes, windows and reminders.

Plain rules, no I/O (services/holder.py reads and writes). Source: the AK-1 SOP's decision
"Nomor pendaftaran dan masa berlaku kartu" (chalicelib/sop/offices/kab-pasuruan/ak1.yaml: "Kartu
berlaku 2 tahun sejak terbit, dengan laporan setiap 6 bulan") and the card's printed back
(documents/ak1_card.py): four boxes "Laporan ke-1..4", box k scheduled in the month `6 k` months
after the month of issue ("jadwal: <bulan tahun>"), and the note "Bila sudah mendapat pekerjaan
... segera laporkan". The SOP file cites no Permenaker for these periods, so none is cited here.

The windows Loket reads from that layout (decided in docs/adr/0028):

- box k opens on the 1st of its scheduled month and stays open until box k+1 opens; box 4 until
  the card's last valid day. A "still looking" report is taken only in an open window, once per
  box: a second one in the same window is the first one again (no second stamp);
- "found work" (employer and start date) may be reported any day the card is valid and not yet
  closed; it goes in the box of the window open that day (box 1 before the first window) and
  closes the card: it is no longer valid on the verification page;
- a reminder is emailed REMIND_DAYS before each box opens and EXPIRY_REMIND_DAYS before the card's
  last valid day, once per card and date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from chalicelib.documents.words import MONTHS, tanggal

BOXES = 4  # "Laporan ke-1" .. "Laporan ke-4" on the card's back
EVERY_MONTHS = 6  # "wajib melapor setiap 6 (enam) bulan"
REMIND_DAYS = 7  # the email before a box opens
EXPIRY_REMIND_DAYS = 14  # the email before the card's last valid day
EMPLOYER_MAX = (
    80  # characters of an employer's name: printed whole in a box (tests/unit/test_holder_reports.py)
)

STILL_LOOKING = "masih_mencari"
FOUND_WORK = "sudah_bekerja"
KINDS = {STILL_LOOKING: "Masih mencari kerja", FOUND_WORK: "Sudah bekerja"}


class ReportRefused(ValueError):
    """A report that cannot be taken, with the reason in Indonesian (`field`: the form field)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Report:
    """One report as recorded on the case: `box` 1-4, `kind` (STILL_LOOKING / FOUND_WORK), the
    office day `on`, the time `at` (ISO, UTC), and for found work the employer and start date."""

    box: int
    kind: str
    on: date
    at: str
    employer: str | None = None
    start_date: date | None = None

    def as_dict(self) -> dict[str, Any]:
        stored: dict[str, Any] = {
            "box": self.box,
            "kind": self.kind,
            "on": self.on.isoformat(),
            "at": self.at,
        }
        if self.employer is not None:
            stored["employer"] = self.employer
        if self.start_date is not None:
            stored["start_date"] = self.start_date.isoformat()
        return stored

    @staticmethod
    def from_dict(raw: dict[str, Any]) -> Report:
        return Report(
            box=int(raw["box"]),
            kind=str(raw["kind"]),
            on=date.fromisoformat(str(raw["on"])),
            at=str(raw["at"]),
            employer=raw.get("employer"),
            start_date=date.fromisoformat(raw["start_date"]) if raw.get("start_date") else None,
        )

    @property
    def stamp(self) -> str:
        """What the box prints: 'Masih mencari kerja' / 'Sudah bekerja di PT X sejak 1 Mei 2026'."""
        if self.kind == FOUND_WORK:
            since = f" sejak {tanggal(self.start_date)}" if self.start_date else ""
            return f"Sudah bekerja di {self.employer}{since}"
        return KINDS[STILL_LOOKING]


def recorded(stored: Any) -> list[Report]:
    """The reports as the case stores them (a list of `Report.as_dict`; None for none)."""
    return [Report.from_dict(raw) for raw in stored or [] if isinstance(raw, dict)]


def add_months(day: date, months: int) -> date:
    """The 1st of the month `months` after `day`'s month."""
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


def due_dates(issued_on: date) -> list[date]:
    """The day each box opens: the 1st of the month 6, 12, 18 and 24 months after the month of
    issue (the card's "jadwal")."""
    return [add_months(issued_on, EVERY_MONTHS * k) for k in range(1, BOXES + 1)]


def scheduled(due: date) -> str:
    """'Maret 2027': a box's month as the card prints it."""
    return f"{MONTHS[due.month - 1]} {due.year}"


def window(issued_on: date, valid_until: date, box: int) -> tuple[date, date]:
    """(first day, last day) box `box` (1-4) takes a report."""
    opens = due_dates(issued_on)
    last = opens[box] - timedelta(days=1) if box < BOXES else valid_until
    return opens[box - 1], min(last, valid_until)


def open_box(issued_on: date, valid_until: date, today: date) -> int | None:
    """The box whose window `today` is in, or None (before the first window, after the card)."""
    for box in range(1, BOXES + 1):
        first, last = window(issued_on, valid_until, box)
        if first <= today <= last:
            return box
    return None


def closing(reports: list[Report]) -> Report | None:
    """The found-work report that closed the card, if any."""
    return next((r for r in reports if r.kind == FOUND_WORK), None)


def take(
    reports: list[Report],
    issued_on: date,
    valid_until: date,
    today: date,
    at: str,
    kind: str,
    employer: Any = None,
    start_date: Any = None,
) -> tuple[Report, bool]:
    """The report to record for `kind` today, and whether it is new (False: the window's report,
    or the report of work that closed the card, stands and nothing is recorded again).

    Raises ReportRefused: an unknown kind, a closed or expired card, a "still looking" report
    outside any window (the reason names when box 1 opens), found work without an employer or
    with a start date that is no date or more than 90 days ahead."""
    if kind not in KINDS:
        raise ReportRefused("Pilih: masih mencari kerja, atau sudah bekerja.", field="kind")
    closed = closing(reports)
    if closed is not None and kind == FOUND_WORK:
        return closed, False  # a second click: the card is closed already
    if closed is not None:
        raise ReportRefused(
            f"Kartu ini sudah ditutup: Anda melaporkan sudah bekerja pada {tanggal(closed.on)}."
        )
    if today > valid_until:
        raise ReportRefused(
            f"Kartu ini berlaku sampai {tanggal(valid_until)}; untuk mencari kerja lagi, "
            "ajukan kartu AK-1 baru."
        )
    box = open_box(issued_on, valid_until, today)
    if kind == STILL_LOOKING:
        if box is None:
            first = due_dates(issued_on)[0]
            raise ReportRefused(f"Laporan ke-1 dapat dibuat mulai {tanggal(first)}.")
        existing = next((r for r in reports if r.box == box and r.kind == STILL_LOOKING), None)
        if existing is not None:
            return existing, False
        return Report(box, STILL_LOOKING, today, at), True
    name = " ".join(str(employer or "").split())
    if not name:
        raise ReportRefused("Tuliskan nama perusahaan atau pemberi kerja.", field="employer")
    if len(name) > EMPLOYER_MAX:
        raise ReportRefused(f"Nama pemberi kerja paling banyak {EMPLOYER_MAX} karakter.", field="employer")
    try:
        start = date.fromisoformat(str(start_date or ""))
    except ValueError:
        raise ReportRefused("Isi tanggal mulai bekerja.", field="start_date") from None
    if start > today + timedelta(days=90):
        raise ReportRefused("Tanggal mulai bekerja paling lambat 90 hari dari hari ini.", field="start_date")
    return Report(box or 1, FOUND_WORK, today, at, employer=name, start_date=start), True


@dataclass(frozen=True)
class Reminder:
    """One reminder email of a card: `kind` ("laporan-1".."laporan-4", "habis"), the day it is
    about (`due`: a box opening, or the card's last valid day) and the day it is sent."""

    kind: str
    due: date
    send_on: date


def reminders(issued_on: date, valid_until: date) -> list[Reminder]:
    """Every reminder of a card issued on `issued_on`, in date order."""
    found = [
        Reminder(f"laporan-{box}", due, due - timedelta(days=REMIND_DAYS))
        for box, due in enumerate(due_dates(issued_on), start=1)
        if due <= valid_until
    ]
    found.append(Reminder("habis", valid_until, valid_until - timedelta(days=EXPIRY_REMIND_DAYS)))
    return sorted(found, key=lambda r: r.send_on)


def still_due(reminder: Reminder, reports: list[Report]) -> bool:
    """Whether a reminder is still worth sending: the card is not closed, and a box's reminder
    only while that box has no report."""
    if closing(reports) is not None:
        return False
    if reminder.kind.startswith("laporan-"):
        box = int(reminder.kind.removeprefix("laporan-"))
        return not any(r.box == box for r in reports)
    return True
