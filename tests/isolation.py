"""One moto stack per test process, made clean again after every test.

Provisioning every resource of the template costs seconds (moto parses each state machine's
definition with its ASL grammar when it is created), so the tests of one process (one xdist
worker) share one `mock_aws` with one provisioned stack, and each test leaves it as it found it:

1. every RUNNING execution is stopped;
2. every thread the test started and left alive is *retired*: from then on any AWS call it makes
   raises `StaleExecutionCall` before it reaches moto (or the network), so an execution thread of
   test N cannot write into the table, queue or mailbox of test N+1. Retiring waits until no AWS
   call is in flight, so a call that began before is finished before the wipe below;
3. the data is wiped: table items, every object version of every bucket, every queue's messages,
   every Cognito user and group, the mail SES has sent, and the executions Step Functions lists.

What a test cannot change through the app (tables, buckets, queues, pools, state machines, the
SES identities) is made once. moto keeps executions, sent mail and its threads in Python objects
with no API to clear them; those few lines name moto's attributes and are checked by
tests/integration/test_isolation.py.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any
from unittest import mock

import boto3

REGION = "ap-southeast-3"


class StaleExecutionCall(RuntimeError):
    """An AWS call from a thread an earlier test left running (a Step Functions execution)."""


class CallGate:
    """Lets AWS calls through unless their thread is retired; `retire` waits for calls in flight.

    Shapes: `retired` holds `threading.Thread` objects (never thread ids, which the OS reuses).
    Calls from many threads pass at once; `retire` closes the gate, waits (at most `timeout`
    seconds, else TimeoutError) until no call is in flight, adds the threads, and opens it again.
    A thread already inside a call may call again (moto's handlers seldom do) without waiting.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._in_flight = 0
        self._closed = False
        self._depth = threading.local()
        self.retired: set[threading.Thread] = set()

    @contextlib.contextmanager
    def call(self) -> Iterator[None]:
        depth = getattr(self._depth, "n", 0)
        me = threading.current_thread()
        with self._cond:
            while self._closed and depth == 0:
                self._cond.wait()
            if me in self.retired:
                raise StaleExecutionCall(f"thread {me.name} belongs to a finished test; call refused")
            self._in_flight += 1
        self._depth.n = depth + 1
        try:
            yield
        finally:
            self._depth.n = depth
            with self._cond:
                self._in_flight -= 1
                self._cond.notify_all()

    def retire(self, threads: Iterable[threading.Thread], timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            self._closed = True
            try:
                while self._in_flight:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise TimeoutError(f"{self._in_flight} AWS call(s) still in flight after {timeout}s")
                    self._cond.wait(left)
                # Dead threads need no guard; keeping only live ones keeps the set small.
                self.retired = {t for t in self.retired if t.is_alive()}
                self.retired.update(t for t in threads if t.is_alive())
            finally:
                self._closed = False
                self._cond.notify_all()


GATE = CallGate()
_installed = False


def install_gate() -> None:
    """Route every boto3 call moto intercepts (and, once moto stops, every one it would not)
    through GATE. moto's before-send hook is the one place all in-process AWS calls pass."""
    global _installed
    if _installed:
        return
    from moto.core.botocore_stubber import BotocoreStubber

    original = BotocoreStubber.__call__

    def gated(self: Any, event_name: str, request: Any, **kwargs: Any) -> Any:
        with GATE.call():
            return original(self, event_name, request, **kwargs)

    BotocoreStubber.__call__ = gated  # type: ignore[method-assign]
    _installed = True


@functools.cache
def _client(service: str) -> Any:
    """Clients of the main thread, made once (making one costs tens of milliseconds)."""
    return boto3.client(service, region_name=REGION)  # type: ignore[call-overload]


@functools.cache
def _resource(service: str) -> Any:
    return boto3.resource(service, region_name=REGION)  # type: ignore[call-overload]


def stop_executions(deadline_seconds: float = 5.0) -> None:
    """Stop every RUNNING execution. moto cannot stop one whose thread has not yet made its
    environment; such a one is tried again until `deadline_seconds`, then left to the gate."""
    sfn = _client("stepfunctions")
    for machine in sfn.list_state_machines()["stateMachines"]:
        pages = sfn.get_paginator("list_executions").paginate(
            stateMachineArn=machine["stateMachineArn"], statusFilter="RUNNING"
        )
        for page in pages:
            for execution in page["executions"]:
                deadline = time.monotonic() + deadline_seconds
                while True:
                    try:
                        sfn.stop_execution(executionArn=execution["executionArn"], cause="test finished")
                        break
                    except Exception:
                        if time.monotonic() > deadline:
                            break
                        time.sleep(0.05)


def retire_threads(before: set[threading.Thread]) -> None:
    """Retire every live thread that was not alive in `before` (what the test started)."""
    me = threading.current_thread()
    GATE.retire(t for t in threading.enumerate() if t not in before and t is not me)


def wipe() -> None:
    """Empty every resource of the stack, keeping the resources themselves."""
    dynamodb = _resource("dynamodb")
    for name in dynamodb.meta.client.list_tables()["TableNames"]:
        table = dynamodb.Table(name)
        keys = [k["AttributeName"] for k in table.key_schema]
        names = {f"#k{i}": key for i, key in enumerate(keys)}
        scan: dict[str, Any] = {"ProjectionExpression": ", ".join(names), "ExpressionAttributeNames": names}
        with table.batch_writer() as batch:
            while True:
                page = table.scan(**scan)
                for item in page["Items"]:
                    batch.delete_item(Key={key: item[key] for key in keys})
                if "LastEvaluatedKey" not in page:
                    break
                scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    s3 = _resource("s3")
    for bucket in s3.meta.client.list_buckets()["Buckets"]:
        s3.Bucket(bucket["Name"]).object_versions.delete()

    sqs = _client("sqs")
    # AWS allows one purge a minute per queue, and so does moto unless told otherwise (its
    # documented setting); only here, so the local stack of tests/e2e keeps the real rule.
    with mock.patch.dict(os.environ, {"MOTO_SQS_ENFORCE_STRICT_QUEUE_PURGE_BEHAVIOUR": "false"}):
        for url in sqs.list_queues().get("QueueUrls", []):
            sqs.purge_queue(QueueUrl=url)

    cognito = _client("cognito-idp")
    for pool in cognito.list_user_pools(MaxResults=60)["UserPools"]:
        for page in cognito.get_paginator("list_users").paginate(UserPoolId=pool["Id"]):
            for user in page["Users"]:
                cognito.admin_delete_user(UserPoolId=pool["Id"], Username=user["Username"])
        for page in cognito.get_paginator("list_groups").paginate(UserPoolId=pool["Id"]):
            for group in page["Groups"]:
                cognito.delete_group(UserPoolId=pool["Id"], GroupName=group["GroupName"])

    _forget_in_moto()


def _forget_in_moto() -> None:
    """What moto keeps with no API to clear it: the mail SES sent and the executions."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends
    from moto.stepfunctions.responses import get_backend

    ses = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
    ses.sent_messages.clear()
    ses.sent_message_count = 0
    for machine in get_backend(DEFAULT_ACCOUNT_ID, REGION).state_machines:
        machine.executions.clear()
