"""The office administrator records and ends an official's absence (berhalangan), with a line in
the office log. The rule of an absence itself (reasons, days, who it lets sign) is
`services/absences.py`'s (ADR 0022)."""

from __future__ import annotations

from datetime import date

from chalicelib.adapters.identity import Principal
from chalicelib.errors import InvalidInput
from chalicelib.services import absences
from chalicelib.services.administration import office_log
from chalicelib.sop.loader import load_office


def _day(text: str, label: str, field_name: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{label} tidak sah; isi tanggal (tttt-bb-hh).", field=field_name) from None


def record_absence(
    who: Principal, office: str, role: str, reason: str, valid_from: str, valid_to: str, note: str = ""
) -> absences.Away:
    """Record that the holder of `role` is away between two days (form text, "2026-06-02");
    InvalidInput (Indonesian, with its field) for a role, reason or day the office refuses."""
    roles = frozenset(load_office(office).roles)
    away = absences.record(
        office,
        role,
        reason,
        _day(valid_from, "Tanggal mulai", "valid_from"),
        _day(valid_to, "Tanggal akhir", "valid_to"),
        who.username,
        note,
        roles,
    )
    if away.repeated:
        return away  # the same form again: recorded and logged once
    office_log.write(
        office,
        who,
        "absence",
        role,
        {
            "role": role,
            "reason": absences.REASONS[reason],
            "valid_from": away.valid_from.isoformat(),
            "valid_to": away.valid_to.isoformat(),
        },
    )
    return away


def end_absence(who: Principal, office: str, key: str) -> absences.Away:
    """End an absence from today (`key`: "<role>#<id>" as the admin page posts it); NotFound for
    an unknown one, Conflict for one already over."""
    role, _, absence_id = key.partition("#")
    away = absences.end(office, role, absence_id, who.username)
    if away.cancelled:
        days = {"valid_from": away.valid_from.isoformat(), "valid_to": away.valid_to.isoformat()}
        office_log.write(office, who, "absence_cancelled", role, {"role": role, **days})
    else:
        office_log.write(
            office, who, "absence_ended", role, {"role": role, "valid_to": away.valid_to.isoformat()}
        )
    return away
