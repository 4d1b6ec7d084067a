"""Delegation decrees (SK pendelegasian): who may act for a role, between which dates, and how.

Office time is WIB (UTC+7) for both seeded offices: a decree "until 30 November" covers the
whole of that day in the office, not in UTC.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from chalicelib.adapters.models import Delegation
from chalicelib.domain.clock import iso, office_today
from chalicelib.errors import InvalidInput

KINDS = ("a.n.", "u.b.", "Plt", "Plh")


class DelegationError(InvalidInput):
    """A decree that cannot be recorded; the message is Indonesian."""


@dataclass(frozen=True)
class Grant:
    from_role: str
    delegate_role: str | None
    kind: str
    decree: str

    def summary(self) -> dict[str, Any]:
        return {"delegate_role": self.delegate_role, "kind": self.kind, "decree": self.decree}


def record(
    office: str,
    from_role: str,
    delegate: str,
    kind: str,
    decree: str,
    valid_from: date,
    valid_to: date,
    created_by: str,
    delegate_role: str | None = None,
) -> Delegation:
    """Record a decree; the office administrator's page and the tests use this."""
    if kind not in KINDS:
        raise DelegationError(f"Jenis pelimpahan harus salah satu dari {', '.join(KINDS)}.")
    if not decree.strip():
        raise DelegationError("Nomor SK pendelegasian wajib diisi.")
    if valid_to < valid_from:
        raise DelegationError("Tanggal akhir tidak boleh sebelum tanggal mulai.")
    item = Delegation(
        *Delegation.key(office, delegate, secrets.token_hex(6)),
        office=office,
        from_role=from_role,
        delegate=delegate,
        delegate_role=delegate_role,
        delegation_kind=kind,
        decree=decree.strip(),
        valid_from=valid_from.isoformat(),
        valid_to=valid_to.isoformat(),
        created_by=created_by,
        created_at=iso(),
    )
    item.save()
    return item


def active_for(office: str, username: str, on: date | None = None) -> list[Grant]:
    """The decrees that let `username` act for another role of `office` today."""
    day = (on or office_today()).isoformat()
    found = Delegation.query(
        Delegation.partition(office), Delegation.SK.startswith(f"{Delegation.PREFIX}{username}#")
    )
    return [
        Grant(d.from_role, d.delegate_role, d.delegation_kind, d.decree)
        for d in found
        if isinstance(d, Delegation) and d.valid_from <= day <= d.valid_to
    ]


def end_bounds(item: Delegation, today: date | None = None) -> tuple[date, date]:
    """The earliest and latest last day an administrator may give when ending a decree early.

    The last day counts (the decree stops from the next day). It is not before the decree starts
    nor after its current end, and not before yesterday: ending can stop a decree from today on,
    but not rewrite further back which days it covered.
    """
    day = today or office_today()
    start = date.fromisoformat(item.valid_from)
    return max(start, day - timedelta(days=1)), date.fromisoformat(item.valid_to)
