"""Step Functions executions as the operator's desk reads them: the failed ones of a state machine,
one execution's status and failure, the state it failed in, and what its tasks were answered.

Starting an execution and answering task tokens stay in `workflow.py`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib.adapters.aws import client
from chalicelib.settings import get_settings

# What ended an execution without success: FAILED (a Fail state, an uncaught error) and
# TIMED_OUT (the machine's own timeout). ABORTED is someone stopping it on purpose.
FAILED = ("FAILED", "TIMED_OUT")
# States that only record a failure: the state that failed is the one entered before them.
RECORDING = frozenset({"Macet", "Gagal"})
HISTORY_PAGE = 100


@dataclass(frozen=True)
class Execution:
    """One execution: `status` RUNNING | SUCCEEDED | FAILED | TIMED_OUT | ABORTED | PENDING_REDRIVE;
    times ISO (UTC); `error` and `cause` as Step Functions reports them when it failed; `input`
    the execution's input (holds personal data: never shown as it is)."""

    arn: str
    name: str
    machine_arn: str
    status: str
    started_at: str
    stopped_at: str | None = None
    error: str | None = None
    cause: str | None = None
    input: dict[str, Any] | None = None


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        stamp = value if value.tzinfo else value.replace(tzinfo=UTC)
        return stamp.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return str(value) if value else None


def machine_arn(machine: str) -> str:
    """The ARN of a state machine by Loket's name for it (`<office>-<service>`)."""
    return get_settings().state_machine_arn(machine)


def failed(machine: str, limit: int = 50) -> list[Execution]:
    """The state machine's executions that failed or timed out, newest first, at most `limit`
    (no `error`/`cause`: `describe` has them). A machine that does not exist has none."""
    sfn = client("stepfunctions")
    arn = machine_arn(machine)
    found: list[Execution] = []
    for status in FAILED:
        token: str | None = None
        of_status = 0
        while of_status < limit:  # Step Functions lists the newest first
            extra = {"nextToken": token} if token else {}
            try:
                page = sfn.list_executions(
                    stateMachineArn=arn, statusFilter=status, maxResults=min(limit, 100), **extra
                )
            except sfn.exceptions.StateMachineDoesNotExist:
                return []
            listed = page.get("executions", [])
            of_status += len(listed)
            found += [
                Execution(
                    arn=e["executionArn"],
                    name=e["name"],
                    machine_arn=arn,
                    status=e["status"],
                    started_at=_iso(e.get("startDate")) or "",
                    stopped_at=_iso(e.get("stopDate")),
                )
                for e in listed
            ]
            token = page.get("nextToken")
            if not token:
                break
    found.sort(key=lambda e: e.stopped_at or e.started_at, reverse=True)
    return found[:limit]


def describe(arn: str) -> Execution | None:
    """One execution with its status, failure and input; None when it does not exist."""
    sfn = client("stepfunctions")
    try:
        found = sfn.describe_execution(executionArn=arn)
    except sfn.exceptions.ExecutionDoesNotExist:
        return None
    try:
        given = json.loads(found.get("input") or "{}")
    except ValueError:
        given = None
    return Execution(
        arn=arn,
        name=found["name"],
        machine_arn=found["stateMachineArn"],
        status=found["status"],
        started_at=_iso(found.get("startDate")) or "",
        stopped_at=_iso(found.get("stopDate")),
        error=found.get("error"),
        cause=found.get("cause"),
        input=given if isinstance(given, dict) else None,
    )


def failed_state(arn: str) -> str | None:
    """The name of the last state the execution entered before it failed (the states that only
    record a failure, `Macet` and `Gagal`, left out); None if the history names none."""
    sfn = client("stepfunctions")
    page = sfn.get_execution_history(executionArn=arn, reverseOrder=True, maxResults=HISTORY_PAGE)
    # Newest first, whichever order the service answered in (moto ignores reverseOrder).
    events = sorted(page.get("events", []), key=lambda e: int(e.get("id", 0)), reverse=True)
    for event in events:
        if not str(event.get("type", "")).endswith("StateEntered"):
            continue
        name = str(event.get("stateEnteredEventDetails", {}).get("name", ""))
        if name and name not in RECORDING:
            return name
    return None


HISTORY_PAGES = 20  # 20,000 events at most; a case's execution has a few hundred


def task_outputs(arn: str) -> list[dict[str, Any]]:
    """The outputs of the execution's tasks that succeeded (`TaskSucceeded` events), oldest
    first, each parsed from its JSON (an output that is not a JSON object is left out): what the
    execution has heard, the decisions sent with a task token among them. An execution that does
    not exist has heard nothing."""
    sfn = client("stepfunctions")
    events: list[dict[str, Any]] = []
    token: str | None = None
    for _page in range(HISTORY_PAGES):
        extra = {"nextToken": token} if token else {}
        try:
            page = sfn.get_execution_history(executionArn=arn, maxResults=1000, **extra)
        except sfn.exceptions.ExecutionDoesNotExist:
            return []
        events += page.get("events", [])
        token = page.get("nextToken")
        if not token:
            break
    outputs: list[dict[str, Any]] = []
    for event in sorted(events, key=lambda e: int(e.get("id", 0))):
        if event.get("type") != "TaskSucceeded":
            continue
        try:
            output = json.loads((event.get("taskSucceededEventDetails") or {}).get("output") or "null")
        except ValueError:
            continue
        if isinstance(output, dict):
            outputs.append(output)
    return outputs
