"""Every service of both offices walked under moto with Step Functions executing its compiled
SOP: the straight path (where every other role of the office tries each step first and is
refused), every return and reject path, as the roles of the SOP decide; each co-actor deciding
its steps, and each applicant step after submission done by the applicant or the counter."""

from __future__ import annotations

import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters.models import Case, WorkItem
from chalicelib.services import audit, cases, work
from chalicelib.services.catalog import find_service
from chalicelib.sop.loader import list_offices, list_services, load_service
from chalicelib.staff.case_view import trail_row
from tests.helpers import body
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


# --- co-actors (ADR 0021) ---------------------------------------------------------------------------
COACTED = [
    (o, s, k)
    for o, s in SERVICES
    for k in range(
        1, 1 + max((len(st.coactors) for st in load_service(o, s).process_steps if st.is_human), default=0)
    )
]


@pytest.mark.parametrize(("office", "service", "nth"), COACTED)
def test_coactors_decide_their_steps(aws, real_time, applicant, staff, office, service, nth) -> None:
    """Every step the SOP gives to several roles ("Kasi/Staf") is decided here by its `nth` other
    role, on the staff page, and the case completes; the trail names the co-actor's role."""
    sop = load_service(office, service)
    deciders = {
        st.number: st.staff_roles[min(nth, len(st.staff_roles) - 1)]
        for st in sop.process_steps
        if st.is_human and st.coactors
    }
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, office, service)
        walk.deciders = deciders
        walk.file()
        assert walk.run() == "completed"
    decided = {step: role for step, role, _d in walk.taken}
    assert {int(step): decided[step] for step in decided if int(step) in deciders} == deciders
    trail = audit.trail(walk.case_id)
    for number, role in deciders.items():
        assert any(e.step == f"{number:02d}" and e.role == role for e in trail), (number, role)


# --- the applicant's own steps after submission (ADR 0021) ------------------------------------------
APPLICANT_STEPS = [
    (o, s, st.number)
    for o, s in SERVICES
    for st in load_service(o, s).process_steps
    if st.waits_for_applicant
]


def _walk_to(walk: Walk, step: str):
    item = walk.next_item()
    while item is not None and item.step != step:
        walk.act(
            item, next(d for d in ("approve", "forward") if d in [c.decision for c in work.choices(item)])
        )
        item = walk.next_item()
    assert item is not None, f"the case ended before step {step}"
    return item


def test_every_applicant_step_after_submission_is_found() -> None:
    assert {(o, s, n) for o, s, n in APPLICANT_STEPS} == {
        ("kab-pasuruan", "lapor-keberadaan-tka", 9),
        ("kab-pasuruan", "tanda-daftar-bkk", 9),
    }


@pytest.mark.parametrize(("office", "service", "number"), APPLICANT_STEPS)
def test_applicant_step_is_the_applicants(
    aws, real_time, applicant, staff, monkeypatch, office, service, number
) -> None:
    """ "Menerima dokumen": no staff queue gets it, the applicant's status page offers the download
    and the confirmation with the standard's time, and their confirmation completes it."""
    sop = load_service(office, service)
    entry = find_service(office, service)
    assert entry is not None
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, office, service)
        walk.file()
        item = _walk_to(walk, f"{number:02d}")
        assert item.role == "pemohon"
        for role in entry.office_sop.roles:
            queued = WorkItem.role_queue.query(WorkItem.queue(office, role))
            assert walk.case_id not in {i.case_id for i in queued}, role
            assert walk.case_id not in walk.officer(role).inbox(), role
        view = body(walk.applicant.get(walk.case_id))
        assert view["confirm"]["step"] == number and view["confirm"]["time"] == sop.step(number).time
        assert [p["key"] for p in view["products"] if p["downloadable"]], "nothing to download"
        current = [s for s in view["steps"] if s["state"] == "current"]
        assert [(s["number"], s["role"]) for s in current] == [(number, "Anda")]
        before = Case.get(*Case.key(walk.case_id), consistent_read=True)
        stale = cases.applicant_step(before)  # what a second tab's confirm read just before
        confirmed = walk.applicant.confirm_step(walk.case_id)
        assert confirmed.status_code == 200, confirmed.body
        assert body(confirmed)["confirm"] is None
        assert body(confirmed)["updated_at"] > before.updated_at  # the case changed for the applicant
        again = walk.applicant.confirm_step(walk.case_id)
        assert again.status_code == 409
        # The confirm that lost the race (it read the step still open) is told in the applicant's
        # words, not the staff page's.
        with monkeypatch.context() as patched:
            patched.setattr(cases, "applicant_step", lambda _case: stale)
            lost = walk.applicant.confirm_step(walk.case_id)
        assert lost.status_code == 409
        assert body(lost)["error"]["message"] == "Langkah ini sudah dikonfirmasi."
        assert walk.run() == "completed"
    events = [e for e in audit.trail(walk.case_id) if e.step == f"{number:02d}" and e.actor == "pemohon"]
    assert [(e.role, e.action) for e in events] == [("pemohon", "confirmed")]
    row = trail_row(events[0], office)
    assert (row["who"], row["action"]) == ("Pemohon", "Dikonfirmasi diterima")  # not "Disetujui"


@pytest.mark.parametrize(("office", "service", "number"), APPLICANT_STEPS)
def test_the_counter_may_confirm_for_the_applicant(
    aws, real_time, applicant, staff, office, service, number
) -> None:
    sop = load_service(office, service)
    counter = sop.counter_step(sop.step(number))
    assert counter is not None
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, office, service)
        walk.probe_roles = True  # every other role of the office is refused the applicant's step
        walk.deciders = {number: counter.staff_roles[-1]}
        walk.file()
        assert walk.run() == "completed"
    assert (f"{number:02d}", counter.staff_roles[-1], "approve") in walk.taken
    assert f"{number:02d}" in {step for step, _role in walk.refused}
    # The trail says what the counter did: confirmed receipt for the applicant, by the officer.
    (confirmed,) = [e for e in audit.trail(walk.case_id) if e.step == f"{number:02d}" and e.actor != "sistem"]
    assert confirmed.action == cases.CONFIRMED and confirmed.role == counter.staff_roles[-1]
