"""The office's administration log: one OfficeEvent (PK `OFFICE#<office>`, SK `AUDIT#<at>#<id>`)
per change to an account, a decree, a kept SOP file or an action of the operator's desk, shown at the
bottom of the admin page."""

from __future__ import annotations

import secrets
from typing import Any

from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import OfficeEvent
from chalicelib.domain.clock import iso
from chalicelib.domain.tanggal import tanggal

LOG_LIMIT = 50

ACTIONS = {
    "account_created": "Akun dibuat",
    "role_added": "Peran ditambahkan",
    "role_removed": "Peran dicabut",
    "disabled": "Akun dinonaktifkan",
    "enabled": "Akun diaktifkan",
    "decree": "SK pendelegasian dicatat",
    "decree_ended": "SK pendelegasian diakhiri",
    "absence": "Pejabat berhalangan dicatat",
    "absence_ended": "Catatan berhalangan diakhiri",
    "absence_cancelled": "Catatan berhalangan dibatalkan",
    "sop_kept": "Berkas SOP disimpan",
    "joint_leave": "SKB cuti bersama dicatat",
    "dlq_retry": "Pesan dead-letter dikirim ulang",
    "dlq_redrive": "Semua pesan dead-letter kantor dikirim ulang",
    "case_restarted": "Berkas dimulai ulang",
    "decision_resent": "Keputusan dikirim ulang ke mesin alur",
}
# What the operator's desk did (services/administration/operator.py): listed on the desk too.
DESK_ACTIONS = frozenset({"dlq_retry", "dlq_redrive", "case_restarted", "decision_resent"})
DETAILS = {
    "name": "nama",
    "email": "email",
    "roles": "peran",
    "role": "peran",
    "from_role": "peran dilimpahkan",
    "delegate": "penerima",
    "delegate_role": "peran penerima",
    "kind": "jenis",
    "valid_from": "mulai",
    "valid_to": "sampai",
    "old_valid_to": "semula sampai",
    "new_valid_to": "kini berlaku terakhir",
    "reason": "alasan",
    "service": "layanan",
    "sha256": "SHA-256",
    "summary": "hasil periksa",
    "message_id": "pesan",
    "task": "tugas",
    "step": "langkah",
    "execution": "alur baru",
    "cases": "berkas",
    "skipped": "tetap di antrean",
    "decision": "keputusan",
    "year": "tahun",
    "days": "hari cuti bersama",
}


def event(
    office: str, who: Principal, action: str, subject: str, details: dict[str, Any] | None
) -> OfficeEvent:
    """One log line, not yet saved (for the caller's transaction). `action` is a key of ACTIONS;
    `details` maps keys of DETAILS to what changed (an account's name and email at most, never a NIK)."""
    at = iso()
    return OfficeEvent(
        *OfficeEvent.key(office, at, secrets.token_hex(4)),
        office=office,
        at=at,
        actor=who.username,
        action=action,
        subject=subject,
        details=details or None,
    )


def write(office: str, who: Principal, action: str, subject: str, details: dict[str, Any] | None) -> None:
    """Write one log line on its own (a change Cognito made cannot share a DynamoDB transaction)."""
    event(office, who, action, subject, details).save()


def log(office: str, limit: int = LOG_LIMIT) -> list[OfficeEvent]:
    """The office's administration log, newest first."""
    events = OfficeEvent.query(
        OfficeEvent.partition(office),
        OfficeEvent.SK.startswith(OfficeEvent.PREFIX),
        scan_index_forward=False,
        limit=limit,
    )
    return [e for e in events if isinstance(e, OfficeEvent)]


ROLE_DETAILS = frozenset({"role", "roles", "from_role", "delegate_role"})
"""Details that hold office role ids: shown by the role's label (office.yaml)."""
DATE_DETAILS = frozenset({"valid_from", "valid_to", "old_valid_to", "new_valid_to"})
"""Details that hold a day (ISO): shown in the one Indonesian format (domain/tanggal.py)."""
ROLE_SUBJECTS = frozenset({"absence", "absence_ended", "absence_cancelled"})
"""Actions whose subject is a role id."""


def shown(office: str, events: list[OfficeEvent]) -> list[dict[str, Any]]:
    """The log as the admin page prints it: each line {at (ISO, the page writes it in WIB),
    actor, action (ACTIONS' words), subject, details: [(label, value)]}, with role ids as their
    labels and days as `2 Jun 2026`; a value it cannot read is shown as kept."""
    from chalicelib.services.administration.offices import roles

    labels = roles(office)

    def value(key: str, kept: Any) -> str:
        if key in ROLE_DETAILS:
            ids = kept if isinstance(kept, list) else [kept]
            return ", ".join(labels.get(str(r), str(r)) for r in ids)
        if key in DATE_DETAILS and isinstance(kept, str) and tanggal(kept) != "–":
            return tanggal(kept)
        if key == "days" and isinstance(kept, str):  # "2026-03-30, 2026-03-31" (joint_leave.py)
            days = [d.strip() for d in kept.split(",")]
            return ", ".join(tanggal(d) if tanggal(d) != "–" else d for d in days)
        if isinstance(kept, list):
            return ", ".join(str(v) for v in kept)
        return str(kept)

    return [
        {
            "at": e.at,
            "actor": e.actor,
            "action": ACTIONS.get(e.action, e.action),
            "subject": labels.get(e.subject, e.subject) if e.action in ROLE_SUBJECTS else e.subject,
            "details": [(DETAILS.get(k, k), value(k, v)) for k, v in (e.details or {}).items()],
        }
        for e in events
    ]
