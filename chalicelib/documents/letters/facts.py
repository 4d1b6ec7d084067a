"""What a letter is made of: the case's form and staff records, the office, the signer; and the
Indonesian ways of writing dates, days, money and numbers in words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.documents.letter import MONTHS, Signature, tanggal
from chalicelib.sop.schema import InputField, Office, Product, ServiceStandard

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
ONES = (
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)


def terbilang(number: int) -> str:
    """1500000 -> 'satu juta lima ratus ribu' (nol for 0)."""
    if number < 0:
        return "minus " + terbilang(-number)
    if number == 0:
        return "nol"
    words: list[str] = []
    for size, name in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (1000, "ribu")):
        if number >= size:
            count, number = divmod(number, size)
            words.append("seribu" if size == 1000 and count == 1 else f"{_below_thousand(count)} {name}")
    if number:
        words.append(_below_thousand(number))
    return " ".join(words)


def _below_thousand(number: int) -> str:
    hundreds, rest = divmod(number, 100)
    words = []
    if hundreds:
        words.append("seratus" if hundreds == 1 else f"{ONES[hundreds]} ratus")
    if rest < 12:
        if rest:
            words.append(ONES[rest])
    elif rest < 20:
        words.append(f"{ONES[rest - 10]} belas")
    else:
        tens, ones = divmod(rest, 10)
        words.append(f"{ONES[tens]} puluh" + (f" {ONES[ones]}" if ones else ""))
    return " ".join(words)


def rupiah(amount: float) -> str:
    """1500000 -> 'Rp1.500.000,00'."""
    whole = round(amount * 100)
    rupiahs, sen = divmod(whole, 100)
    return f"Rp{rupiahs:,}".replace(",", ".") + f",{sen:02d}"


def hari(day: date) -> str:
    return DAYS[day.weekday()]


def bulan_tahun(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def clean_label(label: str) -> str:
    """A role label as a letter writes it: without the bracketed short form."""
    return re.sub(r"\s*\([^)]*\)", "", label).strip()


def position(office: Office, role: str) -> str:
    """The position a role signs as; the head of the office names its region."""
    found = office.roles.get(role)
    if found is None:
        return role
    label = clean_label(found.label)
    if found.escalates_to is None and office.name not in label:
        label = f"{label} {office.name}"
    return label


@dataclass(frozen=True)
class Facts:
    """Everything one product's letter may say, read from the case as it stands."""

    office: Office
    sop: ServiceStandard
    case_id: str
    product: Product
    form: dict[str, Any]
    records: dict[str, dict[str, Any]]  # by step ("06")
    officers: dict[str, dict[str, Any]]  # who decided each step: name, nip, role, role_label, at
    number: str | None
    registration: str | None
    signature: Signature | None
    issued_on: date

    @property
    def place(self) -> str:
        return self.office.name.replace("Kabupaten ", "").replace("Kota ", "")

    def spec(self, section: str, field: str) -> InputField | None:
        for candidate in self.sop.requirements.form:
            if candidate.key == section:
                return next((f for f in candidate.fields if f.key == field), None)
        return None

    def raw(self, section: str, field: str) -> Any:
        values = self.form.get(section)
        return values.get(field) if isinstance(values, dict) else None

    def get(self, section: str, field: str, default: str = "-") -> str:
        """A form value as a letter writes it: dates in words, money in rupiah, counts as integers."""
        value = self.raw(section, field)
        if value in (None, ""):
            return default
        spec = self.spec(section, field)
        return _shown(value, spec.type if spec else "text")

    def entries(self, section: str) -> list[dict[str, Any]]:
        values = self.form.get(section)
        return [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []

    def record(self, key: str) -> Any:
        """What staff recorded under `key`, at the latest step that recorded it."""
        for step in sorted(self.records, reverse=True):
            values = self.records[step] or {}
            if values.get(key) not in (None, ""):
                return values[key]
        return None

    def recorded(self, key: str, kind: str = "text", default: str = "-") -> str:
        value = self.record(key)
        return default if value is None else _shown(value, kind)

    def officer_of(self, key: str) -> dict[str, Any]:
        """The officer who recorded `key` (the validating officer of a payment)."""
        for step in sorted(self.records, reverse=True):
            if (self.records[step] or {}).get(key) not in (None, ""):
                return self.officers.get(step) or {}
        return {}

    def joined(self, *parts: str) -> str:
        return ", ".join(p for p in parts if p and p != "-") or "-"

    def born(self, section: str) -> str:
        return self.joined(self.get(section, "tempat_lahir"), self.get(section, "tanggal_lahir"))

    @property
    def speaker(self) -> str:
        """The position the document speaks for: the signer the SOP names (not a delegate)."""
        from chalicelib.documents.letters import signing_step

        step = signing_step(self.sop, self.product.key)
        if step is not None and step.signing is not None:
            return position(self.office, step.signing.signer)
        return self.office.full_name


def _shown(value: Any, kind: str) -> str:
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
