"""The state machines and the WorkItem model agree on what a human step writes into the table."""

from __future__ import annotations

import json
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
    """`Mulai` routes `resume_at` to that step's entry state (W for a staff step, X for a system
    step); an empty or unknown one starts at the first step, and a new case's input carries an
    empty one (a Choice rule on a path the input lacks would fail the execution)."""
    from chalicelib.sop.compiler import START, compile_service, execution_input, step_id
    from chalicelib.sop.loader import load_office, load_service

    service = load_service("kab-pasuruan", "ak1")
    office = load_office("kab-pasuruan")
    states = compile_service(office, service)["States"]
    routes = {rule["StringEquals"]: rule["Next"] for rule in states[START]["Choices"]}
    assert {rule["Variable"] for rule in states[START]["Choices"]} == {"$.resume_at"}
    expected = {
        step_id(s.number): ("X" if s.is_system else "W") + step_id(s.number) for s in service.process_steps
    }
    assert routes == expected and states[START]["Default"] == "W05"
    assert execution_input(service, office, {"case_id": "c1"}, 60)["resume_at"] == ""


def test_a_closing_task_ends_the_execution_without_a_succeed_state() -> None:
    """`Selesai`, `Ditolak` and a returned file's expiry end the execution themselves (issue 16:
    one transition fewer per case); no Succeed state is left."""
    from chalicelib.sop.compiler import compile_service
    from chalicelib.sop.loader import load_office, load_service

    states = compile_service(load_office("kab-pasuruan"), load_service("kab-pasuruan", "ak1"))["States"]
    closing = [name for name, state in states.items() if state.get("End")]
    assert {"Selesai", "Ditolak"} <= set(closing) and any(name.startswith("AX") for name in closing)
    assert all("Next" not in states[name] for name in closing)
    assert not [name for name, state in states.items() if state["Type"] == "Succeed"]


def tasks_of_every_machine() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (machine, name, state)
        for machine, definition in state_machine_definitions().items()
        for name, state in definition["States"].items()
        if state["Type"] == "Task"
    ]


@pytest.mark.parametrize(("machine", "name", "state"), tasks_of_every_machine())
def test_every_aws_call_of_a_machine_is_retried_on_transient_errors_only(
    machine: str, name: str, state: dict[str, Any]
) -> None:
    """Each Task state is an AWS call Step Functions makes itself; a throttled or failing call is
    tried again with backoff and full jitter, a bounded number of times. Never retried: a step's
    standard time running out (escalated instead), a worker's failure for good (`Macet`), nor
    anything by a wildcard, which would retry those too."""
    from chalicelib.sop.compiler import TRANSIENT_ERRORS

    (retrier,) = state["Retry"]
    names = retrier["ErrorEquals"]
    assert names and names == list(TRANSIENT_ERRORS[state["Resource"]]), f"{machine}.{name}"
    assert not {"States.ALL", "States.TaskFailed", "States.Timeout", "States.HeartbeatTimeout"} & set(names)
    assert not [n for n in names if n.startswith("Loket.") or n.endswith("ConditionalCheckFailedException")]
    assert retrier["JitterStrategy"] == "FULL"
    assert retrier["IntervalSeconds"] >= 1 and retrier["BackoffRate"] >= 1.0
    assert 1 <= retrier["MaxAttempts"] <= 10 and 0 < retrier["MaxDelaySeconds"] <= 60
    service = state["Resource"].split(":")[-2]  # dynamodb, or sqs
    prefix = {"dynamodb": "DynamoDb." if ":aws-sdk:" in state["Resource"] else "DynamoDB.", "sqs": "SQS."}
    assert all(n.startswith(prefix[service]) for n in names), names


def test_transient_errors_are_named_as_step_functions_names_them() -> None:
    """An AWS SDK integration's errors are `DynamoDb.<Exception>`, an optimised one's
    `DynamoDB.<Exception>` and `SQS.<Exception>` (moto's interpreter, LocalStack's, names them
    the same): throttling and DynamoDB's 500 are among them, a failed condition is not."""
    from chalicelib.sop.compiler import PUT_ITEM_WAIT, SQS_SEND, SQS_WAIT, TRANSIENT_ERRORS, UPDATE_ITEM

    assert {
        "DynamoDb.ProvisionedThroughputExceededException",
        "DynamoDb.ThrottlingException",
        "DynamoDb.InternalServerErrorException",
        "DynamoDb.TransactionConflictException",
    } <= set(TRANSIENT_ERRORS[PUT_ITEM_WAIT])
    assert {
        "DynamoDB.ProvisionedThroughputExceededException",
        "DynamoDB.ThrottlingException",
        "DynamoDB.InternalServerError",
        "DynamoDB.AmazonDynamoDBException",
    } <= set(TRANSIENT_ERRORS[UPDATE_ITEM])
    assert {"SQS.AmazonSQSException", "SQS.SdkClientException"} <= set(TRANSIENT_ERRORS[SQS_WAIT])
    assert TRANSIENT_ERRORS[SQS_SEND] == TRANSIENT_ERRORS[SQS_WAIT]


def test_a_new_kind_of_call_needs_its_retry_chosen() -> None:
    from chalicelib.sop.compiler import retry

    with pytest.raises(KeyError):
        retry("arn:aws:states:::sns:publish")


@pytest.mark.parametrize(("machine", "state", "item"), human_steps())
def test_a_retried_put_writes_the_same_work_item(machine: str, state: str, item: dict[str, Any]) -> None:
    """The work item's key is the case, the step and when the step began (`$.entered.t`, set by
    the state before the task), never something a retry draws again (the task token, the task's
    own entered time): a second attempt overwrites the item of the first, never adds one."""
    key = json.dumps([item["PK"], item["SK"]])
    assert "$.case_id" in key and "$.entered.t" in key, f"{machine}.{state}"
    assert "$$" not in key, f"{machine}.{state}"
