"""Values staff record on a step (what they saw in a national system), checked by field type."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Protocol

from chalicelib.domain.clock import office_today


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


def clean_records(fields: list[Any], raw: dict[str, str]) -> dict[str, Any]:
    """Typed values of the step's record fields, or RecordError for the first bad one."""
    values: dict[str, Any] = {}
    for spec in fields:
        text = (raw.get(spec.key) or "").strip()
        if not text:
            if spec.required:
                raise RecordError(f"{spec.label} wajib diisi.")
            continue
        values[spec.key] = typed_value(spec, text)
    return values


def typed_value(spec: FieldSpec, text: str) -> Any:
    if spec.type in ("number", "money"):
        try:
            number = float(text.replace(".", "").replace(",", ".")) if spec.type == "money" else float(text)
        except ValueError:
            raise RecordError(f"{spec.label} harus berupa angka.") from None
        if spec.type == "money" and number <= 0:
            raise RecordError(f"{spec.label} harus lebih dari nol.")
        return number
    if spec.type == "date":
        try:
            typed = date.fromisoformat(text)
        except ValueError:
            raise RecordError(f"{spec.label} harus tanggal (TTTT-BB-HH).") from None
        if typed > office_today():
            # What staff record was seen in a national system: it has happened, it is not planned.
            raise RecordError(f"{spec.label} tidak mungkin di masa depan ({typed.isoformat()}).")
        return typed.isoformat()
    if spec.type == "choice" and text not in spec.options:
        raise RecordError(f"{spec.label}: pilih salah satu dari {', '.join(spec.options)}.")
    if spec.type == "nik" and not re.fullmatch(r"\d{16}", text):
        raise RecordError(f"{spec.label} harus 16 angka.")
    return text
