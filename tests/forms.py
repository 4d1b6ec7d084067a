"""Valid form data for any SOP form, as a careful applicant would type it (NIK matching the birth date)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.domain.clock import office_today
from chalicelib.services.forms import applicant_sections
from chalicelib.sop.schema import InputField, ServiceStandard

# A NIK of Kabupaten Pasuruan (35 14 ..) for a woman born 17 August 1995: day 17 + 40 = 57.
NIK = "3514015708950001"
BIRTH_DATE = "1995-08-17"
# A KITAS / RPTKA / notification still valid for a year (valid_until must be today or later).
VALID_UNTIL = (office_today() + timedelta(days=365)).isoformat()

VALUES = {
    "name": "Budi Santoso",
    "text": "Contoh isian",
    "textarea": "Jl. Contoh No. 1, Pasuruan",
    "number": "3",
    "money": "1500000",
    "date": BIRTH_DATE,
    "valid_until": VALID_UNTIL,
    "year": "2015",
    "nik": NIK,
    "email": "pemohon@contoh.id",
    "phone": "081234567890",
}


def nik_for(person: int) -> str:
    """The NIK of the `person`-th sample person (1 to 9999): NIK with that serial, so each holds
    their own card (one valid AK-1 per NIK per office: services/one_card.py)."""
    if not 1 <= person <= 9999:
        raise ValueError("a sample person is numbered 1 to 9999")
    return f"{NIK[:12]}{person:04d}"


NAMED = {"nama_lengkap": "Siti Rahayu", "jenis_kelamin": "Perempuan", "tempat_lahir": "Pasuruan"}


def value_for(spec: InputField) -> str:
    if spec.key in NAMED and (spec.type != "choice" or NAMED[spec.key] in spec.options):
        return NAMED[spec.key]
    if spec.type == "choice":
        return spec.options[0]
    return VALUES[spec.type]


def sample_form(sop: ServiceStandard, **overrides: dict[str, Any]) -> dict[str, Any]:
    """Every section filled (a repeatable one with one entry); `overrides` replace whole sections."""
    form: dict[str, Any] = {}
    for section in applicant_sections(sop):
        entry = {f.key: value_for(f) for f in section.fields}
        form[section.key] = [entry] if section.repeatable else entry
    form.update(overrides)
    return form
