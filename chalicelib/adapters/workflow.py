"""Step Functions: start a case's execution once, answer a task token once."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.adapters.aws import client
from chalicelib.settings import get_settings


class TaskGone(Exception):
    """The task token is no longer waiting (answered, timed out, or the execution ended)."""


def start_case(machine: str, case_id: str, payload: dict[str, Any]) -> str:
    """Start the execution named after the case; a repeat start returns the existing execution.

    Step Functions itself refuses a second execution with the same name (and the same input
    succeeds idempotently), so a retried submission never runs a case twice.
    """
    sfn = client("stepfunctions")
    arn = get_settings().state_machine_arn(machine)
    try:
        result = sfn.start_execution(stateMachineArn=arn, name=case_id, input=json.dumps(payload))
    except sfn.exceptions.ExecutionAlreadyExists:
        return execution_arn(arn, case_id)
    return str(result["executionArn"])


def execution_arn(state_machine_arn: str, case_id: str) -> str:
    return f"{state_machine_arn.replace(':stateMachine:', ':execution:', 1)}:{case_id}"


def answer_task(token: str, output: dict[str, Any]) -> None:
    """Send the decision to the waiting execution; raise TaskGone if nobody waits any more."""
    sfn = client("stepfunctions")
    try:
        sfn.send_task_success(taskToken=token, output=json.dumps(output))
    except (sfn.exceptions.TaskTimedOut, sfn.exceptions.InvalidToken, sfn.exceptions.TaskDoesNotExist):
        raise TaskGone("tugas ini sudah tidak menunggu keputusan") from None


def fail_task(token: str, error: str, cause: str) -> None:
    sfn = client("stepfunctions")
    try:
        sfn.send_task_failure(taskToken=token, error=error[:256], cause=cause[:32768])
    except (sfn.exceptions.TaskTimedOut, sfn.exceptions.InvalidToken, sfn.exceptions.TaskDoesNotExist):
        raise TaskGone("tugas ini sudah tidak menunggu") from None
