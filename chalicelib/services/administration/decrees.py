"""Delegation decrees (SK pendelegasian) of an office: listed with whether they are in force,
recorded after the office's checks, and ended early (the decree and its log line in one write).

The rules of a decree itself (kinds, number, date order, who it grants) are `services/delegations`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import Delegation, OfficeEvent, key_text_ok
from chalicelib.adapters.transact import Refused, Write, write_all
from chalicelib.domain import teks
from chalicelib.domain.clock import office_today
from chalicelib.domain.tanggal import tanggal
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.services import delegations
from chalicelib.services.administration import office_log
from chalicelib.services.administration.accounts import office_account
from chalicelib.sop.loader import load_office

MAX_REASON = 300
MAX_DECREE = 80  # a decree number as the letters print it: "berdasarkan <nomor SK>"


def of_office(office: str, today: date | None = None) -> list[dict[str, Any]]:
    """Every decree of the office, newest start first, with whether it is in force today."""
    day = (today or office_today()).isoformat()
    found = Delegation.query(Delegation.partition(office), Delegation.SK.startswith(Delegation.PREFIX))
    items = sorted(
        (d for d in found if isinstance(d, Delegation)),
        key=lambda d: (d.valid_from, d.created_at),
        reverse=True,
    )
    return [
        {
            "decree": d,
            "state": "active"
            if d.valid_from <= day <= d.valid_to
            else "future"
            if day < d.valid_from
            else "ended",
        }
        for d in items
    ]


def _day(text: str, label: str, field_name: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{label} tidak sah; isi tanggal (tttt-bb-hh).", field=field_name) from None


def record_decree(
    who: Principal,
    office: str,
    decree: str,
    from_role: str,
    delegate: str,
    delegate_role: str,
    kind: str,
    valid_from: str,
    valid_to: str,
) -> Delegation:
    """Record a decree after the checks of the office (roles, the delegate's account) and of
    `delegations.record` (kind, number, date order)."""
    office_roles = load_office(office).roles
    if from_role not in office_roles:
        raise InvalidInput("Pilih peran yang dilimpahkan.", field="from_role")
    try:
        account = office_account(office, delegate.strip().lower())
    except NotFound:
        raise NotFound("Penerima delegasi harus akun petugas kantor ini.", field="delegate") from None
    held = {g.removeprefix(f"{office}.") for g in account.groups if g.startswith(f"{office}.")}
    if delegate_role not in office_roles or delegate_role not in held:
        raise InvalidInput(
            "Pilih peran penerima delegasi yang memang dipegangnya "
            f"({', '.join(sorted(office_roles[r].label if r in office_roles else r for r in held))}).",
            field="delegate_role",
        )
    if from_role in held:
        raise InvalidInput("Penerima delegasi sudah memegang peran yang dilimpahkan.", field="from_role")
    decree = teks.isian(decree, "Nomor SK", "latin", field="decree", max_length=MAX_DECREE)
    if any(row["decree"].decree == decree.strip() for row in of_office(office)):
        raise Conflict(f"SK nomor {decree.strip()} sudah dicatat.", field="decree")
    start = _day(valid_from, "Tanggal mulai", "valid_from")
    end = _day(valid_to, "Tanggal akhir", "valid_to")
    try:
        item = delegations.record(
            office, from_role, account.username, kind, decree, start, end, who.username, delegate_role
        )
    except delegations.DelegationError as exc:
        message = str(exc)
        where = "valid_to" if "Tanggal" in message else "decree" if "Nomor" in message else "kind"
        raise InvalidInput(message, field=where) from None
    office_log.write(
        office,
        who,
        "decree",
        item.decree,
        {
            "from_role": from_role,
            "delegate": account.username,
            "delegate_role": delegate_role,
            "kind": kind,
            "valid_from": item.valid_from,
            "valid_to": item.valid_to,
        },
    )
    return item


@dataclass(frozen=True)
class EndForm:
    """What the "Akhiri" form of one decree shows: its key, the allowed last days and a default."""

    key: str
    earliest: date
    latest: date
    default: date


def end_forms(office: str, today: date | None = None) -> dict[str, EndForm]:
    """The "Akhiri" form of each decree that is in force or still to come, by decree key (SK)."""
    day = today or office_today()
    forms = {}
    for row in of_office(office, day):
        item = row["decree"]
        if row["state"] == "ended":
            continue
        earliest, latest = delegations.end_bounds(item, day)
        if earliest <= latest:
            forms[item.SK] = EndForm(item.SK, earliest, latest, min(max(day, earliest), latest))
    return forms


def _decree_of(office: str, key: str) -> Delegation:
    """A decree of this office by its key; 404 for anything else (another office's, a typo)."""
    if not key.startswith("DELEGATION#") or not key_text_ok(key):
        raise NotFound("SK tidak ditemukan di kantor ini.")
    try:
        item = Delegation.get(Delegation.partition(office), key)
    except Delegation.DoesNotExist:
        raise NotFound("SK tidak ditemukan di kantor ini.") from None
    if not isinstance(item, Delegation):
        raise NotFound("SK tidak ditemukan di kantor ini.")
    return item


def end_decree(
    who: Principal, office: str, key: str, last_day: str, reason: str, today: date | None = None
) -> tuple[Delegation, bool]:
    """End a decree early: `last_day` is the last day it counts (WIB); from the next day
    `delegations.active_for` no longer grants it. Returns the decree and whether it changed: the
    same end again changes nothing and logs nothing. The decree and its log line are one write."""
    day = today or office_today()
    item = _decree_of(office, key)
    wanted = _day(last_day, "Tanggal terakhir berlaku", "last_day")
    if wanted.isoformat() == item.valid_to:
        return item, False
    if item.valid_to < day.isoformat():
        raise Conflict(f"SK {item.decree} sudah berakhir pada {tanggal(item.valid_to)}.")
    earliest, latest = delegations.end_bounds(item, day)
    if wanted > latest:
        raise InvalidInput(
            f"Tanggal terakhir berlaku tidak boleh sesudah {tanggal(item.valid_to)} (akhir SK sekarang). "
            "Untuk memperpanjang, catat SK baru.",
            field="last_day",
        )
    if wanted < earliest:
        if wanted < date.fromisoformat(item.valid_from):
            began = tanggal(item.valid_from)
            text = f"Tanggal terakhir berlaku tidak boleh sebelum SK mulai berlaku ({began})."
        else:
            text = (
                f"Tanggal terakhir berlaku paling awal {tanggal(earliest)} (kemarin): "
                "hari-hari yang sudah lewat tetap tercakup SK ini."
            )
        raise InvalidInput(text, field="last_day")
    why = teks.isian(reason, "Alasan", "catatan", field="reason")
    if not 3 <= len(why) <= MAX_REASON:
        raise InvalidInput(f"Tulis alasannya (3–{MAX_REASON} karakter).", field="reason")
    old = item.valid_to
    event = office_log.event(
        office,
        who,
        "decree_ended",
        item.decree,
        {"delegate": item.delegate, "old_valid_to": old, "new_valid_to": wanted.isoformat(), "reason": why},
    )
    try:
        write_all(
            [
                Write(
                    "update",
                    item,
                    condition=Delegation.valid_to == old,
                    actions=[
                        Delegation.valid_to.set(wanted.isoformat()),
                        Delegation.planned_valid_to.set(Delegation.planned_valid_to | old),
                        Delegation.ended_by.set(who.username),
                        Delegation.ended_at.set(event.at),
                        Delegation.end_reason.set(why),
                    ],
                ),
                Write("save", event, condition=OfficeEvent.SK.does_not_exist()),
            ]
        )
    except Refused:
        current = _decree_of(office, key)
        if current.valid_to == wanted.isoformat():  # the same request, answered meanwhile
            return current, False
        raise Conflict("SK ini baru saja diubah admin lain; muat ulang halaman dan periksa lagi.") from None
    return _decree_of(office, key), True
