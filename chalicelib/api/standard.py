"""The whole published standard of one public service, as the public standard page shows it.

`standard(office, service)` reads the SOP file and its office's form of a standard (office.yaml
`standard`: parts and components, in the order of the office's own document; sop/standard.py)
and gives every component with its heading and its content, in that order, plus the office's
letterhead, the form's address and its QR code for the printed A4 sheet. The page
(static_site/standar.html, js/pages/standar.js) only lays it out. No sign-in; no I/O but the
packaged SOP files.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import segno

from chalicelib.domain.contacts import segments
from chalicelib.errors import NotFound
from chalicelib.services.administration.posters import form_url
from chalicelib.sop.errors import SopNotFound
from chalicelib.sop.loader import load_office, load_service
from chalicelib.sop.schema import APPLICANT, Office, ServiceStandard, StandardComponent

MAP_SEARCH = "https://www.openstreetmap.org/search?query="
"""Where an address link leads: the map's search for the address as the standard writes it."""

AREA_CODE = re.compile(r"^\s*(\(0\d{2,4}\))")


def standard(office_id: str, service_id: str) -> dict[str, Any]:
    """{office, service, parts: [{title, components: [{key, number, label, kind, ...}]}]} of a
    public service; NotFound (404) for an unknown office or service, or one not offered to the
    public (`public: false`). A component's content by `kind`: "items" (a numbered list), "text",
    "terms" ([{term, meaning}]), "flow" (the steps: number, activity, its link `parts`, actors),
    "table" (the steps' mutu baku: number, actors, input, time, output; and `note`), "contact"
    (name and lines of link parts, see `_contact`)."""
    try:
        office = load_office(office_id)
        sop = load_service(office_id, service_id)
    except SopNotFound as missing:
        raise NotFound("Layanan tidak ditemukan.") from missing
    if not sop.public:
        raise NotFound("Layanan tidak ditemukan.")
    url = form_url(office_id, service_id)
    parts = []
    for part in office.standard:  # numbered within each part, as the SPP numbers A.1-A.7 and B.1-B.8
        shown = [
            {**_component(c, sop, office), "number": number}
            for number, c in enumerate(part.components, start=1)
        ]
        parts.append({"title": part.title, "components": shown})
    return {
        "office": {
            "id": office.id,
            "name": office.full_name,
            "government": office.government,
            "unit": office.unit,
            "division": sop.division or office.division,
            "address": office.address,
            "phone": office.phone,
            "fax": office.fax,
            "website": office.website,
            "email": office.email,
        },
        "service": {
            "id": sop.id,
            "title": sop.title,
            "code": sop.code,
            "applicant": sop.applicant.label,
            "form_url": url,
            "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=4),
        },
        "parts": parts,
    }


def _component(component: StandardComponent, sop: ServiceStandard, office: Office) -> dict[str, Any]:
    shown: dict[str, Any] = {"key": component.key, "label": component.label}
    shown.update(_content(component.key, sop, office))
    return shown


def _items(values: list[str]) -> dict[str, Any]:
    return {"kind": "items", "items": list(values)}


def _text(value: str) -> dict[str, Any]:
    return {"kind": "text", "text": value}


def _actors(step_actors: list[str], sop: ServiceStandard, office: Office) -> list[str]:
    return [sop.applicant.label if a == APPLICANT else office.actor_label(a) for a in step_actors]


def _content(key: str, sop: ServiceStandard, office: Office) -> dict[str, Any]:
    """The content of component `key` (sop/standard.FIELDS says where it is kept); `sop check`
    has made sure it is there for a public service."""
    if key == "persyaratan":
        documents = sop.requirements.documents
        return _items([d.name if d.required else f"{d.name} ({d.note or 'Opsional'})" for d in documents])
    if key == "prosedur":
        steps = [
            {
                "number": s.number,
                "activity": s.activity,
                "parts": segments(s.activity),
                "actors": _actors(s.actors, sop, office),
            }
            for s in sop.steps
        ]
        return {"kind": "flow", "steps": steps}
    if key == "diagram_alur":
        rows = [
            {
                "number": s.number,
                "actors": _actors(s.actors, sop, office),
                "input": s.input or "",
                "time": s.time,
                "output": s.output or "",
            }
            for s in sop.steps
        ]
        return {"kind": "table", "rows": rows, "note": sop.procedure_note}
    if key == "jangka_waktu":
        return _text(sop.duration.text)
    if key == "biaya":
        return _text(sop.fee.text)
    if key == "produk":
        return _items([p.name for p in sop.products])
    if key == "pengaduan":
        return _contact(sop)
    if key == "jumlah_pelaksana":
        return _text(f"{sop.staff_count} Orang")
    if key == "definisi":
        return {"kind": "terms", "terms": [{"term": d.term, "meaning": d.meaning} for d in sop.definitions]}
    if key == "pengesahan":
        return {"kind": "terms", "terms": _approval(sop)}
    lists = {
        "dasar_hukum": sop.legal_basis,
        "sarana": sop.facilities,
        "kompetensi": sop.competence,
        "ketentuan_lain": sop.other_provisions,
        "keterkaitan": sop.related_sops,
        "peringatan": sop.warnings,
    }
    if key in lists:
        return _items(lists[key])
    texts = {
        "pengawasan_internal": sop.internal_supervision,
        "jaminan_pelayanan": sop.service_guarantee,
        "jaminan_keamanan": sop.safety_guarantee,
        "evaluasi_kinerja": sop.performance_evaluation,
        "ruang_lingkup": sop.scope,
        "ringkasan": sop.summary,
    }
    return _text(texts[key] or "")


def _approval(sop: ServiceStandard) -> list[dict[str, str]]:
    """The SOP's identity and approval block, row by row as the SOP prints it."""
    done = sop.ratification
    if done is None:
        return []
    signer = " ".join(p for p in (done.approver_position, done.approved_by) if p)
    if done.approver_nip:
        signer += f", NIP. {done.approver_nip}"
    return [
        {"term": "Nomor SOP", "meaning": sop.code or "-"},
        {"term": "Tanggal Pembuatan", "meaning": done.made_on},
        {"term": "Tanggal Revisi", "meaning": done.revised_on or "-"},
        {"term": "Tanggal Efektif", "meaning": done.effective_on},
        {"term": "Disahkan oleh", "meaning": signer},
        {"term": "Nama SOP", "meaning": done.sop_name or sop.title},
    ]


def _phones(text: str) -> list[dict[str, str]]:
    """A phone line as link parts; "(021) 55798228, 5517542": the second number shares the first's
    area code, as the letterhead means it."""
    found = AREA_CODE.match(text)
    parts: list[dict[str, str]] = []
    for index, piece in enumerate(text.split(",")):
        if index:
            parts.append({"text": ","})
        dial = piece
        if found and index and not piece.strip().startswith(("(", "0", "+")):
            dial = f"{found.group(1)} {piece.strip()}"
        links = [s for s in segments(dial) if "href" in s]
        if links:
            parts.append({"text": piece, "href": links[0]["href"]})
        else:
            parts.append({"text": piece})
    return parts


def _contact(sop: ServiceStandard) -> dict[str, Any]:
    """The complaint channel: {kind: "contact", name, lines: [{label, parts: [{text, href?}]}]};
    the address links to the map, the phone dials (tel:+62...), the website and email open."""
    channel = sop.complaint
    address = {"text": channel.address, "href": MAP_SEARCH + quote(channel.address)}
    lines: list[dict[str, Any]] = [
        {"label": "Alamat", "parts": [address]},
        {"label": "Telepon", "parts": _phones(channel.phone)},
    ]
    if channel.website:
        lines.append({"label": "Website", "parts": [{"text": channel.website, "href": channel.website}]})
    if channel.email:
        mail = {"text": channel.email, "href": f"mailto:{channel.email}"}
        lines.append({"label": "Email", "parts": [mail]})
    if channel.note:
        lines.append({"label": "Keterangan", "parts": [{"text": channel.note}]})
    return {"kind": "contact", "name": channel.name, "lines": lines}
