"""Which services an office offers, the documents each needs, and the state machine that runs it.

Every service comes from the office's SOP files (`chalicelib/sop/offices/<office>/<service>.yaml`),
the wiring check `uji-sambungan` included (an SOP with `public: false`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from chalicelib.sop.compiler import execution_input, machine_name
from chalicelib.sop.errors import SopNotFound
from chalicelib.sop.loader import list_offices, load_office, load_service
from chalicelib.sop.schema import FormCondition, Office, ServiceStandard

MB = 1024 * 1024


@dataclass(frozen=True)
class DocumentRule:
    """One required document of a service as the API checks it; `when` is the form answer it
    depends on (the SOP's `required_when`), if any."""

    key: str
    name: str
    kinds: tuple[str, ...]
    max_bytes: int
    required: bool = True
    when: FormCondition | None = None

    def asked(self, form: Mapping[str, Any] | None) -> bool:
        """Whether an applicant with this saved form is asked for it (always, without `when`)."""
        return self.when is None or self.when.holds(form)

    def needed(self, form: Mapping[str, Any] | None) -> bool:
        """Whether an applicant with this saved form must upload it before submitting."""
        return self.required or (self.when is not None and self.when.holds(form))

    def condition(self) -> dict[str, Any] | None:
        """`when` as the public site and pages read it: {"field": "cpmi.status_perkawinan",
        "values": ["Kawin"]}, or None."""
        return self.when.model_dump() if self.when else None


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
        DocumentRule(d.key, d.name, tuple(d.file_kinds), int(d.max_size_mb * MB), d.required, d.required_when)
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
