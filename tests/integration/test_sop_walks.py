"""Every service of both offices walked under moto with Step Functions executing its compiled
SOP: the straight path (where every other role of the office tries each step first and is
refused), every return and reject path, as the roles of the SOP decide."""

from __future__ import annotations

import pytest
from chalice.test import Client

from app import app
from chalicelib.services import audit
from chalicelib.sop.loader import list_offices, list_services, load_service
from tests.walker import Walk

SERVICES = [(o, s) for o in list_offices() for s in list_services(o)]
BRANCHES = [
    (o, s, step.number, outcome.decision)
    for o, s in SERVICES
    for step in load_service(o, s).process_steps
    for outcome in step.outcomes
    if outcome.decision in ("return", "reject") and step.is_human
]


@pytest.fixture
def real_time(aws, monkeypatch):
    """Standard times at full length, so no step times out while the walk decides."""
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("LOKET_TIME_SCALE", "60")
    reset_settings()


@pytest.mark.parametrize(("office", "service"), SERVICES)
def test_straight_path(aws, real_time, applicant, staff, office, service) -> None:
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, office, service)
        walk.probe_roles = True  # every role boundary: the other roles of the office try each step
        walk.file()
        assert walk.run() == "completed"
    sop = load_service(office, service)
    human = [f"{s.number:02d}" for s in sop.process_steps if not s.is_system]
    assert [step for step, _role, _d in walk.taken] == human
    assert {step for step, _role in walk.refused} == set(human), "each staff step was tried by another role"
    trail = audit.trail(walk.case_id)
    assert trail[-1].action == "completed"
    decided = [e for e in trail if e.actor != "sistem" and e.step != "-"]  # "-": the submission itself
    assert trail[0].action == "submitted"
    assert all(e.standard_seconds is not None and e.duration_seconds is not None for e in decided)
    assert walk.mails(), "the applicant heard nothing"


@pytest.mark.parametrize(("office", "service", "step", "decision"), BRANCHES)
def test_return_and_reject_paths(aws, real_time, applicant, staff, office, service, step, decision) -> None:
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, office, service)
        walk.file()
        status = walk.run({step: (decision, "Dokumen kurang jelas, mohon diperbaiki.")})
    sop = load_service(office, service)
    outcome = next(o for o in sop.step(step).outcomes if o.decision == decision)
    if decision == "reject":
        assert status == "rejected"
        assert any("tidak dapat diproses" in m for m in walk.mails())
        return
    assert status == "completed"
    steps = [s for s, role, _d in walk.taken if role != "pemohon"]
    via = sop.step(outcome.goto) if isinstance(outcome.goto, int) else None
    to_applicant = outcome.goto == "applicant" or (
        via is not None and via.is_system and any(o.goto == "applicant" for o in via.outcomes)
    )
    if to_applicant:
        # The applicant was told why, resubmitted, and the returning step was done again.
        assert any(d == "resubmit" for _s, _role, d in walk.taken)
        assert any("perlu dilengkapi" in m for m in walk.mails())
        assert steps.count(f"{step:02d}") == 2
    else:
        # Back to the step the SOP names (the drafter), which is done again, then checked again.
        assert via is not None and steps.count(f"{via.number:02d}") == 2 and steps.count(f"{step:02d}") == 2
    actions = [e.action for e in audit.trail(walk.case_id)]
    assert decision in actions
