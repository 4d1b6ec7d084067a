"""The state machines and the WorkItem model agree on what a human step writes into the table."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters.models import WORK_ITEM_ATTRIBUTES, WorkItem
from infra.build import state_machine_definitions

PUT_ITEM = "arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken"


def human_steps() -> list[tuple[str, str, dict[str, Any]]]:
    steps = []
    for machine, definition in state_machine_definitions().items():
        for name, state in definition["States"].items():
            if state.get("Resource") == PUT_ITEM:
                steps.append((machine, name, state["Parameters"]["Item"]))
    return steps


def test_there_are_human_steps() -> None:
    assert human_steps()


@pytest.mark.parametrize(("machine", "state", "item"), human_steps())
def test_work_item_written_by_a_machine_matches_the_model(
    machine: str, state: str, item: dict[str, Any]
) -> None:
    assert set(item) == set(WORK_ITEM_ATTRIBUTES), f"{machine}.{state}"
    assert set(WORK_ITEM_ATTRIBUTES) <= set(WorkItem.get_attributes())
    assert item["kind"] == {"S": "work_item"}
    assert item["status"] == {"S": "open"}


@pytest.mark.parametrize("machine", sorted(state_machine_definitions()))
def test_every_state_is_reachable_and_every_target_exists(machine: str) -> None:
    """Step Functions refuses unreachable states and unknown targets at deploy time."""
    from chalicelib.sop.compiler import reachable, successors

    definition = state_machine_definitions()[machine]
    states = definition["States"]
    for name, state in states.items():
        for target in successors(state):
            assert target in states, f"{machine}.{name} -> {target}"
    assert set(reachable(states, definition["StartAt"])) == set(states)


def test_compiled_machine_follows_the_sop() -> None:
    from chalicelib.sop.compiler import compile_service
    from chalicelib.sop.loader import load_office, load_service

    definition = compile_service(load_office("kab-pasuruan"), load_service("kab-pasuruan", "ak1"))
    states = definition["States"]
    # Steps 1-4 are the applicant's own, in the web form: the machine begins at step 5, unless
    # the operator's desk restarts a case from a named step (`resume_at`).
    assert definition["StartAt"] == "Mulai" and states["Mulai"]["Default"] == "W05"
    route = {c["StringEquals"]: c["Next"] for c in states["R05"]["Choices"]}
    assert route == {
        "approve": "W06",
        "return": "X07",
        "reject": "Ditolak",
    }  # incomplete: the "lengkapi" email first
    assert states["X07"]["Next"].startswith("A07")  # then back to the job seeker ...
    wait = states[f"AH{states['X07']['Next'][1:]}"]
    assert wait["Next"] == "W05" and wait["TimeoutSecondsPath"] == "$.timeouts.applicant"  # ... to step 5
    assert states["H05"]["TimeoutSecondsPath"] == "$.timeouts.s05"
    assert states["H05"]["Catch"][0]["Next"] == "E05" and states["E05"]["Next"] == "O05"
    assert states["Ditolak"]["Type"] != "Fail"  # a rejected registration ends with a notice


def test_the_start_routes_resume_at_to_the_entry_of_each_process_step() -> None:
    """`Mulai` sends an execution whose input names `resume_at` to `Lanjut`, which routes it to
    that step; every step's entry state (W for a staff step, X for a system step) can be resumed
    at, and an unknown step id starts at the first step."""
    from chalicelib.sop.compiler import RESUME, START, compile_service, step_id
    from chalicelib.sop.loader import load_office, load_service

    service = load_service("kab-pasuruan", "ak1")
    states = compile_service(load_office("kab-pasuruan"), service)["States"]
    assert states[START]["Choices"] == [{"Variable": "$.resume_at", "IsPresent": True, "Next": RESUME}]
    routes = {rule["StringEquals"]: rule["Next"] for rule in states[RESUME]["Choices"]}
    expected = {
        step_id(s.number): ("X" if s.is_system else "W") + step_id(s.number) for s in service.process_steps
    }
    assert routes == expected and states[RESUME]["Default"] == "W05"
