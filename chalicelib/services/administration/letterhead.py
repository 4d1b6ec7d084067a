"""The letterhead and letter numbering of an office (office.yaml), read-only, with the next number
of each classification code. Changing them = edit the office's SOP files, check, deploy."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.adapters.registers import registers
from chalicelib.domain.clock import WIB
from chalicelib.services.numbering import format_number
from chalicelib.sop.errors import SopError, SopNotFound
from chalicelib.sop.loader import OFFICE_FILE, list_services, load_office, load_service


def of_office(office: str, at: datetime | None = None) -> dict[str, Any]:
    """The letterhead fields of office.yaml and the next number of each classification code."""
    data = load_office(office)
    when = at or datetime.now(WIB)
    codes = {data.numbering.default_code: "kode bawaan"}
    for service_id in list_services(office):
        try:
            service = load_service(office, service_id)
        except (SopError, SopNotFound):
            continue
        for product in service.products:
            if product.code:
                codes.setdefault(product.code, product.name)
    examples = []
    for code, used_for in sorted(codes.items()):
        year = when.astimezone(WIB).year
        current = registers().last(office, code, year)
        number = format_number(data.numbering, current + 1, code, when, data.region_code)
        examples.append({"code": code, "used_for": used_for, "next": number, "taken": current})
    fields = [
        ("Pemerintah", data.government),
        ("Dinas", data.unit),
        ("Bidang", data.division),
        ("Wilayah", data.name),
        ("Alamat", data.address),
        ("Telepon", data.phone),
        ("Faks", data.fax),
        ("Situs", data.website),
        ("Email", data.email),
        ("Kode wilayah", data.region_code),
    ]
    return {
        "office": data,
        "fields": [(label, value) for label, value in fields],
        "numbering": data.numbering,
        "examples": examples,
        "path": f"chalicelib/sop/offices/{office}/{OFFICE_FILE}",
    }
