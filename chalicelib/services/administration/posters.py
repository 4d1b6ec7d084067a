"""The QR posters of an office's public services: each service's form link on the public site
and its QR code (segno, pure Python), and what the printable poster page shows."""

from __future__ import annotations

from typing import Any

import segno

from chalicelib.errors import NotFound
from chalicelib.settings import get_settings
from chalicelib.sop.errors import SopError, SopNotFound
from chalicelib.sop.loader import list_services, load_office, load_service


def form_url(office: str, service: str) -> str:
    """The public form of a service on the public site (LOKET_PUBLIC_SITE_URL), as its QR code opens it."""
    site = get_settings().public_site_url.rstrip("/")
    return f"{site}/ajukan.html?kantor={office}&layanan={service}"


def qr_svg(url: str, title: str) -> str:
    """An inline, scalable SVG QR code (segno, pure Python)."""
    qr = segno.make(url, error="m")
    return str(qr.svg_inline(scale=1, border=4, omitsize=True, title=title, svgclass="qr", lineclass=None))


def services(office: str) -> list[dict[str, Any]]:
    """Each public SOP service of the office with its form link (`public: false` has no poster)."""
    rows = []
    for service_id in list_services(office):
        try:
            service = load_service(office, service_id)
        except (SopError, SopNotFound):
            continue
        if not service.public:
            continue
        url = form_url(office, service_id)
        rows.append({"id": service_id, "title": service.title, "url": url, "sop": service})
    return rows


def poster(office: str, service_id: str) -> dict[str, Any]:
    """What the printable poster of one service shows; 404 for a service of another office."""
    found = next((s for s in services(office) if s["id"] == service_id), None)
    if found is None:
        raise NotFound("Layanan tidak ditemukan di kantor ini.")
    data = load_office(office)
    sop = found["sop"]
    return {
        **found,
        "office": data,
        "contact": " · ".join(p for p in (data.phone, data.website, data.email) if p),
        "qr": qr_svg(found["url"], f"Kode QR formulir {sop.title}"),
        "requirements": [
            d.name if d.required else f"{d.name} (opsional)" for d in sop.requirements.documents
        ],
        "fee": sop.fee.text,
        "duration": sop.duration.text,
    }
