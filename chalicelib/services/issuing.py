"""Issuing an office's documents: versions, signatures, numbers and the QR register, in one place.

The worker's `issue_document` and `number_letter` tasks call `issue` and `number`; what a document
looks like is its renderer's business (`chalicelib/documents/registry.py`), which gets plain values
(`documents.values.Facts`) built here. The rules, for every product alike:

- **Signatures.** A product a signature step of the SOP covers is signed by the last such step:
  until it is signed, each version is a draft (DRAF watermark, no signer); once signed, the
  signature block names the signer, or the delegate with a.n. / u.b. / Plt / Plh and the decree.
  A product no signature step covers is final when issued, in the name of the officer whose
  decision issues it (the latest staff decision, or the officer who recorded the renderer's
  `issued_by_record`): that decision is its signature (the AK/I card, the Validasi TKA notice).
- **Versions.** Each rendering is a new version (`v1.pdf`, `v2.pdf`...) in the archive. A final
  version is never overwritten: asked again (a repeated or redelivered task, a later step, a loop)
  with no new signing decision, the issued version is returned as it is; a new signing decision
  (the step signed again, a new officer's decision) writes a new version, which keeps its number,
  its registration number and its QR code.
- **Numbers.** Letter numbers come from the office's register (`number`, the SOP's
  `number_letter` steps); a renderer's `own_number` and `registration` are taken once the document
  is final; each is claimed per case and document, so no number is ever taken twice
  (`services/numbering.py`). A renderer's `number_record` prints the number staff recorded instead.
- **Verification.** A final version is registered once for its QR code (`services/verification`).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from chalicelib.adapters import storage
from chalicelib.adapters.case_store import cases
from chalicelib.adapters.models import Case
from chalicelib.documents import registry
from chalicelib.documents.values import Facts, OfficeHead, Signature, SignatureBlock
from chalicelib.documents.words import clean_label, tanggal
from chalicelib.domain import holder_reports
from chalicelib.domain.case_records import IssuedDocument, Officer
from chalicelib.domain.clock import office_today
from chalicelib.domain.uploads import is_checked
from chalicelib.errors import NotFound
from chalicelib.services import audit, holder, numbering, one_card, reference_search, verification
from chalicelib.services.cases import change_case
from chalicelib.sop.schema import LetterNumbering, Office, ServiceStandard, Step

log = logging.getLogger(__name__)


class CannotIssue(Exception):
    """A document that can never be issued from this case as it stands (unknown case, a product
    with no renderer, or a value it cannot be issued without). Retrying does not help."""


@dataclass(frozen=True)
class Decision:
    """What makes a version final: the signing decision of its signature step, or the decision of
    the officer in whose name it is issued (`decision_for` gives None while it is a draft)."""

    ref: str  # one decision; a version is rendered again only for a different one
    signature: Signature | None  # the signature step's decision (None: an officer's decision)
    on: date | None  # the day the document carries, when the decision fixes it


# --- the use cases --------------------------------------------------------------------------------


def issue(office: Office, sop: ServiceStandard, case_id: str, keys: list[str], step: str = "-") -> list[str]:
    """Render the products `keys` of the case as it stands (draft, or final) into the archive.

    Returns the keys issued. Raises CannotIssue (unknown case, unknown product, a required form
    value missing); AWS errors propagate for the worker to retry.
    """
    case = _load(case_id)
    issued: dict[str, IssuedDocument] = {}
    for key in keys:
        issued[key] = issue_product(office, sop, case, key, case.products.get(key, IssuedDocument()))
    updated = change_case(case.case_id, lambda c: [Case.products.set({**c.products, **issued})])
    reference_search.index_case(updated)  # a card's own number finds the case (staff search)
    for key, product in issued.items():
        if product.signed and _renderer(key).holder_reports:
            holder.schedule(updated, key, product)  # the holder's reminder emails
    audit.record(case.case_id, step, "issue_document", documents=sorted(issued))
    return sorted(issued)


def restamp(office: Office, sop: ServiceStandard, case_id: str, key: str) -> IssuedDocument:
    """Re-issue the final card `key` of the case with its holder's reports stamped in its boxes:
    a new version with the same number, issue date, validity and QR code (the holder downloads it
    again from the status page). Raises CannotIssue when the card was never issued final."""
    case = _load(case_id)
    current = case.products.get(key)
    if current is None or not current.signed or not current.key:
        raise CannotIssue(f"{key} of case {case_id} was never issued final")
    issued = issue_product(office, sop, case, key, current, restamp=True)
    change_case(case.case_id, lambda c: [Case.products.set({**c.products, key: issued})])
    audit.record(case.case_id, "-", "issue_document", documents=[key], version=issued.version)
    return issued


def number(
    office: Office, sop: ServiceStandard, case_id: str, keys: list[str], step: str = "-"
) -> tuple[dict[str, str], list[str]]:
    """Give each product `keys` its letter number from the office's register (once per document),
    then render the numbered ones that are printed, so whoever initials or signs next reads them
    with their number (a final version stands as it is). Returns (numbers, rendered keys)."""
    numbers = {}
    for key in keys:
        numbers[key] = numbering.assign(office.id, office.numbering, case_id, key, sop.product(key).code)

    def record_numbers(case: Case) -> list[Any]:
        products = dict(case.products)
        for key, value in numbers.items():
            products[key] = replace(
                products.get(key, IssuedDocument()), number=value, name=sop.product(key).name
            )
        return [Case.products.set(products)]

    reference_search.index_case(change_case(case_id, record_numbers))  # the letter number finds it
    audit.record(case_id, step, "number_letter", numbers=numbers)
    printed = [key for key in numbers if sop.product(key).pdf]
    if printed:
        issue(office, sop, case_id, printed, step)
    return numbers, printed


# Why a number was voided, by how the case ended (the register shows it beside the number).
VOID_REASONS = {
    "completed": "Berkas selesai tanpa dokumen ini diterbitkan.",
    "rejected": "Berkas ditolak; dokumen tidak diterbitkan.",
    "expired": "Berkas kedaluwarsa; dokumen tidak diterbitkan.",
}


def void_unissued(sop: ServiceStandard, case: Case, outcome: str) -> dict[str, str]:
    """When a case ends: every number taken for one of its products that was never issued final
    (a letter numbered, then the case rejected; a card whose rendering never succeeded) is voided
    in the register with the reason (*nomor batal*), so the register accounts for every number.

    Returns {claim: voided number}. Raises Conflict when the register is busy (the worker retries)."""
    voided: dict[str, str] = {}
    reason = VOID_REASONS.get(outcome, "Dokumen tidak diterbitkan.")
    for product in sop.products:
        issued = (case.products or {}).get(product.key)
        if issued is not None and issued.signed and issued.key:
            continue
        for claim in (product.key, f"{product.key}#pendaftaran"):
            number = numbering.void(case.case_id, claim, reason)
            if number:
                voided[claim] = number
    if voided:
        audit.record(case.case_id, "-", "number_void", numbers=voided, reason=reason)
    return voided


def email_notes(keys: list[str]) -> list[str]:
    """The lines the applicant's email adds for these attached documents (the AK-1 reporting duty)."""
    notes = []
    for key in keys:
        note = registry.renderers.get(key).email_note if key in registry.renderers else None
        if note and note not in notes:
            notes.append(note)
    return notes


def issue_product(
    office: Office,
    sop: ServiceStandard,
    case: Case,
    key: str,
    current: IssuedDocument,
    restamp: bool = False,
) -> IssuedDocument:
    """One product: the version on the case if it stands, else a new version (see the module's rules).

    `current` is the product as recorded on the case; returns what to record for it now.
    `restamp`: a final version is rendered again from the same decision (same number, dates and
    QR code) because what it prints of its holder changed: a six-monthly report (`restamp`).
    """
    renderer = _renderer(key)
    product = sop.product(key)
    decision = decision_for(office, sop, case, key, current)
    stands = decision is None or decision.ref == current.signature_ref
    if current.signed and current.key and stands and not restamp:
        return current
    form = (case.data or {}).get("form") or {}
    missing = [path for path in renderer.requires if not _value(form, path)]
    if missing:
        raise CannotIssue(f"{key} needs {', '.join(missing)} on the case")
    final = decision is not None
    own_number, registration = current.number, current.registration
    if final:
        if renderer.own_number is not None and not own_number:
            own_number = _own_number(office, case, renderer.own_number, key)
        if renderer.registration is not None and not registration:
            registration = _own_number(office, case, renderer.registration, f"{key}#pendaftaran")
    shown_number = number_of(case, key, replace(current, number=own_number))
    issued_on = (decision.on if decision is not None else None) or office_today()
    valid_years = product.valid_years or renderer.valid_years
    valid_until = verification.add_years(issued_on, valid_years) if valid_years else None
    verify_id = verification.id_for(case.case_id, key)
    if final:
        one_card.register(  # the QR register; a re-issued card supersedes the old one (one_card.py)
            sop,
            case,
            key,
            verify_id,
            case_id=case.case_id,
            office=case.office,
            product=key,
            document=product.name,
            number=shown_number,
            holder_name=holder_name(case, renderer.holder),
            issued_on=issued_on,
            valid_until=valid_until,
        )
    values = facts_for(
        office,
        sop,
        case,
        key,
        signature=decision.signature if decision is not None else None,
        final=final,
        number=shown_number,
        registration=registration,
        issued_on=issued_on,
        valid_until=valid_until,
        verify_url=verification.verify_url(verify_id),
        uploads=_uploads(case, renderer.uploads),
    )
    pdf = _render(renderer, values)
    version = current.version + 1
    s3_key = f"cases/{case.case_id}/{key}/v{version}.pdf"
    storage.objects().put_document(s3_key, pdf)
    return replace(
        current,
        number=shown_number or own_number,
        registration=registration,
        name=product.name,
        key=s3_key,
        version=version,
        verify_id=verify_id,
        signed=final,
        signature_ref=decision.ref if decision is not None else None,
        issued_on=issued_on if final else current.issued_on,
        valid_until=valid_until if final else current.valid_until,
    )


def _own_number(office: Office, case: Case, rule: registry.Numbering, claim: str) -> str:
    """A number from the document's own register (`own_number`, `registration`), claimed once
    per case and `claim`."""
    return numbering.assign(
        office.id,
        LetterNumbering(format=rule.format, unit="-", default_code=rule.code),
        case.case_id,
        claim,
        rule.code,
        region=office.region_code,
    )


def render(
    office: Office,
    sop: ServiceStandard,
    case: Case,
    key: str,
    current: IssuedDocument,
    signature: Signature | None,
    verify_url: str,
) -> bytes:
    """The PDF of one product of the case as it stands, with no effect (no number, no register).

    `current` is the product as recorded on the case (its number, its registration number);
    `signature` the decision of the signature step that covers it, or None (a draft, or a
    product no signature step covers). For previews and tests.
    """
    renderer = _renderer(key)
    final = signature is not None or signing_step(sop, key) is None
    issued_on = (signature.signed_on if signature is not None else None) or office_today()
    valid_years = sop.product(key).valid_years or renderer.valid_years
    values = facts_for(
        office,
        sop,
        case,
        key,
        signature=signature,
        final=final,
        number=number_of(case, key, current),
        registration=current.registration,
        issued_on=issued_on,
        valid_until=verification.add_years(issued_on, valid_years) if valid_years else None,
        verify_url=verify_url,
        uploads=_uploads(case, renderer.uploads),
    )
    return renderer.render(values)


def number_of(case: Case, key: str, current: IssuedDocument) -> str | None:
    """The number the document carries: what staff recorded under its renderer's `number_record`
    (the ID from SISKOTKLN), else its own number as recorded on the case (`current`)."""
    return _recorded(case, _renderer(key).number_record) or current.number or None


# --- signatures -----------------------------------------------------------------------------------


def signing_step(sop: ServiceStandard, key: str) -> Step | None:
    """The last signature step of the SOP that covers the product, if any."""
    steps = [s for s in sop.process_steps if s.kind == "signature" and key in s.documents]
    return max(steps, key=lambda s: s.number) if steps else None


def signature_for(sop: ServiceStandard, office: Office, case: Case, key: str) -> Signature | None:
    """The signature of a product: the decision of the last signature step covering it, if signed."""
    step = signing_step(sop, key)
    if step is None:
        return None
    sid = f"{step.number:02d}"
    signed = case.signatures.get(sid)
    if signed is None:
        return None
    signer_role = step.signing.signer if step.signing else signed.as_role
    acting = office.roles.get(signed.as_role)
    officer = case.officers.get(sid)
    own = officer is not None and officer.username == signed.signed_by
    return Signature(
        office_title=office.roles[signer_role].label if signer_role in office.roles else signer_role,
        signed_by=signed.signed_by,
        acting_as=acting.label if acting and signed.for_role else None,
        kind=signed.kind,
        decree=signed.decree,
        name=officer.name if officer is not None and own else None,
        nip=officer.nip if officer is not None and own else None,
        signed_at=officer.at if officer is not None else None,
        step=sid,
    )


def decision_for(
    office: Office, sop: ServiceStandard, case: Case, key: str, current: IssuedDocument
) -> Decision | None:
    """The decision that makes the product final now, or None while its signature step is unsigned.

    `current` is the product as recorded on the case: an officer's new decision re-issues a
    document on the day it was first issued (its validity is not lengthened).
    """
    if signing_step(sop, key) is not None:
        signature = signature_for(sop, office, case, key)
        if signature is None:
            return None
        return Decision(signature.ref, signature, signature.signed_on)
    officer = issuing_officer(case, _renderer(key).issued_by_record)
    ref = f"{officer.username}@{officer.at or ''}" if officer is not None else "@"
    return Decision(ref, None, current.issued_on)


def issuing_officer(case: Case, record: str | None = None) -> Officer | None:
    """The officer in whose name a document no signature step covers is issued: the one who
    recorded `record` (the validating officer of a payment), else the latest staff decision;
    None while no staff member has decided."""
    if record:
        for step in sorted(case.records, reverse=True):
            if case.records[step].get(record) not in (None, ""):
                if step in case.officers:
                    return case.officers[step]
                break
    decided = sorted(case.officers.values(), key=lambda o: o.at or "")
    return decided[-1] if decided else None


def position(office: Office, role: str) -> str:
    """The position a role signs as; the head of the office names its region."""
    found = office.roles.get(role)
    if found is None:
        return role
    label = clean_label(found.label)
    if found.escalates_to is None and office.name not in label:
        label = f"{label} {office.name}"
    return label


def signature_block(
    office: Office,
    sop: ServiceStandard,
    case: Case,
    key: str,
    signature: Signature | None,
    issuer: Officer | None,
    place: str,
    issued_on: date,
) -> SignatureBlock:
    """Position lines, name and NIP: the signer of the SOP, a delegate, or the issuing officer."""
    step = signing_step(sop, key)
    paraf = _paraf(office, sop, case, key)
    date_text = tanggal(issued_on)
    if step is None:  # final when issued: the officer who did the work signs it
        title = clean_label((issuer.role_label if issuer else None) or "Petugas")
        return SignatureBlock(
            place=place,
            date_text=date_text,
            position=[f"{title},".upper()],
            name=(issuer.shown_name if issuer else None) or "-",
            nip=issuer.nip if issuer else None,
            signed=True,
            paraf=paraf,
        )
    signer = position(office, step.signing.signer) if step.signing else clean_label(step.actors[0])
    if signature is None:
        return SignatureBlock(place, date_text, [f"{signer.upper()},"], None, None, False, paraf=paraf)
    if signature.kind in ("Plt", "Plh"):
        lines = [f"{signature.kind}. {signer.upper()},"]
    elif signature.kind in ("a.n.", "u.b.") and signature.acting_as:
        lines = [f"{signature.kind} {signer.upper()}", f"{clean_label(signature.acting_as).upper()},"]
    else:
        lines = [f"{signer.upper()},"]
    return SignatureBlock(
        place=place,
        date_text=date_text,
        position=lines,
        name=signature.name or signature.signed_by,
        nip=signature.nip,
        signed=True,
        decree=signature.decree,
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
        officer = case.officers.get(f"{step.number:02d}")
        if officer is None or officer.decision != "approve":
            continue
        if officer.role == signer:
            continue  # the signer's own check is in the signature
        role = officer.role
        label = office.roles[role].label if role in office.roles else officer.role_label or ""
        short = re.search(r"\(([^)]*)\)", label)  # "Kepala Seksi ... (Kasi Penempatan)": the short form
        title = short.group(1) if short else clean_label(label)
        marks.append(f"{title} ({officer.shown_name})")
    return marks


# --- what a renderer prints -----------------------------------------------------------------------


def facts_for(
    office: Office,
    sop: ServiceStandard,
    case: Case,
    key: str,
    *,
    signature: Signature | None,
    final: bool,
    number: str | None,
    registration: str | None,
    issued_on: date,
    valid_until: date | None,
    verify_url: str,
    uploads: Mapping[str, bytes],
) -> Facts:
    """The plain values a product's renderer prints, from the case, its SOP and its office."""
    renderer = _renderer(key)
    head = office_head(office)
    place = head.name.replace("Kabupaten ", "").replace("Kota ", "")
    issuer = issuing_officer(case, renderer.issued_by_record)
    step = signing_step(sop, key)
    speaker = (
        position(office, step.signing.signer)
        if step is not None and step.signing is not None
        else office.full_name
    )
    return Facts(
        office=head,
        case_id=case.case_id,
        product=key,
        product_name=sop.product(key).name,
        service_title=sop.title,
        form=dict((case.data or {}).get("form") or {}),
        field_types={
            f"{section.key}.{field.key}": field.type
            for section in sop.requirements.form
            for field in section.fields
        },
        records=dict(case.records),
        officers=dict(case.officers),
        issuer=issuer,
        number=number,
        registration=registration,
        signature=signature,
        sign=signature_block(office, sop, case, key, signature, issuer, place, issued_on),
        speaker=speaker,
        issued_on=issued_on,
        valid_until=valid_until,
        draft=not final,
        verify_url=verify_url,
        uploads=dict(uploads),
        holder_reports=tuple(holder_reports.recorded(case.holder_reports)) if renderer.holder_reports else (),
    )


def office_head(office: Office) -> OfficeHead:
    """The office as its documents print it."""
    return OfficeHead(
        name=office.name,
        full_name=office.full_name,
        government=office.government,
        unit=office.unit,
        address=office.address,
        phone=office.phone,
        fax=office.fax,
        website=office.website,
        email=office.email,
    )


def holder_name(case: Case, fields: tuple[str, ...]) -> str:
    """Whom the document is about, for the public verification page (shown masked)."""
    form = (case.data or {}).get("form") or {}
    for path in fields:
        value = _value(form, path)
        if value:
            return str(value)
    return str((case.data or {}).get("name") or "-")


# --- helpers --------------------------------------------------------------------------------------


def _load(case_id: str) -> Case:
    try:
        return cases().get(case_id)
    except NotFound:
        raise CannotIssue("unknown case") from None


def _renderer(key: str) -> registry.Renderer:
    try:
        return registry.renderers.get(key)
    except registry.UnknownProduct:
        raise CannotIssue(f"no renderer is registered for product {key!r}") from None


def _render(renderer: registry.Renderer, values: Facts) -> bytes:
    """The renderer's PDF; an upload that is no readable image is left out, and staff are told."""
    try:
        return renderer.render(values)
    except registry.UnreadableImage as exc:
        log.warning(
            "%s of case %s: upload %s cannot be read; issued without it",
            values.product,
            values.case_id,
            exc.upload,
        )
        audit.record(values.case_id, "-", "photo_unreadable", exc.note)
        uploads = {k: v for k, v in values.uploads.items() if k != exc.upload}
        return renderer.render(dataclasses.replace(values, uploads=uploads))


def _recorded(case: Case, field: str | None) -> str | None:
    """What staff recorded under `field`, at the latest step that recorded it."""
    if not field:
        return None
    for step in sorted(case.records, reverse=True):
        value = case.records[step].get(field)
        if value:
            return str(value)
    return None


def _value(form: Mapping[str, Any], path: str) -> Any:
    """A form value by "section.field" (None when the section is a list or absent)."""
    section, _, field = path.partition(".")
    values = form.get(section)
    return values.get(field) if isinstance(values, Mapping) else None


def _uploads(case: Case, names: tuple[str, ...]) -> dict[str, bytes]:
    """The applicant's uploads a renderer prints, by document key: only checked ones (scanned
    clean, an image re-encoded: domain/uploads.py), read at the ETag recorded when they were
    checked (absent or unchecked ones left out)."""
    found = {}
    for name in names:
        record = (case.documents or {}).get(name) or {}
        if record.get("key") and is_checked(record):
            found[name] = storage.objects().get_upload(str(record["key"]), record.get("etag") or None)
    return found
