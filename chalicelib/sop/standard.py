"""The components of a published service standard and where an SOP file holds each one.

An office publishes its standard in its own form (office.yaml `standard`): Kabupaten Pasuruan's
SPP (Permenpan-RB 15/2014: A. Service Delivery, B. Manufacturing), Kota Tangerang's SOP AP
(Permenpan-RB 35/2012: scope, definitions, the identity and approval block, the activity table).
Each component the office names is read from one key of the service file (`FIELDS`); a public
service whose file leaves one of them empty is refused by `sop check` (`missing`), so the public
page (chalicelib/api/standard.py, static_site/standar.html) never shows a third of a standard.
The duty to publish the whole standard: UU 25/2009 tentang Pelayanan Publik, Pasal 15 and 21.
Plain Python, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.sop.schema import Office, ServiceStandard, StandardComponent

FIELDS: dict[str, str] = {
    "persyaratan": "requirements",
    "prosedur": "steps",
    "diagram_alur": "steps",
    "jangka_waktu": "duration",
    "biaya": "fee",
    "produk": "products",
    "pengaduan": "complaint",
    "dasar_hukum": "legal_basis",
    "sarana": "facilities",
    "kompetensi": "competence",
    "pengawasan_internal": "internal_supervision",
    "jumlah_pelaksana": "staff_count",
    "jaminan_pelayanan": "service_guarantee",
    "jaminan_keamanan": "safety_guarantee",
    "evaluasi_kinerja": "performance_evaluation",
    "ruang_lingkup": "scope",
    "ringkasan": "summary",
    "definisi": "definitions",
    "ketentuan_lain": "other_provisions",
    "pengesahan": "ratification",
    "keterkaitan": "related_sops",
    "peringatan": "warnings",
}
"""Component key (schema.StandardComponentKey, every one) -> the key of the service file that holds
it (the YAML line `sop check` names)."""

_SPECIAL: dict[str, Callable[[ServiceStandard], bool]] = {
    "persyaratan": lambda s: bool(s.requirements.documents),
    "pengesahan": lambda s: s.ratification is not None and s.code is not None,
}


def present(service: ServiceStandard, key: str) -> bool:
    """Whether the service file holds component `key` (a non-empty value at its field); KeyError
    for a key that is no component."""
    test = _SPECIAL.get(key)
    if test is not None:
        return test(service)
    value = getattr(service, FIELDS[key])
    return value is not None and value != [] and value != ""


def components(office: Office) -> list[StandardComponent]:
    """The office's components in the order of its published standard."""
    return [component for part in office.standard for component in part.components]


def missing(service: ServiceStandard, office: Office) -> list[StandardComponent]:
    """The components the office's standard requires that this service leaves empty, in order.
    A service not offered to the public (`public: false`) has no published standard: []."""
    if not service.public:
        return []
    return [c for c in components(office) if not present(service, c.key)]
