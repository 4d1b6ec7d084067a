"""Revoking a card (services/verification.revoke) when DynamoDB fails part-way: the revocation
landed, then its audit event failed (503); the next click found the card revoked and returned at
once, so the trail never said who revoked it and why, and the NIK's card in force was never freed."""

from __future__ import annotations

import pytest

from chalicelib.adapters.models import AuditEvent, Credential
from chalicelib.errors import Unavailable
from chalicelib.services import audit, one_card, verification
from tests.helpers import busy_once


def _credential() -> Credential:
    credential = Credential(
        *Credential.key("v-cabut-0001"),
        verify_id="v-cabut-0001",
        case_id="c-cabut-0001",
        office="kab-pasuruan",
        product="kartu_ak1",
        document="Kartu AK/I",
        number="AK1/0001",
        holder="SI** RA****",
        issued_on="2026-11-30",
    )
    credential.save()
    return credential


def test_a_revocation_whose_audit_event_failed_is_completed_by_the_next_click(
    aws: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _credential()
    freed: list[str] = []
    busy_once(monkeypatch, AuditEvent, "save", lambda event, *args, **kwargs: event.action == "revoke")
    monkeypatch.setattr(one_card, "revoked", lambda credential: freed.append(credential.verify_id))
    with pytest.raises(Unavailable):
        verification.revoke("v-cabut-0001", "kab-pasuruan", "kasi.satu", "kasi_penempatan", "Data palsu")
    assert freed == []  # stopped at the event
    for by in ("kasi.satu", "kasi.dua"):  # the next click, and another officer's
        verification.revoke("v-cabut-0001", "kab-pasuruan", by, "kasi_penempatan", "Lain")
    stored = Credential.get(*Credential.key("v-cabut-0001"), consistent_read=True)
    events = [e for e in audit.trail("c-cabut-0001") if e.action == "revoke"]
    assert [(e.actor, e.note, e.at) for e in events] == [("kasi.satu", "Data palsu", stored.revoked_at)]
    assert (stored.revoked_by, stored.revoked_reason) == ("kasi.satu", "Data palsu")
    assert freed == ["v-cabut-0001", "v-cabut-0001"]  # freeing the NIK is itself idempotent
