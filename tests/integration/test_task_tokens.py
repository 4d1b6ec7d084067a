"""The stand-in's task tokens close as Step Functions closes them (infra/local/moto_extras.py,
`closing_task_tokens`): SendTaskSuccess for a task that timed out, or for a token already used, is
refused with TaskTimedOut, never answered 200 and dropped (moto 5.2.5 dropped both: an officer's
decision was lost while the step came back as its overdue pass, and was decided twice)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from tests.conftest import wait_for
from tests.deadlines import SLACK_SECONDS

ROLE = "arn:aws:iam::123456789012:role/loket-test"
# The first task's time limit: the shortest a Task's TimeoutSeconds may be, for the tests whose
# task must time out (waited for by polling for the second task's token, within SLACK_SECONDS)...
TIMES_OUT = 1
# ...and, for the tests whose task must not, longer than any wait of theirs on a busy machine.
OUTLASTS_THE_TEST = int(SLACK_SECONDS * 10)


def _machine(queue_url: str, timeout_seconds: int) -> dict[str, Any]:
    """A waitForTaskToken task with a time limit (its answer kept at `$.jawab`, a timeout at
    `$.timeout`), then a second one without (`$.lagi`), as an SOP step's overdue pass: the
    execution still runs when the first token is answered late. Each token goes to `queue_url`."""

    def wait(**more: Any) -> dict[str, Any]:
        return {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": queue_url, "MessageBody": {"token.$": "$$.Task.Token"}},
            **more,
        }

    return {
        "StartAt": "Tunggu",
        "States": {
            "Tunggu": wait(
                TimeoutSeconds=timeout_seconds,
                ResultPath="$.jawab",
                Catch=[{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.timeout", "Next": "Lagi"}],
                Next="Lagi",
            ),
            "Lagi": wait(ResultPath="$.lagi", End=True),
        },
    }


@pytest.fixture
def waiting(aws: dict[str, str]) -> Iterator[Any]:
    """start(timeout_seconds) -> (execution arn, next_token): an execution of `_machine`;
    `next_token()` waits for the next task token it sends."""
    sqs, sfn = boto3.client("sqs"), boto3.client("stepfunctions")
    queue_url = sqs.create_queue(QueueName=f"tokens-{secrets.token_hex(4)}")["QueueUrl"]
    machines: list[str] = []

    def next_token() -> str:
        def received() -> str | None:
            for message in sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1).get("Messages", []):
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
                return str(json.loads(message["Body"])["token"])
            return None

        return str(wait_for(received))

    def start(timeout_seconds: int) -> tuple[str, Any]:
        arn = sfn.create_state_machine(
            name=f"tokens-{secrets.token_hex(4)}",
            definition=json.dumps(_machine(queue_url, timeout_seconds)),
            roleArn=ROLE,
        )["stateMachineArn"]
        machines.append(arn)
        execution = sfn.start_execution(stateMachineArn=arn, name="berkas", input="{}")["executionArn"]
        return execution, next_token

    try:
        yield start
    finally:
        for arn in machines:
            sfn.delete_state_machine(stateMachineArn=arn)
        sqs.delete_queue(QueueUrl=queue_url)


def _ended(execution: str) -> dict[str, Any]:
    sfn = boto3.client("stepfunctions")

    def ended() -> dict[str, Any] | None:
        described: dict[str, Any] = sfn.describe_execution(executionArn=execution)
        return None if described["status"] == "RUNNING" else described

    return dict(wait_for(ended))


def test_an_answer_after_the_task_timed_out_is_refused_with_task_timed_out(waiting: Any) -> None:
    sfn = boto3.client("stepfunctions")
    execution, next_token = waiting(TIMES_OUT)
    late = next_token()
    overdue = next_token()  # the first task timed out: the second waits
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_success(taskToken=late, output=json.dumps({"decision": "approve"}))
    sfn.send_task_success(taskToken=overdue, output=json.dumps({"decision": "reject"}))
    output = json.loads(_ended(execution)["output"])
    assert "timeout" in output and "jawab" not in output and output["lagi"] == {"decision": "reject"}


def test_a_token_answers_once_the_second_answer_is_refused(waiting: Any) -> None:
    sfn = boto3.client("stepfunctions")
    execution, next_token = waiting(OUTLASTS_THE_TEST)
    first = next_token()
    sfn.send_task_success(taskToken=first, output=json.dumps({"decision": "approve"}))
    second = next_token()  # the execution runs on, at its second task
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_success(taskToken=first, output=json.dumps({"decision": "reject"}))
    sfn.send_task_success(taskToken=second, output=json.dumps({"decision": "forward"}))
    output = json.loads(_ended(execution)["output"])
    assert output["jawab"] == {"decision": "approve"} and output["lagi"] == {"decision": "forward"}


def test_a_heartbeat_or_a_failure_for_a_closed_token_is_refused_too(waiting: Any) -> None:
    """Through moto's own path a heartbeat for a closed token raised a TypeError (a 500)."""
    sfn = boto3.client("stepfunctions")
    execution, next_token = waiting(TIMES_OUT)
    late = next_token()
    overdue = next_token()
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_heartbeat(taskToken=late)
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_failure(taskToken=late, error="Loket.Uji", cause="terlambat")
    sfn.send_task_success(taskToken=overdue, output=json.dumps({"decision": "approve"}))
    assert json.loads(_ended(execution)["output"])["lagi"] == {"decision": "approve"}
