"""Public verification of issued documents: the QR code on a card opens what this module answers.

Each issued card or letter gets one unguessable id (kept on the case's product, so a new version
keeps its QR code). The public sees valid / expired / revoked, the document, its number, the
office, the dates and a masked name; nothing else of the holder. Staff of the issuing office may
revoke it, with a reason that stays in the audit trail.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
from datetime import date
from typing import Any

from chalicelib import errors
from chalicelib.adapters.models import AuditEvent, Credential
from chalicelib.adapters.transact import Refused, Write, write_one
from chalicelib.domain.clock import iso, office_today
from chalicelib.services import audit
from chalicelib.settings import get_settings

VERIFY_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class NotFound(errors.NotFound):
    """No document has this verification id (or a draft, which verifies nothing)."""

    def __init__(self, verify_id: str) -> None:
        super().__init__("Dokumen tidak ditemukan. Periksa kembali kode QR atau tautannya.")
        self.verify_id = verify_id


def id_for(case_id: str, product: str) -> str:
    """The same id for the same document (a retried task registers nothing new), and one that
    cannot be guessed or turned back into the case id (the case id is itself unguessable)."""
    digest = hashlib.sha256(f"loket-verify\x00{case_id}\x00{product}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def verify_url(verify_id: str) -> str:
    return f"{get_settings().public_site_url.rstrip('/')}/cek.html?id={verify_id}"


def mask_name(name: str) -> str:
    """'BUDI SANTOSO' -> 'BU** SA*****': enough to match a person in front of you, not to find one."""
    return " ".join(word[:2] + "*" * max(0, len(word) - 2) for word in name.split()) or "-"


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def new_credential(
    verify_id: str,
    *,
    case_id: str,
    office: str,
    product: str,
    document: str,
    number: str | None,
    holder_name: str,
    issued_on: date,
    valid_until: date | None,
) -> Credential:
    """What the document's QR code will show, not yet written: the holder's name masked."""
    return Credential(
        *Credential.key(verify_id),
        verify_id=verify_id,
        case_id=case_id,
        office=office,
        product=product,
        document=document,
        number=number,
        holder=mask_name(holder_name),
        issued_on=issued_on.isoformat(),
        valid_until=valid_until.isoformat() if valid_until else None,
    )


def register(verify_id: str, **details: Any) -> Credential:
    """Record (once) what the document's QR code will show (`new_credential`'s arguments in
    `details`); a repeat returns the first record."""
    credential = new_credential(verify_id, **details)
    try:
        write_one(Write("save", credential, condition=Credential.PK.does_not_exist()))
    except Refused:
        return Credential.get(*Credential.key(verify_id), consistent_read=True)
    return credential


def credential(verify_id: str) -> Credential | None:
    """The verification record of `verify_id` (consistent read), or None."""
    try:
        return Credential.get(*Credential.key(verify_id), consistent_read=True)
    except Credential.DoesNotExist:
        return None


# What staff pages say of each status (the staff case page, a NIK's earlier cards): Indonesian.
STATUS_TEXT = {
    "valid": "Berlaku",
    "expired": "Kedaluwarsa",
    "revoked": "Dicabut",
    "superseded": "Digantikan",
    "closed": "Ditutup (sudah bekerja)",
}


def status_of(credential: Credential, today: date | None = None) -> str:
    """valid | expired | revoked | superseded (a card re-issued to its holder: services/one_card)
    | closed (its holder reported work: services/holder.py)."""
    if credential.revoked_at:
        return "revoked"
    if credential.superseded_at:
        return "superseded"
    if credential.closed_at:
        return "closed"
    if credential.valid_until and (today or office_today()) > date.fromisoformat(credential.valid_until):
        return "expired"
    return "valid"


def lookup(verify_id: str) -> dict[str, Any]:
    """What the public verification page shows."""
    if not VERIFY_ID.fullmatch(verify_id or ""):
        raise NotFound(verify_id)
    try:
        credential = Credential.get(*Credential.key(verify_id))
    except Credential.DoesNotExist:
        raise NotFound(verify_id) from None
    from chalicelib.sop.loader import load_office

    return {
        "status": status_of(credential),
        "document": credential.document,
        "number": credential.number,
        "name": credential.holder,
        "office": load_office(credential.office).full_name,
        "issued_on": credential.issued_on,
        "valid_until": credential.valid_until,
        "revoked_at": credential.revoked_at[:10] if credential.revoked_at else None,
        # A superseded card names the card that replaced it (its number), nothing of the person.
        "superseded_by": (credential.superseded_number or None) if credential.superseded_at else None,
        "superseded_at": credential.superseded_at[:10] if credential.superseded_at else None,
        # A closed card says only when: never the employer (the holder's own business).
        "closed_at": credential.closed_at[:10] if credential.closed_at else None,
    }


def revoke(verify_id: str, office: str, by: str, role: str, reason: str) -> Credential:
    """Revoke once; the QR code answers 'revoked' from now on. A second revocation changes nothing
    but completes what a first one that failed part-way left undone (its audit event, freeing the
    NIK). Raises ValueError without a reason, NotFound for a credential of no such id or of
    another office."""
    if not reason.strip():
        raise ValueError("Tuliskan alasan pencabutan.")
    try:
        credential = Credential.get(*Credential.key(verify_id), consistent_read=True)
    except Credential.DoesNotExist:
        raise NotFound(verify_id) from None
    if credential.office != office:
        raise NotFound(verify_id)
    revoked = [
        Credential.revoked_at.set(iso()),
        Credential.revoked_by.set(by),
        Credential.revoked_reason.set(reason.strip()),
    ]
    try:
        write_one(
            Write("update", credential, condition=Credential.revoked_at.does_not_exist(), actions=revoked)
        )
    except Refused:  # revoked already (a second click, or another officer): as it was revoked
        credential = Credential.get(*Credential.key(verify_id), consistent_read=True)
    # Every click completes what follows the revocation, each once: a click repeated after one that
    # failed past the revocation (DynamoDB busy: 503) skipped both for good. The event is the
    # revocation's own (who, when, why, as stored), written only if absent.
    event = audit.event(
        credential.case_id,
        str(credential.revoked_by or by),
        role,
        "-",
        "revoke",
        str(credential.revoked_reason or reason.strip()),
        {"product": credential.product},
        at=credential.revoked_at,
        event_id=f"cabut-{verify_id}",
    )
    with contextlib.suppress(Refused):  # written by the click before
        write_one(Write("save", event, condition=AuditEvent.PK.does_not_exist()))
    from chalicelib.services import one_card

    one_card.revoked(credential)  # a revoked card no longer stands in the way of a new one
    return credential
