"""The letters of the offices' services, one per product, rendered by the worker (reportlab).

`render_product` is what the worker's issue_document task calls: it reads the case (the form of
the SOP, what staff recorded at their steps, who decided and who signed), builds the product's
body (`bodies.py`, or the card of `id_card.py`) and puts it in the office's frame (`frame.py`).
A product the SOP has a signature step for is a draft, with a DRAF watermark, until that step
is signed; a product without one (the Validasi TKA notice) is final when it is issued and names
the officer who issued it. Never imported by the API Lambda (reportlab is heavy).
"""

from __future__ import annotations

import re
from typing import Any

from chalicelib.adapters.models import Case
from chalicelib.documents.letter import Signature, tanggal
from chalicelib.documents.letters import bodies, id_card
from chalicelib.documents.letters.facts import Facts, clean_label, position
from chalicelib.documents.letters.frame import Footer, Letterhead, SignatureBlock, render
from chalicelib.domain.clock import office_today
from chalicelib.sop.schema import LetterNumbering, Office, ServiceStandard, Step

# Numbers a document carries besides its letter number, taken once when it is final.
REGISTRATIONS: dict[str, LetterNumbering] = {
    "tanda_daftar_bkk": LetterNumbering(format="BKK/{region}/{seq:04d}/{year}", unit="-", default_code="BKK"),
}


def signing_step(sop: ServiceStandard, key: str) -> Step | None:
    """The last signature step of the SOP that covers the product, if any."""
    steps = [s for s in sop.process_steps if s.kind == "signature" and key in s.documents]
    return max(steps, key=lambda s: s.number) if steps else None


def needs_signature(sop: ServiceStandard, key: str) -> bool:
    return signing_step(sop, key) is not None


def _records(case: Case) -> dict[str, dict[str, Any]]:
    return {str(k): dict(v or {}) for k, v in (case.records or {}).items()}


def number_of(case: Case, key: str, current: dict[str, Any]) -> str | None:
    """The number the document carries: the register's, or the one staff took from SISKOTKLN."""
    records = _records(case)

    def recorded(field: str) -> str | None:
        for step in sorted(records, reverse=True):
            if records[step].get(field):
                return str(records[step][field])
        return None

    if key == "id_cpmi":
        return recorded("referensi_siskotkln") or current.get("number")
    if key == "berita_acara_cpmi":
        return recorded("nomor_berita_acara") or current.get("number")
    number = current.get("number")
    return str(number) if number else None


def holder_name(sop: ServiceStandard, case: Case, key: str) -> str:
    """Whom the document is about, for the public verification page (shown masked)."""
    form = (case.data or {}).get("form") or {}

    def first(*paths: tuple[str, str]) -> str | None:
        for section, field in paths:
            value = (form.get(section) or {}).get(field) if isinstance(form.get(section), dict) else None
            if value:
                return str(value)
        return None

    name = first(
        ("cpmi", "nama_lengkap"),
        ("tka", "nama_tka"),
        ("lembaga", "nama_lembaga"),
        ("perusahaan", "nama_perusahaan"),
        ("identitas", "nama_lengkap"),
    )
    return name or str((case.data or {}).get("name") or "-")


def _issuer(case: Case) -> dict[str, Any]:
    decided = sorted((case.officers or {}).values(), key=lambda o: str(o.get("at", "")))
    return decided[-1] if decided else {}


def signature_block(office: Office, sop: ServiceStandard, case: Case, facts: Facts) -> SignatureBlock:
    """Position lines, name and NIP: the signer of the SOP, a delegate, or the issuing officer."""
    key = facts.product.key
    step = signing_step(sop, key)
    sig = facts.signature
    paraf = _paraf(office, sop, case, key)
    date_text = tanggal(facts.issued_on)
    if step is None:  # final when issued: the officer who did the work signs it
        officer = facts.officer_of("tanggal_pembayaran") or _issuer(case)
        title = clean_label(str(officer.get("role_label") or "Petugas"))
        return SignatureBlock(
            place=facts.place,
            date_text=date_text,
            position=[f"{title},".upper()],
            name=str(officer.get("name") or officer.get("username") or "-"),
            nip=officer.get("nip"),
            signed=True,
            paraf=paraf,
        )
    signer = position(office, step.signing.signer) if step.signing else clean_label(step.actors[0])
    if sig is None:
        return SignatureBlock(facts.place, date_text, [f"{signer.upper()},"], None, None, False, paraf=paraf)
    if sig.kind in ("Plt", "Plh"):
        lines = [f"{sig.kind}. {signer.upper()},"]
    elif sig.kind in ("a.n.", "u.b.") and sig.acting_as:
        lines = [f"{sig.kind} {signer.upper()}", f"{clean_label(sig.acting_as).upper()},"]
    else:
        lines = [f"{signer.upper()},"]
    return SignatureBlock(
        place=facts.place,
        date_text=date_text,
        position=lines,
        name=sig.name or sig.signed_by,
        nip=sig.nip,
        signed=True,
        decree=sig.decree,
        paraf=paraf,
    )


def _paraf(office: Office, sop: ServiceStandard, case: Case, key: str) -> list[str]:
    """The officials who checked or initialled the document before it was signed."""
    marks = []
    signing = signing_step(sop, key)
    signer = signing.signing.signer if signing is not None and signing.signing is not None else None
    for step in sop.process_steps:
        if step.kind not in ("initial", "decision") or key not in step.documents:
            continue
        officer = (case.officers or {}).get(f"{step.number:02d}") or {}
        if officer.get("decision") != "approve":
            continue
        role = str(officer.get("role") or "")
        if role == signer:
            continue  # the signer's own check is in the signature
        label = office.roles[role].label if role in office.roles else str(officer.get("role_label", ""))
        short = re.search(r"\(([^)]*)\)", label)  # "Kepala Seksi ... (Kasi Penempatan)": the short form
        title = short.group(1) if short else clean_label(label)
        marks.append(f"{title} ({officer.get('name') or officer.get('username')})")
    return marks


def facts_for(
    office: Office,
    sop: ServiceStandard,
    case: Case,
    key: str,
    current: dict[str, Any],
    signature: Signature | None,
) -> Facts:
    signed_on = signature.signed_on if signature is not None else None
    return Facts(
        office=office,
        sop=sop,
        case_id=case.case_id,
        product=sop.product(key),
        form=dict((case.data or {}).get("form") or {}),
        records=_records(case),
        officers={str(k): dict(v or {}) for k, v in (case.officers or {}).items()},
        number=number_of(case, key, current),
        registration=current.get("registration"),
        signature=signature,
        issued_on=signed_on or office_today(),
    )


def render_product(
    office: Office,
    sop: ServiceStandard,
    case: Case,
    key: str,
    current: dict[str, Any],
    signature: Signature | None,
    verify_url: str,
) -> bytes:
    """The PDF of one product of the case as it stands (a draft until its signature step is signed).

    `current` is the product as recorded on the case (its letter number, its registration
    number); `signature` the signing decision of the step that covers it, or None.
    """
    facts = facts_for(office, sop, case, key, current, signature)
    draft = needs_signature(sop, key) and signature is None
    sign = signature_block(office, sop, case, facts)
    if key in id_card.CARDS:
        return id_card.render_card(facts, sign, verify_url, draft)
    plan = bodies.BUILDERS.get(key, bodies.generic)(facts)
    head = Letterhead(
        government=office.government,
        unit=office.unit,
        address=office.address,
        contact=" · ".join(
            x
            for x in (
                f"Telp. {office.phone}",
                f"Fax {office.fax}" if office.fax else "",
                office.website,
                office.email,
            )
            if x
        ),
        place=facts.place,
    )
    footer = Footer(
        case_id=case.case_id,
        verify_url=verify_url,
        draft=draft,
        title=plan.title,
        author=office.full_name,
    )
    return render(head, plan, sign, footer)
