"""Public service standards: what each office offers, read from its SOP files (no sign-in)."""

from __future__ import annotations

from typing import Any

from chalicelib.services.forms import form_spec
from chalicelib.sop.loader import list_offices, list_services, load_office, load_service


def catalogue() -> list[dict[str, Any]]:
    """Every office with the public face of its public services (the standard's service-delivery
    part); a service whose SOP says `public: false` (the wiring check) is left out."""
    offices = []
    for office_id in list_offices():
        office = load_office(office_id)
        services = []
        for service_id in list_services(office_id):
            sop = load_service(office_id, service_id)
            if not sop.public:
                continue
            services.append(
                {
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
            )
        offices.append(
            {
                "id": office.id,
                "name": office.full_name,
                "address": office.address,
                "phone": office.phone,
                "website": office.website,
                "region_code": office.region_code,
                "services": services,
            }
        )
    return offices
