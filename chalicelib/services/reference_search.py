"""Find a case from a number: Loket's own case number (the applicant shows it at the counter), or a
number read in a national system (an ID CPMI, a Berita Acara, a journal).

Staff get a call or a letter that names only the national system's number; the national adapter
keeps each recorded number with its case, and this search shows the staff of that case's office,
and only them, which cases carry it (the applicant's name masked for those who do not act on
that service: services/personal_data.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.adapters import national
from chalicelib.adapters.case_store import cases
from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import Case
from chalicelib.errors import NotFound
from chalicelib.services import verification
from chalicelib.services.catalog import find_service
from chalicelib.services.personal_data import sees_personal_data
from chalicelib.services.work import acting_roles

MIN_LENGTH = 3
MAX_LENGTH = 60  # the form's maxlength
CASE_NUMBER = re.compile(r"[a-z2-7]{24}")  # services.cases.case_id_for


@dataclass(frozen=True)
class Found:
    case_id: str
    office: str
    service_title: str
    system: str  # the national system's name
    label: str  # what the number is, as the SOP names the record
    reference: str
    recorded_at: str
    applicant: str | None
    status: str


def search(principal: Principal, typed: str) -> list[Found]:
    """Cases of the offices where the principal holds a role that carry the typed number."""
    reference = national.normalise_reference(typed)
    if len(reference) < MIN_LENGTH:
        return []
    own = _by_case_number(principal, typed.strip().lower())
    entries = [
        entry
        for office in sorted(principal.offices)
        if acting_roles(principal, office)
        for entry in national.find_reference(office, reference)
    ]
    found_cases = {c.case_id: c for c in cases().many(e.case_id for e in entries)}
    found = []
    for entry in entries:
        case = found_cases.get(entry.case_id)
        if case is None or case.office != entry.office:
            continue
        service = find_service(case.office, case.service)
        found.append(
            Found(
                case_id=entry.case_id,
                office=entry.office,
                service_title=service.title if service else case.service,
                system=national.SYSTEMS.get(entry.system, entry.system),
                label=entry.label,
                reference=entry.reference,
                recorded_at=entry.at,
                applicant=_name(principal, case),
                status=case.status,
            )
        )
    return [*own, *found]


def _name(principal: Principal, case: Case) -> str | None:
    """The applicant's name as the searcher may see it: whole for the roles of the case's service,
    masked for the rest of the office (services/personal_data.py)."""
    name = str((case.data or {}).get("name") or "")
    if not name:
        return None
    return name if sees_personal_data(principal, case.office, case.service) else verification.mask_name(name)


def _by_case_number(principal: Principal, typed: str) -> list[Found]:
    """The case whose Loket number this is, when it belongs to an office the principal works in."""
    if not CASE_NUMBER.fullmatch(typed):
        return []
    try:
        case = cases().get(typed)
    except NotFound:
        return []
    if not acting_roles(principal, case.office):
        return []
    service = find_service(case.office, case.service)
    return [
        Found(
            case_id=case.case_id,
            office=case.office,
            service_title=service.title if service else case.service,
            system="Loket",
            label="Nomor berkas",
            reference=case.case_id,
            recorded_at=case.created_at,
            applicant=_name(principal, case),
            status=case.status,
        )
    ]
