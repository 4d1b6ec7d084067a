"""Staff use cases on work items: the role queue, claiming, and a decision taken exactly once.

A decision first marks the work item answered with a conditional write (status must still be
`open`), together with its audit event, in one transaction; only then is the task token sent to
Step Functions. A second click, a stale page or two officers at once therefore find the item
already answered and are refused, and Step Functions never hears a decision twice. If Step
Functions cannot be reached, the item goes back into its queue and the audit event is removed.

What a step allows (its buttons, the data it records, who may sign) comes from the SOP.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.adapters import national, workflow
from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import AuditEvent, Case, WorkItem, transaction_connection
from chalicelib.domain.clock import iso, now, parse
from chalicelib.domain.records import RecordError, clean_records
from chalicelib.services import audit as audit_log
from chalicelib.services import delegations, record_checks
from chalicelib.services.cases import change_case
from chalicelib.services.catalog import find_service
from chalicelib.sop.schema import Step

log = logging.getLogger("loket.work")

CLAIM_MINUTES = 30
ALREADY = "Tugas ini sudah diputuskan sebelumnya; muat ulang halaman."


class WorkError(Exception):
    """A staff action that cannot be taken; `message` is Indonesian."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Decision:
    decision: str
    note: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    items: tuple[str, ...] = ()  # on a return: the required documents the applicant must replace


@dataclass(frozen=True)
class Choice:
    decision: str
    label: str


def sop_step(item: WorkItem) -> Step | None:
    entry = find_service(item.office, item.service)
    if entry is None or entry.sop is None:
        return None
    return entry.sop.step(int(item.step))


def choices(item: WorkItem) -> list[Choice]:
    """The buttons of a step: its SOP outcomes, or one 'done' when the step simply continues."""
    step = sop_step(item)
    if step is None:  # the wiring check
        return [Choice("approve", "Setujui"), Choice("return", "Kembalikan")]
    if step.outcomes:
        return [Choice(o.decision, o.label) for o in step.outcomes]
    return [Choice("approve", "Tanda tangani" if step.kind == "signature" else "Selesai")]


def acting_roles(principal: Principal, office: str) -> dict[str, dict[str, Any] | None]:
    """Roles the principal may act as today: their own (None) and delegated ones (the decree)."""
    roles: dict[str, dict[str, Any] | None] = dict.fromkeys(principal.roles_in(office))
    for grant in delegations.active_for(office, principal.username):
        roles.setdefault(grant.from_role, grant.summary())
    return roles


def queue(principal: Principal, office: str, limit: int = 50) -> list[WorkItem]:
    """Open work items of every role the principal may act as in `office`: overdue first, then oldest."""
    roles = sorted(acting_roles(principal, office))
    if not roles:
        raise WorkError("Anda tidak memiliki peran di kantor ini.", 403)
    items: list[WorkItem] = []
    for role in roles:
        items.extend(
            item
            for item in WorkItem.role_queue.query(f"QUEUE#{office}#{role}", limit=limit)
            if isinstance(item, WorkItem)
        )
    items.sort(key=lambda i: (-int(i.overdue or 0), i.entered_at))
    return items[:limit]


@dataclass(frozen=True)
class Authority:
    """Why this person may act on this step: as themselves, or for the signer and how."""

    role: str
    on_behalf_of: str | None = None
    kind: str | None = None
    decree: str | None = None


def authority(principal: Principal, item: WorkItem, step: Step | None) -> Authority:
    """Check the principal may act on the item; raise WorkError (404 for another office)."""
    if not principal.roles_in(item.office) and not delegations.active_for(item.office, principal.username):
        raise WorkError("Tugas tidak ditemukan.", 404)
    acting = acting_roles(principal, item.office)
    signing = step.signing if step is not None and step.kind == "signature" else None
    if item.role in principal.roles_in(item.office):
        return Authority(item.role)
    if item.role in acting:
        grant = acting[item.role] or {}
        return Authority(
            grant.get("delegate_role") or item.role, item.role, grant.get("kind"), grant.get("decree")
        )
    if signing is not None and item.role == signing.signer:
        for substitute in signing.substitutes:
            if substitute in principal.roles_in(item.office):
                if signing.substitute_needs_decree:
                    raise WorkError(
                        "Anda hanya dapat menandatangani atas nama pejabat ini dengan SK pendelegasian "
                        "yang berlaku hari ini.",
                        403,
                    )
                kind = signing.delegation_kinds[0] if signing.delegation_kinds else "a.n."
                return Authority(substitute, signing.signer, kind, None)
    raise WorkError("Langkah ini dikerjakan oleh peran lain.", 403)


def applicant_names(case_ids: list[str]) -> dict[str, str]:
    """The applicant's name (as typed on the form) of each case, for the inbox rows, in one batch."""
    keys = list({Case.key(c) for c in case_ids})
    return {
        case.case_id: str((case.data or {}).get("name"))
        for case in Case.batch_get(keys)
        if (case.data or {}).get("name")
    }


def find_item(case_id: str, step_key: str) -> WorkItem:
    try:
        return WorkItem.get(f"CASE#{case_id}", step_key, consistent_read=True)
    except WorkItem.DoesNotExist:
        raise WorkError("Tugas tidak ditemukan.", 404) from None


def claim(principal: Principal, case_id: str, step_key: str) -> WorkItem:
    """Take the item for oneself, so colleagues see it is being worked on; stale claims expire."""
    item = find_item(case_id, step_key)
    authority(principal, item, sop_step(item))
    if item.status != "open":
        raise WorkError(ALREADY, 409)
    stale = iso(now() - timedelta(minutes=CLAIM_MINUTES))
    try:
        item.update(
            actions=[WorkItem.claimed_by.set(principal.username), WorkItem.claimed_at.set(iso())],
            condition=(WorkItem.status == "open")
            & (
                WorkItem.claimed_by.does_not_exist()
                | (WorkItem.claimed_by == principal.username)
                | (WorkItem.claimed_at < stale)
            ),
        )
    except UpdateError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
        item.refresh(consistent_read=True)
        raise WorkError(f"Tugas ini sedang dikerjakan oleh {item.claimed_by}.", 409) from None
    return item


def claimed_by_other(item: WorkItem, username: str) -> bool:
    if not item.claimed_by or item.claimed_by == username:
        return False
    return bool(item.claimed_at and parse(item.claimed_at) > now() - timedelta(minutes=CLAIM_MINUTES))


def decide(principal: Principal, case_id: str, step_key: str, decision: Decision) -> WorkItem:
    """Answer a staff work item once and pass the decision on to the waiting execution."""
    item = find_item(case_id, step_key)
    step = sop_step(item)
    who = authority(principal, item, step)
    if decision.decision not in {c.decision for c in choices(item)}:
        raise WorkError("Keputusan ini tidak tersedia pada langkah ini.")
    if item.status != "open":
        raise WorkError(ALREADY, 409)
    if claimed_by_other(item, principal.username):
        raise WorkError(f"Tugas ini sedang dikerjakan oleh {item.claimed_by}.", 409)
    if decision.decision in ("return", "reject") and not decision.note:
        raise WorkError("Tuliskan alasannya: pemohon atau petugas sebelumnya akan membacanya.")
    records: dict[str, Any] = {}
    if step is not None and step.records and decision.decision in ("approve", "forward"):
        try:
            records = clean_records(step.records, decision.fields)
        except RecordError as exc:
            raise WorkError(str(exc)) from None
        for spec in step.records:  # a national system's number is kept as that system shows it
            if spec.system and spec.key in records:
                records[spec.key] = national.normalise_reference(str(records[spec.key]))
    output: dict[str, Any] = {"records": records}
    if who.on_behalf_of:
        output["signature"] = {
            "signed_by": principal.username,
            "as_role": who.role,
            "for_role": who.on_behalf_of,
            "kind": who.kind,
            "decree": who.decree,
        }
    returned_items = _returned_items(item, decision) if decision.decision == "return" else []
    if returned_items:
        output["items"] = returned_items
    office = find_service(item.office, item.service)
    role_label = (
        office.office_sop.roles[who.role].label
        if office and office.office_sop and who.role in office.office_sop.roles
        else who.role
    )
    officer = {
        "username": principal.username,
        "name": principal.name,
        "nip": principal.nip,
        "role": who.role,
        "role_label": role_label,
        "decision": decision.decision,
        "at": iso(),
    }
    signature = output.get("signature")
    if signature is None and step is not None and step.kind == "signature":
        signature = {
            "signed_by": principal.username,
            "as_role": who.role,
            "for_role": None,
            "kind": None,
            "decree": None,
        }
    # Written before Step Functions hears the decision: the next step (a worker issuing the
    # document) reads who decided, what was recorded and who signed.
    checked = step if step is not None and records and _checks_records(step) else None
    case = Case.get(*Case.key(item.case_id), consistent_read=True) if checked else None
    release = _claim_records(case, checked, records)
    try:
        before = _write_decision(item, officer, records, signature, returned_items)
    except Exception:
        release()
        raise
    try:
        answered = answer(item, principal.username, who.role, decision.decision, decision.note, output)
    except Exception:
        _restore_decision(item, before)
        release()
        raise
    if case is not None and checked is not None:
        try:
            record_checks.release_replaced(case, checked, records)
        except Exception:  # the decision stands; a value left held is freed by hand, not by failing it
            log.exception("case %s step %s: earlier recorded values stay held", item.case_id, item.step)
    return answered


def _checks_records(step: Step) -> bool:
    return any(s.unique or s.check or s.system for s in step.records)


def _claim_records(case: Case | None, step: Step | None, records: dict[str, Any]) -> record_checks.Undo:
    """Receipt numbers used once, SPR quota, national references: claimed now, released if the
    decision fails."""
    if case is None or step is None:
        return lambda: None
    try:
        return record_checks.claim(case, step, records)
    except record_checks.RecordRefused as exc:
        raise WorkError(exc.message, exc.status) from None


_DECISION_PARTS = ("officers", "records", "signatures")


def _write_decision(
    item: WorkItem,
    officer: dict[str, Any],
    records: dict[str, Any],
    signature: dict[str, Any] | None,
    returned_items: list[str],
) -> dict[str, Any]:
    """Record the decision's parts on the case under the step; returns what was there before."""
    before: dict[str, Any] = {}

    def write(case: Case) -> list[Any]:
        before.clear()
        before.update({part: (getattr(case, part) or {}).get(item.step) for part in _DECISION_PARTS})
        before["returned_items"] = (case.data or {}).get("returned_items")
        actions: list[Any] = [Case.officers.set({**(case.officers or {}), item.step: officer})]
        if records:
            actions.append(Case.records.set({**(case.records or {}), item.step: records}))
        if signature is not None:
            actions.append(Case.signatures.set({**(case.signatures or {}), item.step: signature}))
        if returned_items:
            actions.append(Case.data.set({**(case.data or {}), "returned_items": returned_items}))
        return actions

    change_case(item.case_id, write)
    return before


def _restore_decision(item: WorkItem, before: dict[str, Any]) -> None:
    """The decision did not happen: the case must not say it did."""

    def restore(case: Case) -> list[Any]:
        actions: list[Any] = []
        for part in _DECISION_PARTS:
            values = dict(getattr(case, part) or {})
            if before.get(part) is None:
                values.pop(item.step, None)
            else:
                values[item.step] = before[part]
            actions.append(getattr(Case, part).set(values))
        data = dict(case.data or {})
        if before.get("returned_items") is None:
            data.pop("returned_items", None)
        else:
            data["returned_items"] = before["returned_items"]
        actions.append(Case.data.set(data))
        return actions

    change_case(item.case_id, restore)


def _returned_items(item: WorkItem, decision: Decision) -> list[str]:
    """The checklist's unticked documents, checked against the service's requirements."""
    entry = find_service(item.office, item.service)
    known = [d.key for d in entry.documents] if entry else []
    unknown = [k for k in decision.items if k not in known]
    if unknown:
        raise WorkError("Dokumen yang dipilih tidak dikenal untuk layanan ini.")
    return [k for k in known if k in decision.items]


def answer(
    item: WorkItem, actor: str, role: str, decision: str, note: str, extra: dict[str, Any]
) -> WorkItem:
    """The one exactly-once path from a work item to Step Functions (staff and applicants)."""
    duration = (now() - parse(item.entered_at)).total_seconds()
    audit = audit_log.event(
        item.case_id,
        actor,
        role,
        item.step,
        decision,
        note,
        extra,
        duration_seconds=round(duration, 3),
        standard_seconds=item.standard_seconds,
        overdue=int(item.overdue or 0),
    )
    answered_at = audit.at
    try:
        with TransactWrite(connection=transaction_connection()) as tx:
            tx.update(
                item,
                actions=[
                    WorkItem.status.set("answered"),
                    WorkItem.answered_by.set(actor),
                    WorkItem.answered_at.set(answered_at),
                    WorkItem.decision.set(decision),
                    *([WorkItem.note.set(note)] if note else []),
                    WorkItem.GSI1PK.remove(),
                    WorkItem.GSI1SK.remove(),
                ],
                # The same pass of the step: a timeout rewrites the item with a new token.
                condition=(WorkItem.status == "open") & (WorkItem.task_token == item.task_token),
            )
            tx.save(audit, condition=AuditEvent.PK.does_not_exist() | AuditEvent.SK.does_not_exist())
    except TransactWriteError as exc:
        codes = [r.code for r in (exc.cancellation_reasons or []) if r is not None]
        if "ConditionalCheckFailed" in codes:
            raise WorkError(ALREADY, 409) from None
        raise
    output = {"decision": decision, "note": note, "by": actor, "role": role, "at": answered_at, **extra}
    try:
        workflow.answer_task(item.task_token, output)
    except workflow.TaskGone:
        audit.delete()
        with contextlib.suppress(UpdateError):  # unless the step was written again meanwhile
            item.update(
                actions=[WorkItem.status.set("expired")], condition=WorkItem.task_token == item.task_token
            )
        raise WorkError("Waktu tugas ini sudah habis atau berkas sudah berpindah langkah.", 409) from None
    except Exception:
        # Step Functions did not hear the decision (unreachable, throttled): put the item back in
        # its queue so it can be decided again, rather than leave the case stuck.
        queue_key = (
            f"QUEUE#{item.office}#{item.role}" if item.role != "pemohon" else f"APPLICANT_WAIT#{item.case_id}"
        )
        item.update(
            actions=[
                WorkItem.status.set("open"),
                WorkItem.GSI1PK.set(queue_key),
                WorkItem.GSI1SK.set(f"{item.entered_at}#{item.case_id}"),
            ],
            condition=(WorkItem.status == "answered"),
        )
        audit.delete()  # the decision did not happen; the trail must not say it did
        raise
    item.refresh()
    return item


def open_items(case_id: str, role: str | None = None) -> list[WorkItem]:
    """The open work items of one case (for its case page, and the applicant's resubmission)."""
    items = WorkItem.query(f"CASE#{case_id}", WorkItem.SK.startswith("WORK#"), consistent_read=True)
    return [
        i
        for i in items
        if isinstance(i, WorkItem) and i.status == "open" and (role is None or i.role == role)
    ]


@dataclass(frozen=True)
class CaseFile:
    """What a staff member of the case's office sees on the case page."""

    case: Case
    open_items: list[WorkItem]
    trail: list[Any]


def case_file(principal: Principal, case_id: str) -> CaseFile:
    """The whole file of a case, for staff of its office only (another office's is 'not found')."""
    try:
        case = Case.get(*Case.key(case_id), consistent_read=True)
    except Case.DoesNotExist:
        raise WorkError("Berkas tidak ditemukan.", 404) from None
    if not acting_roles(principal, case.office):
        raise WorkError("Berkas tidak ditemukan.", 404)
    return CaseFile(case, open_items(case_id), audit_log.trail(case_id))
