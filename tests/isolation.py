"""One moto stack per test process, made clean again after every test.

Provisioning every resource of the template costs seconds (moto parses each state machine's
definition with its ASL grammar when it is created), so the tests of one process (one xdist
worker) share one `mock_aws` with one provisioned stack, and each test leaves it as it found it:

1. every RUNNING execution is stopped;
2. every thread the test made is cut off from AWS, and so is any thread such a thread makes
   later (moto runs each Task state of an execution on a new thread): any AWS call from them
   raises `StaleExecutionCall` before it reaches moto (or the network), so an execution of test N
   cannot write into the table, queue or mailbox of test N+1, even one moto failed to stop. This
   waits until no AWS call is in flight, so a call that began before is finished before the wipe;
3. the data is wiped: table items, every object version of every bucket, every queue's
   messages, every Cognito user and group, the mail SES has sent, the executions listed.

What a test cannot change through the app (tables, buckets, queues, pools, state machines, the
SES identities) is made once. moto keeps executions and sent mail in Python objects with no API
to clear them, and table items are dropped inside moto (see `wipe`); those few lines name moto's
attributes and are checked by tests/integration/test_isolation.py.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import os
import threading
import time
from collections.abc import Iterator
from typing import Any
from unittest import mock

import boto3

REGION = "ap-southeast-3"


class StaleExecutionCall(RuntimeError):
    """An AWS call from a thread an earlier test left running (a Step Functions execution)."""


class CallGate:
    """Lets AWS calls through unless their thread belongs to a finished test.

    Every thread made after `install_gate` carries the number of the test it belongs to: the one
    running when it was made, or, when a thread makes it, that thread's own number, so a thread
    that a finished test's execution starts later still belongs to that finished test (moto starts
    a thread for every Task state). Threads made before (the main thread, pytest's, xdist's) carry
    none and always pass. `next_test` closes the gate, waits (at most `timeout` seconds, else
    TimeoutError) until no call is in flight, counts the next test and opens the gate again.
    Calls from many threads pass at once; a thread already inside a call may call again.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._in_flight = 0
        self._closed = False
        self._depth = threading.local()
        self.test = 0  # the number of the test running now

    def belongs_to(self, thread: threading.Thread) -> int | None:
        return getattr(thread, "_loket_test", None)

    @contextlib.contextmanager
    def call(self) -> Iterator[None]:
        depth = getattr(self._depth, "n", 0)
        me = threading.current_thread()
        with self._cond:
            while self._closed and depth == 0:
                self._cond.wait()
            test = self.belongs_to(me)
            if test is not None and test != self.test:
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

    def next_test(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            self._closed = True
            try:
                while self._in_flight:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise TimeoutError(f"{self._in_flight} AWS call(s) still in flight after {timeout}s")
                    self._cond.wait(left)
                self.test += 1
            finally:
                self._closed = False
                self._cond.notify_all()


GATE = CallGate()
_installed = False


def install_gate() -> None:
    """Number the threads made from now on, and route every boto3 call moto intercepts (and,
    once moto stops, every one it would not) through GATE: moto's before-send hook is the one
    place all in-process AWS calls pass."""
    global _installed
    if _installed:
        return
    from moto.core.botocore_stubber import BotocoreStubber

    original_call = BotocoreStubber.__call__
    original_init = threading.Thread.__init__

    def gated(self: Any, event_name: str, request: Any, **kwargs: Any) -> Any:
        with GATE.call():
            return original_call(self, event_name, request, **kwargs)

    def numbered(self: threading.Thread, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        maker = GATE.belongs_to(threading.current_thread())
        self._loket_test = GATE.test if maker is None else maker  # type: ignore[attr-defined]

    BotocoreStubber.__call__ = gated  # type: ignore[method-assign]
    threading.Thread.__init__ = numbered  # type: ignore[method-assign]
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


def end_test() -> None:
    """Cut off every thread the finished test made (and any they make later) from AWS, once the
    calls in flight are done."""
    GATE.next_test()


def wipe() -> None:
    """Empty every resource of the stack, keeping the resources themselves."""
    # Items are dropped inside moto: deleting them one by one through the API would leave an
    # empty entry per partition key in moto's table, which grows all session long, and moto
    # copies the whole table for every TransactWriteItems. A new mapping, not `clear()`, so the
    # stand-in's kept index (moto_extras.partition_queries) sees the items were replaced.
    for table in _dynamodb_backend().tables.values():
        table.items = collections.defaultdict(dict)

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


def _dynamodb_backend() -> Any:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION]


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
