"""Public service standards: what each office offers, read from its SOP files (no sign-in)."""

from __future__ import annotations

from typing import Any

from chalicelib.errors import NotFound
from chalicelib.services.forms import form_spec
from chalicelib.sop.errors import SopNotFound
from chalicelib.sop.loader import list_offices, list_services, load_office, load_service


def catalogue() -> list[dict[str, Any]]:
    """Every office with the public face of its public services (the standard's service-delivery
    part); a service whose SOP says `public: false` (the wiring check) is left out."""
    offices = []
    for office_id in list_offices():
        services = []
        for service_id in list_services(office_id):
            sop = load_service(office_id, service_id)
            if sop.public:
                services.append(_service_face(sop))
        offices.append({**_office_face(office_id), "services": services})
    return offices


def catalogue_entry(office_id: str, service_id: str) -> dict[str, Any]:
    """{office: the office's face with `services` holding this one service only}: what the form
    page needs, a few KB instead of the whole catalogue (issue 16). NotFound (404) for an unknown
    office (`field` "office") or an unknown service, or one not offered to the public (`field`
    "service", the office being there: the page names it)."""
    try:
        office = _office_face(office_id)
    except SopNotFound as missing:
        raise NotFound("Kantor tidak ditemukan.", field="office") from missing
    try:
        sop = load_service(office_id, service_id)
    except SopNotFound as missing:
        raise NotFound("Layanan tidak ditemukan di kantor ini.", field="service") from missing
    if not sop.public:
        raise NotFound("Layanan tidak ditemukan di kantor ini.", field="service")
    return {"office": {**office, "services": [_service_face(sop)]}}


def _office_face(office_id: str) -> dict[str, Any]:
    office = load_office(office_id)
    return {
        "id": office.id,
        "name": office.full_name,
        "address": office.address,
        "phone": office.phone,
        "website": office.website,
        "region_code": office.region_code,
    }


def _service_face(sop: Any) -> dict[str, Any]:
    return {
        "id": sop.id,
        "title": sop.title,
        "applicant": sop.applicant.label,
        "applicant_kind": sop.applicant.kind,
        "duration": sop.duration.text,
        "fee": sop.fee.text,
        "products": [p.name for p in sop.products],
        "requirements": [
            {
                "key": d.key,
                "name": d.name,
                "required": d.required,
                "kinds": list(d.file_kinds),
                "max_size_mb": d.max_size_mb,
                "note": d.note,
                # asked and required only for this form answer (SOP `required_when`)
                "required_when": d.required_when.model_dump() if d.required_when else None,
            }
            for d in sop.requirements.documents
        ],
        "form": form_spec(sop),
        "steps": len(sop.steps),
        "complaint": sop.complaint.model_dump(exclude_none=True),
    }
