"""The applicant's timeline while the worker works on a step before its person does (issue 14's
probe): Lapor Keberadaan TKA step 8 issues its letter (`system_action: issue_document`) before the
handover's work item is written; for that moment the timeline said step 8 "done" and step 9 (the
applicant's own) "current", then step 8 "current" again."""

from __future__ import annotations

from chalicelib.adapters.models import Case
from chalicelib.domain.clock import iso
from chalicelib.services import audit
from chalicelib.services.catalog import find_service
from chalicelib.services.progress import steps

OFFICE, SERVICE = "kab-pasuruan", "lapor-keberadaan-tka"


def _case(case_id: str) -> Case:
    now = iso()
    return Case(
        *Case.key(case_id),
        case_id=case_id,
        office=OFFICE,
        service=SERVICE,
        applicant_sub="sub-1",
        status="submitted",
        created_at=now,
        updated_at=now,
    )


def _states(case: Case) -> dict[int, str]:
    entry = find_service(OFFICE, SERVICE)
    assert entry is not None
    return {s["number"]: s["state"] for s in steps(case, entry) if s["number"]}


def test_a_letter_issued_on_the_way_into_a_handover_does_not_mark_it_done(aws) -> None:
    case = _case("kasusserahterima01")
    for number in range(1, 8):
        audit.record(case.case_id, f"{number:02d}", "approve")
    audit.record(case.case_id, "08", "issue_document")  # the worker, before step 8's item
    states = _states(case)
    assert states[8] == "current", states
    assert states[9] == "waiting", states


def test_a_decided_handover_is_done_and_the_applicants_step_comes_next(aws) -> None:
    case = _case("kasusserahterima02")
    for number in range(1, 8):
        audit.record(case.case_id, f"{number:02d}", "approve")
    audit.record(case.case_id, "08", "issue_document")
    audit.record(case.case_id, "08", "approve")
    states = _states(case)
    assert states[8] == "done" and states[9] == "current", states
