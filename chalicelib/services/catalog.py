"""Which services an office offers, the documents each needs, and the state machine that runs it."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.sop.loader import list_offices


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


# The wiring check ("uji sambungan"): one document, one human review, one email. It proves every
# part of the stack end to end and is what `make run` and the slice test exercise.
SLICE_SERVICE = "uji-sambungan"


def _slice(office: str) -> ServiceEntry:
    return ServiceEntry(
        office=office,
        service=SLICE_SERVICE,
        title="Uji sambungan layanan",
        machine="slice",
        documents=(DocumentRule("lampiran", "Lampiran", ("pdf", "jpeg", "png"), 5 * 1024 * 1024),),
    )


def find_service(office: str, service: str) -> ServiceEntry | None:
    if office not in list_offices():
        return None
    if service == SLICE_SERVICE:
        return _slice(office)
    return None
