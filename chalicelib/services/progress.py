"""Where a case stands in its SOP, told to the applicant: steps done, the current one, what staff said.

Built from the audit trail (what happened) and the open work items (what waits), read together in
one query of the case's partition, so it needs no state of its own and can never disagree with what
the staff pages show.
"""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.models import AuditEvent, Case, LoketItem, WorkItem
from chalicelib.services.catalog import ServiceEntry
from chalicelib.sop.compiler import step_id

NOT_PROGRESS = {"overdue", "revoke"}
CLOSED = ("completed", "rejected", "expired")


def steps(case: Case, entry: ServiceEntry) -> list[dict[str, Any]]:
    """The process steps with their state: done, current, waiting, returned (the step that sent the
    file back while the applicant fixes it), or skipped once the case closed."""
    # One query for the case's partition: its audit events (AUDIT#...) and work items (WORK#...)
    # come together, so a status poll costs one read at job-fair peaks, not two.
    partition = list(
        LoketItem.query(Case.partition(case.case_id), LoketItem.SK.between(AuditEvent.PREFIX, "WORK$"))
    )
    events = [e for e in partition if isinstance(e, AuditEvent) and e.action not in NOT_PROGRESS]
    done = {e.step for e in events}
    last = {e.step: e.action for e in events}  # oldest first: the latest action of each step wins
    waiting_on = {
        i.step for i in partition if isinstance(i, WorkItem) and i.status == "open" and i.role != "pemohon"
    }
    roles = entry.office_sop.roles
    shown = []
    for step in entry.sop.process_steps:
        sid = step_id(step.number)
        if sid in waiting_on and case.status not in CLOSED:
            state = "current"
        elif case.status == "returned" and last.get(sid) == "return":
            state = "returned"  # the step that sent the file back, to be done again after resubmission
        elif sid in done:
            state = "done"
        else:
            state = "skipped" if case.status in CLOSED else "waiting"
        actor = step.actors[0]
        shown.append(
            {
                "number": step.number,
                "activity": step.activity,
                "output": step.output,
                "role": "Anda (pemohon)"
                if actor == "pemohon"
                else roles[actor].label
                if actor in roles
                else actor,
                "time": step.time,
                "state": state,
            }
        )
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
