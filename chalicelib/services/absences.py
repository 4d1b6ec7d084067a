"""Absences (berhalangan) of an office role's holder, recorded by the office administrator.

An SOP may name substitutes for a signature "jika Kasie ... berhalangan" (Kabupaten Pasuruan,
Rekomendasi Paspor CPMI step 9). A substitute approves only while the holder's absence is
recorded here for today (or under a delegation decree, `services/delegations.py`); the signature
block then reads "Plh." (or the SOP's mark) and the decision's audit event says which absence
(ADR 0022). Days are office days (WIB) and both ends count.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from chalicelib.adapters.models import Absence, Counter
from chalicelib.adapters.transact import Refused, Write, write_all
from chalicelib.domain import teks
from chalicelib.domain.clock import iso, office_today
from chalicelib.domain.tanggal import tanggal
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.sop.loader import load_office

REASONS = {
    "cuti": "cuti",
    "dinas_luar": "dinas luar",
    "sakit": "sakit",
    "lainnya": "berhalangan",
}
"""Why the holder is away (the keys stored), as the signature note and the admin page say it."""
MAX_NOTE = 200
LONGEST_DAYS = 366
"""An absence longer than a year is a vacancy (Plt by decree), not berhalangan."""


@dataclass(frozen=True)
class Away:
    """One recorded absence: the role, why, and its first and last day."""

    absence_id: str
    role: str
    reason: str
    valid_from: date
    valid_to: date
    note: str | None = None
    # `record` found this very absence already recorded (a form sent twice): nothing was written
    repeated: bool = field(default=False, compare=False)
    ended_by: str | None = field(default=None, compare=False)  # who ended or cancelled it
    cancelled: bool = field(default=False, compare=False)  # cancelled before it began: never counted

    def summary(self) -> str:
        """How the audit trail and the letter say it: "cuti, 2 Juni 2026 s.d. 4 Juni 2026"."""
        days = tanggal(self.valid_from, full_month=True)
        if self.valid_to != self.valid_from:
            days += f" s.d. {tanggal(self.valid_to, full_month=True)}"
        return f"{REASONS.get(self.reason, 'berhalangan')}, {days}"


def _away(item: Absence) -> Away:
    return Away(
        absence_id=item.SK.rsplit("#", 1)[-1],
        role=item.role,
        reason=item.reason,
        valid_from=date.fromisoformat(item.valid_from),
        valid_to=date.fromisoformat(item.valid_to),
        note=item.note,
        ended_by=item.ended_by,
        cancelled=bool(item.cancelled_at),
    )


def _counts(item: Absence) -> bool:
    """Whether the absence counts on its days: not cancelled (an ended one counts until the day
    it was ended, `valid_to` moved there)."""
    return not item.cancelled_at


def _all(office: str) -> list[Absence]:
    """The office's absences as stored now (a consistent read: `record`'s overlap check, run again
    after a rival moved the register, must see the rival)."""
    found = Absence.query(
        Absence.partition(office), Absence.SK.startswith(Absence.PREFIX), consistent_read=True
    )
    return [a for a in found if isinstance(a, Absence)]


def record(
    office: str,
    role: str,
    reason: str,
    valid_from: date,
    valid_to: date,
    created_by: str,
    note: str = "",
    roles: frozenset[str] | None = None,
) -> Away:
    """Record that the holder of `role` is away from `valid_from` to `valid_to` (inclusive).

    `roles`: the office's roles, when the caller checks the role exists. Raises InvalidInput
    (Indonesian message, with the form field) for an unknown role or reason, days in the wrong
    order, a start before yesterday, a span over LONGEST_DAYS, or days that overlap another
    absence of the same role. The same absence recorded again (a form sent twice, even at once)
    is one record: the kept one is returned with `repeated` set, nothing is written."""
    if roles is not None and role not in roles:
        raise InvalidInput("Pilih jabatan dari daftar.", field="role")
    if reason not in REASONS:
        raise InvalidInput("Pilih alasan berhalangan dari daftar.", field="reason")
    if valid_to < valid_from:
        raise InvalidInput("Tanggal akhir tidak boleh sebelum tanggal mulai.", field="valid_to")
    if valid_from < office_today() - timedelta(days=1):
        raise InvalidInput(
            "Ketidakhadiran tidak dapat dicatat mundur lebih dari satu hari.", field="valid_from"
        )
    if (valid_to - valid_from).days >= LONGEST_DAYS:
        raise InvalidInput(
            "Berhalangan lebih dari setahun: angkat Plt dengan SK pendelegasian.", field="valid_to"
        )
    cleaned = teks.isian(note, "Keterangan", "catatan", field="note", max_length=MAX_NOTE) if note else ""
    wanted = (valid_from.isoformat(), valid_to.isoformat())
    # The same absence sent twice at once (a double click) gets one key, so one write wins.
    same = hashlib.sha256("|".join((role, *wanted, reason, cleaned)).encode()).hexdigest()[:12]
    for _attempt in range(GUARD_ATTEMPTS):
        seen = _register(office, role)
        for kept in _all(office):
            if (
                not _counts(kept)
                or kept.role != role
                or kept.valid_to < wanted[0]
                or wanted[1] < kept.valid_from
            ):
                continue
            if (kept.valid_from, kept.valid_to, kept.reason, kept.note or "") == (*wanted, reason, cleaned):
                return replace(_away(kept), repeated=True)  # the same form again: one record
            raise InvalidInput(
                f"{_label(office, role)} sudah dicatat berhalangan pada hari-hari itu "
                f"({_away(kept).summary()}). Satu jabatan tidak dapat dicatat dua kali untuk hari yang "
                "sama: ubah tanggalnya, atau akhiri/batalkan catatan yang ada lebih dulu.",
                field="valid_from",
            )
        item = Absence(
            *Absence.key(office, role, same),
            office=office,
            role=role,
            reason=reason,
            note=cleaned or None,
            valid_from=wanted[0],
            valid_to=wanted[1],
            created_by=created_by,
            created_at=iso(),
        )
        try:
            write_all(
                [_advance(office, role, seen), Write("save", item, condition=Absence.SK.does_not_exist())]
            )
            return _away(item)
        except Refused as refused:
            if refused.write.model is not item:
                continue  # another absence of this role was recorded since the check: check again
        kept = Absence.get(*Absence.key(office, role, same), consistent_read=True)
        if (kept.valid_from, kept.valid_to) == wanted and _counts(kept):
            return replace(_away(kept), repeated=True)
        # that key's absence was ended or cancelled since: this one is new, under a key of its own
        same = secrets.token_hex(6)
    raise Conflict("Catatan berhalangan jabatan ini sedang diubah orang lain; coba lagi.")


GUARD_ATTEMPTS = 3
"""How often `record` checks the role's absences again when another was recorded meanwhile."""


def _register(office: str, role: str) -> int:
    """How many absences of `role` were recorded so far (the role's register, 0 before the first):
    `record` writes only while it is still what its overlap check saw."""
    try:
        return int(Counter.get(*_register_key(office, role), consistent_read=True).value)
    except Counter.DoesNotExist:
        return 0


def _register_key(office: str, role: str) -> tuple[str, str]:
    return Counter.key(office, f"berhalangan-{role}", 0)


def _advance(office: str, role: str, seen: int) -> Write:
    """The register's step from `seen`, refused when another absence of the role came first: two
    different absences of one role sent at once cannot both pass the overlap check."""
    register = Counter(*_register_key(office, role))
    condition = Counter.value == seen if seen else Counter.value.does_not_exist() | (Counter.value == 0)
    return Write("update", register, condition=condition, actions=[Counter.value.set(seen + 1)])


def _fields(item: Absence) -> dict[str, Any]:
    return {
        name: getattr(item, name)
        for name in ("office", "role", "reason", "note", "valid_from", "valid_to", "created_by", "created_at")
    }


def _label(office: str, role: str) -> str:
    """The role's label in office.yaml ("Kepala Seksi Perlindungan"), else its id."""
    roles = load_office(office).roles
    return roles[role].label if role in roles else role


def current(office: str, role: str, on: date | None = None) -> Away | None:
    """The absence of `role`'s holder recorded for `on` (default: today, office time), if any;
    the one ending last when several overlap."""
    day = (on or office_today()).isoformat()
    live = [a for a in _all(office) if a.role == role and _counts(a) and a.valid_from <= day <= a.valid_to]
    live.sort(key=lambda a: a.valid_to)
    return _away(live[-1]) if live else None


def of_office(office: str, on: date | None = None, this_year: bool = False) -> list[tuple[Away, str]]:
    """Every absence of the office, newest start first, each with its state on `on` (default
    today): "active", "future", "ended" (its last day passed, or ended early) or "cancelled"
    (cancelled before it began). `this_year`: only those whose last day is in `on`'s year or
    later, so the admin page keeps this year's ended ones in sight and not every earlier one."""
    day = on or office_today()
    found = sorted(
        (
            (_away(a), _counts(a))
            for a in _all(office)
            if not this_year or date.fromisoformat(a.valid_to).year >= day.year
        ),
        key=lambda pair: pair[0].valid_from,
        reverse=True,
    )
    return [
        (
            a,
            "cancelled"
            if not counts
            else "active"
            if a.valid_from <= day <= a.valid_to
            else "future"
            if day < a.valid_from
            else "ended",
        )
        for a, counts in found
    ]


def end(office: str, role: str, absence_id: str, ended_by: str) -> Away:
    """End an absence from today: it counted until yesterday; one that had not begun before
    today is cancelled (it never counted, `Away.cancelled`), and stays listed as such. Raises
    NotFound for an unknown one, Conflict for one already over or cancelled."""
    try:
        item = Absence.get(*Absence.key(office, role, absence_id), consistent_read=True)
    except Absence.DoesNotExist:
        raise NotFound("Catatan berhalangan tidak ditemukan.") from None
    today = office_today()
    if item.cancelled_at:
        raise Conflict("Catatan berhalangan ini sudah dibatalkan.")
    if item.valid_to < today.isoformat():
        raise Conflict("Masa berhalangan ini sudah berakhir.")
    if item.valid_from >= today.isoformat():
        item.update(actions=[Absence.cancelled_at.set(iso()), Absence.ended_by.set(ended_by)])
        return _away(item)
    item.update(
        actions=[
            Absence.valid_to.set((today - timedelta(days=1)).isoformat()),
            Absence.ended_by.set(ended_by),
            Absence.ended_at.set(iso()),
        ]
    )
    return _away(item)
