"""Where a case stands in its SOP, told to the applicant: steps done, the current one, what staff said.

Built from the audit trail (what happened) and the open work items (what waits), read together in
one query of the case's partition, so it needs no state of its own and can never disagree with what
the staff pages show.
"""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.models import AuditEvent, Case, LoketItem, WorkItem
from chalicelib.domain.contacts import segments
from chalicelib.services.catalog import ServiceEntry
from chalicelib.sop.compiler import step_id
from chalicelib.sop.schema import Role, ServiceStandard, Step

NOT_PROGRESS = {"overdue", "revoke"}
# What the worker does for a step on its way in (the step's `system_action`: its letter issued,
# numbered, published; an email): such an event is no sign that a person's step is done. Lapor
# Keberadaan TKA step 8 issues its letter before the handover's work item is written, and the
# timeline said "done" for step 8 and "current" for step 9 for that moment.
ON_THE_WAY_IN = {
    "issue_document",
    "number_letter",
    "number_void",
    "publish_download",
    "email",
    "photo_unreadable",
}
CLOSED = ("completed", "rejected", "expired")


RECEIVED = "Berkas Anda diterima dan masuk antrean petugas"


def main_path(sop: ServiceStandard) -> set[int]:
    """The process steps every case passes when nothing goes back or wrong: from the first, each
    step's `approve` (else `forward`) outcome, or the next step for one without outcomes. Any
    other step (a return's notice, a branch) is conditional: the applicant sees it only once
    their case took it."""
    steps = sop.process_steps
    path: set[int] = set()
    number: int | str = steps[0].number if steps else "end"
    while isinstance(number, int) and number not in path:
        path.add(number)
        step = sop.step(number)
        if not step.outcomes:
            number = sop.default_next(step)
            continue
        onward = [o for o in step.outcomes if o.decision == "approve"] or [
            o for o in step.outcomes if o.decision == "forward"
        ]
        number = onward[0].goto if onward else "end"
    return path


def _who(step: Step, roles: dict[str, Role]) -> str:
    """Who does the step, as the applicant reads it: Loket itself for a system step (never "Anda
    (pemohon)" on a card Loket publishes), "Anda" for the applicant's own, else the role's label."""
    actor = step.actors[0]
    if step.is_system:
        return "Loket (otomatis)"
    if actor == "pemohon":
        return "Anda"
    return roles[actor].label if actor in roles else actor


def partition(case: Case) -> list[LoketItem]:
    """The case's audit events (AUDIT#...) and work items (WORK#...), oldest event first, in one
    consistent Query of its partition."""
    return list(
        LoketItem.query(
            Case.partition(case.case_id),
            LoketItem.SK.between(AuditEvent.PREFIX, "WORK$"),
            consistent_read=True,
        )
    )


def case_with_partition(case_id: str) -> tuple[Case | None, list[LoketItem]]:
    """The case (None when there is none) and its `partition`, in one consistent Query: its item
    (#CASE) sorts before AUDIT# and WORK#, so a status poll reads all it shows in one call."""
    items = list(
        LoketItem.query(
            Case.partition(case_id), LoketItem.SK.between(Case.key(case_id)[1], "WORK$"), consistent_read=True
        )
    )
    case = next((i for i in items if isinstance(i, Case)), None)
    return case, [i for i in items if not isinstance(i, Case)]


def steps(case: Case, entry: ServiceEntry, items: list[LoketItem] | None = None) -> list[dict[str, Any]]:
    """The applicant's timeline: their filing received, then the process steps that concern them,
    numbered from 1 (`position`; `number` stays the SOP's step number).

    Each has a state: done, current, waiting, returned (the step that sent the file back while
    the applicant fixes it), or skipped once the case closed. Conditional steps (off `main_path`)
    appear only when the case took them; a return's own notice step is left out while the file is
    back with the applicant (the step that returned it says so). Right after submission, before
    the first work item is written, the first step is already current. The activity comes with
    `parts`: its contact channels as links (domain/contacts.py). `items` is the case's
    `partition` when the caller read it already (else it is read here)."""
    partition = items if items is not None else globals()["partition"](case)
    events = [e for e in partition if isinstance(e, AuditEvent) and e.action not in NOT_PROGRESS]
    system_steps = {step_id(s.number) for s in entry.sop.process_steps if s.is_system}
    done = {e.step for e in events if e.step in system_steps or e.action not in ON_THE_WAY_IN}
    last = {e.step: e.action for e in events}  # oldest first: the latest action of each step wins
    waiting_on = {  # staff's open items, and the applicant's own step after submission (not a return's wait)
        i.step
        for i in partition
        if isinstance(i, WorkItem)
        and i.status == "open"
        and (i.role != "pemohon" or entry.sop.step(int(i.step)).waits_for_applicant)
    }
    roles = entry.office_sop.roles
    path = main_path(entry.sop)
    received = next((e.at for e in events if e.action == "submitted"), None) or case.created_at
    shown: list[dict[str, Any]] = [
        {
            "number": 0,
            "activity": RECEIVED,
            "parts": [{"text": RECEIVED}],
            "output": "",
            "role": "Anda",
            "time": "",
            "state": "done",
            "at": received,
        }
    ]
    for step in entry.sop.process_steps:
        sid = step_id(step.number)
        taken = sid in done or sid in waiting_on
        if step.number not in path and not taken:
            continue  # a branch this case did not take
        returns = any(o.goto == "applicant" for o in step.outcomes)
        if step.number not in path and returns and case.status == "returned":
            continue  # the notice of this return: the returning step says "Dikembalikan ke Anda"
        if sid in waiting_on and case.status not in CLOSED:
            state = "current"
        elif case.status == "returned" and last.get(sid) == "return":
            state = "returned"  # the step that sent the file back, to be done again after resubmission
        elif sid in done:
            state = "done"
        else:
            state = "skipped" if case.status in CLOSED else "waiting"
        shown.append(
            {
                "number": step.number,
                "activity": step.activity,
                "parts": segments(step.activity),
                "output": step.output,
                "role": _who(step, roles),
                "time": ""
                if step.is_system or (step.actors[0] == "pemohon" and not step.waits_for_applicant)
                else step.time,
                "state": state,
            }
        )
    if case.status == "submitted" and not any(s["state"] in ("current", "returned") for s in shown):
        # Submitted a moment ago (the work item is not written yet), or between two system steps:
        # the first step not done is the one at work, never "waiting" everywhere until a reload.
        for s in shown:
            if s["state"] == "waiting":
                s["state"] = "current"
                break
    for position, s in enumerate(x for x in shown if x["state"] != "skipped"):
        s["position"] = position + 1
    return shown


def messages(case: Case, entry: ServiceEntry) -> list[dict[str, Any]]:
    """What staff recorded for the applicant to read (SOP record fields marked `to_applicant`)."""
    found = []
    for step in entry.sop.process_steps:
        sid = step_id(step.number)
        recorded = case.records.get(sid) or {}
        officer = case.officers.get(sid)
        for spec in step.records:
            if spec.to_applicant and recorded.get(spec.key) not in (None, ""):
                found.append(
                    {
                        "step": step.number,
                        "label": spec.label,
                        "text": str(recorded[spec.key]),
                        "at": officer.at if officer else None,
                    }
                )
    return found
