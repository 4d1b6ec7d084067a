"""The office's calendar on the admin page: office hours as office.yaml sets them, the year's
public holidays and joint leave (cuti bersama), and the form that records a year's SKB 3
Menteri (its number and its days), which then replaces the library's joint leave for that year
in the service clock (domain/hari_libur.py, services/service_clock.py).

Recording a year again replaces it; the decree and its line in the office log are one write.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import JointLeave, OfficeEvent
from chalicelib.adapters.transact import Write, write_all
from chalicelib.domain import teks
from chalicelib.domain.clock import iso, office_today
from chalicelib.domain.hari_libur import (
    DecreeError,
    closed_days,
    library_joint_leave,
    public_holidays,
    read_decree_days,
)
from chalicelib.domain.tanggal import tanggal
from chalicelib.errors import InvalidInput
from chalicelib.services import service_clock
from chalicelib.services.administration import office_log
from chalicelib.sop.loader import load_office

MAX_DECREE = 160  # "SKB Menteri Agama, Menteri Ketenagakerjaan, MenPAN-RB Nomor ... Tahun ..."
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def calendar(office: str, today: date | None = None) -> dict[str, Any]:
    """What the admin page's "Hari kerja dan hari libur" section shows: the office hours (one
    line per block, or None), and for this year and the next the closed days with where each
    joint leave list comes from (the recorded decree, else the library)."""
    day = today or office_today()
    sop_office = load_office(office)
    recorded = service_clock.decrees(office)
    years = []
    for year in (day.year, day.year + 1):
        decree = recorded.get(year)
        joint = decree.days if decree else library_joint_leave(year)
        closed = closed_days([year], recorded)
        years.append(
            {
                "year": year,
                "decree": decree.decree if decree else None,
                "joint": [(tanggal(d), DAY_NAMES[d.weekday()], name) for d, name in joint],
                "public": [(tanggal(d), DAY_NAMES[d.weekday()], name) for d, name in public_holidays(year)],
                "count": len(closed),
                "lines": "\n".join(f"{d.isoformat()} {name}" for d, name in joint),
            }
        )
    hours = [
        f"{', '.join(DAY_NAMES[d - 1] for d in block.days)}: {block.start.replace(':', '.')}"
        f"–{block.end.replace(':', '.')} WIB"
        for block in sop_office.hours_blocks
    ]
    return {"hours": hours or None, "years": years}


def record(
    who: Principal, office: str, year: str, decree: str, days: str, today: date | None = None
) -> JointLeave:
    """Record (or replace) the joint leave of `year` as the SKB lists it. Raises InvalidInput on
    the field at fault: a year other than last year, this year or the next two; a decree
    number missing or not Latin text; a day line `read_decree_days` refuses."""
    this_year = (today or office_today()).year
    try:
        wanted = int(year.strip())
    except ValueError:
        raise InvalidInput("Tahun tidak sah.", field="year") from None
    if not this_year - 1 <= wanted <= this_year + 2:
        raise InvalidInput(f"Tahun antara {this_year - 1} dan {this_year + 2}.", field="year")
    number = teks.isian(decree, "Nomor SKB", "latin", field="decree", max_length=MAX_DECREE)
    if len(number) < 5:
        raise InvalidInput("Tulis nomor dan tanggal SKB cuti bersama.", field="decree")
    text = teks.isian(days, "Daftar cuti bersama", "latin", field="days", multiline=True, max_length=3000)
    try:
        listed = read_decree_days(text, wanted)
    except DecreeError as exc:
        raise InvalidInput(str(exc), field="days") from None
    at = iso()
    item = JointLeave(
        *JointLeave.key(office, wanted),
        office=office,
        year=wanted,
        decree=number,
        days=[{"date": d.isoformat(), "name": name} for d, name in listed],
        recorded_by=who.username,
        recorded_at=at,
    )
    event = office_log.event(
        office,
        who,
        "joint_leave",
        number,
        {"year": str(wanted), "days": ", ".join(d.isoformat() for d, _ in listed) or "-"},
    )
    write_all([Write("save", item), Write("save", event, condition=OfficeEvent.SK.does_not_exist())])
    return item
