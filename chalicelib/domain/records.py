"""Values staff record on a step (what they saw in a national system), checked by field type."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Protocol

from chalicelib.domain import teks
from chalicelib.domain.clock import office_today
from chalicelib.domain.tanggal import tanggal

RecordValue = str | int | float
"""One value staff recorded, typed by its SOP field: a number or money as a number (rupiah), a
whole number as an int so it reads as typed ("36", never "36.0": `as_typed`), a date
as ISO text (TTTT-BB-HH), anything else (text, a choice, a NIK, a national reference) as text."""

StepRecords = dict[str, RecordValue]
"""What staff recorded on one step: the SOP record field's `key` -> its value; a field left empty
is absent. A case keeps one per step (`Case.records`, by step "06")."""

DATE_TYPES = ("date", "valid_until")
VALID_UNTIL_YEARS = 10
"""A `valid_until` further ahead than this is a typo (KITAS, RPTKA and notifications run shorter)."""


class RecordError(ValueError):
    """An entry staff must correct; the message is Indonesian and names the field."""


class FieldSpec(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def required(self) -> bool: ...
    @property
    def options(self) -> list[str]: ...


def clean_records(fields: list[Any], raw: dict[str, str]) -> StepRecords:
    """Typed values of the step's record fields, or RecordError for the first bad one. Free text
    (name, text, textarea) follows domain/teks.py, as the applicant's form does: it may be printed
    on the letter the step issues."""
    values: StepRecords = {}
    for spec in fields:
        rule = teks.rule_for(spec.type, getattr(spec, "max_length", None))
        try:
            if rule is not None:
                text = teks.bersih(
                    raw.get(spec.key),
                    spec.label,
                    rule.jenis,
                    multiline=rule.multiline,
                    max_length=rule.max_length,
                )
            else:
                text = (
                    ""
                    if teks.kosong(raw.get(spec.key))
                    else teks.as_text(raw.get(spec.key), spec.label).strip()
                )
        except teks.TeksError as exc:
            raise RecordError(str(exc)) from None
        if not text:
            if spec.required:
                raise RecordError(f"{spec.label} wajib diisi.")
            continue
        values[spec.key] = text if rule is not None else typed_value(spec, text)
    return values


def typed_date(label: str, kind: str, text: str, today: date | None = None) -> str:
    """A typed date (TTTT-BB-HH) as ISO text, checked against the office's calendar day (WIB).

    `date` is a day that has happened (a birth date, a letter date, a payment seen in a national
    system): never in the future. `valid_until` is the last day a document is valid (a KITAS, an
    RPTKA, a notification): today or later, and at most VALID_UNTIL_YEARS ahead. Used by the
    applicant's form and by staff records alike, so both say the same thing.
    """
    try:
        typed = date.fromisoformat(text)
    except ValueError:
        raise RecordError(f"{label} harus tanggal yang sah (TTTT-BB-HH).") from None
    day = today or office_today()
    shown = typed.isoformat()
    said = tanggal(typed)  # as a person reads it
    if kind == "valid_until":
        if typed < day:
            raise RecordError(
                f"{label} sudah lewat ({said}); dokumen yang sudah tidak berlaku tidak dapat diterima."
            )
        if typed > _years_after(day, VALID_UNTIL_YEARS):
            raise RecordError(
                f"{label} terlalu jauh ({said}): paling lama {VALID_UNTIL_YEARS} tahun dari hari ini. "
                "Periksa tahunnya."
            )
        return shown
    if typed > day:
        raise RecordError(f"{label} tidak mungkin di masa depan ({said}).")
    if typed.year < 1900:
        raise RecordError(f"{label} tidak mungkin ({said}).")
    return shown


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def typed_value(spec: FieldSpec, text: str) -> RecordValue:
    if spec.type in ("number", "money"):
        try:
            number = float(text.replace(".", "").replace(",", ".")) if spec.type == "money" else float(text)
        except ValueError:
            raise RecordError(f"{spec.label} harus berupa angka.") from None
        if spec.type == "money" and number <= 0:
            raise RecordError(f"{spec.label} harus lebih dari nol.")
        if number != number or number in (float("inf"), float("-inf")):
            raise RecordError(f"{spec.label} harus berupa angka.")
        return int(number) if number.is_integer() else number
    if spec.type in DATE_TYPES:
        return typed_date(spec.label, spec.type, text)
    if spec.type == "choice" and text not in spec.options:
        raise RecordError(f"{spec.label}: pilih salah satu dari {', '.join(spec.options)}.")
    if spec.type == "nik" and not re.fullmatch(r"[0-9]{16}", text):
        raise RecordError(f"{spec.label} harus 16 angka.")
    return text


def as_read(value: object, kind: str) -> object:
    """A kept value of a field of type `kind` (an SOP form field or record type) as a person
    reads it on a page: a date (`date`, `valid_until`, kept as ISO text) in the one Indonesian
    format, `17 Agu 1995` (domain/tanggal.py), anything else as `as_typed` gives it. A date that
    cannot be read is shown as kept, so a wrong entry stays visible to the officer."""
    if kind in DATE_TYPES and isinstance(value, str) and value.strip():
        shown = tanggal(value)
        return value if shown == "–" else shown
    return as_typed(value)


def as_typed(value: object) -> object:
    """A kept value as a person reads it on a page: a whole number as its digits (36, never 36.0,
    which cases kept before whole numbers were ints still hold), anything else unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
