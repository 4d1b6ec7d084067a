"""The applicant's form, checked against the SOP's own form: every error at once, by field.

The SOP lists the sections and fields (chalicelib/sop/offices/*/<service>.yaml, `requirements.form`);
this module types and checks what the person typed, uppercases it where the standard asks for
"huruf cetak", and returns warnings (a NIK whose date disagrees) that the person may confirm.
A section with a password field is the account itself: Cognito keeps that, never the case.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from chalicelib.domain import email_address, person, teks
from chalicelib.domain import nik as nik_rules
from chalicelib.domain.clock import office_today
from chalicelib.domain.records import RecordError, typed_value
from chalicelib.errors import FormInvalid, InvalidInput
from chalicelib.sop.schema import FormSection, InputField, ServiceStandard

MAX_ENTRIES = 10


def applicant_sections(sop: ServiceStandard) -> list[FormSection]:
    """The sections the case keeps (the account section belongs to Cognito)."""
    return [s for s in sop.requirements.form if not any(f.type == "password" for f in s.fields)]


def form_spec(sop: ServiceStandard) -> dict[str, Any]:
    """The form as the public site renders it."""
    return {
        "uppercase": sop.requirements.form_uppercase,
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "required": s.required,
                "repeatable": s.repeatable,
                "note": s.note,
                "organisation": s.organisation,
                "fields": [
                    {**f.model_dump(), "uppercase": sop.requirements.in_capitals(f)} for f in s.fields
                ],
            }
            for s in applicant_sections(sop)
        ],
    }


def clean_form(sop: ServiceStandard, raw: Any, confirmed: list[str] | None = None) -> dict[str, Any]:
    """The typed form, or FormInvalid with every error and every unconfirmed warning."""
    if not isinstance(raw, dict):
        raise FormInvalid({"form": "Formulir tidak terbaca; muat ulang halaman lalu coba lagi."})
    problem = FormInvalid()
    cleaned: dict[str, Any] = {}
    for section in applicant_sections(sop):
        value = raw.get(section.key)
        if section.repeatable:
            entries = value if isinstance(value, list) else []
            entries = [e for e in entries if isinstance(e, dict) and not all(map(teks.kosong, e.values()))]
            if len(entries) > MAX_ENTRIES:
                problem.errors[section.key] = f"Paling banyak {MAX_ENTRIES} isian."
                entries = entries[:MAX_ENTRIES]
            if section.required and not entries:
                problem.errors[section.key] = f"{section.title}: isi paling sedikit satu."
            cleaned[section.key] = [
                _section(sop, section, entry, f"{section.key}.{i}", problem)
                for i, entry in enumerate(entries)
            ]
            continue
        entry = value if isinstance(value, dict) else {}
        if not section.required and all(map(teks.kosong, entry.values())):
            cleaned[section.key] = {}
            continue
        cleaned[section.key] = _section(sop, section, entry, section.key, problem)
    _nik_warnings(sop, cleaned, problem)
    _dates_of_the_person(sop, cleaned, problem)
    accepted = set(confirmed or [])
    problem.warnings = [w for w in problem.warnings if w["code"] not in accepted]
    if problem.errors or problem.warnings:
        raise problem
    return cleaned


def _section(
    sop: ServiceStandard, section: FormSection, entry: dict[str, Any], prefix: str, problem: FormInvalid
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in section.fields:
        path = f"{prefix}.{spec.key}"
        try:
            value = _value(spec, entry.get(spec.key), sop.requirements.in_capitals(spec))
        except RecordError as exc:
            problem.errors[path] = str(exc)
            continue
        if value is None:
            if spec.required:
                problem.errors[path] = f"{spec.label} wajib diisi."
            continue
        values[spec.key] = value
    return values


def _value(spec: InputField, raw: Any, upper: bool) -> Any:
    """The typed value of one field, or None when nothing was typed. Free text (name, text,
    textarea) follows domain/teks.py; every other type is text first, then parsed. Raises
    RecordError with the Indonesian message for the field."""
    rule = spec.text_rule
    try:
        if rule is not None:
            kept = teks.bersih(
                raw,
                spec.label,
                rule.jenis,
                multiline=rule.multiline,
                max_length=rule.max_length,
                capitals=upper,
            )
            return kept or None
        text = "" if teks.kosong(raw) else teks.as_text(raw, spec.label).strip()
    except teks.TeksError as exc:
        raise RecordError(str(exc)) from None
    if not text:
        return None
    today = office_today()
    if spec.type == "email":
        try:
            return email_address.deliverable(text)
        except InvalidInput as exc:
            raise RecordError(f"{spec.label}: {exc.message}") from None
    if spec.type == "phone":
        digits = re.sub(r"[\s\-().]", "", text)
        if not re.fullmatch(r"(\+62|62|0)8\d{7,12}|(\+62|62|0)[1-79]\d{6,10}", digits):
            raise RecordError(f"{spec.label} tidak sah (contoh: 081234567890).")
        return "0" + re.sub(r"^(\+62|62|0)", "", digits)
    if spec.type == "nik":
        number = nik_rules.clean(text)
        try:
            nik_rules.check_structure(number)
        except nik_rules.NikError as exc:
            raise RecordError(str(exc)) from None
        return number
    if spec.type == "year":
        if not re.fullmatch(r"\d{4}", text) or not 1940 <= int(text) <= today.year:
            raise RecordError(f"{spec.label} harus tahun 4 angka, paling lambat {today.year}.")
        return int(text)
    return typed_value(spec, text)  # dates (typed_date), numbers, choices: as staff records are


def _dates_of_the_person(sop: ServiceStandard, cleaned: dict[str, Any], problem: FormInvalid) -> None:
    """The applicant's own birth date (the date field of the section holding their NIK) against
    the service's age rule, and every year of the form (schooling, work) against that birth.
    Errors, not warnings: the rules are the service's, not a guess (domain/person.py). Only for a
    service a person files for themself (an age rule): an organisation's form holds other people."""
    if sop.applicant.minimum_age is None:
        return
    for section in applicant_sections(sop):
        values = cleaned.get(section.key)
        if section.repeatable or not isinstance(values, dict):
            continue
        if not any(f.type == "nik" for f in section.fields):
            continue
        birth_field = next((f for f in section.fields if f.type == "date" and f.key in values), None)
        if birth_field is None:
            continue
        birth = date.fromisoformat(values[birth_field.key])
        wrong = person.birth_date_problem(birth, office_today(), sop.applicant.minimum_age)
        if wrong:
            problem.errors[f"{section.key}.{birth_field.key}"] = wrong
            return
        for other in applicant_sections(sop):
            entries = cleaned.get(other.key)
            rows = entries if isinstance(entries, list) else [entries] if isinstance(entries, dict) else []
            for i, row in enumerate(rows):
                for spec in other.fields:
                    if spec.type == "year" and isinstance(row.get(spec.key), int):
                        slip = person.year_problem(spec.label, row[spec.key], birth)
                        if slip:
                            path = (
                                f"{other.key}.{i}.{spec.key}"
                                if other.repeatable
                                else f"{other.key}.{spec.key}"
                            )
                            problem.errors[path] = slip
        return  # one person per form: the first identity section is the applicant


def _nik_warnings(sop: ServiceStandard, cleaned: dict[str, Any], problem: FormInvalid) -> None:
    """The NIK checked against the birth date and sex typed in the same section."""
    for section in applicant_sections(sop):
        values = cleaned.get(section.key)
        if section.repeatable or not isinstance(values, dict):
            continue
        for spec in section.fields:
            if spec.type != "nik" or spec.key not in values:
                continue
            birth = next((f.key for f in section.fields if f.type == "date"), None)
            sex = next(
                (f.key for f in section.fields if f.type == "choice" and nik_rules.FEMALE in f.options), None
            )
            birth_date = date.fromisoformat(values[birth]) if birth and birth in values else None
            for warning in nik_rules.warnings_for(
                values[spec.key], birth_date, values.get(sex) if sex else None
            ):
                problem.warnings.append(
                    {"code": warning.code, "field": f"{section.key}.{spec.key}", "message": warning.message}
                )


def summary(sop: ServiceStandard, form: dict[str, Any]) -> dict[str, str]:
    """A few identifying values for staff lists and documents (name, NIK), when the form has them."""
    found: dict[str, str] = {}
    for section in applicant_sections(sop):
        values = form.get(section.key)
        if not isinstance(values, dict):
            continue
        for spec in section.fields:
            if spec.type == "nik" and spec.key in values:
                found.setdefault("nik", str(values[spec.key]))
            if spec.key.startswith("nama") and spec.key in values:
                found.setdefault("name", str(values[spec.key]))
    return found
