"""What a renderer prints, as plain values: the one typed object every product's renderer takes.

`services.issuing` builds a `Facts` from the case, the SOP and the office (the rules of versions,
signatures and numbers live there); a renderer reads only this object and returns PDF bytes. No
model, no database, no reportlab here: the API Lambda may import this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chalicelib.documents.words import rupiah, tanggal
from chalicelib.domain.case_records import Officer
from chalicelib.domain.holder_reports import Report
from chalicelib.domain.records import StepRecords


@dataclass(frozen=True)
class Signature:
    """One signing decision of a signature step, as the case records it."""

    office_title: str  # the signer's position, e.g. "Kepala Dinas Tenaga Kerja"
    signed_by: str  # the staff account (username)
    acting_as: str | None = None  # the delegate's own position, when signing for another
    kind: str | None = None  # a.n. | u.b. | Plt | Plh
    decree: str | None = None
    name: str | None = None  # the signer's full name, as on the staff account
    nip: str | None = None
    signed_at: str | None = None  # when the signing decision was taken (ISO, UTC)
    step: str | None = None  # the SOP step of the signature ("06")

    @property
    def ref(self) -> str:
        """One signing decision: a document is rendered again only for a different one."""
        return "|".join(
            str(x or "") for x in (self.step, self.signed_at, self.signed_by, self.kind, self.decree)
        )

    @property
    def signed_on(self) -> date | None:
        """The office's calendar day of the signature: the date a signed letter carries."""
        if not self.signed_at:
            return None
        from chalicelib.domain.clock import office_today, parse

        return office_today(parse(self.signed_at))


@dataclass(frozen=True)
class OfficeHead:
    """The issuing office as its documents print it (letterhead, place, the name it speaks as)."""

    name: str  # "Kabupaten Pasuruan"
    full_name: str  # "Dinas Tenaga Kerja Kabupaten Pasuruan"
    government: str  # "Pemerintah Kabupaten Pasuruan"
    unit: str  # "Dinas Tenaga Kerja"
    address: str
    phone: str
    fax: str | None = None
    website: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class SignatureBlock:
    """The right-hand block: `position` lines (with a.n. / Plt...), then the name and NIP."""

    place: str
    date_text: str
    position: Sequence[str]
    name: str | None  # None: not signed yet
    nip: str | None
    signed: bool
    decree: str | None = None
    paraf: Sequence[str] = ()  # "Kepala Bidang ... (Nama)" of the officials who initialled it


@dataclass(frozen=True)
class Facts:
    """Everything one product's document may print, read from the case as it stands.

    Form values are read by section and field (`get("cpmi", "nama_lengkap")`) and written as a
    letter writes them (dates in words, money in rupiah); a value nobody gave prints as "-".
    """

    office: OfficeHead
    case_id: str
    product: str  # the product's key in the SOP ("tanda_daftar_bkk")
    product_name: str  # its name in the SOP
    service_title: str
    form: Mapping[str, Any]  # the applicant's form (`requirements.form` of the SOP)
    field_types: Mapping[str, str]  # "section.field" -> the SOP's type (date, money, number...)
    records: Mapping[str, StepRecords]  # what staff recorded, by step ("06")
    officers: Mapping[str, Officer]  # who decided each step, by step ("06")
    issuer: Officer | None  # the officer whose decision issues it; None while nobody has decided
    number: str | None
    registration: str | None  # a registration number besides the letter number (Tanda Daftar BKK)
    signature: Signature | None  # the signing decision of the step that signs it, if signed
    sign: SignatureBlock  # how its signature block reads (draft, own signature, a.n./u.b./Plt/Plh)
    speaker: str  # the position the document speaks for: the signer the SOP names, or the office
    issued_on: date
    valid_until: date | None
    draft: bool  # not yet signed: printed with a DRAF watermark
    verify_url: str  # what its QR code opens
    uploads: Mapping[str, bytes] = field(default_factory=dict)  # the applicant's files it prints
    # The holder's six-monthly reports it stamps in its boxes (domain/holder_reports.Report).
    holder_reports: tuple[Report, ...] = ()

    @property
    def place(self) -> str:
        """Where it is issued, before the date: 'Pasuruan'."""
        return self.office.name.replace("Kabupaten ", "").replace("Kota ", "")

    def raw(self, section: str, field: str) -> Any:
        values = self.form.get(section)
        return values.get(field) if isinstance(values, Mapping) else None

    def get(self, section: str, field: str, default: str = "-") -> str:
        """A form value as a letter writes it: dates in words, money in rupiah, counts as integers."""
        value = self.raw(section, field)
        if value in (None, ""):
            return default
        return shown(value, self.field_types.get(f"{section}.{field}", "text"))

    def entries(self, section: str) -> list[dict[str, Any]]:
        values = self.form.get(section)
        return [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []

    def record(self, key: str) -> Any:
        """What staff recorded under `key`, at the latest step that recorded it."""
        for step in sorted(self.records, reverse=True):
            value = self.records[step].get(key)
            if value not in (None, ""):
                return value
        return None

    def recorded(self, key: str, kind: str = "text", default: str = "-") -> str:
        value = self.record(key)
        return default if value is None else shown(value, kind)

    def officer_of(self, key: str) -> Officer | None:
        """The officer who recorded `key` (the validating officer of a payment), if known."""
        for step in sorted(self.records, reverse=True):
            if self.records[step].get(key) not in (None, ""):
                return self.officers.get(step)
        return None

    def joined(self, *parts: str) -> str:
        return ", ".join(p for p in parts if p and p != "-") or "-"

    def born(self, section: str) -> str:
        return self.joined(self.get(section, "tempat_lahir"), self.get(section, "tanggal_lahir"))


def shown(value: Any, kind: str) -> str:
    """A value as a document prints it, by its SOP type."""
    if kind in ("date", "valid_until"):
        try:
            return tanggal(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if kind == "money" and isinstance(value, int | float):
        return rupiah(float(value))
    if kind == "number" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
