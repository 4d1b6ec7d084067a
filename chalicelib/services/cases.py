"""Applicant use cases: open a case once, upload its files, submit it once, read its status.

Every step is safe to repeat: the case id is derived from the applicant and the form's
idempotency key, so a second click or a retried request finds the same case; submission starts
the Step Functions execution named after the case, which Step Functions itself runs only once.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pynamodb.exceptions import PutError, UpdateError

from chalicelib.adapters import storage, workflow
from chalicelib.adapters.models import Case
from chalicelib.domain.clock import iso
from chalicelib.domain.files import CONTENT_TYPES
from chalicelib.services.catalog import DocumentRule, find_service
from chalicelib.settings import get_settings


class CaseError(Exception):
    """A request the applicant can fix; `message` is Indonesian, `status` the HTTP status."""

    def __init__(self, message: str, status: int = 400, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


OPEN_FOR_UPLOADS = ("draft", "returned")


def case_id_for(applicant_sub: str, idempotency_key: str) -> str:
    """An unguessable id that is the same for the same applicant and form submission."""
    digest = hashlib.sha256(f"{applicant_sub}\x00{idempotency_key}".encode()).digest()
    return base64.b32encode(digest[:15]).decode().lower()


@dataclass(frozen=True)
class Opened:
    case: Case
    created: bool


def open_case(applicant_sub: str, email: str, office: str, service: str, idempotency_key: str) -> Opened:
    """Create the case, or return the one this key already created."""
    entry = find_service(office, service)
    if entry is None:
        raise CaseError("Layanan tidak ditemukan untuk kantor ini.", 404, "service")
    key = (idempotency_key or "").strip()
    if not 8 <= len(key) <= 100:
        raise CaseError("Kunci pengajuan (Idempotency-Key) tidak sah.", 400, "idempotency_key")
    case_id = case_id_for(applicant_sub, key)
    now = iso()
    pk, sk = Case.key(case_id)
    case = Case(
        pk,
        sk,
        case_id=case_id,
        office=office,
        service=service,
        applicant_sub=applicant_sub,
        status="draft",
        created_at=now,
        updated_at=now,
        data={"email": email},
        documents={},
        GSI2PK=f"APPLICANT#{applicant_sub}",
        GSI2SK=f"{now}#{case_id}",
    )
    try:
        case.save(condition=Case.PK.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
        return Opened(own_case(applicant_sub, case_id), created=False)
    return Opened(case, created=True)


def own_case(applicant_sub: str, case_id: str) -> Case:
    """The applicant's own case; someone else's case is indistinguishable from a missing one."""
    try:
        case = Case.get(*Case.key(case_id), consistent_read=True)
    except Case.DoesNotExist:
        raise CaseError("Berkas tidak ditemukan.", 404) from None
    if case.applicant_sub != applicant_sub:
        raise CaseError("Berkas tidak ditemukan.", 404)
    return case


def _editable_document(applicant_sub: str, case_id: str, document: str) -> tuple[Case, DocumentRule]:
    """The applicant's case, still open for uploads, and the rule of one of its documents."""
    case = own_case(applicant_sub, case_id)
    if case.status not in OPEN_FOR_UPLOADS:
        raise CaseError("Berkas sudah diajukan; dokumen tidak dapat diubah sekarang.", 409)
    entry = find_service(case.office, case.service)
    assert entry is not None
    for rule in entry.documents:
        if rule.key == document:
            return case, rule
    raise CaseError("Jenis dokumen tidak dikenal untuk layanan ini.", 400, "document")


def request_upload(applicant_sub: str, case_id: str, document: str, content_type: str) -> dict[str, Any]:
    """A presigned POST for one document of the case, limited to its accepted kinds and size."""
    _case, rule = _editable_document(applicant_sub, case_id, document)
    kinds = {CONTENT_TYPES[k]: k for k in rule.kinds}
    if content_type not in kinds:
        names = ", ".join(k.upper() for k in rule.kinds)
        raise CaseError(f"Jenis berkas tidak diterima. Gunakan {names}.", 400, "content_type")
    key = f"cases/{case_id}/{document}/{secrets.token_hex(8)}.{kinds[content_type]}"
    post = storage.upload_policy(key, content_type, rule.max_bytes)
    return {"document": document, "key": key, "url": post["url"], "fields": post["fields"]}


def confirm_upload(applicant_sub: str, case_id: str, document: str, key: str) -> dict[str, Any]:
    """Re-check an uploaded object and record it on the case (or refuse it with the reason)."""
    _case, rule = _editable_document(applicant_sub, case_id, document)
    if not key.startswith(f"cases/{case_id}/{document}/"):
        raise CaseError("Kunci berkas tidak sesuai dengan berkas ini.", 400, "key")
    verdict = storage.check_upload(key, rule.kinds, rule.max_bytes)
    if not verdict.ok:
        raise CaseError(verdict.message, 422, document)
    record = {"key": key, "kind": verdict.kind, "checked_at": iso()}
    # Two documents confirmed at once (two uploads from one phone) must not overwrite each other.

    def add_document(current: Case) -> list[Any]:
        if current.status not in OPEN_FOR_UPLOADS:
            raise CaseError("Berkas sudah diajukan; dokumen tidak dapat diubah sekarang.", 409)
        return [Case.documents.set({**(current.documents or {}), document: record})]

    change_case(case_id, add_document)
    return {"document": document, **record}


def submit(applicant_sub: str, case_id: str) -> Case:
    """Submit once: check the required documents, then start the execution named by the case.

    A case returned to the applicant is resubmitted by answering the waiting step instead.
    """
    case = own_case(applicant_sub, case_id)
    entry = find_service(case.office, case.service)
    assert entry is not None
    if case.status not in OPEN_FOR_UPLOADS:
        return case
    missing = [r.name for r in entry.documents if r.required and r.key not in (case.documents or {})]
    if missing:
        raise CaseError("Dokumen wajib belum diunggah: " + ", ".join(missing) + ".", 422, "documents")
    if case.status == "returned":
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
    return change_case(
        case.case_id,
        lambda c: (
            [Case.status.set("submitted"), Case.execution_arn.set(execution)] if c.status == "draft" else []
        ),
    )


def _resubmit(case: Case) -> Case:
    from chalicelib.services import work

    waiting = work.open_items(case.case_id, role="pemohon")
    if not waiting:
        raise CaseError("Berkas sedang diproses; coba kirim lagi sebentar.", 409)
    item = waiting[0]
    try:
        work.answer(item, "pemohon", "pemohon", "resubmit", "", {})
    except work.WorkError as exc:
        raise CaseError(exc.message, exc.status) from None
    return change_case(
        case.case_id, lambda c: [Case.status.set("submitted")] if c.status == "returned" else []
    )


def change_case(case_id: str, actions_for: Callable[[Case], list[Any]]) -> Case:
    """Apply update actions computed from the current case, retrying if it changed meanwhile.

    The Case model's version attribute makes each update conditional, so two writers (the
    applicant and the worker) never overwrite each other's change.
    """
    for _attempt in range(8):
        case = Case.get(*Case.key(case_id), consistent_read=True)
        actions = actions_for(case)
        if not actions:
            return case
        try:
            case.update(actions=[*actions, Case.updated_at.set(iso())])
        except UpdateError as exc:
            if exc.cause_response_code != "ConditionalCheckFailedException":
                raise
            continue
        return case
    raise CaseError("Berkas sedang diubah di tempat lain; coba lagi.", 409)


def public_view(case: Case) -> dict[str, Any]:
    """What the applicant's status page shows (never another person's data)."""
    return {
        "case_id": case.case_id,
        "office": case.office,
        "service": case.service,
        "status": case.status,
        "status_note": case.status_note,  # why it was returned or rejected, in the officer's words
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "documents": {
            k: {"kind": v.get("kind"), "checked_at": v.get("checked_at")}
            for k, v in (case.documents or {}).items()
        },
    }
