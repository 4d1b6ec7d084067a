"""A decision's delivery to Step Functions: sent with its task token, kept until heard, never lost.

The transaction that answers a work item (`services/work.py`: a staff decision, an applicant's
resubmission) also keeps on it what Step Functions is to hear (`pending_output`: the task's
output), the key of the decision's audit event (`decision_event`), and moves it from its role's
queue to its office's undelivered decisions (GSI1 `UNDELIVERED#<office>`). Then:

- `deliver` (the request that took the decision) sends the task token. Heard: the item is marked
  delivered (`delivered_at`; out of GSI1). Not heard: the one compensation takes the decision
  back: the item back in its queue (or `expired` when Step Functions says its task is gone), the
  audit event removed, then `undo` (the case's parts for the step, the records' claims). "Gone"
  may mean gone because Step Functions heard this very decision (the answer of an earlier attempt
  lost on the way back): the execution's history says so, and then the decision is delivered,
  not taken back.
- When the compensation fails too (DynamoDB failing as well: `make chaos` found it at 35 %
  faults), the item stays answered with its pending output, among the office's undelivered
  decisions. Nothing is lost: `resend` sends the stored output again (the decision as it was
  taken, whatever the second click chose), from a later click on the item by anyone allowed to
  decide it, from the applicant's second press of a resubmission, or from the operator's desk
  ("Kirim ulang keputusan", `undelivered` lists them). Each re-send first asks the execution's
  history whether it heard the decision already (then it is only marked delivered), and a token
  Step Functions calls gone (TaskTimedOut, InvalidToken, TaskDoesNotExist) is never a 5xx: heard,
  or the decision is void (its task ended: timed out, the execution failed or was restarted) and
  says so.

Exactly once: Step Functions completes a task token once. Two senders never undo each other: a
re-send claims the item first (`resending_by`/`resending_at`, a lease of SEND_LEASE_SECONDS), and
the compensation only takes back an item nobody is re-sending and nobody has delivered; a refused
compensation leaves the decision to whoever holds it. The re-send and its audit event
(`decision_resent`) are written in one transaction with the delivered mark, so a decision heard
twice over (a used token answered TaskTimedOut, or accepted: moto 5.2.5 accepted one) is recorded once.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chalicelib.adapters import executions, workflow
from chalicelib.adapters.models import AuditEvent, Case, WorkItem
from chalicelib.adapters.transact import Refused, Write, write_all, write_one
from chalicelib.domain.clock import iso, now, parse
from chalicelib.domain.tanggal import waktu
from chalicelib.errors import Conflict
from chalicelib.services import audit as audit_log

log = logging.getLogger("loket.delivery")

# How long a re-send holds the item, and how old an undelivered decision is before the desk lists
# it: twice the API function's timeout (`lambda_timeout` 30 s, .chalice/config.json), so the
# request that took the decision, or a re-send, has ended by then.
SEND_LEASE_SECONDS = 60
# How long a token called gone is looked for in the execution's history (`heard_after_gone`).
HISTORY_SETTLE_SECONDS = 2.0
RESENT = "decision_resent"
VOID = "decision_void"
GONE = "Waktu tugas ini sudah habis atau berkas sudah berpindah langkah."
HEARD = "Keputusan ini sudah diterima mesin alur sebelumnya; tidak dikirim lagi."
TAKEN_BACK = (
    "Keputusan sebelumnya tidak sampai ke mesin alur dan tugas ini kembali ke antrean; muat ulang halaman."
)
DECISION_WORDS = {
    "approve": "disetujui",
    "forward": "diteruskan",
    "return": "dikembalikan ke pemohon",
    "reject": "ditolak",
    "resubmit": "berkas dikirim ulang oleh pemohon",
}


@dataclass(frozen=True)
class Resent:
    """What a re-send did, in one Indonesian sentence; `changed` False when it sent nothing
    (Step Functions had heard the decision already)."""

    text: str
    changed: bool = True


def message(decision: str, note: str, at: str, extra: dict[str, Any]) -> dict[str, Any]:
    """The task's output as Step Functions hears it: `decision`, `note`, `at` (the audit event's
    time, ISO UTC) and the rest (`by`, `role`, the step's records, signature, returned documents)."""
    return {"decision": decision, "note": note, "at": at, **extra}


def kept(item: WorkItem, output: dict[str, Any], event: AuditEvent) -> list[Any]:
    """The actions of the answering write that keep the decision until Step Functions hears it."""
    partition, sort = item.undelivered_key(event.at)
    return [
        WorkItem.pending_output.set(output),
        WorkItem.decision_event.set(event.SK),
        WorkItem.GSI1PK.set(partition),
        WorkItem.GSI1SK.set(sort),
    ]


def pending(item: WorkItem) -> bool:
    """Whether the item holds a decision Step Functions has not been found to have heard."""
    return item.status == "answered" and item.pending_output is not None and not item.delivered_at


def settled(item: WorkItem) -> bool:
    """Whether a pending decision is older than SEND_LEASE_SECONDS, so the request that took it
    has ended (the API function's timeout is half that) and a re-send cannot race its delivery.
    A younger one is being delivered: a second click meanwhile is refused as already decided
    (20 concurrent approvals of one item: one stands, found when this module met the race test)."""
    try:
        answered = parse(str(item.answered_at))
    except (TypeError, ValueError):
        return True  # no time to go by: as old as can be
    return answered <= now() - timedelta(seconds=SEND_LEASE_SECONDS)


def _same_pass(item: WorkItem) -> Any:
    return (WorkItem.task_token == item.task_token) & (WorkItem.status == "answered")


def _undelivered(item: WorkItem) -> Any:
    return _same_pass(item) & WorkItem.pending_output.exists() & WorkItem.delivered_at.does_not_exist()


def _delivered_actions() -> list[Any]:
    return [
        WorkItem.delivered_at.set(iso()),
        WorkItem.pending_output.remove(),
        WorkItem.resending_by.remove(),
        WorkItem.resending_at.remove(),
        WorkItem.GSI1PK.remove(),
        WorkItem.GSI1SK.remove(),
    ]


def _mark_delivered(item: WorkItem) -> bool:
    """Step Functions heard the decision: out of the undelivered ones. Another request marking it
    first is the same fact; a DynamoDB failure leaves it listed, and the next look finds it heard.
    Returns whether this call marked it (then `item` is as stored: the update returns the item,
    so no read is needed), False when someone had already."""
    try:
        write_one(Write("update", item, condition=_undelivered(item), actions=_delivered_actions()))
    except Refused:
        return False
    return True


def heard(execution_arn: str | None, output: dict[str, Any]) -> bool:
    """Whether the execution has heard this decision (a task of it answered with the same `at`,
    `by` and `decision`). Raises Loket's errors when Step Functions cannot be read."""
    if not execution_arn:
        return False
    wanted = (output.get("at"), output.get("by"), output.get("decision"))
    return any(
        (o.get("at"), o.get("by"), o.get("decision")) == wanted
        for o in executions.task_outputs(execution_arn)
    )


def heard_after_gone(execution_arn: str | None, output: dict[str, Any]) -> bool:
    """`heard`, for a token Step Functions just called gone: the history is read again for up to
    HISTORY_SETTLE_SECONDS before concluding it was not heard, since the answer that used the
    token up (an earlier attempt of the same SendTaskSuccess) may not be in the history yet
    (moto records it on the execution's thread after answering; found by a test that failed
    once in a full run). Deciding "not heard" wrongly would take back a decision Step Functions
    went on with, so the wait is worth it in the rare case of a token gone."""
    deadline = time.monotonic() + HISTORY_SETTLE_SECONDS
    while True:
        if heard(execution_arn, output):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)


def _execution(item: WorkItem) -> tuple[str | None, bool]:
    """(the case's current execution, whether it still runs the pass of `item`): not when it has
    ended, or began after the item (the case was restarted since)."""
    case = Case.get(*Case.key(item.case_id), consistent_read=True)
    running = executions.describe(case.execution_arn) if case.execution_arn else None
    if running is None or running.status != "RUNNING":
        return case.execution_arn, False
    try:
        earlier = parse(item.entered_at) < parse(running.started_at)
    except (TypeError, ValueError):
        earlier = False
    return case.execution_arn, not earlier


def deliver(
    item: WorkItem, event: AuditEvent, output: dict[str, Any], undo: Callable[[], None] | None
) -> WorkItem:
    """Send the decision just taken (kept on `item` with `event` in the same transaction). Returns
    the item as delivered. If Step Functions does not take it, the one compensation runs (see
    the module) and Conflict (its task is gone) or the error is raised; when Step Functions cannot
    tell whether it heard a decision whose token is gone, the decision stays kept, and the error
    is raised."""
    try:
        workflow.answer_task(item.task_token, output)
    except workflow.TaskGone:
        arn = Case.get(*Case.key(item.case_id), consistent_read=True).execution_arn
        if heard_after_gone(arn, output):  # raises when unknown: the decision stays kept, for a re-send
            if not _mark_delivered(item):
                item.refresh(consistent_read=True)
            return item
        _take_back(item, event, "expired", undo)
        raise Conflict(GONE) from None
    except Exception:
        # Step Functions did not hear the decision (unreachable, throttled): back into the queue
        # so it can be decided again, rather than leave the case waiting.
        _take_back(item, event, "open", undo)
        raise
    try:
        if not _mark_delivered(item):  # marked here: the update returned the item as stored
            item.refresh(consistent_read=True)
    except Exception:  # heard: a failing DynamoDB leaves it listed, and the desk finds it heard
        log.warning("case %s step %s: delivered, not marked so", item.case_id, item.step)
    return item


def _take_back(item: WorkItem, event: AuditEvent, status: str, undo: Callable[[], None] | None) -> None:
    """The compensation: the item `open` in its queue again or `expired`, without its pending
    output, and the audit event removed, in one transaction; then `undo`. Only an item still
    answered in this pass that nobody delivered or re-sends meanwhile: a refused one still in this
    pass is someone else's to finish (nothing is undone); one written again since (a timeout's
    new pass) only loses the audit event, and `undo` runs."""
    actions: list[Any] = [
        WorkItem.status.set(status),
        WorkItem.pending_output.remove(),
        WorkItem.decision_event.remove(),
    ]
    if status == "open":
        partition, sort = item.queue_key()
        actions += [WorkItem.GSI1PK.set(partition), WorkItem.GSI1SK.set(sort)]
    else:
        actions += [WorkItem.GSI1PK.remove(), WorkItem.GSI1SK.remove()]
    condition = _undelivered(item) & WorkItem.resending_by.does_not_exist()
    try:
        write_all([Write("update", item, condition=condition, actions=actions), Write("delete", event)])
    except Refused:
        now_item = WorkItem.get(item.PK, item.SK, consistent_read=True)
        if now_item.task_token == item.task_token:
            return  # delivered, being re-sent, or settled by the desk: not ours to undo
        event.delete()
    if undo is not None:
        undo()


def resend(item: WorkItem, actor: str, role: str, via: str, also: Sequence[Write] = ()) -> Resent:
    """Send an answered item's kept decision again, as it was taken (`pending(item)` must hold).

    `actor`/`role` are who asks (the audit event `decision_resent` names them), `via` how
    ("langkah", "pemohon", "meja operator"); `also` are writes committed with the delivered mark
    (the office log's line). Returns what happened: sent, or heard already (`changed` False).
    Raises Conflict when another re-send holds the item, the decision was taken back meanwhile,
    or its task is gone without having heard it (the decision is then void: the item `expired`,
    the trail says so); Loket's Unavailable when Step Functions or DynamoDB fail (the decision
    stays kept, for the next try)."""
    output = dict(item.pending_output or {})
    settled = _claim(item, actor)
    if settled is not None:
        return settled
    try:
        arn, waits = _execution(item)
        if not waits:
            _void(item, actor, role, output, "alur berkas ini sudah berhenti atau dimulai ulang")
            raise Conflict(f"{_gone_words(item)} Keputusan ini batal.")
        if heard(arn, output):
            _mark_delivered(item)
            return Resent(HEARD, changed=False)
        try:
            workflow.answer_task(item.task_token, output)
        except workflow.TaskGone:
            if heard_after_gone(arn, output):
                _mark_delivered(item)
                return Resent(HEARD, changed=False)
            _void(item, actor, role, output, "tugasnya sudah tidak menunggu (waktunya habis)")
            raise Conflict(f"{_gone_words(item)} Keputusan ini batal.") from None
    except BaseException:
        _release(item, actor)
        raise
    event = audit_log.event(
        item.case_id,
        actor,
        role,
        item.step,
        RESENT,
        note=f"Keputusan {_words(item, output)} belum sampai ke mesin alur dan dikirim ulang ({via}).",
        details={
            "decision": output.get("decision"),
            "decided_by": item.answered_by,
            "decided_at": item.answered_at,
            "via": via,
        },
    )
    try:
        write_all(
            [
                Write("update", item, condition=_undelivered(item), actions=_delivered_actions()),
                Write("save", event, condition=AuditEvent.PK.does_not_exist()),
                *also,
            ]
        )
    except Refused:
        return Resent(HEARD, changed=False)  # marked delivered meanwhile: heard once, recorded once
    return Resent(
        f"Keputusan {_words(item, output)} dikirim ulang ke mesin alur; berkas {item.case_id} "
        "melanjutkan langkahnya."
    )


def _claim(item: WorkItem, actor: str) -> Resent | None:
    """Hold the item for this re-send (a lease: a re-send that died is taken over after
    SEND_LEASE_SECONDS, or at once by the same person pressing again). Returns None when held,
    a Resent when the decision was delivered meanwhile; raises Conflict saying why not."""
    stale = iso(now() - timedelta(seconds=SEND_LEASE_SECONDS))  # read when called: tests scale it
    # Free, run out, or held by the same person (pressing again after a 503 of their own re-send).
    free = (
        WorkItem.resending_at.does_not_exist()
        | (WorkItem.resending_at < stale)
        | (WorkItem.resending_by == actor)
    )
    try:
        write_one(
            Write(
                "update",
                item,
                condition=_undelivered(item) & free,
                actions=[WorkItem.resending_by.set(actor), WorkItem.resending_at.set(iso())],
            )
        )
    except Refused:
        now_item = WorkItem.get(item.PK, item.SK, consistent_read=True)
        if now_item.task_token == item.task_token and now_item.delivered_at:
            return Resent(HEARD, changed=False)
        if pending(now_item) and now_item.task_token == item.task_token:
            raise Conflict(
                f"Keputusan ini sedang dikirim ulang oleh {now_item.resending_by}; muat ulang halaman "
                "sebentar lagi."
            ) from None
        if now_item.status == "open":
            raise Conflict(TAKEN_BACK) from None
        raise Conflict("Tugas ini sudah diputuskan sebelumnya; muat ulang halaman.") from None
    return None


def _release(item: WorkItem, actor: str) -> None:
    """The re-send ended without delivering: the item free for the next one at once (failing
    that, the lease runs out)."""
    with contextlib.suppress(Exception):
        write_one(
            Write(
                "update",
                item,
                condition=_same_pass(item) & (WorkItem.resending_by == actor),
                actions=[WorkItem.resending_by.remove(), WorkItem.resending_at.remove()],
            )
        )


def _void(item: WorkItem, actor: str, role: str, output: dict[str, Any], why: str) -> None:
    """A kept decision whose task ended without hearing it: the item `expired`, out of the
    undelivered ones, and the trail says so beside the decision (which stays in it, as taken)."""
    event = audit_log.event(
        item.case_id,
        actor,
        role,
        item.step,
        VOID,
        note=f"Keputusan {_words(item, output)} tidak sampai ke mesin alur: {why}.",
        details={"decision": output.get("decision"), "decided_by": item.answered_by},
    )
    actions = [
        WorkItem.status.set("expired"),
        WorkItem.pending_output.remove(),
        WorkItem.resending_by.remove(),
        WorkItem.resending_at.remove(),
        WorkItem.GSI1PK.remove(),
        WorkItem.GSI1SK.remove(),
    ]
    with contextlib.suppress(Refused):  # settled meanwhile by another look
        write_all(
            [Write("update", item, condition=_undelivered(item), actions=actions), Write("save", event)]
        )


def _words(item: WorkItem, output: dict[str, Any]) -> str:
    decision = str(output.get("decision") or item.decision or "")
    at = waktu(item.answered_at)
    return f"'{DECISION_WORDS.get(decision, decision)}' oleh {item.answered_by} pada {at}"


def _gone_words(item: WorkItem) -> str:
    return f"Tugas langkah {int(item.step)} berkas {item.case_id} sudah tidak menunggu keputusan."


def undelivered(office: str, older_than: float | None = None) -> list[WorkItem]:
    """The office's decisions answered more than `older_than` seconds (default SEND_LEASE_SECONDS)
    ago that Step Functions has
    not heard and whose task still waits, oldest first: what the operator's desk lists. Each is
    looked at first: one the case's execution has heard is marked delivered, one whose task
    ended (the execution stopped or was restarted) is void (`decision_void`, by "sistem"); neither
    is listed. Raises Loket's errors when DynamoDB or Step Functions cannot be read."""
    settle = SEND_LEASE_SECONDS if older_than is None else older_than
    cutoff = iso(now() - timedelta(seconds=settle))
    answered = WorkItem.GSI1SK  # `<answered_at>#<case_id>#<step>` among the undelivered ones
    found = WorkItem.role_queue.query(WorkItem.undelivered(office), answered < cutoff, limit=100)
    waiting: list[WorkItem] = []
    for item in found:
        if not isinstance(item, WorkItem) or not pending(item):
            continue
        output = dict(item.pending_output or {})
        arn, waits = _execution(item)
        if not waits:
            _void(item, audit_log.SYSTEM, audit_log.SYSTEM, output, "alur berkas ini sudah berhenti")
        elif heard(arn, output):
            _mark_delivered(item)
        else:
            waiting.append(item)
    return waiting
