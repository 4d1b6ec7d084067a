"""Find a case of one's office from anything a person at the counter can show or say: the
applicant's name, NIK or phone, an AK-1 card or letter number, the short case code, the full case
id, or a number read in a national system (an ID CPMI, a Berita Acara, a journal).

What is searched (issue 13):
- **The short case code** (domain/case_code.py) as typed: dashes, spaces, lower case, `O` for 0
  and `I`/`L` for 1 allowed, the check character optional.
- **The full case id** (24 characters), as before.
- **An exact value** (domain/search_terms.exact): the NIK and phone of the form, the numbers the
  office gave (card, letter and registration numbers), kept as `SearchKey` items when the case is
  submitted (`index_case`) and when a number is given (services/issuing.py).
- **A name** by prefix of any of its words, case and accents ignored, from 3 letters on.
- **A national reference** staff recorded (adapters/national.py).

Only the offices where the searcher holds a role (or acts under a decree) are searched, each by
its own partition: another office's case is never found. A name, NIK or phone finds a case only
for those who may see the personal data of its service (services/personal_data.py); the others
of the office find it by its code, id or numbers, and see the name masked.

Each hit is checked against the case as it is now (a key written before the applicant changed
the form is not a hit), so an index item that outlived its value is harmless.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from chalicelib.adapters import case_index, national
from chalicelib.adapters.case_store import cases
from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import Case
from chalicelib.domain import case_code, search_terms
from chalicelib.services import verification
from chalicelib.services.catalog import find_service
from chalicelib.services.forms import applicant_sections
from chalicelib.services.personal_data import sees_personal_data
from chalicelib.services.work import acting_roles
from chalicelib.sop.schema import ServiceStandard

MIN_LENGTH = 3
MAX_LENGTH = 60  # the form's maxlength
MAX_RESULTS = 50
CASE_NUMBER = re.compile(r"[a-z2-7]{24}")  # services.cases.case_id_for

# What each kind of hit is called in the results' "Cocok dengan" column.
FIELD_LABELS = {
    "code": "Kode berkas",
    "case_id": "Nomor berkas lengkap",
    "name": "Nama pemohon",
    "nik": "NIK",
    "phone": "Nomor HP",
    "number": "Nomor kartu / surat",
}
PERSONAL_FIELDS = {"name", "nik", "phone"}


@dataclass(frozen=True)
class Found:
    case_id: str
    code: str | None  # the short case code as people read it (K7Q-M3X-D2F), None for an old case
    office: str
    service_title: str
    label: str  # what matched: "NIK", "Nama pemohon", "Nomor ID CPMI (SISKOTKLN)", ...
    reference: str | None  # the number that matched, when showing it tells something (not a NIK)
    recorded_at: str  # when the case was filed, or the national number recorded
    applicant: str | None
    status: str


# --- the index ----------------------------------------------------------------------------------


def case_keys(case: Case, sop: ServiceStandard | None = None) -> list[case_index.Key]:
    """The search keys of a case as it is now: its name (each word on), NIK and phones of the
    form, and every number the office gave it (card, letter, registration)."""
    data = case.data or {}
    keys: list[case_index.Key] = []
    if data.get("name"):
        keys += [case_index.Key("name", form) for form in search_terms.name_forms(str(data["name"]))]
    if data.get("nik"):
        keys.append(case_index.Key("nik", search_terms.exact(str(data["nik"]))))
    if sop is None:
        entry = find_service(case.office, case.service)
        sop = entry.sop if entry else None
    if sop is not None:
        keys += [case_index.Key("phone", search_terms.exact(p)) for p in _phones(sop, data.get("form") or {})]
    for product in case.products.values():
        for number in (product.number, product.registration):
            if number:
                keys.append(case_index.Key("number", search_terms.exact(number)))
    return list(dict.fromkeys(keys))


def _phones(sop: ServiceStandard, form: dict[str, Any]) -> list[str]:
    """The phone numbers typed in the form's sections (a repeatable section's rows too)."""
    found = []
    for section in applicant_sections(sop):
        values = form.get(section.key)
        rows = values if isinstance(values, list) else [values]
        for row in rows:
            if not isinstance(row, dict):
                continue
            found += [str(row[f.key]) for f in section.fields if f.type == "phone" and row.get(f.key)]
    return found


def index_case(case: Case) -> None:
    """Write the case's search keys (services/cases.submit, services/issuing when numbers are
    given). Safe to repeat: the same keys are the same items."""
    case_index.put_keys(case.office, case.case_id, case_keys(case))


def code_of(case: Case) -> str:
    """The case's short code as people read it (`K7Q-M3X-D2F`); the long id for a case filed
    before codes were given."""
    return case_code.shown(case.code) if case.code else case.case_id


def codes_of(case_ids: list[str]) -> dict[str, str]:
    """The short code (as `code_of` gives it) of each case, for the inbox rows, in one batch."""
    return {case.case_id: code_of(case) for case in cases().many(case_ids)}


# --- the search ---------------------------------------------------------------------------------


def search(principal: Principal, typed: str) -> list[Found]:
    """The cases of the principal's offices that `typed` names, at most MAX_RESULTS, in this
    order: by code or case id, by an exact value, by name, by a national reference."""
    typed = (typed or "").strip()[:MAX_LENGTH]
    if len(typed) < MIN_LENGTH:
        return []
    offices = [o for o in sorted(principal.offices) if acting_roles(principal, o)]
    hits: list[tuple[str, str, str | None, str | None]] = []  # (case id, field, reference, at)
    code = case_code.parse(typed)
    if code is not None:
        owner = case_index.code_owner(code)
        if owner:
            hits.append((owner, "code", None, None))
    if CASE_NUMBER.fullmatch(typed.lower()):
        hits.append((typed.lower(), "case_id", None, None))
    value = search_terms.exact(typed)
    wanted_name = search_terms.name_query(typed)
    for office in offices:
        hits += [(k.case_id, k.field, None, None) for k in case_index.find_exact(office, value)]
        if wanted_name:
            hits += [(k.case_id, "name", None, None) for k in case_index.find_names(office, wanted_name)]
    references = [
        entry
        for office in offices
        for entry in national.find_reference(office, national.normalise_reference(typed))
    ]
    found_cases = {c.case_id: c for c in cases().many({h[0] for h in hits} | {r.case_id for r in references})}
    results: list[Found] = []
    seen: set[tuple[str, str]] = set()
    for case_id, field, _ref, _at in hits:
        case = found_cases.get(case_id)
        if case is None or case.office not in offices or (case_id, field) in seen:
            continue
        if not _still_matches(principal, case, field, value, wanted_name):
            continue
        seen.add((case_id, field))
        shown_number = value if field == "number" else None
        results.append(_found(principal, case, FIELD_LABELS[field], shown_number, case.created_at))
    for entry in references:
        case = found_cases.get(entry.case_id)
        if case is None or case.office != entry.office:
            continue
        system = national.SYSTEMS.get(entry.system, entry.system)
        results.append(_found(principal, case, f"{entry.label} ({system})", entry.reference, entry.at))
    return results[:MAX_RESULTS]


def _still_matches(principal: Principal, case: Case, field: str, value: str, wanted_name: str | None) -> bool:
    """Whether the hit holds for the case as it is now, and the searcher may find it this way
    (a name, NIK or phone only by those who see the service's personal data)."""
    if field in PERSONAL_FIELDS and not sees_personal_data(principal, case.office, case.service):
        return False
    if field == "name":
        return wanted_name is not None and search_terms.name_matches(
            str((case.data or {}).get("name") or ""), wanted_name
        )
    if field in ("code", "case_id"):
        return True
    return case_index.Key(field, value) in case_keys(case)


def _found(principal: Principal, case: Case, label: str, reference: str | None, at: str) -> Found:
    service = find_service(case.office, case.service)
    return Found(
        case_id=case.case_id,
        code=case_code.shown(case.code) if case.code else None,
        office=case.office,
        service_title=service.title if service else case.service,
        label=label,
        reference=reference,
        recorded_at=at,
        applicant=_name(principal, case),
        status=case.status,
    )


def _name(principal: Principal, case: Case) -> str | None:
    """The applicant's name as the searcher may see it: whole for the roles of the case's service,
    masked for the rest of the office (services/personal_data.py)."""
    name = str((case.data or {}).get("name") or "")
    if not name:
        return None
    return name if sees_personal_data(principal, case.office, case.service) else verification.mask_name(name)
