"""Compile a service standard into an Amazon States Language state machine.

One execution runs one case. For each process step of the SOP:

- a **human step** (staff) becomes a work item in its responsible role's queue, written by
  `aws-sdk:dynamodb:putItem.waitForTaskToken`; the staff decision comes back as the task output
  and a Choice routes it by the SOP's outcomes. A `system_action` on a human step is prepared by
  the worker when the step begins (a draft, a number) before the work item is written.
- the standard time is the task's timeout (`$.timeouts.sNN`, computed when the case starts, so
  time can be scaled): on `States.Timeout` the worker is told to escalate (the next role up
  hears of it), and the same work item is written again, flagged overdue, without a timeout:
  the case keeps waiting for the same role.
- a **system step** goes to the worker queue (`sqs:sendMessage.waitForTaskToken`); an
  escalation to the notice queue, which the same worker handler reads (docs/adr/0032).
- an **applicant step** after submission (receiving the document) waits for the applicant, who
  confirms it on their status page; it is in no staff queue, though the counter that handed the
  document over may confirm it for them (`ServiceStandard.counter_step`). Left undone for the
  office's `applicant_step_days` (`$.timeouts.sNN`), it closes by itself: the worker mails a
  notice and records it (`KNN`), and the case goes on (ADR 0021).
- a **return to the applicant** marks the case returned (the worker mails the reason), then
  waits for the resubmission as a work item of `pemohon`; the case expires with a notice after
  the office's `return_expiry_days` (`$.timeouts.applicant`), else resumes at the SOP's step.
- the ends (completed, rejected, expired) are closed by the worker: case status, notice, audit.
- every Task state (each is an AWS call Step Functions makes itself: the work item's put, the
  worker's message, `Macet`'s update) has a `Retry` for the errors its service answers when busy
  or failing for a moment (`TRANSIENT_ERRORS`): up to RETRY_MAX_ATTEMPTS more attempts, exponential
  backoff with full jitter, each wait at most RETRY_MAX_DELAY_SECONDS. Never `States.Timeout` (a
  step's standard time ran out: escalated, not retried) nor a worker's own failure
  (`Loket.TaskFailed`, `Loket.BadMessage`: for good, `Macet`). A retried put writes the same item
  (its key is the case, the step and when the step began: `$.entered.t`, fixed before the task),
  so it never makes a second work item; see docs/reliability.md.
- an execution begins at the Choice `Mulai`: an empty `resume_at` (every new case's input)
  starts at the first process step; a step id there (e.g. "05") goes to that step's entry state.
  The operator's desk restarts a stuck case that way (`services/administration/operator.py`).
- a closing task (`Selesai`, `Ditolak`, an expiry `AXNN`) ends the execution itself (`End`).

State names: `WNN` enter, `PNN` prepare, `HNN` human task, `ENN` escalate, `ONN` overdue task,
`RNN` route, `XNN` system task, `ANN`/`AHNN`/`AXNN` applicant return, wait and expiry, `KNN`
an applicant's step closed by itself.
"""

from __future__ import annotations

from typing import Any

from chalicelib.sop.schema import APPLICANT, Office, ServiceStandard, Step

PUT_ITEM_WAIT = "arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken"
UPDATE_ITEM = "arn:aws:states:::dynamodb:updateItem"
# What the applicant reads when a system task failed for good (chalicelib/services/cases.py
# labels the status "Sedang ditangani petugas"); the error itself is for staff only (`fault`).
STUCK_NOTE = (
    "Ada kendala pada sistem saat memproses berkas Anda. Petugas sedang menanganinya; "
    "Anda tidak perlu mengajukan ulang."
)
SQS_WAIT = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
SQS_SEND = "arn:aws:states:::sqs:sendMessage"
# The errors Step Functions reports when one of its own AWS calls fails for a moment, by the
# Task's resource. An AWS SDK integration names the error `<Service>.<Exception>` in Pascal case
# ("DynamoDb."), an optimised integration `<SERVICE>.<Exception>` ("DynamoDB.", "SQS.");
# unmodelled errors come as the SDK's base exception (`DynamoDb.DynamoDbException`,
# `DynamoDB.AmazonDynamoDBException`, `SQS.AmazonSQSException`) and a failure before the
# service answered as `SdkClientException`. DynamoDB's 500 is listed by its error code and by
# its exception's name. A ConditionalCheckFailedException (`Macet` on a case that has ended) and
# a ValidationException are not transient and are not listed.
_DYNAMODB_TRANSIENT = (
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "RequestLimitExceededException",
    "InternalServerError",
    "InternalServerErrorException",
    "TransactionConflictException",  # a decision's transaction on the same item at that moment
)
_SQS_TRANSIENT = (
    "SQS.AmazonSQSException",
    "SQS.SdkClientException",
    "SQS.RequestThrottledException",
    "SQS.ThrottlingException",
)
TRANSIENT_ERRORS: dict[str, tuple[str, ...]] = {
    PUT_ITEM_WAIT: (
        *(f"DynamoDb.{name}" for name in _DYNAMODB_TRANSIENT),
        "DynamoDb.DynamoDbException",
        "DynamoDb.SdkClientException",
    ),
    UPDATE_ITEM: (
        *(f"DynamoDB.{name}" for name in _DYNAMODB_TRANSIENT),
        "DynamoDB.AmazonDynamoDBException",
        "DynamoDB.SdkClientException",
    ),
    SQS_WAIT: _SQS_TRANSIENT,
    SQS_SEND: _SQS_TRANSIENT,
}
RETRY_INTERVAL_SECONDS = 1
RETRY_BACKOFF_RATE = 2.0
RETRY_MAX_ATTEMPTS = 6  # at most 1 + 2 + 4 + 8 + 16 + 30 s of waiting, about half that with jitter
RETRY_MAX_DELAY_SECONDS = 30
TABLE = "${TableName}"
QUEUE = "${WorkerQueueUrl}"
NOTICE_QUEUE = "${NoticeQueueUrl}"
"""Escalations go to the notice queue: a burst of overdue steps never waits in front of the
system steps (card issuing) on the worker queue (docs/adr/0032)."""
WORKER_TIMEOUT_SECONDS = 3600
APPLICANT_ROLE = APPLICANT
# The first state of every machine: it routes on the input's optional `resume_at` (a step id).
START = "Mulai"
RESUME_AT = "$.resume_at"


def machine_name(office_id: str, service_id: str) -> str:
    return f"{office_id}-{service_id}"


def step_id(number: int) -> str:
    return f"{number:02d}"


def timeout_key(number: int) -> str:
    return f"s{step_id(number)}"


def counter_role(service: ServiceStandard, step: Step) -> str:
    """Who confirms an applicant's step after submission: the last staff role before it."""
    for earlier in reversed([s for s in service.process_steps if s.number < step.number]):
        if earlier.responsible_role:
            return earlier.responsible_role
    for later in service.process_steps:
        if later.responsible_role:
            return later.responsible_role
    raise ValueError(f"{service.id}: no staff role to confirm step {step.number}")


def queue_role(service: ServiceStandard, step: Step) -> str:
    role = step.responsible_role
    return role if role else counter_role(service, step)


def _work_item(service: ServiceStandard, step: Step, role: str, overdue: int) -> dict[str, Any]:
    sid = step_id(step.number)
    item: dict[str, Any] = {
        "PK": {"S.$": "States.Format('CASE#{}', $.case_id)"},
        "SK": {"S.$": f"States.Format('WORK#{sid}#{{}}', $.entered.t)"},
        "kind": {"S": "work_item"},
        "case_id": {"S.$": "$.case_id"},
        "office": {"S.$": "$.office"},
        "service": {"S.$": "$.service"},
        "step": {"S": sid},
        "role": {"S": role},
        "task_token": {"S.$": "$$.Task.Token"},
        "entered_at": {"S.$": "$.entered.t"},
        "standard_seconds": {"N": str(round(step.standard_minutes * 60))},
        "status": {"S": "open"},
        "overdue": {"N": str(overdue)},
        "GSI2PK": {"S.$": "States.Format('OFFICE#{}', $.office)"},
        "GSI2SK": {"S.$": "States.Format('{}#{}', $.entered.t, $.case_id)"},
    }
    if role == APPLICANT_ROLE:
        # Not in any staff queue: the applicant answers it by resubmitting.
        item["GSI1PK"] = {"S.$": "States.Format('APPLICANT_WAIT#{}', $.case_id)"}
    else:
        item["GSI1PK"] = {"S.$": f"States.Format('QUEUE#{{}}#{role}', $.office)"}
    item["GSI1SK"] = {"S.$": "States.Format('{}#{}', $.entered.t, $.case_id)"}
    return item


def _put_wait(
    item: dict[str, Any], nxt: str, timeout_path: str | None = None, on_timeout: str | None = None
) -> dict[str, Any]:
    state: dict[str, Any] = {
        "Type": "Task",
        "Resource": PUT_ITEM_WAIT,
        "Parameters": {"TableName": TABLE, "Item": item},
        "ResultPath": "$.last",
        "Next": nxt,
    }
    if timeout_path:
        state["TimeoutSecondsPath"] = timeout_path
        state["Catch"] = [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.timeout", "Next": on_timeout}]
    return state


def _worker(task: str, nxt: str, result_path: str | None = "$.system", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "task": task,
        "case_id.$": "$.case_id",
        "office.$": "$.office",
        "service.$": "$.service",
        "email.$": "$.email",
        "task_token.$": "$$.Task.Token",
        # Each pass through a state is its own effect (a second round of a return loop mails
        # again); a redelivery of the same message is not.
        "entered.$": "$$.State.EnteredTime",
        **fields,
    }
    return {
        "Type": "Task",
        "Resource": SQS_WAIT,
        "Parameters": {"QueueUrl": QUEUE, "MessageBody": body},
        "TimeoutSeconds": WORKER_TIMEOUT_SECONDS,
        "ResultPath": result_path,
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Macet"}],
        "Next": nxt,
    }


def _mark_stuck(nxt: str) -> dict[str, Any]:
    """A system task failed for good (refused, or no answer within its timeout): the case says so
    to the applicant and to the office (status `stuck`, the error in `fault`), unless it has
    already ended. Step Functions writes it itself: the worker may be what is failing."""
    return {
        "Type": "Task",
        "Resource": UPDATE_ITEM,
        "Parameters": {
            "TableName": TABLE,
            "Key": {"PK": {"S.$": "States.Format('CASE#{}', $.case_id)"}, "SK": {"S": "#CASE"}},
            "UpdateExpression": "SET #status = :stuck, status_note = :note, fault = :fault, updated_at = :at "
            "ADD version :one",
            "ConditionExpression": "NOT #status IN (:completed, :rejected, :expired)",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":stuck": {"S": "stuck"},
                ":note": {"S": STUCK_NOTE},
                ":fault": {"S.$": "States.JsonToString($.error)"},
                ":at": {"S.$": "$$.State.EnteredTime"},
                ":one": {"N": "1"},
                ":completed": {"S": "completed"},
                ":rejected": {"S": "rejected"},
                ":expired": {"S": "expired"},
            },
        },
        "ResultPath": None,
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.mark_error", "Next": nxt}],
        "Next": nxt,
    }


def retry(resource: str) -> list[dict[str, Any]]:
    """The `Retry` of a Task state calling `resource`: its service's transient errors only
    (`TRANSIENT_ERRORS`), backoff from RETRY_INTERVAL_SECONDS doubling to RETRY_MAX_DELAY_SECONDS,
    full jitter (each wait drawn between 0 and its ceiling, so executions throttled together do
    not come back together), RETRY_MAX_ATTEMPTS retries. Raises KeyError for a resource without
    a decision here: a new kind of call gets its retry chosen, not forgotten."""
    return [
        {
            "ErrorEquals": list(TRANSIENT_ERRORS[resource]),
            "IntervalSeconds": RETRY_INTERVAL_SECONDS,
            "BackoffRate": RETRY_BACKOFF_RATE,
            "MaxAttempts": RETRY_MAX_ATTEMPTS,
            "MaxDelaySeconds": RETRY_MAX_DELAY_SECONDS,
            "JitterStrategy": "FULL",
        }
    ]


def _closing(state: dict[str, Any]) -> dict[str, Any]:
    """A case's closing task ends the execution itself (`End`), with no Succeed state after it:
    one state transition fewer per case (issue 16)."""
    state.pop("Next")
    state["End"] = True
    return state


def _enter(nxt: str) -> dict[str, Any]:
    """Remember when the step began: the work item's key, its age and its duration use it."""
    return {
        "Type": "Pass",
        "Parameters": {"t.$": "$$.State.EnteredTime"},
        "ResultPath": "$.entered",
        "Next": nxt,
    }


class _Compiler:
    def __init__(self, office: Office, service: ServiceStandard) -> None:
        self.office = office
        self.service = service
        self.states: dict[str, Any] = {}
        self.returns: dict[tuple[int, int, bool], str] = {}

    def entry(self, number: int) -> str:
        step = self.service.step(number)
        return f"X{step_id(number)}" if step.is_system else f"W{step_id(number)}"

    def target(self, step: Step, goto: Any, decision: str, resume: int | None) -> str:
        if goto == "end":
            return "Ditolak" if decision == "reject" else "Selesai"
        if goto == "applicant":
            return self.applicant_return(step, resume or step.number)
        return self.entry(int(goto))

    def after(self, step: Step) -> str:
        nxt = self.service.default_next(step)
        return "Selesai" if nxt == "end" else self.entry(int(nxt))

    def applicant_return(self, step: Step, resume: int) -> str:
        """The chain that hands the file back to the applicant and waits for the resubmission."""
        mailed = step.is_system and step.system_action == "send_email"
        key = (step.number, resume, mailed)
        if key in self.returns:
            return self.returns[key]
        sid = f"{step_id(step.number)}{step_id(resume)}"
        first = f"A{sid}"
        self.returns[key] = first
        self.states[first] = _worker(
            "return_to_applicant",
            f"AW{sid}",
            step=step_id(step.number),
            already_mailed=mailed,
            **{"note.$": "$.last.note"},
        )
        self.states[f"AW{sid}"] = _enter(f"AH{sid}")
        wait_item = _work_item(self.service, step, APPLICANT_ROLE, 0)
        wait_item["step"] = {"S": step_id(step.number)}
        self.states[f"AH{sid}"] = _put_wait(wait_item, self.entry(resume), "$.timeouts.applicant", f"AX{sid}")
        self.states[f"AX{sid}"] = _closing(
            _worker("close_case", "-", outcome="expired", step=step_id(step.number))
        )
        return first

    def routes(self, step: Step) -> str:
        """The Choice after a step (or the single next state when there is nothing to choose)."""
        default = self.after(step)
        if not step.outcomes:
            return default
        if step.is_system and len(step.outcomes) == 1:
            only = step.outcomes[0]
            return self.target(step, only.goto, only.decision, only.resume)
        choices = [
            {
                "Variable": "$.last.decision",
                "StringEquals": outcome.decision,
                "Next": self.target(step, outcome.goto, outcome.decision, outcome.resume),
            }
            for outcome in step.outcomes
        ]
        if all(c["Next"] == default for c in choices):
            # Every decision the step allows goes where the step goes anyway ("approve" only, or
            # Kota Tangerang's "forward"): a Choice would be one more state transition for nothing.
            return default
        name = f"R{step_id(step.number)}"
        self.states[name] = {"Type": "Choice", "Choices": choices, "Default": default}
        return name

    def applicant_step(self, step: Step) -> None:
        """The applicant's own step after submission: the documents the counter step handed over
        are published for download (`PNN`), then the applicant's work item, no escalation; on
        timeout (`applicant_step_days`) it closes by itself (`KNN`) and the case goes on."""
        sid = step_id(step.number)
        route = self.routes(step)
        counter = self.service.counter_step(step)
        handed = [d for d in (counter.documents if counter else []) if self.service.product(d).pdf]
        if handed:  # what the counter handed over: the applicant downloads it on the status page
            self.states[f"W{sid}"] = _enter(f"P{sid}")
            self.states[f"P{sid}"] = _worker("publish_download", f"H{sid}", step=sid, documents=handed)
        else:
            self.states[f"W{sid}"] = _enter(f"H{sid}")
        self.states[f"H{sid}"] = _put_wait(
            _work_item(self.service, step, APPLICANT_ROLE, 0),
            route,
            f"$.timeouts.{timeout_key(step.number)}",
            f"K{sid}",
        )
        self.states[f"K{sid}"] = _worker("applicant_step_closed", route, "$.last", step=sid)

    def human(self, step: Step) -> None:
        sid = step_id(step.number)
        role = queue_role(self.service, step)
        escalates_to = self.office.roles[role].escalates_to if role in self.office.roles else None
        route = self.routes(step)
        first_task = f"H{sid}"
        after_enter = f"P{sid}" if step.system_action else first_task
        if step.system_action:
            self.states[f"P{sid}"] = _worker(
                step.system_action, first_task, step=sid, documents=step.documents
            )
        if self.office.working_hours:
            # The deadline depends on when the step begins and on office hours: the worker works
            # it out ($.entered.timeout) as the step begins.
            self.states[f"W{sid}"] = _worker(
                "step_deadline",
                after_enter,
                "$.entered",
                step=sid,
                minutes=step.standard_minutes,
                **{"time_scale.$": "$.time_scale"},
            )
            timeout_path = "$.entered.timeout"
        else:
            self.states[f"W{sid}"] = _enter(after_enter)
            timeout_path = f"$.timeouts.{timeout_key(step.number)}"
        self.states[first_task] = _put_wait(
            _work_item(self.service, step, role, 0), route, timeout_path, f"E{sid}"
        )
        self.states[f"E{sid}"] = {
            "Type": "Task",
            "Resource": SQS_SEND,
            "Parameters": {
                "QueueUrl": NOTICE_QUEUE,
                "MessageBody": {
                    "task": "escalate",
                    "case_id.$": "$.case_id",
                    "office.$": "$.office",
                    "service.$": "$.service",
                    "step": sid,
                    "role": role,
                    "escalates_to": escalates_to,
                    "entered_at.$": "$.entered.t",
                },
            },
            "ResultPath": None,
            "Next": f"O{sid}",
        }
        self.states[f"O{sid}"] = _put_wait(_work_item(self.service, step, role, 1), route)

    def system(self, step: Step) -> None:
        sid = step_id(step.number)
        action = step.system_action or "send_email"
        self.states[f"X{sid}"] = _worker(
            action, self.routes(step), step=sid, documents=step.documents, **{"note.$": "$.last.note"}
        )

    def compile(self) -> dict[str, Any]:
        for step in self.service.process_steps:
            if step.is_system:
                self.system(step)
            elif step.waits_for_applicant:
                self.applicant_step(step)
            else:
                self.human(step)
        self.states["Selesai"] = _closing(_worker("close_case", "-", outcome="completed"))
        self.states["Ditolak"] = _closing(
            _worker("close_case", "-", outcome="rejected", **{"note.$": "$.last.note"})
        )
        self.states["Macet"] = _mark_stuck("Gagal")
        self.states["Gagal"] = {
            "Type": "Fail",
            "Error": "Loket.WorkerFailed",
            "Cause": "Pekerjaan sistem gagal berulang kali; lihat meja operator dan antrean dead-letter.",
        }
        self.start()
        for state in self.states.values():
            if state["Type"] == "Task":
                state["Retry"] = retry(state["Resource"])
        return {
            "Comment": f"{self.office.id}/{self.service.id} v{self.service.version}: {self.service.title}",
            "StartAt": START,
            # Step Functions refuses a definition with unreachable states (a service with no
            # reject path has no "Ditolak"), so only what can be reached is kept, in flow order.
            "States": {name: self.states[name] for name in reachable(self.states, START)},
        }

    def start(self) -> None:
        """`Mulai`: one Choice routes `resume_at` (a step id, the operator's restart) to that
        step's entry state, and anything else ("", a new case: `execution_input`) to the first
        process step. Every input carries `resume_at` (a rule comparing a path the input lacks
        fails the execution), so one Choice does what a presence check and a Choice did (a
        restart passes one state fewer; a new case passes `Mulai` alone either way)."""
        steps = self.service.process_steps
        self.states[START] = {
            "Type": "Choice",
            "Choices": [
                {"Variable": RESUME_AT, "StringEquals": step_id(step.number), "Next": self.entry(step.number)}
                for step in steps
            ],
            "Default": self.entry(steps[0].number),
        }


def successors(state: dict[str, Any]) -> list[str]:
    nexts = [state["Next"]] if "Next" in state else []
    nexts += [choice["Next"] for choice in state.get("Choices", [])]
    nexts += [state["Default"]] if "Default" in state else []
    nexts += [catch["Next"] for catch in state.get("Catch", [])]
    return nexts


def reachable(states: dict[str, Any], start: str) -> list[str]:
    """State names reachable from `start`, depth-first in the order the flow meets them."""
    seen: list[str] = []
    pending = [start]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.append(name)
        pending.extend(reversed(successors(states[name])))
    return seen


def compile_service(office: Office, service: ServiceStandard) -> dict[str, Any]:
    """The ASL definition of a service, with ${TableName}, ${WorkerQueueUrl} and ${NoticeQueueUrl}
    placeholders."""
    return _Compiler(office, service).compile()


def execution_input(
    service: ServiceStandard, office: Office, case: dict[str, Any], time_scale: float
) -> dict[str, Any]:
    """What an execution starts with: the case, its step timeouts, an empty last decision (so
    every state may read `$.last.note`, even before any person has decided) and an empty
    `resume_at` (`Mulai` reads it: a restart puts a step id there)."""
    return {
        "resume_at": "",
        **case,
        "time_scale": time_scale,
        "timeouts": timeouts(service, office, time_scale),
        "last": {"decision": "", "note": ""},
    }


def timeouts(service: ServiceStandard, office: Office, time_scale: float) -> dict[str, int]:
    """Seconds each human step may take (an applicant's own step: the office's
    `applicant_step_days`), and how long a returned file waits for the applicant."""
    result = {
        timeout_key(step.number): max(
            1,
            round(
                (office.applicant_step_days * 24 * 60 if step.waits_for_applicant else step.standard_minutes)
                * time_scale
            ),
        )
        for step in service.process_steps
        if not step.is_system
    }
    result["applicant"] = max(1, round(office.return_expiry_days * 24 * 60 * time_scale))
    return result
