"""Worker tasks by name. Each takes the message and returns a small JSON result for the SOP.

Every message comes from a state machine state (see chalicelib/sop/compiler.py) and carries
`case_id`, `office`, `service`, `step`, `entered` (when that state began) and usually a task
token. Effects are claimed per case, step, task and pass (`entered`), so a redelivered message
does nothing twice while a second round of a return loop does its work again; each email is an
effect of its own within its task's (per recipient), so a task that fails after sending it and
is delivered again does not send it again. The rules of
issuing documents (versions, signatures, numbers, QR registration) are `services/issuing.py`'s:
`issue_document` and `number_letter` only parse the message and call it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import replace
from email.message import EmailMessage
from typing import Any

from chalicelib.adapters import effects, mail, storage, workflow
from chalicelib.adapters.case_store import cases
from chalicelib.adapters.models import Case, WorkItem
from chalicelib.adapters.transact import Refused, Write, write_one
from chalicelib.domain.case_records import IssuedDocument
from chalicelib.domain.clock import WIB, iso, now
from chalicelib.errors import Forbidden, InvalidInput, NotFound
from chalicelib.services import (
    audit,
    evaluation,
    evaluation_export,
    holder,
    issuing,
    one_card,
    overdue,
    reference_search,
    tallies,
    uploads,
)
from chalicelib.services.cases import change_case
from chalicelib.services.catalog import ServiceEntry, find_service
from chalicelib.settings import get_settings
from chalicelib.sop.loader import load_office
from chalicelib.sop.schema import APPLICANT, Office, ServiceStandard

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
        return cases().get(str(message["case_id"]))
    except NotFound:
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
        "case_code": _code(message),
        "status_url": _status_url(str(message["case_id"])),
        "service_title": entry.title,
        "office_name": office.full_name,
        "complaint": entry.sop.complaint.model_dump(),
        "note": message.get("note") or "",
        **context,
    }
    return _send_once(message, mail.build_message(str(to), template, full, attachments))


def _code(message: dict[str, Any]) -> str:
    """The case's short code as people read it (domain/case_code.py), for email subjects; the
    long id for a case filed before codes were given."""
    try:
        return reference_search.code_of(cases().get(str(message["case_id"])))
    except NotFound:  # a message about a case gone from the table: its email still goes out
        return str(message["case_id"])


def send_receipt(message: dict[str, Any]) -> dict[str, Any]:
    """Tell the applicant the office received the submitted case ("Berkas diterima"): the case
    code, the service, what happens next and the standard's time. Queued by services/cases.submit
    at every press; its effect key is one per case, so it is sent once."""
    entry = _entry(message)
    first = next((s for s in entry.sop.process_steps if s.staff_roles), None)
    message_id = _mail_applicant(
        message,
        "received",
        duration=entry.sop.duration.text,
        next_step=first.activity if first else "",
    )
    audit.record(message["case_id"], "-", "email", template="received")
    return {"message_id": message_id}


def _send_once(message: dict[str, Any], email: EmailMessage) -> str:
    """Send one email of this task's pass, once: each email is an effect of its own (per
    recipient), so a task that fails after SES accepted it (its audit line, the next recipient)
    and is delivered again does not send it twice. Returns the SES message id."""
    key = f"{effect_key(message)}:mail:{email['To']}"
    _ran, result = effects.once(key, lambda: {"message_id": mail.outbox().send(email)})
    return str(result.get("message_id", ""))


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
        issued_already = _case(message).products
        missing = [k for k in message["documents"] if not _rendered(issued_already.get(k))]
        if missing:  # a notice the SOP only sends (no step of its own renders it): render it first
            issue_document({**message, "documents": missing})
        products = _case(message).products
        for key in message["documents"]:
            issued = products.get(key)
            if issued is not None and issued.key:
                attachments.append(_attachment(key, issued.key, issued.name))
                documents.append({**issued.as_dict(), "key": key})
    if documents and not message.get("template"):
        template = "documents_issued"
    answer = ""
    if step is not None and step.answer_record:  # the office's answer to a complaint (SOP pengaduan)
        answer = _answer(_case(message), step.answer_record)
        template = "answer"
    message_id = _mail_applicant(
        message,
        str(template),
        attachments,
        step_activity=step.activity if step else "",
        step_output=step.output if step else "",
        documents=documents,
        notes=issuing.email_notes([d["key"] for d in documents]),
        answer=answer,
    )
    audit.record(message["case_id"], str(message.get("step", "-")), "email", template=template)
    return {"message_id": message_id}


def _answer(case: Case, key: str) -> str:
    """The staff record `key` of the case's latest step that holds it (the answer the Kasi wrote)."""
    for step in sorted(case.records, reverse=True):
        value = (case.records.get(step) or {}).get(key)
        if value:
            return str(value)
    raise BadMessage(f"the case has no record {key!r} to send")


def _rendered(issued: IssuedDocument | None) -> bool:
    return issued is not None and issued.rendered


def _attachment(product: str, key: str, name: str | None) -> tuple[str, bytes, str]:
    """An issued document's version `key` as an email attachment named after the product."""
    filename = f"{name or product}.pdf".replace("/", "-")
    return filename, storage.objects().get_document(key), "application/pdf"


def issue_document(message: dict[str, Any]) -> dict[str, Any]:
    """Render the step's documents from the case as it stands (draft, or signed) into the archive."""
    office, sop = _sop(message)
    try:
        issued = issuing.issue(
            office, sop, str(message["case_id"]), list(message.get("documents") or []), _step(message)
        )
    except issuing.CannotIssue as exc:
        raise BadMessage(str(exc)) from None
    return {"documents": issued}


def number_letter(message: dict[str, Any]) -> dict[str, Any]:
    """Give each document of the step its number from the office's register (once per document),
    then render the numbered drafts for the steps that initial and sign them."""
    office, sop = _sop(message)
    try:
        numbers, printed = issuing.number(
            office, sop, str(message["case_id"]), list(message.get("documents") or []), _step(message)
        )
    except issuing.CannotIssue as exc:
        raise BadMessage(str(exc)) from None
    return {"numbers": numbers, "documents": printed}


def _sop(message: dict[str, Any]) -> tuple[Office, ServiceStandard]:
    """The office and the service standard the message names; BadMessage for an unknown one."""
    entry = _entry(message)
    return entry.office_sop, entry.sop


def _step(message: dict[str, Any]) -> str:
    return str(message.get("step", "-"))


def publish_download(message: dict[str, Any]) -> dict[str, Any]:
    """Let the applicant download and print the step's documents from the status page."""
    keys = list(message.get("documents") or [])

    def publish(case: Case) -> list[Any]:
        products = dict(case.products)
        for key in keys:
            products[key] = replace(products.get(key, IssuedDocument()), downloadable=True)
        return [Case.products.set(products)]

    change_case(message["case_id"], publish)
    audit.record(message["case_id"], str(message.get("step", "-")), "publish_download", documents=keys)
    return {"published": keys}


def escalate(message: dict[str, Any]) -> dict[str, Any]:
    """A step passed its standard time: record it on the case now, and let the next role up hear
    of it in the role's hourly digest (services/overdue.py), never in an email of its own."""
    role = str(message.get("role"))
    supervisor = message.get("escalates_to")
    entry = _entry(message)
    entry.sop.step(int(message["step"]))  # an unknown step is a bad message
    item = WorkItem(
        case_id=str(message["case_id"]),
        office=str(message["office"]),
        service=str(message["service"]),
        step=str(message["step"]),
        role=role,
        entered_at=str(message.get("entered_at") or iso()),
        status="open",
        overdue=1,
    )
    digest = overdue.escalated(str(message["office"]), role, str(supervisor) if supervisor else None, item)
    audit.record(message["case_id"], str(message["step"]), "overdue", role=role, notified=supervisor)
    return {"digest": digest}


def overdue_digest(message: dict[str, Any]) -> dict[str, Any]:
    """A later hour's overdue digest of one office and role (services/overdue.py `run_digest`)."""
    for field in ("office", "role", "slot"):
        if not message.get(field):
            raise BadMessage(f"overdue_digest needs {field!r}")
    return overdue.run_digest(message)


def return_to_applicant(message: dict[str, Any]) -> dict[str, Any]:
    """Hand the file back: the case reopens for uploads, the applicant is told why (once)."""
    note = str(message.get("note") or "")

    def reopen(case: Case) -> list[Any]:
        return [
            Case.status.set("returned"),
            Case.status_note.set(note or "Lengkapi berkas Anda."),
            Case.data.set({**(case.data or {}), "returned_at": iso()}),
        ]

    reopened = change_case(message["case_id"], reopen)
    tallies.returned(effect_key(message), reopened, (reopened.data or {}).get("returned_items") or [])
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
            published = {k: replace(p, downloadable=True) if p.key else p for k, p in case.products.items()}
            actions.append(Case.products.set(published))
        return actions

    closed = change_case(message["case_id"], close)
    issuing.void_unissued(entry.sop, closed, outcome)
    one_card.closed(entry.sop, closed)  # a case ended without its card frees the NIK
    mailed = {  # documents a send_email step of the SOP already delivered
        d for s in entry.sop.process_steps if s.system_action == "send_email" for d in s.documents
    }
    mails_itself = any(s.system_action == "send_email" for s in entry.sop.process_steps)
    attachments = []
    if outcome == "completed":
        for key, issued in closed.products.items():
            if issued.key and key not in mailed:
                attachments.append(_attachment(key, issued.key, issued.name))
    if outcome != "completed" or not mails_itself or attachments:
        _mail_applicant(message, f"closed_{outcome}", attachments, attached=[a[0] for a in attachments])
    audit.record(message["case_id"], str(message.get("step", "-")), outcome, note)
    tallies.closed(closed, outcome)
    return {"status": status}


def applicant_step_closed(message: dict[str, Any]) -> dict[str, Any]:
    """The applicant did not confirm their step after submission (receiving the document) within
    the office's `applicant_step_days`: the step closes by itself, the applicant is told by email
    (once) and the audit trail says it closed without them (ADR 0021); the case goes on."""
    entry = _entry(message)
    step = entry.sop.step(int(message["step"]))
    days = entry.office_sop.applicant_step_days
    for item in WorkItem.query(
        Case.partition(str(message["case_id"])),
        WorkItem.SK.startswith(f"{WorkItem.PREFIX}{message['step']}#"),
        consistent_read=True,
    ):
        if isinstance(item, WorkItem) and item.status == "open" and item.role == APPLICANT:
            with contextlib.suppress(Refused):  # confirmed at that moment: the confirmation was late
                write_one(
                    Write(
                        "update",
                        item,
                        condition=(WorkItem.status == "open") & (WorkItem.task_token == item.task_token),
                        actions=[
                            WorkItem.status.set("timed_out"),
                            WorkItem.GSI1PK.remove(),
                            WorkItem.GSI1SK.remove(),
                        ],
                    )
                )
    _mail_applicant(message, "applicant_step_closed", step_activity=step.activity, days=days)
    audit.record(
        message["case_id"],
        str(message["step"]),
        "closed_unconfirmed",
        f"Tidak dikonfirmasi pemohon dalam {days} hari; ditutup otomatis.",
    )
    return {"decision": "approve", "note": ""}


def step_deadline(message: dict[str, Any]) -> dict[str, Any]:
    """When a step begins in an office with office hours: its timeout, counted in office time
    and past the office's closed days (services/service_clock.py `calendar`)."""
    from datetime import datetime

    from chalicelib.domain.clock import WIB
    from chalicelib.domain.working_time import add_working_minutes
    from chalicelib.services import service_clock

    office = _entry(message).office_sop
    begun = datetime.fromisoformat(str(message["entered"]).replace("Z", "+00:00")).astimezone(WIB)
    hours = service_clock.calendar(office, begun)
    if hours is None:
        raise BadMessage("step_deadline needs an office with working_hours")
    due = add_working_minutes(begun, float(message["minutes"]), hours)
    wall_minutes = (due - begun).total_seconds() / 60
    scale = float(message.get("time_scale") or get_settings().time_scale)
    return {"t": message["entered"], "due": due.isoformat(), "timeout": max(1, round(wall_minutes * scale))}


def check_upload(message: dict[str, Any]) -> dict[str, Any]:
    """Settle an upload after its malware scan: re-encode a clean image (Pillow, loaded here and
    only in the worker), search a clean PDF for active content (pypdf, likewise), refuse and
    delete an infected one, ask again later while the scan runs (services/uploads.py `check`)."""
    from chalicelib.worker import images, pdfs

    for field in ("document", "key", "received_at"):
        if not message.get(field):
            raise BadMessage(f"check_upload needs {field!r}")
    return uploads.check(message, images.reencode, pdfs.active_content)


def restamp_card(message: dict[str, Any]) -> dict[str, Any]:
    """Re-issue a card with its holder's reports stamped in its boxes (services/holder.py queues
    it after each report; one effect per report: its `entered` is the report's time)."""
    office, sop = _sop(message)
    if not message.get("product"):
        raise BadMessage("restamp_card needs 'product'")
    try:
        issued = issuing.restamp(office, sop, str(message["case_id"]), str(message["product"]))
    except issuing.CannotIssue as exc:
        raise BadMessage(str(exc)) from None
    return {"version": issued.version}


def holder_reminders(message: dict[str, Any]) -> dict[str, Any]:
    """The daily run of the card holders' reminder emails (services/holder.py `send_reminders`),
    sent by EventBridge Scheduler (infra/base.yaml) or `make run`'s timer; its `entered` is the
    scheduled time, so a replayed run is the same effect and each email has its own."""
    return holder.send_reminders()


def evaluation_pdf(message: dict[str, Any]) -> dict[str, Any]:
    """Draw an office's evaluation for a period as PDF (documents/evaluation_pdf.py) and keep it
    at `key` in the documents bucket, where the staff page finds it (staff/report_pages.py)."""
    from chalicelib.documents import evaluation_pdf as drawing  # reportlab: the worker's only

    for name in ("office", "first", "last", "key"):
        if not message.get(name):
            raise BadMessage(f"evaluation_pdf needs {name!r}")
    office = str(message["office"])
    first, last = evaluation.period(str(message["first"]), str(message["last"]))
    report = evaluation.report(office, first, last)
    names = evaluation_export.names(office, list(report.services))
    data = drawing.render(report, names, load_office(office).full_name, now().astimezone(WIB))
    storage.objects().put_document(str(message["key"]), data)
    return {"key": message["key"], "bytes": len(data)}


TASKS: dict[str, Task] = {
    "step_deadline": step_deadline,
    "send_email": send_email,
    "send_receipt": send_receipt,
    "issue_document": issue_document,
    "number_letter": number_letter,
    "publish_download": publish_download,
    "escalate": escalate,
    "overdue_digest": overdue_digest,
    "return_to_applicant": return_to_applicant,
    "close_case": close_case,
    "applicant_step_closed": applicant_step_closed,
    "check_upload": check_upload,
    "restamp_card": restamp_card,
    "holder_reminders": holder_reminders,
    "evaluation_pdf": evaluation_pdf,
}


def effect_key(message: dict[str, Any]) -> str:
    """Once per case, step, task and pass through the state (not per delivery). An escalation
    names its pass by when the overdue step began (`entered_at`): the step of a later pass, after
    a return, is escalated again."""
    entered = message.get("entered") or message.get("entered_at") or "-"
    return f"{message['case_id']}:{message.get('step', '-')}:{message.get('task', '-')}:{entered}"


# Errors no retry can mend: the task is failed at once (its state machine marks the case stuck,
# `Macet` in sop/compiler.py) rather than retried five times into the dead-letter queue.
# Everything else (AWS busy: Unavailable, a lease held: EffectInProgress, a lost race: Conflict,
# and bugs) is raised again for SQS to deliver later; after five deliveries the message is
# dead-lettered and the task's timeout marks the case stuck.
PERMANENT: tuple[type[Exception], ...] = (BadMessage, InvalidInput, NotFound, Forbidden)


def handle(message: dict[str, Any]) -> None:
    """Run one task message and answer its token.

    A permanent error (PERMANENT) fails the token with `Loket.BadMessage` (the message itself is
    wrong) or `Loket.TaskFailed` and the reason; any other error is raised again for SQS."""
    token = message.get("task_token")
    name = message.get("task", "")
    try:
        if "case_id" not in message:
            raise BadMessage("message needs 'case_id'")
        task = TASKS.get(name)
        if task is None:
            raise BadMessage(f"unknown task {name!r}")
        ran, result = effects.once(effect_key(message), lambda: task(message))
    except PERMANENT as exc:
        log.error("worker task %s refused: %s (case %s)", name, exc, message.get("case_id"))
        if token:
            error = "Loket.BadMessage" if isinstance(exc, BadMessage) else "Loket.TaskFailed"
            with contextlib.suppress(workflow.TaskGone):
                workflow.fail_task(token, error, f"{name}: {exc}")
        return
    log.info("worker task %s for case %s: %s", name, message["case_id"], "done" if ran else "already done")
    if not token:
        return  # a notification (escalation): nobody waits for it
    try:
        workflow.answer_task(token, {"task": name, **result})
    except workflow.TaskGone:
        log.warning("worker task %s for case %s: token no longer waiting", name, message["case_id"])
