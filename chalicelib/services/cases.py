"""Applicant use cases: open a case once, upload its files, submit it once, read its status.

Every step is safe to repeat: the case id is derived from the applicant and the form's
idempotency key, so a second click or a retried request finds the same case; submission starts
the Step Functions execution named after the case, which Step Functions itself runs only once.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from chalicelib.adapters import audit_log, case_index, storage, task_queue, workflow
from chalicelib.adapters.case_store import CaseExists, cases, change_case, touch
from chalicelib.adapters.models import Case, WorkItem, key_text_ok
from chalicelib.domain import case_code, email_address
from chalicelib.domain.clock import iso, now, parse
from chalicelib.domain.files import CONTENT_TYPES
from chalicelib.domain.uploads import REFUSED, SCANNING, STATE_LABELS, state_of
from chalicelib.errors import Conflict, Forbidden, FormInvalid, InvalidInput, NotFound, Unprocessable
from chalicelib.services import (
    audit,
    delivery,
    forms,
    one_card,
    profiles,
    reference_search,
    service_clock,
    tallies,
    uploads,
    work,
)
from chalicelib.services.catalog import MB, DocumentRule, ServiceEntry, find_service
from chalicelib.services.uploads import OPEN_FOR_UPLOADS
from chalicelib.settings import get_settings
from chalicelib.sop.schema import APPLICANT, Step


def case_id_for(applicant_sub: str, idempotency_key: str) -> str:
    """An unguessable id that is the same for the same applicant and form submission."""
    digest = hashlib.sha256(f"{applicant_sub}\x00{idempotency_key}".encode()).digest()
    return base64.b32encode(digest[:15]).decode().lower()


CODE_ATTEMPTS = 8
ANYONE = "masyarakat"
"""The applicant kind of a service anyone files (a complaint: services/complaints.py)."""
RECEIPT_TASK = "send_receipt"


def code_for(case_id: str, office: str) -> str:
    """The case's short code (domain/case_code.py), claimed for it in the table: its first
    candidate another case does not hold. The same case id gets the same code again (a retried
    request). Raises Conflict if every attempt is taken (practically never: 2^40 codes)."""
    for attempt in range(CODE_ATTEMPTS):
        code = case_code.candidate(case_id, attempt)
        if case_index.claim_code(code, case_id, office):
            return code
    raise Conflict("Kode berkas tidak dapat dibuat sekarang; coba lagi.")


@dataclass(frozen=True)
class Opened:
    case: Case
    created: bool


def open_case(
    applicant_sub: str,
    email: str,
    office: str,
    service: str,
    idempotency_key: str,
    kind: str = "pencari_kerja",
    organisation: str | None = None,
) -> Opened:
    """Create the case, or return the one this key already created.

    A service is filed by the kind of account its standard names: a job seeker files AK-1 for
    themself, a company files its TKA reports, a school its BKK, a placement agency for its CPMI.
    """
    entry = find_service(office, service)
    if entry is None:
        raise NotFound("Layanan tidak ditemukan untuk kantor ini.", field="service")
    if entry.sop.applicant.kind not in (kind, ANYONE):
        raise Forbidden(
            f"Layanan ini diajukan dengan akun {entry.sop.applicant.label}. "
            "Masuk atau buat akun jenis itu untuk mengajukannya.",
            field="kind",
        )
    if not (email or "").strip():
        raise InvalidInput(
            "Alamat email wajib ada: pemberitahuan dan hasil layanan dikirim ke email.", field="email"
        )
    email = email_address.deliverable(email)
    key = (idempotency_key or "").strip()
    if not 8 <= len(key) <= 100:
        raise InvalidInput("Kunci pengajuan (Idempotency-Key) tidak sah.", field="idempotency_key")
    case_id = case_id_for(applicant_sub, key)
    code = code_for(case_id, office)
    now = iso()
    pk, sk = Case.key(case_id)
    case = Case(
        pk,
        sk,
        case_id=case_id,
        code=code,
        office=office,
        service=service,
        applicant_sub=applicant_sub,
        status="draft",
        created_at=now,
        updated_at=now,
        data={"email": email, **({"organisation": organisation} if organisation else {})},
        documents={},
        GSI2PK=Case.owner(applicant_sub),
        GSI2SK=f"{now}#{case_id}",
    )
    try:
        cases().add(case)
    except CaseExists:
        existing = own_case(applicant_sub, case_id)
        asked = (office, service, email, organisation)
        first = (
            existing.office,
            existing.service,
            (existing.data or {}).get("email"),
            (existing.data or {}).get("organisation"),
        )
        if asked != first:
            # The key names another request (another office's or service's, another address):
            # answering with the first case would file the papers under the wrong service.
            raise Unprocessable(
                "Kunci pengajuan (Idempotency-Key) ini sudah dipakai untuk pengajuan lain. "
                "Muat ulang halaman untuk memulai pengajuan baru.",
                field="idempotency_key",
            ) from None
        return Opened(existing, created=False)
    return Opened(case, created=True)


def own_case(applicant_sub: str, case_id: str) -> Case:
    """The applicant's own case; someone else's case is indistinguishable from a missing one
    (and so is an id that cannot name a case: empty, too long for a key)."""
    if not key_text_ok(case_id):
        raise NotFound("Berkas tidak ditemukan.")
    case = cases().get(case_id)
    if case.applicant_sub != applicant_sub:
        raise NotFound("Berkas tidak ditemukan.")
    return case


def _editable_document(applicant_sub: str, case_id: str, document: str) -> tuple[Case, DocumentRule]:
    """The applicant's case, still open for uploads, and the rule of one of its documents."""
    case = own_case(applicant_sub, case_id)
    if case.status not in OPEN_FOR_UPLOADS:
        raise Conflict("Berkas sudah diajukan; dokumen tidak dapat diubah sekarang.")
    entry = find_service(case.office, case.service)
    assert entry is not None
    for rule in entry.documents:
        if rule.key == document:
            return case, rule
    raise InvalidInput("Jenis dokumen tidak dikenal untuk layanan ini.", field="document")


def request_upload(applicant_sub: str, case_id: str, document: str, content_type: str) -> dict[str, Any]:
    """A presigned POST for one document of the case, limited to its accepted kinds and size: one
    key under `pending/` (adapters/storage.py), which only this policy writes."""
    _case, rule = _editable_document(applicant_sub, case_id, document)
    kinds = {CONTENT_TYPES[k]: k for k in rule.kinds}
    if content_type not in kinds:
        names = ", ".join(k.upper() for k in rule.kinds)
        raise InvalidInput(f"Jenis berkas tidak diterima. Gunakan {names}.", field="content_type")
    key = storage.upload_key(case_id, document, secrets.token_hex(8), kinds[content_type])
    post = storage.objects().upload_policy(key, content_type, rule.max_bytes)
    return {
        "document": document,
        "key": key,
        "url": post["url"],
        "fields": post["fields"],
        "max_bytes": rule.max_bytes,
    }


def confirm_upload(applicant_sub: str, case_id: str, document: str, key: str) -> dict[str, Any]:
    """Judge an uploaded object, pin it and record it on the case as being scanned (or refuse it
    with the reason, deleting it): services/uploads.py `receive`. Returns what the applicant
    sees of the document (`public_document`)."""
    case, rule = _editable_document(applicant_sub, case_id, document)
    # Exactly the shape request_upload gives: anything else (another case's key, a path, a key
    # too long for S3) names no upload of this document and is never sent to S3.
    issued = (
        rf"{storage.PENDING_PREFIX}{re.escape(case_id)}/{re.escape(document)}/[0-9a-f]{{16}}\.(pdf|jpeg|png)"
    )
    if not re.fullmatch(issued, key):
        raise InvalidInput("Kunci berkas tidak sesuai dengan berkas ini.", field="key")
    record = uploads.receive(case, document, rule, key)
    return {"document": document, **public_document(record)}


def public_document(record: dict[str, Any]) -> dict[str, Any]:
    """What the applicant sees of an uploaded document: its kind, when it was received, its state
    (scanning, checked, refused: domain/uploads.py) in words, and why it was refused."""
    state = state_of(record) or SCANNING
    shown = {
        "kind": record.get("kind"),
        "checked_at": record.get("checked_at"),
        "state": state,
        "state_label": STATE_LABELS.get(state, state),
    }
    if state == REFUSED:
        shown["message"] = record.get("message") or ""
    return shown


def submit(applicant_sub: str, case_id: str) -> Case:
    """Submit once: check the required documents, then start the execution named by the case.

    A case returned to the applicant is resubmitted by answering the waiting step instead.
    """
    case = own_case(applicant_sub, case_id)
    entry = find_service(case.office, case.service)
    assert entry is not None
    if case.status not in OPEN_FOR_UPLOADS:
        _complete_trail(case)  # a press repeated after one that failed past the status change
        return case
    documents = case.documents or {}
    # A document asked only for some answers (the SOP's `required_when`: the marriage certificate
    # of a married CPMI) is needed when the saved form gives that answer.
    form = (case.data or {}).get("form") or {}
    missing = [r.name for r in entry.documents if r.needed(form) and r.key not in documents]
    if missing:
        raise Unprocessable("Dokumen wajib belum diunggah: " + ", ".join(missing) + ".", field="documents")
    _all_checked(entry, documents)
    if forms.applicant_sections(entry.sop) and not (case.data or {}).get("form"):
        raise Unprocessable("Formulir belum diisi. Isi dan simpan formulir dulu.", field="form")
    # One valid card per NIK per office (services/one_card.py): the rule that counts, before any
    # execution starts; a second press of this case finds its own claim.
    one_card.claim(case, entry)
    if case.status == "returned":
        stale = _not_replaced(case, entry)
        if stale:
            raise Unprocessable(
                "Unggah ulang dokumen yang diminta petugas: " + ", ".join(stale) + ".", field="documents"
            )
        return _resubmit(case)
    payload = entry.start_input(
        {
            "case_id": case.case_id,
            "office": case.office,
            "service": case.service,
            "email": (case.data or {}).get("email", ""),
        },
        get_settings().time_scale,
    )
    execution = workflow.start_case(entry.machine, case.case_id, payload)
    # Before the status changes, so a press that fails after this point and is repeated does
    # both again: the keys are the same items, the receipt one effect (worker/tasks.py).
    reference_search.index_case(case)
    task_queue.tasks().send(receipt_message(case))
    # The published service time starts now (services/service_clock.py); a retried press that
    # finds the case submitted keeps the first press's due date.
    received = now()
    due = iso(service_clock.due_at(entry.sop, entry.office_sop, received))
    first: list[bool] = []

    def submitted(current: Case) -> list[Any]:
        first[:] = [current.status == "draft"]
        if not first[0]:
            return []
        return [
            Case.status.set("submitted"),
            Case.execution_arn.set(execution),
            Case.submitted_at.set(iso(received)),
            Case.due_at.set(due),
        ]

    updated = change_case(case.case_id, submitted, read=case)
    if first and first[0]:  # this press submitted it: the trail starts with its submission
        _start_trail(updated)
    else:
        _complete_trail(updated)
    return updated


SUBMITTED_EVENT_ID = "diajukan"
"""The fixed id of a case's submission event (services/audit.py `event`)."""


def _start_trail(case: Case) -> None:
    """The submission's audit event (the trail starts with it) and its count in the day's intake.
    The event's key is fixed by the case's `submitted_at` and the count has its marker
    (services/tallies.py), so writing them again (`_complete_trail`) adds nothing."""
    audit_log.events().add(
        audit.event(
            case.case_id,
            "pemohon",
            "pemohon",
            "-",
            "submitted",
            at=case.submitted_at,
            event_id=SUBMITTED_EVENT_ID,
        )
    )
    tallies.submitted(case, parse(str(case.submitted_at)))


def _complete_trail(case: Case) -> None:
    """For a press that finds the case submitted already: `_start_trail` when its trail has no
    submission event, which a press that failed past the status change (DynamoDB busy: 503) left
    undone; before, the press repeated after it skipped both for good. One Query of the trail;
    nothing is written when the trail is whole."""
    if case.status != "submitted" or not case.submitted_at:
        return
    if not any(e.action == "submitted" for e in audit_log.events().trail(case.case_id)):
        _start_trail(case)


def receipt_message(case: Case) -> dict[str, Any]:
    """The worker message that emails the applicant the receipt of a submitted case ("Berkas
    diterima", worker/tasks.py `send_receipt`): the same message for every press, so its effect
    key (one per case) sends it once."""
    return {
        "task": RECEIPT_TASK,
        "case_id": case.case_id,
        "office": case.office,
        "service": case.service,
        "email": (case.data or {}).get("email", ""),
        "step": "diterima",
    }


def _all_checked(entry: ServiceEntry, documents: dict[str, Any]) -> None:
    """Every uploaded document must be checked (scanned clean, an image re-encoded) before the
    case goes to the office: Unprocessable naming the refused ones with their reasons, Conflict
    naming those still being checked."""
    names = {r.key: r.name for r in entry.documents}
    refused = [
        f"{names.get(k, k)} ({r.get('message') or 'ditolak'})"
        for k, r in documents.items()
        if state_of(r) == REFUSED
    ]
    if refused:
        raise Unprocessable("Unggah ulang dokumen yang ditolak: " + "; ".join(refused), field="documents")
    waiting = [names.get(k, k) for k, r in documents.items() if state_of(r) == SCANNING]
    if waiting:
        raise Conflict(
            "Dokumen masih diperiksa: " + ", ".join(waiting) + ". Tunggu sebentar, lalu kirim lagi.",
            field="documents",
        )


def _not_replaced(case: Case, entry: ServiceEntry) -> list[str]:
    """Documents the officer asked to replace that have not been uploaded again since the return."""
    data = case.data or {}
    returned_at = str(data.get("returned_at") or "")
    names = {r.key: r.name for r in entry.documents}
    return [
        names.get(key, key)
        for key in data.get("returned_items") or []
        if str((case.documents or {}).get(key, {}).get("checked_at", "")) <= returned_at
    ]


def save_form(applicant_sub: str, case_id: str, raw: Any, confirmed: list[str] | None) -> Case:
    """Check the form against the SOP and keep it on the case (while it is open for changes)."""
    case = own_case(applicant_sub, case_id)
    entry = find_service(case.office, case.service)
    assert entry is not None
    if not forms.applicant_sections(entry.sop):
        raise InvalidInput("Layanan ini tidak memakai formulir.", field="form")
    if case.status not in OPEN_FOR_UPLOADS:
        raise Conflict("Berkas sudah diajukan; formulir tidak dapat diubah sekarang.")
    form = forms.clean_form(entry.sop, raw, confirmed)
    refused = one_card.form_errors(case, entry.sop, form)
    if refused:  # told at form time; submit checks again (services/one_card.claim)
        raise FormInvalid(refused)
    found = forms.summary(entry.sop, form)

    def keep(current: Case) -> list[Any]:
        if current.status not in OPEN_FOR_UPLOADS:
            raise Conflict("Berkas sudah diajukan; formulir tidak dapat diubah sekarang.")
        return [Case.data.set({**(current.data or {}), "form": form, **found})]

    saved = change_case(case_id, keep, read=case)
    profiles.remember(applicant_sub, entry.sop, form)  # the organisation's data, for its next form
    return saved


def list_cases(applicant_sub: str, limit: int = 50) -> list[Case]:
    """The applicant's cases, newest first."""
    return cases().of_applicant(applicant_sub, limit)


def product_link(applicant_sub: str, case_id: str, product: str) -> dict[str, Any]:
    """A short-lived download link to an issued document the office has published to the applicant."""
    case = own_case(applicant_sub, case_id)
    issued = case.products.get(product)
    if issued is None or not issued.downloadable or not issued.key:
        raise NotFound("Dokumen ini belum dapat diunduh.", field="product")
    from chalicelib.services.reference_search import code_of  # reference_search reads cases' words

    filename = f"{issued.name or product} {code_of(case)}.pdf".replace("/", "-")
    seconds = 300
    return {
        "url": storage.objects().download_link(issued.key, filename, seconds),
        "filename": filename,
        "expires_in": seconds,
    }


def applicant_step(case: Case, items: list[Any] | None = None) -> tuple[WorkItem, Step] | None:
    """The applicant's own step after submission the case waits for now (receiving the
    document, ADR 0021), with its SOP step; None when it waits for no such step. `items` are the
    case's partition as `progress.partition` read it (else its open items are read here)."""
    entry = find_service(case.office, case.service)
    if entry is None or case.status != "submitted":
        return None
    found = (
        work.open_items(case.case_id, role=APPLICANT)
        if items is None
        else [i for i in items if isinstance(i, WorkItem) and i.status == "open" and i.role == APPLICANT]
    )
    for item in found:
        step = entry.sop.step(int(item.step))
        if step.waits_for_applicant:
            return item, step
    return None


CONFIRMED = work.CONFIRMED
"""The audit action of an applicant's confirmation of their step ("Dikonfirmasi diterima")."""
ALREADY_CONFIRMED = "Langkah ini sudah dikonfirmasi."


def confirm_step(applicant_sub: str, case_id: str) -> Case:
    """The applicant confirms their step after submission ("Menerima dokumen") on the status
    page: its work item is answered as theirs and the case goes on. Raises Conflict when the
    case waits for no step of theirs (confirmed already, by the counter, or closed by itself)."""
    case = own_case(applicant_sub, case_id)
    waiting = applicant_step(case)
    if waiting is None:
        raise Conflict("Tidak ada langkah yang menunggu konfirmasi Anda pada berkas ini.")
    try:
        # the SOP's outcome is "approve"; the trail says what the applicant did (audit_words.py)
        work.answer(
            waiting[0], APPLICANT, APPLICANT, "approve", "", {"confirmed_by": "pemohon"}, action=CONFIRMED
        )
    except Conflict:
        # a confirm that lost to another (a second tab, the counter): said to the applicant, in
        # their words, not the staff page's "muat ulang halaman"
        raise Conflict(ALREADY_CONFIRMED) from None
    # the case changed for the applicant (its status page, "Berkas saya" sorted by change)
    return touch(case_id)


def _resubmit(case: Case) -> Case:
    reference_search.index_case(case)  # the form may have changed since the return
    entry = find_service(case.office, case.service)
    waiting = [  # the returned file's wait, never an applicant's step after submission
        i
        for i in work.open_items(case.case_id, role=APPLICANT)
        if entry is None or not entry.sop.step(int(i.step)).waits_for_applicant
    ]
    unheard = [] if waiting else work.undelivered_items(case.case_id, role="pemohon")
    if waiting:
        work.answer(waiting[0], "pemohon", "pemohon", "resubmit", "", {})
    elif unheard:
        # An earlier press was kept but Step Functions never heard it (its SendTaskSuccess and the
        # compensation failed): this press sends it again (services/delivery.py), once that
        # press's own request has ended; before, it may still be delivering it.
        if not delivery.settled(unheard[0]):
            raise Conflict("Berkas sedang diproses; coba kirim lagi sebentar.")
        delivery.resend(unheard[0], "pemohon", "pemohon", "pemohon")
    elif not work.resubmitted_since(case.case_id, str((case.data or {}).get("returned_at") or "")):
        raise Conflict("Berkas sedang diproses; coba kirim lagi sebentar.")
    # else an earlier press reached Step Functions and only the status below failed (DynamoDB
    # busy): the file is back with the office, so this press changes the status. Before, every
    # press after it answered 409 while the case went on (found by `make chaos`).

    at = now()

    def resubmitted(current: Case) -> list[Any]:
        if current.status != "returned":
            return []
        data = {k: v for k, v in (current.data or {}).items() if k not in ("returned_items", "returned_at")}
        changes = [Case.status.set("submitted")]
        returned_at = str((current.data or {}).get("returned_at") or "")
        if current.due_at and returned_at and entry is not None:
            # The service clock stopped while the file was with the applicant: its due date moves
            # on by that time (services/service_clock.py `resumed`), and the case keeps the total.
            away = max(0, round((at - parse(returned_at)).total_seconds()))
            data["clock_paused_seconds"] = int(data.get("clock_paused_seconds") or 0) + away
            due = service_clock.resumed(parse(current.due_at), entry.office_sop, parse(returned_at), at)
            changes.append(Case.due_at.set(iso(due)))
        return [*changes, Case.data.set(data)]

    return change_case(case.case_id, resubmitted)


STATUS_LABELS = {
    "draft": "Belum diajukan",
    "submitted": "Sedang diproses",
    "returned": "Dikembalikan untuk dilengkapi",
    "completed": "Selesai",
    "rejected": "Ditolak",
    "expired": "Kedaluwarsa",
    "stuck": "Sedang ditangani petugas",  # a system task failed for good (sop/compiler.py `Macet`)
}


def status(applicant_sub: str, case_id: str) -> dict[str, Any]:
    """`public_view` of the applicant's own case for its status poll, read in one Query of the
    case's partition (progress.case_with_partition). Raises NotFound as `own_case` does: someone
    else's case is indistinguishable from a missing one."""
    from chalicelib.services.progress import case_with_partition

    if not key_text_ok(case_id):
        raise NotFound("Berkas tidak ditemukan.")
    case, items = case_with_partition(case_id)
    if case is None or case.applicant_sub != applicant_sub:
        raise NotFound("Berkas tidak ditemukan.")
    return public_view(case, items)


def public_view(case: Case, items: list[Any] | None = None) -> dict[str, Any]:
    """What the applicant's status page shows (never another person's data, nor staff notes)."""
    entry = find_service(case.office, case.service)
    data = case.data or {}
    view: dict[str, Any] = {
        "case_id": case.case_id,
        "code": case_code.shown(case.code) if case.code else None,
        "office": case.office,
        "service": case.service,
        "service_title": entry.title if entry else case.service,
        "status": case.status,
        "status_label": STATUS_LABELS.get(case.status, case.status),
        "status_note": case.status_note,  # why it was returned or rejected, in the officer's words
        "returned_items": list(data.get("returned_items") or []) if case.status == "returned" else [],
        "form": data.get("form") or {},
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        # The published service time's end (services/service_clock.py): ISO UTC, which the site
        # writes in WIB with its one date format (static_site/js/lib/format.js).
        "due_at": case.due_at,
        "overdue": service_clock.overdue(case),
        # the clock stops while a returned file is with the applicant (service_clock.resumed)
        "clock_paused": service_clock.shown(case)["paused"],
        "documents": {k: public_document(v) for k, v in (case.documents or {}).items()},
        "requirements": [
            {
                "key": r.key,
                "name": r.name,
                "required": r.required,
                "required_when": r.condition(),
                "kinds": list(r.kinds),
                "max_size_mb": r.max_bytes / MB,
            }
            for r in (entry.documents if entry else ())
        ],
        "products": [
            {
                "key": key,
                "name": p.name or key,
                "number": p.number,
                "downloadable": p.downloadable,
                "valid_until": p.valid_until.isoformat() if p.valid_until else None,
            }
            for key, p in case.products.items()
            if p.downloadable
        ],
        "steps": [],
        "messages": [],
        "confirm": None,
    }
    from chalicelib.services.progress import messages, partition, steps

    # One Query of the case's partition serves the timeline and the applicant's own step (the
    # status poll read it with the case: `status`). A draft has neither events nor items.
    if items is None:
        items = partition(case) if entry is not None and case.status != "draft" else []
    waiting = applicant_step(case, items)
    if waiting is not None:  # the applicant's own step: a button on the status page
        item, step = waiting
        view["confirm"] = {
            "step": step.number,
            "activity": step.activity,
            "time": step.time,
            "label": "Konfirmasi dokumen sudah diterima",
            "closes_after_days": entry.office_sop.applicant_step_days if entry else None,
            "since": item.entered_at,
        }
    if entry is not None:
        view["steps"] = steps(case, entry, items)
        view["messages"] = messages(case, entry)
    from chalicelib.services import holder

    view["holder"] = holder.view(case)  # the card's six-monthly reports, if it has such a card
    return view
