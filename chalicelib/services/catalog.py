"""Which services an office offers, the documents each needs, and the state machine that runs it.

Every service comes from the office's SOP files (`chalicelib/sop/offices/<office>/<service>.yaml`),
the wiring check `uji-sambungan` included (an SOP with `public: false`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from chalicelib.sop.compiler import execution_input, machine_name
from chalicelib.sop.errors import SopNotFound
from chalicelib.sop.loader import list_offices, load_office, load_service
from chalicelib.sop.schema import Office, ServiceStandard

MB = 1024 * 1024


@dataclass(frozen=True)
class DocumentRule:
    key: str
    name: str
    kinds: tuple[str, ...]
    max_bytes: int
    required: bool = True


@dataclass(frozen=True)
class ServiceEntry:
    office: str
    service: str
    title: str
    machine: str
    documents: tuple[DocumentRule, ...]
    sop: ServiceStandard
    office_sop: Office

    def start_input(self, case: dict[str, Any], time_scale: float) -> dict[str, Any]:
        """The execution input: the case fields plus the SOP's step timeouts (seconds, scaled)."""
        return execution_input(self.sop, self.office_sop, case, time_scale)


@cache
def _from_sop(office_id: str, service_id: str) -> ServiceEntry | None:
    try:
        sop = load_service(office_id, service_id)
    except SopNotFound:
        return None
    documents = tuple(
        DocumentRule(d.key, d.name, tuple(d.file_kinds), int(d.max_size_mb * MB), d.required)
        for d in sop.requirements.documents
    )
    return ServiceEntry(
        office=office_id,
        service=service_id,
        title=sop.title,
        machine=machine_name(office_id, service_id),
        documents=documents,
        sop=sop,
        office_sop=load_office(office_id),
    )


def find_service(office: str, service: str) -> ServiceEntry | None:
    """The packaged service of an office, or None for an unknown office or service."""
    if office not in list_offices():
        return None
    return _from_sop(office, service)
