"""Staff use cases on work items: the role queue, and a decision taken exactly once.

A decision first marks the work item answered with a conditional write (status must still be
`open`), together with its audit event, in one transaction; only then is the task token sent to
Step Functions. A second click, a stale page or two officers at once therefore find the item
already answered and are refused, and Step Functions never hears a decision twice.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.adapters import workflow
from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import AuditEvent, WorkItem
from chalicelib.domain.clock import iso, now, parse


class WorkError(Exception):
    """A staff action that cannot be taken; `message` is Indonesian."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


DECISIONS = ("approve", "return", "forward", "reject", "done")


def queue(principal: Principal, office: str, limit: int = 50) -> list[WorkItem]:
    """Open work items of every role the principal holds in `office`, oldest first."""
    roles = sorted(principal.roles_in(office))
    if not roles:
        raise WorkError("Anda tidak memiliki peran di kantor ini.", 403)
    items: list[WorkItem] = []
    for role in roles:
        items.extend(
            item
            for item in WorkItem.role_queue.query(f"QUEUE#{office}#{role}", limit=limit)
            if isinstance(item, WorkItem)
        )
    items.sort(key=lambda i: i.entered_at)
    return items[:limit]


def find_item(principal: Principal, case_id: str, step_key: str) -> WorkItem:
    """A work item the principal may act on; another office's item looks like a missing one."""
    try:
        item = WorkItem.get(f"CASE#{case_id}", step_key, consistent_read=True)
    except WorkItem.DoesNotExist:
        raise WorkError("Tugas tidak ditemukan.", 404) from None
    if not principal.roles_in(item.office):
        raise WorkError("Tugas tidak ditemukan.", 404)
    if item.role not in principal.roles_in(item.office):
        raise WorkError("Langkah ini dikerjakan oleh peran lain.", 403)
    return item


@dataclass(frozen=True)
class Decision:
    decision: str
    note: str = ""
    fields: dict[str, Any] | None = None


def decide(principal: Principal, case_id: str, step_key: str, decision: Decision) -> WorkItem:
    """Answer a work item once and pass the decision on to the waiting execution."""
    if decision.decision not in DECISIONS:
        raise WorkError("Keputusan tidak dikenal.")
    item = find_item(principal, case_id, step_key)
    if item.status != "open":
        raise WorkError("Tugas ini sudah diputuskan sebelumnya; muat ulang halaman.", 409)
    answered_at = iso()
    duration = (now() - parse(item.entered_at)).total_seconds()
    audit = AuditEvent(
        f"CASE#{case_id}",
        f"AUDIT#{answered_at}#{secrets.token_hex(4)}",
        case_id=case_id,
        at=answered_at,
        actor=principal.username,
        role=item.role,
        step=item.step,
        action=decision.decision,
        note=decision.note or None,
        duration_seconds=round(duration, 3),
        standard_seconds=item.standard_seconds,
    )
    try:
        with TransactWrite(connection=Connection(region=WorkItem.Meta.region)) as tx:
            tx.update(
                item,
                actions=[
                    WorkItem.status.set("answered"),
                    WorkItem.answered_by.set(principal.username),
                    WorkItem.answered_at.set(answered_at),
                    WorkItem.decision.set(decision.decision),
                    *([WorkItem.note.set(decision.note)] if decision.note else []),
                    WorkItem.GSI1PK.remove(),
                    WorkItem.GSI1SK.remove(),
                ],
                condition=(WorkItem.status == "open"),
            )
            tx.save(audit, condition=AuditEvent.PK.does_not_exist() | AuditEvent.SK.does_not_exist())
    except TransactWriteError as exc:
        codes = [r.code for r in (exc.cancellation_reasons or []) if r is not None]
        if "ConditionalCheckFailed" in codes:
            raise WorkError("Tugas ini sudah diputuskan sebelumnya; muat ulang halaman.", 409) from None
        raise
    output = {
        "decision": decision.decision,
        "note": decision.note,
        "by": principal.username,
        "role": item.role,
        "at": answered_at,
        "fields": decision.fields or {},
    }
    try:
        workflow.answer_task(item.task_token, output)
    except workflow.TaskGone:
        item.update(actions=[WorkItem.status.set("expired")])
        raise WorkError("Waktu tugas ini sudah habis atau berkas sudah berpindah langkah.", 409) from None
    except Exception:
        # Step Functions did not hear the decision (unreachable, throttled): put the item back in
        # its queue so the officer can decide again, rather than leave the case stuck.
        item.update(
            actions=[
                WorkItem.status.set("open"),
                WorkItem.GSI1PK.set(f"QUEUE#{item.office}#{item.role}"),
                WorkItem.GSI1SK.set(f"{item.entered_at}#{item.case_id}"),
            ],
            condition=(WorkItem.status == "answered"),
        )
        audit.delete()  # the decision did not happen; the trail must not say it did
        raise
    item.refresh()
    return item
