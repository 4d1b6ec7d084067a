"""Public service standards: what each office offers, read from its SOP files (no sign-in)."""

from __future__ import annotations

from typing import Any

from chalicelib.sop.loader import list_offices, list_services, load_office, load_service


def catalogue() -> list[dict[str, Any]]:
    """Every office with the public face of its services (the standard's service-delivery part)."""
    offices = []
    for office_id in list_offices():
        office = load_office(office_id)
        services = []
        for service_id in list_services(office_id):
            sop = load_service(office_id, service_id)
            services.append(
                {
                    "id": sop.id,
                    "title": sop.title,
                    "applicant": sop.applicant.label,
                    "duration": sop.duration.text,
                    "fee": sop.fee.text,
                    "products": [p.name for p in sop.products],
                    "requirements": [
                        {"name": d.name, "required": d.required, "kinds": list(d.file_kinds)}
                        for d in sop.requirements.documents
                    ],
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
                "services": services,
            }
        )
    return offices
