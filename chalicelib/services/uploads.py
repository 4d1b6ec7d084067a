"""An applicant's file, from the presigned POST to a checked document of the case.

1. **Posted.** The phone POSTs the file to `pending/<case>/<document>/<token>.<kind>` with a
   policy for exactly that key and type (services/cases.py `request_upload`).
2. **Received** (the API, `receive`, when the applicant confirms the upload). The object is judged
   by ranged reads at one ETag (adapters/storage.py `check_upload`, rules in domain/files.py):
   kind = declared kind, not empty, under the limit, not cut short, an image's pixels bounded. A
   refused object is deleted and the reason is a 422 on the document's field. An accepted one is
   **pinned**: copied inside S3 to `cases/...` (a prefix no upload policy can write: a second
   POST with the same policy, which S3 allows until the policy expires, never reaches it), the
   copy's ETag compared with the judged one and its SHA-256 recorded. Then the worker is told to
   check it, the document is recorded as *scanning* (domain/uploads.py) and the posted object is
   deleted.
3. **Checked** (the worker, `check`, task `check_upload`). The malware verdict on the pinned copy
   (adapters/malware.py): not yet, the worker asks again later (an SQS delay, up to
   SCAN_DEADLINE_SECONDS); infected or not scannable, the copy is deleted and the document
   *refused* with the reason; clean, the pinned copy is read whole (at its ETag, its SHA-256
   compared with the recorded one) and
   - an image is re-encoded from its pixels into `<token>.clean.<kind>` (EXIF, GPS and trailing
     bytes gone) and the pinned original deleted;
   - a PDF is searched for active content (JavaScript, launched programs, hidden files, forms
     that submit: worker/pdfs.py); one that has any, or cannot be opened (damaged, with a
     password), is *refused* and deleted, a clean one is kept as it was sent (a PDF is never
     rewritten).
   The re-encoder and the PDF inspector are passed in by the worker: Pillow and pypdf stay off
   the API's import path. The document is then *checked*. Only then does it count: a case is
   submitted only when every uploaded document is checked, so the office never sees a file
   before it is scanned and re-encoded or searched.

Each step can be repeated: a confirmation retried after a failure returns the record it made,
the worker's check runs once per message and attempt (its effect lease, worker/tasks.py), and a
record is changed only while it still names the same upload (a newer upload wins).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from chalicelib.adapters import malware, storage, task_queue
from chalicelib.adapters.case_store import cases, change_case
from chalicelib.adapters.models import Case
from chalicelib.domain.clock import iso, now, parse
from chalicelib.domain.files import CHANGED, CONTENT_TYPES, IMAGE_KINDS, MISSING
from chalicelib.domain.uploads import (
    CHECKED,
    IMAGE_UNREADABLE,
    INFECTED,
    PDF_ACTIVE,
    PDF_UNREADABLE,
    RECORD_GRACE_SECONDS,
    REFUSED,
    SCAN_DEADLINE_SECONDS,
    SCAN_TIMEOUT,
    SCANNING,
    UNSCANNABLE,
    recheck_delay,
    state_of,
)
from chalicelib.errors import Conflict, NotFound, Unprocessable
from chalicelib.services.catalog import DocumentRule

log = logging.getLogger(__name__)

OPEN_FOR_UPLOADS = ("draft", "returned")
TASK = "check_upload"


class Picture(Protocol):
    """What a re-encoder gives back (worker/images.py `Reencoded`): the new file's bytes and its
    size in pixels."""

    @property
    def data(self) -> bytes: ...

    @property
    def width(self) -> int: ...

    @property
    def height(self) -> int: ...


Reencoder = Callable[[bytes, str], Picture]
# worker/pdfs.py `active_content`: the names of the active content a PDF holds (empty: none);
# raises ValueError when the PDF cannot be opened and searched whole.
PdfInspector = Callable[[bytes], Sequence[str]]


def receive(case: Case, document: str, rule: DocumentRule, posted: str) -> dict[str, Any]:
    """Judge the object posted at `posted` for `document` of `case`, pin it and record it as
    scanning; returns the document record (domain/uploads.py).

    Raises Unprocessable (422, field = the document) with the reason when the file is refused
    (the posted object is then deleted), Conflict when the case was submitted meanwhile, and
    Unavailable when S3, SQS or DynamoDB fail (the posted object is kept: confirming again
    finishes the work, and a confirmation repeated after success returns the same record)."""
    store = storage.objects()
    declared = posted.rsplit(".", 1)[-1]
    verdict = storage.check_upload(posted, rule.kinds, rule.max_bytes, declared)
    if not verdict.ok:
        earlier = _recorded_from(case, document, posted)
        if verdict.message == MISSING and earlier is not None:
            return earlier  # the same confirmation again, after it was done
        store.delete_upload(posted)
        raise Unprocessable(verdict.message, field=document)
    target = storage.pinned_key(posted)
    try:
        pinned = store.pin_upload(posted, target, verdict.etag, verdict.size)
    except storage.UploadChanged:
        store.delete_upload(posted)
        raise Unprocessable(CHANGED, field=document) from None
    record: dict[str, Any] = {
        "key": target,
        "kind": verdict.kind,
        "state": SCANNING,
        "checked_at": iso(),
        "size": pinned.size,
        "etag": pinned.etag,
        "sha256": pinned.sha256,
    }
    if verdict.width is not None:
        record.update(width=verdict.width, height=verdict.height)
    # The check goes first: if the record then fails to be written, the worker waits for it a
    # while and deletes the copy nobody recorded (RECORD_GRACE_SECONDS), never the other way round.
    task_queue.tasks().send(check_message(case, document, record))

    def add_document(current: Case) -> list[Any]:
        if current.status not in OPEN_FOR_UPLOADS:
            raise Conflict("Berkas sudah diajukan; dokumen tidak dapat diubah sekarang.")
        return [Case.documents.set({**(current.documents or {}), document: record})]

    try:
        change_case(case.case_id, add_document, read=case)  # two documents confirmed at once both stay
    except Conflict:
        store.delete_upload(target)
        raise
    store.delete_upload(posted)
    return record


def check_message(case: Case, document: str, record: dict[str, Any], attempt: int = 0) -> dict[str, Any]:
    """The worker task that checks one received upload (its `attempt`-th asking; no task token).
    Its effect is once per upload and attempt (`entered`, worker/tasks.py `effect_key`)."""
    return {
        "task": TASK,
        "case_id": case.case_id,
        "office": case.office,
        "service": case.service,
        "document": document,
        "key": record["key"],
        "received_at": record["checked_at"],
        "attempt": attempt,
        "entered": f"{record['key']}#{attempt}",
    }


def check(message: dict[str, Any], reencode: Reencoder, inspect_pdf: PdfInspector) -> dict[str, Any]:
    """The worker's check of one received upload after its malware scan (see the module's
    docstring); returns {"outcome": checked | refused | waiting | superseded | orphan}.

    `reencode(bytes, kind)` is worker/images.py's (raises ValueError for what it cannot decode),
    `inspect_pdf(bytes)` worker/pdfs.py's. Raises NotFound for an unknown case, and Loket's
    translated errors when AWS fails (the message is then delivered again)."""
    case_id, document, key = str(message["case_id"]), str(message["document"]), str(message["key"])
    received_at = str(message["received_at"])
    store = storage.objects()
    record = (cases().get(case_id).documents or {}).get(document)
    if not record or record.get("key") not in (key, storage.clean_key(key, str(record.get("kind")))):
        if record and str(record.get("checked_at", "")) >= received_at:
            store.delete_upload(key)  # replaced by a newer upload: nobody will ask for this copy
            return {"outcome": "superseded"}
        if _age(received_at) < RECORD_GRACE_SECONDS:
            _again(message)  # the confirmation has not written its record yet
            return {"outcome": "waiting"}
        store.delete_upload(key)  # its confirmation failed after pinning: nothing refers to it
        return {"outcome": "orphan"}
    state = state_of(record)
    if state != SCANNING:
        if state == REFUSED:
            store.delete_upload(key)  # settled before, then the delete failed: do it now
        return {"outcome": state}
    try:
        verdict = malware.scanner().verdict(key)
    except NotFound:
        return _refuse(case_id, document, record, MISSING)
    if verdict == malware.PENDING:
        if _age(received_at) > SCAN_DEADLINE_SECONDS:
            return _refuse(case_id, document, record, SCAN_TIMEOUT)
        _again(message)
        return {"outcome": "waiting"}
    if verdict != malware.CLEAN:
        return _refuse(case_id, document, record, INFECTED if verdict == malware.INFECTED else UNSCANNABLE)
    kind = str(record.get("kind"))
    if kind not in (*IMAGE_KINDS, "pdf"):
        taken, _current = _settle(case_id, document, key, {**record, "state": CHECKED})
        return {"outcome": CHECKED if taken else "superseded"}
    try:
        data = store.get_upload(key, str(record.get("etag") or "") or None)
    except (storage.UploadChanged, NotFound):
        return _refuse(case_id, document, record, CHANGED)
    if record.get("sha256") and storage.sha256_b64(data) != record["sha256"]:
        return _refuse(case_id, document, record, CHANGED)
    if kind == "pdf":
        return _check_pdf(case_id, document, record, data, inspect_pdf)
    try:
        picture = reencode(data, kind)
    except ValueError:
        return _refuse(case_id, document, record, IMAGE_UNREADABLE)
    clean = storage.clean_key(key, kind)
    stored = store.put_upload(clean, picture.data, CONTENT_TYPES[kind])
    checked = {
        **record,
        "key": clean,
        "state": CHECKED,
        "size": stored.size,
        "etag": stored.etag,
        "sha256": stored.sha256,
        "width": picture.width,
        "height": picture.height,
        "received_sha256": record.get("sha256", ""),
    }
    taken, current = _settle(case_id, document, key, checked)
    store.delete_upload(key)  # the original (its EXIF, anything after its end) is not kept
    if not taken and current != clean:
        store.delete_upload(clean)  # a newer upload replaced this one meanwhile
    return {"outcome": CHECKED if taken else "superseded"}


def _check_pdf(
    case_id: str, document: str, record: dict[str, Any], data: bytes, inspect_pdf: PdfInspector
) -> dict[str, Any]:
    """A scanned-clean PDF searched for active content: refused when it has any or cannot be
    searched, else checked as it is. Only the names found are logged, never what the file says."""
    try:
        found = inspect_pdf(data)
    except ValueError as error:
        log.info("PDF %s of case %s cannot be searched: %s", document, case_id, type(error).__name__)
        return _refuse(case_id, document, record, PDF_UNREADABLE)
    if found:
        log.info("PDF %s of case %s has active content: %s", document, case_id, ", ".join(found))
        return _refuse(case_id, document, record, PDF_ACTIVE)
    taken, _current = _settle(case_id, document, str(record["key"]), {**record, "state": CHECKED})
    return {"outcome": CHECKED if taken else "superseded"}


def _refuse(case_id: str, document: str, record: dict[str, Any], reason: str) -> dict[str, Any]:
    """The upload is refused with `reason`: recorded first, then its object deleted (unless the
    record was settled otherwise meanwhile and still names it)."""
    key = str(record["key"])
    taken, current = _settle(case_id, document, key, {**record, "state": REFUSED, "message": reason})
    if taken or current != key:
        storage.objects().delete_upload(key)
    log.info("upload %s of case %s refused", document, case_id)
    return {"outcome": REFUSED if taken else "superseded"}


def _settle(case_id: str, document: str, key: str, new: dict[str, Any]) -> tuple[bool, str]:
    """Write `new` as the document's record while it is still the scanning record of `key`.
    Returns (written, the key the document's record names now)."""
    taken: list[bool] = []
    names: list[str] = []

    def settle(current: Case) -> list[Any]:
        docs = dict(current.documents or {})
        now_record = docs.get(document) or {}
        names[:] = [str(now_record.get("key") or "")]
        taken[:] = [now_record.get("key") == key and state_of(now_record) == SCANNING]
        if not taken[0]:
            return []
        docs[document] = new
        return [Case.documents.set(docs)]

    change_case(case_id, settle)
    return bool(taken and taken[0]), str(new["key"]) if taken and taken[0] else (names[0] if names else "")


def _again(message: dict[str, Any]) -> None:
    """Ask the worker again later (the next attempt is its own effect)."""
    attempt = int(message.get("attempt") or 0)
    later = {**message, "attempt": attempt + 1, "entered": f"{message['key']}#{attempt + 1}"}
    task_queue.tasks().send(later, recheck_delay(attempt))


def _age(at: str) -> float:
    return (now() - parse(at)).total_seconds()


def _recorded_from(case: Case, document: str, posted: str) -> dict[str, Any] | None:
    """The document's record when it was made from the upload posted at `posted` (its pinned
    copy, or the re-encoding of it)."""
    record = (case.documents or {}).get(document)
    pinned = storage.pinned_key(posted)
    if record and str(record.get("key")) in (pinned, storage.clean_key(pinned, str(record.get("kind")))):
        return dict(record)
    return None
