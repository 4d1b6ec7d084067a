"""Overdue work as a digest: at most one email an hour per office and role, never one per file.

A human step that passes its standard time is escalated (sop/compiler.py `ENN` -> worker task
`escalate`): the case's audit trail records it at once, and the next role up (the office's
`escalates_to`) hears of it in that role's **digest** for the current hour:

- an hour is a slot of 60 standard minutes (3,600 s in production; `LOKET_TIME_SCALE` shrinks
  it in tests as it shrinks the standard times), aligned to the clock: 18.00-18.59 WIB;
- the first escalation of a slot sends the slot's email (`send_slot`), claimed once per
  `(office, role, slot)` through the effect ledger (adapters/effects.py): a redelivered message,
  a second escalation in the same hour, a digest message arriving twice never send a second;
- an escalation that finds its hour's email already sent asks for the next hour's
  (`schedule_next`, also once per office, role and slot): a worker message `overdue_digest`
  delayed to the next slot's start (SQS delays at most 15 minutes: it waits again until then).
  No overdue file is dropped: it is in this hour's email or the next one;
- an email lists every file of that role still waiting past its standard (`waiting`), oldest
  first, with the service, the step, when it entered and the standard; role and office by their
  names, times in WIB (domain/tanggal.py), and a link to the staff queue filtered to overdue work
  (`LOKET_STAFF_SITE_URL`). A file decided meanwhile is no longer listed: nobody waits for it.

The staff inbox shows the same count live (`counts`).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

from chalicelib.adapters import effects, identity, mail
from chalicelib.adapters.models import WorkItem
from chalicelib.adapters.task_queue import MAX_DELAY_SECONDS, notices
from chalicelib.domain.clock import iso, now, parse
from chalicelib.services import reference_search
from chalicelib.services.catalog import find_service
from chalicelib.settings import get_settings
from chalicelib.sop.loader import load_office

TASK = "overdue_digest"  # the worker task that sends a later hour's digest (worker/tasks.py)
MAX_ROWS = 100  # files listed by name in one email; the rest are counted


def slot_seconds() -> float:
    """The length of a digest slot in seconds: 60 standard minutes (3,600 s in production)."""
    return 60 * get_settings().time_scale


def slot_start(at: datetime) -> datetime:
    """The start (UTC) of the slot `at` falls in: slots are aligned to the Unix epoch, so a
    production slot is a clock hour (WIB is a whole number of hours from UTC)."""
    length = slot_seconds()
    return datetime.fromtimestamp(math.floor(at.timestamp() / length) * length, UTC)


def digest_key(office: str, role: str, slot: datetime) -> str:
    """The effect key of one slot's email for `role`'s files in `office`."""
    return f"digest:{office}:{role}:{iso(slot)}"


def waiting(office: str, role: str) -> list[WorkItem]:
    """The open work items of `role` in `office` flagged overdue, oldest first (DynamoDB: the
    role's queue, GSI1; every page)."""
    items = [
        item
        for item in WorkItem.role_queue.query(WorkItem.queue(office, role))
        if isinstance(item, WorkItem) and item.status == "open" and item.overdue
    ]
    return sorted(items, key=lambda i: i.entered_at)


@dataclass(frozen=True)
class Row:
    """One overdue file as the email lists it."""

    case_id: str
    service_title: str
    step: int
    activity: str
    entered_at: str  # ISO, UTC: the template writes it in WIB
    standard: str  # "1 menit", "2 hari kerja" as the SOP says it

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _row(item: WorkItem) -> Row:
    entry = find_service(item.office, item.service)
    if entry is None:
        return Row(item.case_id, item.service, int(item.step), "", item.entered_at, "")
    step = entry.sop.step(int(item.step))
    return Row(item.case_id, entry.title, int(item.step), step.activity, item.entered_at, step.time)


def queue_url() -> str:
    """The staff inbox filtered to overdue files, or "" when LOKET_STAFF_SITE_URL is not set."""
    base = get_settings().staff_site_url.rstrip("/")
    return f"{base}/staff?keadaan=lewat" if base else ""


def send_slot(
    office: str, role: str, escalates_to: str | None, slot: datetime, also: WorkItem | None = None
) -> dict[str, Any]:
    """Email `escalates_to`'s staff of `office` the files of `role` overdue now: one message per
    recipient, each an effect of its own (a failure after the first does not mail it twice).

    `also` is the escalated step's own item, listed even if the put that flags it overdue
    (`ONN`) has not landed yet. Returns {"files": n, "sent": recipients}; nothing is sent when
    no file waits or the role escalates to nobody. Raises what SES or DynamoDB raise (retried)."""
    items = {(i.case_id, i.step): i for i in waiting(office, role)}
    if also is not None:
        items.setdefault((also.case_id, also.step), also)
    rows = [_row(i) for i in sorted(items.values(), key=lambda i: i.entered_at)]
    if not rows or not escalates_to:
        return {"files": len(rows), "sent": 0}
    shown = rows[:MAX_ROWS]
    codes = reference_search.codes_of([r.case_id for r in shown])  # the code people read, one batch
    sop_office = load_office(office)
    label = sop_office.roles[role].label if role in sop_office.roles else role
    boss = sop_office.roles[escalates_to].label if escalates_to in sop_office.roles else escalates_to
    context = {
        "count": len(rows),
        "rows": [{**r.as_dict(), "code": codes.get(r.case_id, r.case_id)} for r in shown],
        "more": max(0, len(rows) - MAX_ROWS),
        "role_label": label,
        "supervisor_label": boss,
        "office_name": sop_office.full_name,
        "at": iso(now()),
        "queue_url": queue_url(),
    }
    sent = 0
    for to in identity.staff_emails(office, escalates_to):
        key = f"{digest_key(office, role, slot)}:mail:{to}"
        effects.once(key, functools.partial(_send, mail.build_message(to, "overdue_digest", context)))
        sent += 1
    return {"files": len(rows), "sent": sent}


def _send(message: EmailMessage) -> dict[str, Any]:
    return {"message_id": mail.outbox().send(message)}


def schedule_next(office: str, role: str, escalates_to: str | None, slot: datetime) -> None:
    """Ask for the digest of the slot after `slot` (once per office, role and slot): a worker
    message delayed to its start, or by SQS's 15 minutes at most (`run_digest` waits again)."""
    following = slot + timedelta(seconds=slot_seconds())

    def send() -> dict[str, Any]:
        _enqueue(office, role, escalates_to, following)
        return {"slot": iso(following)}

    effects.once(f"digest-next:{office}:{role}:{iso(following)}", send)


def _enqueue(office: str, role: str, escalates_to: str | None, slot: datetime) -> None:
    delay = min(MAX_DELAY_SECONDS, max(0, math.ceil((slot - now()).total_seconds())))
    message = {
        "task": TASK,
        "case_id": f"digest:{office}:{role}",  # no case: the worker's effect key needs one
        "office": office,
        "role": role,
        "escalates_to": escalates_to,
        "slot": iso(slot),
        "entered": iso(now()),  # this hop of the wait: a redelivery of it is the same effect
    }
    notices().send(message, delay)  # the notice queue: never in front of card issuing


def escalated(office: str, role: str, escalates_to: str | None, item: WorkItem | None) -> dict[str, Any]:
    """A step of `role` in `office` just passed its standard (`item`, as far as the message says
    it): send this hour's digest if nobody has, else make sure the next hour's will be sent.
    Returns what `send_slot` returned, or {"queued_for": next slot} when this hour's was sent;
    {"sent": 0} at once for a role that escalates to nobody (the top of the office)."""
    if not escalates_to:
        return {"sent": 0}
    slot = slot_start(now())
    ran, result = effects.once(
        digest_key(office, role, slot), lambda: send_slot(office, role, escalates_to, slot, item)
    )
    if ran:
        return result
    schedule_next(office, role, escalates_to, slot)
    return {"queued_for": iso(slot + timedelta(seconds=slot_seconds()))}


def run_digest(message: dict[str, Any]) -> dict[str, Any]:
    """The worker task `overdue_digest`: before its slot, wait on (a new delayed message); from
    its slot on, send the current slot's digest, or ask for the next one if this slot's is sent
    (a message delivered late never makes a second email in an hour)."""
    office, role = str(message["office"]), str(message["role"])
    escalates_to = message.get("escalates_to")
    wanted = parse(str(message["slot"]))
    if now() < wanted:
        _enqueue(office, role, escalates_to, wanted)
        return {"waiting_for": iso(wanted)}
    return escalated(office, role, escalates_to, None)
