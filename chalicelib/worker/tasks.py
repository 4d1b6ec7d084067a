"""Worker tasks by name. Each takes the message and returns a small JSON result for the SOP.

Every message comes from a state machine state (see chalicelib/sop/compiler.py) and carries
`case_id`, `office`, `service`, `step`, `entered` (when that state began) and usually a task
token. Effects are claimed per case, step, task and pass (`entered`), so a redelivered message
does nothing twice while a second round of a return loop does its work again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from chalicelib.adapters import effects, identity, mail, storage, workflow
from chalicelib.adapters.models import Case
from chalicelib.domain.clock import iso, office_today
from chalicelib.services import audit, numbering, verification
from chalicelib.services.cases import change_case
from chalicelib.services.catalog import ServiceEntry, find_service
from chalicelib.settings import get_settings
from chalicelib.sop.schema import LetterNumbering, Office, ServiceStandard

log = logging.getLogger(__name__)

Task = Callable[[dict[str, Any]], dict[str, Any]]

CLOSING = {"completed": "completed", "rejected": "rejected", "expired": "expired"}


class BadMessage(Exception):
    """A message the worker can never handle (unknown task, missing field): fail the task now."""


def _entry(message: dict[str, Any]) -> ServiceEntry:
    entry = find_service(str(message.get("office")), str(message.get("service")))
    if entry is None:
        raise BadMessage("unknown office or service")
    return entry


def _case(message: dict[str, Any]) -> Case:
    try:
        return Case.get(*Case.key(message["case_id"]), consistent_read=True)
    except Case.DoesNotExist:
        raise BadMessage("unknown case") from None


def _status_url(case_id: str) -> str:
    """The applicant's status page of this case on the public site."""
    return f"{get_settings().public_site_url.rstrip('/')}/berkas.html?id={case_id}"


def _mail_applicant(
    message: dict[str, Any],
    template: str,
    attachments: list[tuple[str, bytes, str]] | None = None,
    **context: Any,
) -> str:
    to = message.get("email")
    if not to:
        raise BadMessage("the case has no email address")
    entry = _entry(message)
    office = entry.office_sop
    full = {
        "case_id": message["case_id"],
        "status_url": _status_url(str(message["case_id"])),
        "service_title": entry.title,
        "office_name": office.full_name,
        "complaint": entry.sop.complaint.model_dump(),
        "note": message.get("note") or "",
        **context,
    }
    return mail.send(mail.build_message(str(to), template, full, attachments))


def send_email(message: dict[str, Any]) -> dict[str, Any]:
    """Email the applicant about this step; the step's documents, once issued, are attached."""
    template = message.get("template")
    entry = _entry(message)
    step = entry.sop.step(int(message["step"])) if message.get("step") else None
    if not template:
        returns = step is not None and any(o.goto == "applicant" for o in step.outcomes)
        template = "returned" if returns else "step_notice"
    attachments = []
    documents = []
    if message.get("documents"):
        issued_already = _case(message).products or {}
        missing = [k for k in message["documents"] if not issued_already.get(k, {}).get("key")]
        if missing:  # a notice the SOP only sends (no step of its own renders it): render it first
            issue_document({**message, "documents": missing})
        products = _case(message).products or {}
        for key in message["documents"]:
            issued = products.get(key)
            if issued and issued.get("key"):
                filename = f"{issued.get('name', key)}.pdf".replace("/", "-")
                attachments.append((filename, storage.get_document(issued["key"]), "application/pdf"))
                documents.append({**issued, "key": key})
    if documents and not message.get("template"):
        template = "documents_issued"
    message_id = _mail_applicant(
        message,
        str(template),
        attachments,
        step_activity=step.activity if step else "",
        step_output=step.output if step else "",
        documents=documents,
        card=any(entry.sop.product(d["key"]).layout == "ak1_card" for d in documents),
    )
    audit.record(message["case_id"], str(message.get("step", "-")), "email", template=template)
    return {"message_id": message_id}


def issue_document(message: dict[str, Any]) -> dict[str, Any]:
    """Render the step's documents from the case as it stands (draft, or signed) into the archive."""
    entry = _entry(message)
    office, sop = entry.office_sop, entry.sop
    case = _case(message)
    issued: dict[str, Any] = {}
    for key in message.get("documents") or []:
        product = sop.product(key)
        current = (case.products or {}).get(key, {})
        if product.layout == "ak1_card":
            issued[key] = _issue_card(office, sop, case, key, current)
            continue
        issued[key] = _issue_letter(office, sop, case, key, current)
    change_case(case.case_id, lambda c: [Case.products.set({**(c.products or {}), **issued})])
    audit.record(case.case_id, str(message.get("step", "-")), "issue_document", documents=sorted(issued))
    return {"documents": sorted(issued)}


def _issue_letter(
    office: Office, sop: ServiceStandard, case: Case, key: str, current: dict[str, Any]
) -> dict[str, Any]:
    """A letter of the office: a new version (v1, v2...) unless its signed version stands.

    A signed version is never replaced: a new one is written only for a new signing decision
    (another entry in `case.signatures`, or the same step signed again). Once final (signed, or a
    product no one signs), the document gets its registration number, if it has one, and its QR
    code is registered for the public verification page.
    """
    from chalicelib.documents import letters

    product = sop.product(key)
    signature = _signature_for(sop, office, case, key)
    ref = signature.ref if signature is not None else None
    if current.get("signed") and current.get("key") and (ref is None or ref == current.get("signature_ref")):
        return dict(current)
    final = signature is not None or not letters.needs_signature(sop, key)
    facts = dict(current)
    rule = letters.REGISTRATIONS.get(key)
    if final and rule is not None and not facts.get("registration"):
        facts["registration"] = numbering.assign(
            office.id, rule, case.case_id, f"{key}#pendaftaran", rule.default_code, region=office.region_code
        )
    number = letters.number_of(case, key, facts)
    issued_on = (signature.signed_on if signature is not None else None) or office_today()
    verify_id = verification.id_for(case.case_id, key)
    valid_until = verification.add_years(issued_on, product.valid_years) if product.valid_years else None
    if final:
        holder = letters.holder_name(sop, case, key)
        _register(case, key, product.name, number, holder, issued_on, valid_until)
    pdf = letters.render_product(office, sop, case, key, facts, signature, verification.verify_url(verify_id))
    version = int(current.get("version", 0)) + 1
    s3_key = f"cases/{case.case_id}/{key}/v{version}.pdf"
    storage.put_document(s3_key, pdf)
    issued = {
        **facts,
        "name": product.name,
        "key": s3_key,
        "version": version,
        "verify_id": verify_id,
        "signed": final,
        "signature_ref": ref,
    }
    if number:
        issued["number"] = number
    if final:
        issued["issued_on"] = issued_on.isoformat()
        issued["valid_until"] = valid_until.isoformat() if valid_until else None
    return issued


# AK/I registration number: region code + issue date DDMMYY + the office's running number of the year.
REGISTRATION = LetterNumbering(format="{region}{ddmmyy}{seq:06d}", unit="-", default_code="AK1")


def _issue_card(
    office: Office, sop: ServiceStandard, case: Case, key: str, current: dict[str, Any]
) -> dict[str, Any]:
    """The AK-1 card: numbered once, registered for its QR code once, rendered from the case.

    The card carries the approving officer's name and NIP, so their decision is its signature: an
    issued card is never replaced (a re-delivered or repeated task returns it as it is), and a new
    version is written only after a new decision on the case, like a letter's new signature.
    """
    from chalicelib.documents.ak1_card import CardContent, render_card

    officer = _issuing_officer(case)
    ref = f"{officer.get('username', '')}@{officer.get('at', '')}"
    if current.get("key") and current.get("signature_ref") == ref:
        return dict(current)
    product = sop.product(key)
    form = (case.data or {}).get("form") or {}
    person = form.get("identitas") or {}
    if not person.get("nik") or not person.get("nama_lengkap"):
        raise BadMessage("the AK-1 card needs the applicant's identity on the case")
    number = current.get("number") or numbering.assign(
        office.id, REGISTRATION, case.case_id, key, REGISTRATION.default_code, region=office.region_code
    )
    issued_on = date.fromisoformat(current["issued_on"]) if current.get("issued_on") else office_today()
    valid_until = verification.add_years(issued_on, product.valid_years or 2)
    verify_id = verification.id_for(case.case_id, key)
    _register(case, key, product.name, number, person["nama_lengkap"], issued_on, valid_until)
    photo_key = ((case.documents or {}).get("pas_foto") or {}).get("key")
    content = CardContent(
        government=office.government,
        unit=office.unit,
        address=office.address,
        contact=" · ".join(x for x in (office.phone, office.website or "") if x),
        place=office.name.replace("Kabupaten ", "").replace("Kota ", ""),
        registration_number=number,
        nik=person["nik"],
        name=person["nama_lengkap"],
        birth_place=person.get("tempat_lahir", "-"),
        birth_date=date.fromisoformat(person["tanggal_lahir"]),
        sex=person.get("jenis_kelamin", "-"),
        marital_status=person.get("status_perkawinan", "-"),
        religion=person.get("agama", "-"),
        address_line=person.get("alamat", "-"),
        education=_education(form.get("pendidikan_terakhir") or {}),
        skills=tuple(
            " – ".join(x for x in (s.get("nama_keterampilan"), s.get("keterangan")) if x)
            for s in form.get("keterampilan") or []
        ),
        experience=tuple(_experience(e) for e in form.get("pengalaman_kerja") or []),
        photo=storage.get_upload(photo_key) if photo_key else None,
        officer_name=officer.get("name") or officer.get("username") or "-",
        officer_nip=officer.get("nip") or "-",
        officer_title=officer.get("role_label") or "Petugas",
        issued_on=issued_on,
        valid_until=valid_until,
        verify_url=verification.verify_url(verify_id),
    )
    version = int(current.get("version", 0)) + 1
    s3_key = f"cases/{case.case_id}/{key}/v{version}.pdf"
    try:
        pdf = render_card(content)
    except ValueError:
        # A file that passed the upload check (right magic bytes) but is no readable image: the
        # card is still issued, with an empty photo box for a printed photo, and staff can see why.
        log.warning(
            "AK-1 card of case %s: the 3x4 photo cannot be read; card issued without it", case.case_id
        )
        audit.record(
            case.case_id, "-", "photo_unreadable", "Pas foto tidak terbaca; kartu terbit tanpa foto."
        )
        pdf = render_card(dataclasses.replace(content, photo=None))
    storage.put_document(s3_key, pdf)
    return {
        **current,
        "name": product.name,
        "key": s3_key,
        "version": version,
        "number": number,
        "verify_id": verify_id,
        "issued_on": issued_on.isoformat(),
        "valid_until": valid_until.isoformat(),
        "signed": True,
        "signature_ref": ref,
    }


def _register(
    case: Case,
    key: str,
    name: str,
    number: str | None,
    holder: str,
    issued_on: date,
    valid_until: date | None,
) -> None:
    """What the document's QR code shows on the verification page (registered once per product)."""
    verification.register(
        verification.id_for(case.case_id, key),
        case_id=case.case_id,
        office=case.office,
        product=key,
        document=name,
        number=number,
        holder_name=holder,
        issued_on=issued_on,
        valid_until=valid_until,
    )


def _experience(entry: dict[str, Any]) -> str:
    years = f"{entry.get('tahun_mulai', '')}–{entry.get('tahun_selesai') or 'sekarang'}"
    return f"{entry.get('jabatan', '')}, {entry.get('nama_perusahaan', '')} ({years})"


def _education(last: dict[str, Any]) -> str:
    level = " – ".join(str(x) for x in (last.get("jenjang"), last.get("jurusan")) if x)
    school = last.get("nama_sekolah")
    year = f" ({last['tahun_lulus']})" if last.get("tahun_lulus") else ""
    return ", ".join(x for x in (level, school) if x) + year or "-"


def _issuing_officer(case: Case) -> dict[str, Any]:
    """The officer whose decision led to issuing: the latest staff decision on the case."""
    decided = sorted((case.officers or {}).values(), key=lambda o: str(o.get("at", "")))
    return decided[-1] if decided else {}


def _signature_for(sop: Any, office: Any, case: Case, document: str) -> Any:
    """The signature of a document: from the last signature step that covers it, if signed."""
    from chalicelib.documents.letter import Signature

    for step in sorted(sop.process_steps, key=lambda s: -s.number):
        if step.kind != "signature" or document not in step.documents:
            continue
        sid = f"{step.number:02d}"
        signed = (case.signatures or {}).get(sid)
        if not signed:
            return None
        signer_role = step.signing.signer if step.signing else signed["as_role"]
        acting = office.roles.get(signed["as_role"])
        officer = (case.officers or {}).get(sid) or {}
        return Signature(
            office_title=office.roles[signer_role].label if signer_role in office.roles else signer_role,
            signed_by=signed["signed_by"],
            acting_as=acting.label if acting and signed.get("for_role") else None,
            kind=signed.get("kind"),
            decree=signed.get("decree"),
            name=officer.get("name") if officer.get("username") == signed["signed_by"] else None,
            nip=officer.get("nip") if officer.get("username") == signed["signed_by"] else None,
            signed_at=officer.get("at"),
            step=sid,
        )
    return None


def number_letter(message: dict[str, Any]) -> dict[str, Any]:
    """Give each document of the step its number from the office's register (once per document),
    then render the numbered drafts for the steps that initial and sign them."""
    entry = _entry(message)
    office, sop = entry.office_sop, entry.sop
    numbers = {}
    for key in message.get("documents") or []:
        product = sop.product(key)
        numbers[key] = numbering.assign(office.id, office.numbering, message["case_id"], key, product.code)

    def record_numbers(case: Case) -> list[Any]:
        products = dict(case.products or {})
        for key, number in numbers.items():
            products[key] = {**products.get(key, {}), "number": number, "name": sop.product(key).name}
        return [Case.products.set(products)]

    change_case(message["case_id"], record_numbers)
    audit.record(message["case_id"], str(message.get("step", "-")), "number_letter", numbers=numbers)
    # The numbered documents are rendered again at once, so whoever initials or signs next reads
    # them with their number (a signed version stands as it is).
    printed = [key for key in numbers if sop.product(key).pdf]
    if printed:
        issue_document({**message, "documents": printed})
    return {"numbers": numbers, "documents": printed}


def publish_download(message: dict[str, Any]) -> dict[str, Any]:
    """Let the applicant download and print the step's documents from the status page."""
    keys = list(message.get("documents") or [])

    def publish(case: Case) -> list[Any]:
        products = dict(case.products or {})
        for key in keys:
            products[key] = {**products.get(key, {}), "downloadable": True}
        return [Case.products.set(products)]

    change_case(message["case_id"], publish)
    audit.record(message["case_id"], str(message.get("step", "-")), "publish_download", documents=keys)
    return {"published": keys}


def escalate(message: dict[str, Any]) -> dict[str, Any]:
    """A step passed its standard time: record it and tell the next role up by email."""
    role = str(message.get("role"))
    supervisor = message.get("escalates_to")
    entry = _entry(message)
    step = entry.sop.step(int(message["step"]))
    recipients = identity.staff_emails(str(message["office"]), str(supervisor)) if supervisor else []
    for to in recipients:
        mail.send(
            mail.build_message(
                to,
                "overdue",
                {
                    "case_id": message["case_id"],
                    "service_title": entry.title,
                    "step": message["step"],
                    "step_activity": step.activity,
                    "role": role,
                    "standard": step.time,
                    "entered_at": message.get("entered_at", ""),
                },
            )
        )
    audit.record(
        message["case_id"],
        str(message["step"]),
        "overdue",
        role=role,
        notified=supervisor,
        recipients=len(recipients),
    )
    return {"notified": len(recipients)}


def return_to_applicant(message: dict[str, Any]) -> dict[str, Any]:
    """Hand the file back: the case reopens for uploads, the applicant is told why (once)."""
    note = str(message.get("note") or "")

    def reopen(case: Case) -> list[Any]:
        return [
            Case.status.set("returned"),
            Case.status_note.set(note or "Lengkapi berkas Anda."),
            Case.data.set({**(case.data or {}), "returned_at": iso()}),
        ]

    change_case(message["case_id"], reopen)
    if not message.get("already_mailed"):
        _mail_applicant(message, "returned")
    audit.record(message["case_id"], str(message.get("step", "-")), "returned", note or None)
    return {"status": "returned"}


def close_case(message: dict[str, Any]) -> dict[str, Any]:
    """The end of the SOP: completed, rejected (with the reason) or expired (with a notice)."""
    outcome = str(message.get("outcome"))
    if outcome not in CLOSING:
        raise BadMessage(f"unknown outcome {outcome!r}")
    status = CLOSING[outcome]
    note = str(message.get("note") or "") if outcome == "rejected" else ""
    entry = _entry(message)

    def close(case: Case) -> list[Any]:
        actions = [Case.status.set(status), Case.status_note.set(note) if note else Case.status_note.remove()]
        if outcome == "completed" and case.products:
            # What the office issued is the applicant's: downloadable from the status page.
            published = {
                k: {**p, "downloadable": True} if p.get("key") else p for k, p in case.products.items()
            }
            actions.append(Case.products.set(published))
        return actions

    closed = change_case(message["case_id"], close)
    mailed = {  # documents a send_email step of the SOP already delivered
        d for s in entry.sop.process_steps if s.system_action == "send_email" for d in s.documents
    }
    mails_itself = any(s.system_action == "send_email" for s in entry.sop.process_steps)
    attachments = []
    if outcome == "completed":
        for key, issued in (closed.products or {}).items():
            if issued.get("key") and key not in mailed:
                filename = f"{issued.get('name', key)}.pdf".replace("/", "-")
                attachments.append((filename, storage.get_document(issued["key"]), "application/pdf"))
    if outcome != "completed" or not mails_itself or attachments:
        _mail_applicant(message, f"closed_{outcome}", attachments, attached=[a[0] for a in attachments])
    audit.record(message["case_id"], str(message.get("step", "-")), outcome, note)
    return {"status": status}


def step_deadline(message: dict[str, Any]) -> dict[str, Any]:
    """When a step begins in an office with office hours: its timeout, counted in office time."""
    from datetime import datetime, time

    from chalicelib.domain.clock import WIB
    from chalicelib.domain.working_time import OfficeHours, add_working_minutes

    office = _entry(message).office_sop
    if office.working_hours is None:
        raise BadMessage("step_deadline needs an office with working_hours")
    hours = office.working_hours
    begun = datetime.fromisoformat(str(message["entered"]).replace("Z", "+00:00")).astimezone(WIB)
    due = add_working_minutes(
        begun,
        float(message["minutes"]),
        OfficeHours(frozenset(hours.days), time.fromisoformat(hours.start), time.fromisoformat(hours.end)),
    )
    wall_minutes = (due - begun).total_seconds() / 60
    scale = float(message.get("time_scale") or get_settings().time_scale)
    return {"t": message["entered"], "due": due.isoformat(), "timeout": max(1, round(wall_minutes * scale))}


TASKS: dict[str, Task] = {
    "step_deadline": step_deadline,
    "send_email": send_email,
    "issue_document": issue_document,
    "number_letter": number_letter,
    "publish_download": publish_download,
    "escalate": escalate,
    "return_to_applicant": return_to_applicant,
    "close_case": close_case,
}


def effect_key(message: dict[str, Any]) -> str:
    """Once per case, step, task and pass through the state (not per delivery)."""
    return f"{message['case_id']}:{message.get('step', '-')}:{message['task']}:{message.get('entered', '-')}"


def handle(message: dict[str, Any]) -> None:
    """Run one task message and answer its token; re-raise transient errors for SQS to retry."""
    token = message.get("task_token")
    name = message.get("task", "")
    try:
        if "case_id" not in message:
            raise BadMessage("message needs 'case_id'")
        task = TASKS.get(name)
        if task is None:
            raise BadMessage(f"unknown task {name!r}")
        ran, result = effects.once(effect_key(message), lambda: task(message))
    except BadMessage as exc:
        log.error("worker task %s refused: %s (case %s)", name, exc, message.get("case_id"))
        if token:
            with contextlib.suppress(workflow.TaskGone):
                workflow.fail_task(token, "Loket.BadMessage", str(exc))
        return
    log.info("worker task %s for case %s: %s", name, message["case_id"], "done" if ran else "already done")
    if not token:
        return  # a notification (escalation): nobody waits for it
    try:
        workflow.answer_task(token, {"task": name, **result})
    except workflow.TaskGone:
        log.warning("worker task %s for case %s: token no longer waiting", name, message["case_id"])
