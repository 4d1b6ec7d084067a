"""What moto's Cognito lacks and Loket's applicants use (ResendConfirmationCode), a lighter
rollback of DynamoDB transactions (`light_transactions`, for the local stack and `make chaos`),
DynamoDB's atomicity between threads (`serialise_dynamodb`), task tokens closed as Step Functions
closes them (`closing_task_tokens`), a Query that reads its partition (`partition_queries`) and
no dashboard copy of every item and message ever made (`untracked_items`).

Real Cognito emails a new code; the local stand-in accepts any code (see `make run`'s banner),
so resending only has to answer as Cognito does: where the code went, masked. Installed by the
local stack and by the tests, never by the deployed application.
"""

from __future__ import annotations

import threading
from typing import Any


def _masked(email: str) -> str:
    """As Cognito shows a destination: t***@c***."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


def install() -> None:
    from moto.cognitoidp.exceptions import ResourceNotFoundError, UserNotFoundError
    from moto.cognitoidp.models import cognitoidp_backends, find_account_region_by_value
    from moto.cognitoidp.responses import CognitoIdpResponse
    from moto.core.responses import ActionResult

    if hasattr(CognitoIdpResponse, "resend_confirmation_code"):
        return  # moto has it now

    def resend_confirmation_code(self: Any) -> ActionResult:
        client_id = self._get_param("ClientId")
        username = self._get_param("Username")
        account, region = find_account_region_by_value(
            "client_id", client_id, fallback=(self.current_account, self.region)
        )
        for pool in cognitoidp_backends[account][region].user_pools.values():
            if client_id in pool.clients:
                user = pool._get_user(username)
                if user is None:
                    raise UserNotFoundError("Username/client id combination not found.")
                email = user.attribute_lookup.get("email", "")
                details = {"Destination": _masked(email), "DeliveryMedium": "EMAIL", "AttributeName": "email"}
                return ActionResult({"CodeDeliveryDetails": details})
        raise ResourceNotFoundError(client_id)

    CognitoIdpResponse.resend_confirmation_code = resend_confirmation_code  # type: ignore[attr-defined]


def light_transactions() -> None:
    """moto rolls a cancelled TransactWriteItems back from a deep copy of the whole table, taken
    for every item of every transaction: O(table) under DynamoDB's lock, so a 300-case run spent
    most of its time copying a table of 10,000 items (34 minutes, a third of the cases left with
    staff at the deadline). Here the table is not copied; the items the transaction names are kept
    and put back if it is cancelled, which is what moto's copy restores. (Call it before
    `serialise_dynamodb`, so that the keeping and the putting back are inside the same lock.)"""
    import copy

    from moto.dynamodb import models
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    class TableNotCopied:
        @staticmethod
        def deepcopy(value: Any, memo: Any = None) -> Any:
            return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    models.copy = TableNotCopied  # type: ignore[assignment]
    original = DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        kept = []
        for entry in transact_items:
            op = next(iter(entry.values()))
            name = op.get("TableName")
            if name not in self.tables:
                continue
            table = self.tables[name]
            key = op.get("Key") or {
                a: op["Item"][a] for a in (table.hash_key_attr, table.range_key_attr) if a and a in op["Item"]
            }
            before = self.get_item(name, key)
            kept.append(
                (name, key, None if before is None else copy.deepcopy(before.to_json()["Attributes"]))
            )
        try:
            original(self, transact_items)
        except Exception:
            for name, key, attributes in reversed(kept):
                if attributes is not None:
                    self.put_item(name, attributes)
                elif self.get_item(name, key) is not None:
                    self.delete_item(name, key)
            raise

    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


_serialised = False


def serialise_dynamodb() -> None:
    """Make moto's DynamoDB as safe between threads as the service (idempotent).

    DynamoDB runs each request, and each TransactWriteItems as a whole, atomically. moto checks
    and writes in separate Python steps, iterates a table's dict while a Step Functions thread
    adds to it ("dictionary changed size during iteration" in a query), and copies the whole
    table for a transaction while a GetItem of a new key adds to it (a defaultdict). One lock
    around every item operation of moto's backend restores the service's guarantee; on DynamoDB
    none of these disturbs another."""
    global _serialised
    if _serialised:
        return
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()
    for name in (
        "put_item",
        "get_item",
        "query",
        "scan",
        "update_item",
        "delete_item",
        "transact_write_items",
        "transact_get_items",
    ):
        original = getattr(DynamoDBBackend, name)

        def atomic(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            with lock:
                return _original(self, *args, **kwargs)

        setattr(DynamoDBBackend, name, atomic)
    _serialised = True


def untracked_items() -> None:
    """moto keeps every instance of its models in a class list for its dashboard
    (`BaseModel.__new__` -> `instances_tracked`, shown by `/moto-api/data.json`), never dropped:
    every DynamoDB item ever written, and the copy moto makes of an item at each UpdateItem, and
    every SQS message ever sent, live as long as the process. A local stack's memory grew with its
    writes, not its data: `make soak` 1.1 MB per case at first, 2.5 MB after 200 cases (the case
    item grows, and each of its updates kept a whole copy), and moto's own TransactWriteItems
    (where `light_transactions` is not installed: the tests) kept the copy of every table it takes
    for a rollback. Here DynamoDB items and tables and SQS messages are made without that tracking
    (Loket reads only SES's sent mail from the dashboard); an item is kept by its table as long as
    it is stored, a table by its backend, a message by its queue until it is deleted."""
    from moto.dynamodb.models.dynamo_type import Item
    from moto.dynamodb.models.table import Table
    from moto.sqs.models import Message

    def untracked(cls: type, *args: Any, **kwargs: Any) -> Any:
        return object.__new__(cls)

    models: tuple[Any, ...] = (Item, Table, Message)
    for model in models:
        model.__new__ = staticmethod(untracked)
        model.instances_tracked = []  # what it kept so far


# How long a task whose token was answered just as its time ran out is given to finish with that
# answer (moto evaluates the answer on the task's own thread: milliseconds).
ANSWERED_SETTLE_SECONDS = 30.0
_TOKENS = threading.Lock()


def closing_task_tokens() -> None:
    """A task token used once, or whose task's time ran out, is refused as Step Functions refuses
    it (`TaskTimedOut`: "the task token has either expired or the task associated with the token
    has already been closed", SendTaskSuccess's API reference). moto 5.2.5 never closes a token:
    SendTaskSuccess for a task that had timed out was answered 200 and dropped, so the officer's
    "Keputusan tersimpan" was lost while the engine wrote the step again as its overdue pass,
    and the officer decided the same step twice (two approvals on record; found by a flaky
    `test_load_people` at the tests' time scale, where AK-1's 1-minute verification times out
    in a moment). Which one wins, the answer or the timeout, is decided once, under one lock:

    - an answer to a token whose task has an answer already, or has timed out, is refused;
    - when a task's time runs out, its token is closed unless an answer came first, in which case
      the task ends with that answer (as on AWS, where SendTaskSuccess and the timeout are one
      step of the task's life, never both), given ANSWERED_SETTLE_SECONDS to finish with it;
    - a heartbeat for such a token is refused the same way (moto's own refusal could not be built:
      a 500).

    That is a task waiting on its token with a TimeoutSeconds (Loket's human and system steps).
    A HeartbeatSeconds timeout, and a token of a Parallel or Map branch cancelled by a sibling, are
    as moto has them (an answer there is still taken and dropped); Loket's machines use neither.

    Installed by the local stack, `make chaos` and the tests; moto is pinned
    (requirements-dev.txt) because `_evaluate_with_timeout` below is moto 5.2.5's with the one
    change marked."""
    import copy
    from threading import Thread

    from moto.core.exceptions import AWSError
    from moto.stepfunctions.parser.asl.component.common.timeouts.timeout import EvalTimeoutError
    from moto.stepfunctions.parser.asl.component.state.exec.execute_state import ExecutionState
    from moto.stepfunctions.parser.asl.eval.callback import callback
    from moto.stepfunctions.parser.utils import TMP_THREADS

    if getattr(ExecutionState, "_loket_closing_tokens", False):
        return

    class TaskTimedOut(AWSError):
        """Raised by the answer itself: moto's own (parser/api.py) has no message and no error code,
        and its SendTaskSuccess tells a timed-out consumer from a gone one by the wrapper's class
        (always "TaskDoesNotExist")."""

        TYPE = "TaskTimedOut"
        STATUS = 400

        def __init__(
            self, message: str = "Task Timed Out: the task token has expired or its task has closed"
        ):
            super().__init__(message)

    def close(endpoint: Any) -> bool:
        """Close the token for good (the task timed out); False when an answer came first."""
        with _TOKENS:
            if endpoint.get_outcome() is not None:
                return False
            if endpoint.consumer_error is None:
                endpoint.report(callback.CallbackConsumerTimeout())
            return True

    def notify(self: Any, callback_id: str, outcome: Any) -> bool:
        endpoint = self._pool.get(callback_id, None)
        if endpoint is None:
            return False
        with _TOKENS:
            if endpoint.consumer_error is None and endpoint.get_outcome() is not None:
                endpoint.report(callback.CallbackConsumerTimeout())  # used once: closed
            if endpoint.consumer_error is not None:
                raise TaskTimedOut()
            endpoint.notify(outcome=outcome)
        return True

    def heartbeat(self: Any, callback_id: str) -> bool:
        endpoint = self._pool.get(callback_id, None)
        if endpoint is None:
            return False
        with _TOKENS:
            if endpoint.consumer_error is not None or endpoint.get_outcome() is not None:
                raise TaskTimedOut()  # moto's own raise (TaskDoesNotExist()) cannot be built
        return bool(endpoint.notify_heartbeat())

    def wait(self: Any, timeout: float | None = None) -> Any:
        self._notify_event.wait(timeout=timeout)
        with _TOKENS:
            if self._outcome is None and self.consumer_error is None:
                self.report(callback.CallbackConsumerTimeout())  # nobody waits for it any more
            return self._outcome

    def task_endpoint(env: Any) -> Any:
        task = env.states.context_object.context_object_data.get("Task") or {}
        token = task.get("Token")
        return env.callback_pool_manager.get(token) if token else None

    def _evaluate_with_timeout(self: Any, env: Any) -> None:
        self.timeout.eval(env=env)
        timeout_seconds: int = env.stack.pop()

        frame = env.open_frame()
        frame.states.reset(input_value=env.states.get_input())
        frame.stack = copy.deepcopy(env.stack)
        execution_outputs: list[Any] = []
        execution_exceptions: list[Exception | None] = [None]
        terminated_event = threading.Event()

        def _exec_and_notify() -> None:
            try:
                self._eval_execution(frame)
                execution_outputs.extend(frame.stack)
            except Exception as ex:
                execution_exceptions.append(ex)
            terminated_event.set()

        thread = Thread(target=_exec_and_notify, daemon=True)
        TMP_THREADS.append(thread)
        thread.start()

        finished_on_time: bool = terminated_event.wait(timeout_seconds)
        # Loket's change: the time ran out; the token is closed, unless it was answered first.
        if not finished_on_time:
            endpoint = task_endpoint(env)
            if endpoint is not None and not close(endpoint):
                finished_on_time = terminated_event.wait(ANSWERED_SETTLE_SECONDS)
        frame.set_ended()
        env.close_frame(frame)

        execution_exception = execution_exceptions.pop()
        if execution_exception:
            raise execution_exception

        if not finished_on_time:
            raise EvalTimeoutError()

        execution_output = execution_outputs.pop()
        env.stack.append(execution_output)

        if not self._is_language_query_jsonpath():
            env.states.set_result(execution_output)

        if self.assign_decl:
            self.assign_decl.eval(env=env)

        if self.result_selector:
            self.result_selector.eval(env=env)

        if self.result_path:
            self.result_path.eval(env)
        else:
            res = env.stack.pop()
            env.states.reset(input_value=res)

    callback.CallbackPoolManager.notify = notify  # type: ignore[method-assign]
    callback.CallbackPoolManager.heartbeat = heartbeat  # type: ignore[method-assign]
    callback.CallbackEndpoint.wait = wait  # type: ignore[method-assign]
    ExecutionState._evaluate_with_timeout = _evaluate_with_timeout  # type: ignore[method-assign]
    ExecutionState._loket_closing_tokens = True  # type: ignore[attr-defined]


def partition_queries() -> None:
    """A Query reads its partition, not the whole table sorted. moto 5.2.5's `Table.query` starts
    from `all_items()`, every item of the table sorted by its keys, for every Query of the table
    or of an index: the local stack's CPU grew with its table (`make soak`: 70 % of a core at
    240 cases, most of it in that sort; `make burst`: 1.1 s per case at first, 3.1 s after 1,000),
    so a job-fair day on `make run` slowed down by the hour.
    Here, during a Query, `all_items` gives a Query of the table the items of its partition, and
    a Query of an index the items whose index hash key matches, unsorted, read from an index kept
    beside the table (`_IndexedItems`: built on an index's first Query, then kept by every put,
    delete and update of an item, as DynamoDB keeps a GSI); moto then filters and sorts what it is
    given exactly as before, so the answer is the same (tested against the whole-table path in
    tests/integration/test_moto_extras.py). Scans are untouched."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    if getattr(Table, "_loket_partition_queries", False):
        return
    querying = threading.local()
    whole_table = Table.all_items
    original_query = Table.query
    original_put = Table.put_item
    original_delete = Table.delete_item
    original_update = DynamoDBBackend.update_item

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        conditions = list(kwargs.get("hash_key_conditions") or [])
        outer = getattr(querying, "scope", None)
        querying.scope = (self, hash_key, index_name, conditions)
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            querying.scope = outer

    def all_items(self: Any) -> list[Any]:
        scope = getattr(querying, "scope", None)
        if scope is None or scope[0] is not self:
            return list(whole_table(self))
        _, hash_key, index_name, conditions = scope
        if not index_name:
            partition = self.items.get(hash_key)
            if partition is None:
                return []
            return list(partition.values()) if self.range_key_attr else [partition]
        if not conditions:
            return [i for p in self.items.values() for i in (p.values() if self.range_key_attr else [p])]
        (name, value), rest = conditions[0], conditions[1:]
        if not _keyable(value):  # moto takes a Query on a value no index key can hold: it filters
            return [i for p in self.items.values() for i in (p.values() if self.range_key_attr else [p])]
        items = _IndexedItems.of(self).matching(name, value)
        return [i for i in items if all(_equal(i.attrs.get(n), v) for n, v in rest)]

    def put_item(self: Any, *args: Any, **kwargs: Any) -> Any:
        item = original_put(self, *args, **kwargs)
        _IndexedItems.refresh(self, item.hash_key, item.range_key)
        return item

    def delete_item(self: Any, hash_key: Any, range_key: Any) -> Any:
        try:
            return original_delete(self, hash_key, range_key)
        finally:
            _IndexedItems.refresh(self, hash_key, range_key)

    def update_item(self: Any, table_name: str, key: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        # moto updates the stored item in place (UpdateExpressionExecutor), so an index attribute
        # can change without a put: the item is indexed again after every update, failed or not.
        try:
            return original_update(self, table_name, key, *args, **kwargs)
        finally:
            try:
                table = self.get_table(table_name)  # a name or an ARN, as moto takes either
            except Exception:  # no such table: moto has answered that already
                table = None
            if table is not None and table.hash_key_attr in key:
                range_value = key.get(table.range_key_attr) if table.range_key_attr else None
                _IndexedItems.refresh(
                    table,
                    DynamoType(key[table.hash_key_attr]),
                    None if range_value is None else DynamoType(range_value),
                )

    def _equal(found: Any, wanted: Any) -> bool:
        return found is not None and bool(found == wanted)

    Table.query = query  # type: ignore[method-assign]
    Table.all_items = all_items  # type: ignore[method-assign]
    Table.put_item = put_item  # type: ignore[method-assign]
    Table.delete_item = delete_item  # type: ignore[method-assign]
    DynamoDBBackend.update_item = update_item  # type: ignore[method-assign]
    Table._loket_partition_queries = True  # type: ignore[attr-defined]


class _IndexedItems:
    """The items of one moto table by the value of each attribute an index Query has asked on
    (a GSI's hash key): `{attribute: {value: {(hash, range): item}}}`, so that an index Query
    reads the items of its index partition, not every item of the table. Built for an attribute
    on its first Query (one pass over the table), then kept by `refresh` after each write of an
    item; rebuilt whole if the table's items were replaced (a restore, the tests' wipe).
    moto's DynamoDB runs one item operation at a time wherever Loket runs moto (the local stack,
    `make chaos`, the tests: `serialise_dynamodb`); the lock here keeps the index whole on its own
    too, and a pass that fails (a table changed under it) keeps nothing."""

    _LOCK = threading.RLock()

    def __init__(self, table: Any) -> None:
        self.table = table
        self.items = table.items  # the mapping indexed (moto replaces it on a restore)
        self.by_value: dict[str, dict[Any, dict[tuple[Any, Any], Any]]] = {}
        self.values_of: dict[tuple[Any, Any], dict[str, Any]] = {}

    @classmethod
    def of(cls, table: Any) -> _IndexedItems:
        """The table's index, new or rebuilt if the table's items were replaced."""
        with cls._LOCK:
            index = getattr(table, "_loket_indexed", None)
            if index is None or index.items is not table.items:
                attributes = list(index.by_value) if index is not None else []
                index = cls(table)
                for name in attributes:
                    index._build(name)
                table._loket_indexed = index
            return index

    @classmethod
    def refresh(cls, table: Any, hash_key: Any, range_key: Any) -> None:
        """Index the item now stored at (hash_key, range_key) again, or drop it if it is gone."""
        index = getattr(table, "_loket_indexed", None)
        if index is None:
            return
        with cls._LOCK:
            if index.items is not table.items:
                cls.of(table)  # rebuilt from the items now stored, this one with them
                return
            key = (hash_key, range_key if table.range_key_attr else None)
            index._drop(key)
            item = index._stored(key)
            if item is not None:
                index._add(key, item)

    def matching(self, name: str, value: Any) -> list[Any]:
        """The items whose attribute `name` equals `value` (a `_keyable` one), unsorted."""
        with self._LOCK:
            if name not in self.by_value:
                self._build(name)
            return list(self.by_value[name].get(value, {}).values())

    def _stored(self, key: tuple[Any, Any]) -> Any:
        partition = self.table.items.get(key[0])
        if partition is None or not self.table.range_key_attr:
            return partition
        return partition.get(key[1])

    def _build(self, name: str) -> None:
        """Index every item by `name`: all or nothing (kept only once the pass is whole)."""
        by_value: dict[Any, dict[tuple[Any, Any], Any]] = {}
        values_of: list[tuple[tuple[Any, Any], Any]] = []
        for partition in list(self.table.items.values()):
            for item in list(partition.values()) if self.table.range_key_attr else [partition]:
                value = item.attrs.get(name)
                if _keyable(value):
                    key = (item.hash_key, item.range_key if self.table.range_key_attr else None)
                    by_value.setdefault(value, {})[key] = item
                    values_of.append((key, value))
        self.by_value[name] = by_value
        for key, value in values_of:
            self.values_of.setdefault(key, {})[name] = value

    def _drop(self, key: tuple[Any, Any]) -> None:
        for name, value in self.values_of.pop(key, {}).items():
            same = self.by_value[name].get(value)
            if same is not None:
                same.pop(key, None)
                if not same:
                    del self.by_value[name][value]

    def _add(self, key: tuple[Any, Any], item: Any) -> None:
        for name, by_value in self.by_value.items():
            value = item.attrs.get(name)
            if _keyable(value):
                by_value.setdefault(value, {})[key] = item
                self.values_of.setdefault(key, {})[name] = value


def _keyable(value: Any) -> bool:
    """A value an index key can hold (DynamoDB: S, N or B, and a number moto can hash: its
    UpdateItem stores N "sNaN", which DynamoDB refuses). An item whose attribute holds anything
    else (a map, a list, a bool) is in no kept partition; a Query on such a value reads the whole
    table, and moto filters it as it always did."""
    if value is None or getattr(value, "type", None) not in ("S", "N", "B"):
        return False
    try:
        hash(value)
    except (TypeError, ArithmeticError, ValueError):
        return False
    return True
