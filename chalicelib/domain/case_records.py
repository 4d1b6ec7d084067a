"""What a case keeps of its staff decisions and of what the office issued, as typed records.

A case (`adapters/models.Case`) holds four maps; the three records here and `StepRecords`
(`domain/records.py`) are their values:

- `Case.officers`:   step ("06") -> `Officer`, who decided the step;
- `Case.records`:    step ("06") -> `StepRecords`, what staff recorded on it;
- `Case.signatures`: step ("06") -> `Signing`, who signed it, for whom and under which decree;
- `Case.products`:   the SOP product's `key` ("kartu_ak1") -> `IssuedDocument`.

Steps are the SOP step number as two digits. The table stores each map as the JSON text of plain
objects (`as_dict` gives one record's object, `from_dict` reads one back); the keys and values of
that JSON are a contract with existing items and with Step Functions, which hears the records and
the signature of a decision, so they do not change. `from_dict` takes an object written by any
version of Loket: a key it lacks gets its default, a key it does not know is ignored.

No I/O here: the documents' code reads these records too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


@dataclass(frozen=True)
class Officer:
    """Who decided a step (an SOP step's `actors`), written by the decision itself.

    Stored as `{"username", "name", "nip", "role", "role_label", "decision", "at"}`, every key
    present (`null` for a name or NIP the staff account lacks).
    """

    username: str = ""  # the staff account ("kab-pasuruan.pengantar_kerja.siti")
    name: str | None = None  # full name on the staff account
    nip: str | None = None  # Nomor Induk Pegawai, 18 digits
    role: str = ""  # the office role they acted as (office.yaml `roles`): their own, or a delegate's
    role_label: str | None = None  # that role's label in office.yaml ("Pengantar Kerja Ahli Muda")
    decision: str | None = None  # the SOP outcome taken: approve | forward | return | reject
    at: str | None = None  # when it was decided: ISO 8601, UTC ("2026-03-02T03:04:05.123Z")

    @property
    def shown_name(self) -> str | None:
        """The name a page or a document prints: the full name, else the account."""
        return self.name or self.username or None

    def as_dict(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "name": self.name,
            "nip": self.nip,
            "role": self.role,
            "role_label": self.role_label,
            "decision": self.decision,
            "at": self.at,
        }

    @classmethod
    def from_dict(cls, stored: Mapping[str, Any]) -> Officer:
        return cls(
            username=str(stored.get("username") or ""),
            name=_text(stored.get("name")),
            nip=_text(stored.get("nip")),
            role=str(stored.get("role") or ""),
            role_label=_text(stored.get("role_label")),
            decision=_text(stored.get("decision")),
            at=_text(stored.get("at")),
        )


@dataclass(frozen=True)
class Signing:
    """Who took the signing decision of a step: in their own right (`for_role` None), or for the
    signer the SOP's `signing` rule names, as a.n. / u.b. / Plt / Plh, under a decree or as the
    rule's substitute. A signature step signed in one's own right has `for_role`, `kind` and
    `decree` None.

    Stored as `{"signed_by", "as_role", "for_role", "kind", "decree"}`, every key present, plus
    `absence` ("cuti, 2 Juni 2026") when a substitute signed while the signer was away; Step
    Functions hears the same object as the decision's `signature`.
    """

    signed_by: str = ""  # the staff account that decided
    as_role: str = ""  # the office role they signed as (their own; a delegate's own role)
    for_role: str | None = None  # the signer they signed for (the SOP's `signing.signer`), if not themselves
    kind: str | None = None  # a.n. | u.b. | Plt | Plh (the decree's or the substitute rule's kind)
    decree: str | None = None  # the delegation decree (SK) they acted under; None for a substitute
    absence: str | None = None  # the signer's recorded absence a substitute acted under (ADR 0022)

    def as_dict(self) -> dict[str, Any]:
        stored = {
            "signed_by": self.signed_by,
            "as_role": self.as_role,
            "for_role": self.for_role,
            "kind": self.kind,
            "decree": self.decree,
        }
        if self.absence:
            stored["absence"] = self.absence
        return stored

    @classmethod
    def from_dict(cls, stored: Mapping[str, Any]) -> Signing:
        return cls(
            signed_by=str(stored.get("signed_by") or ""),
            as_role=str(stored.get("as_role") or ""),
            for_role=_text(stored.get("for_role")),
            kind=_text(stored.get("kind")),
            decree=_text(stored.get("decree")),
            absence=_text(stored.get("absence")),
        )


@dataclass(frozen=True)
class IssuedDocument:
    """One product of the SOP as the office issued it: its number, its latest version in the
    archive, whether it is final, and whether the applicant may download it.

    Its life (`services/issuing.py`, the worker's tasks): a `number_letter` step gives it its
    `number` (and `name`); each rendering writes a new `version` (`key`, `verify_id`, `signed`,
    `signature_ref`); the first final version adds `issued_on` and `valid_until`;
    `publish_download` and a completed case set `downloadable`.

    Stored as a JSON object holding only what has happened, in this order: `number`,
    `registration`, `name` when set; `key`, `version`, `verify_id`, `signed`, `signature_ref`
    once rendered (`signature_ref` null on a draft); `issued_on`, `valid_until` once final
    (`valid_until` null when it does not expire); `downloadable` once published.
    """

    number: str | None = None  # its letter or card number (the office's register, its own, or recorded)
    registration: str | None = None  # a registration number besides it (Tanda Daftar BKK), once final
    name: str | None = None  # the product's name in the SOP ("Kartu Tanda Pencari Kerja (AK/I)")
    key: str | None = None  # object key of its latest version: "cases/<case>/<product>/v<version>.pdf"
    version: int = 0  # versions rendered so far (v1, v2...); 0 before the first
    verify_id: str | None = None  # the unguessable id its QR code opens (services/verification)
    signed: bool = False  # final: signed, or issued in an officer's name; False for a draft (DRAF)
    signature_ref: str | None = None  # the decision that made this version final; None for a draft
    issued_on: date | None = None  # the office day it carries, once final
    valid_until: date | None = None  # its last valid day, once final; None when it does not expire
    downloadable: bool = False  # published: the applicant may download it from the status page

    @property
    def rendered(self) -> bool:
        """A PDF of it is in the archive."""
        return self.key is not None

    def as_dict(self) -> dict[str, Any]:
        stored: dict[str, Any] = {}
        if self.number is not None:
            stored["number"] = self.number
        if self.registration is not None:
            stored["registration"] = self.registration
        if self.name is not None:
            stored["name"] = self.name
        if self.key is not None:
            stored["key"] = self.key
            stored["version"] = self.version
            stored["verify_id"] = self.verify_id
            stored["signed"] = self.signed
            stored["signature_ref"] = self.signature_ref
        if self.issued_on is not None:
            stored["issued_on"] = self.issued_on.isoformat()
            stored["valid_until"] = self.valid_until.isoformat() if self.valid_until else None
        if self.downloadable:
            stored["downloadable"] = True
        return stored

    @classmethod
    def from_dict(cls, stored: Mapping[str, Any]) -> IssuedDocument:
        return cls(
            number=_text(stored.get("number")),
            registration=_text(stored.get("registration")),
            name=_text(stored.get("name")),
            key=_text(stored.get("key")),
            version=int(stored.get("version") or 0),
            verify_id=_text(stored.get("verify_id")),
            signed=bool(stored.get("signed")),
            signature_ref=_text(stored.get("signature_ref")),
            issued_on=_day(stored.get("issued_on")),
            valid_until=_day(stored.get("valid_until")),
            downloadable=bool(stored.get("downloadable")),
        )
